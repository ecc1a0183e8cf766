"""Persisted operations and the cache of validated documents, over HTTP: the app sends an
operation's hash instead of its document, the server runs the registered document under the
same limits, and refuses unknown hashes (and, when told to, any other document)."""

import json
from pathlib import Path

import graphql
import pytest
from django.core.management import call_command

from civic.api import documents
from civic.core.roles import Role
from tests.reports.conftest import submit, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

CONTRACT = Path(__file__).resolve().parents[2] / "frontend_schema"
MANIFEST = json.loads((CONTRACT / "persisted_operations.json").read_text())


def post(client, body, **extra):
    response = client.post(
        "/graphql/", data=json.dumps(body), content_type="application/json", **extra
    )
    return response, response.json()


def persisted(name, variables=None):
    return {
        "operationName": name,
        "variables": variables or {},
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": MANIFEST[name]["sha256"]}},
    }


def test_the_committed_list_matches_the_operations(tmp_path):
    out = tmp_path / "persisted_operations.json"
    call_command("persisted_operations", out=str(out), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert json.loads(out.read_text()) == MANIFEST, (
        "frontend_schema/persisted_operations.json is stale: run "
        "`DEBUG=true .venv/bin/python manage.py persisted_operations`"
    )
    for entry in MANIFEST.values():
        assert documents.sha256(entry["document"]) == entry["sha256"]


def test_a_persisted_operation_answers_as_its_document_does(client, world, submit):  # noqa: F811
    submit()
    submit(description="路灯不亮")
    variables = {"first": 5}
    _response, sent = post(
        client,
        {"query": MANIFEST["ReportFeed"]["document"], "variables": variables},
    )
    response, by_hash = post(client, persisted("ReportFeed", variables))
    assert response.status_code == 200
    assert len(by_hash["data"]["reports"]["edges"]) == 2
    assert by_hash == sent

    # The documented alternatives: ``id``, and a GET with extensions as a JSON parameter.
    _response, by_id = post(
        client, {"id": MANIFEST["ReportFeed"]["sha256"], "variables": variables}
    )
    assert by_id == sent
    response = client.get(
        "/graphql/",
        {
            "variables": json.dumps(variables),
            "extensions": json.dumps(persisted("ReportFeed")["extensions"]),
        },
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json() == sent


def test_a_persisted_operation_is_not_parsed(client, monkeypatch):
    calls = []

    def counting_parse(source, *args, **kwargs):
        calls.append(source)
        return graphql.parse(source, *args, **kwargs)

    monkeypatch.setattr(documents, "parse", counting_parse)
    body = persisted("Leaderboard", {"period": "ALL"})
    for _ in range(3):
        response, answer = post(client, body)
        assert response.status_code == 200, answer
        assert answer["data"] == {"leaderboard": []}
    # Parsed (and validated) once in this process, then taken from the cache.
    assert calls.count(MANIFEST["Leaderboard"]["document"]) <= 1
    document = "{ leaderboard(period: ALL) { rank } }"
    for _ in range(3):
        assert post(client, {"query": document})[0].status_code == 200
    assert calls.count(document) == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}}, None),
        ({"id": "f" * 64}, None),
        ({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "nope"}}}, "invalid"),
        ({"extensions": {"persistedQuery": {"version": 1}}}, "invalid"),
        ({"extensions": {"persistedQuery": "x"}}, "invalid"),
        ({"id": 12}, "invalid"),
    ],
)
def test_an_unknown_or_malformed_hash_is_a_clear_400(client, body, code):
    response, answer = post(client, {**body, "variables": {}})
    assert response.status_code == 400
    assert "data" not in answer
    error = answer["errors"][0]
    if code is None:
        digest = body.get("id") or body["extensions"]["persistedQuery"]["sha256Hash"]
        assert error["extensions"] == {"code": "persisted_query_not_found", "sha256Hash": digest}
        assert "No operation is registered under this hash" in error["message"]
    else:
        assert error["extensions"] == {"code": "persisted_query_invalid"}


def test_extensions_that_are_not_json_are_refused_on_a_get(client):
    response = client.get(
        "/graphql/", {"extensions": "{nope"}, headers={"accept": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"] == {"code": "persisted_query_invalid"}


def test_persisted_only_refuses_other_documents_and_runs_the_registered(client, settings):
    settings.GRAPHQL_PERSISTED_ONLY = True
    response, answer = post(client, {"query": "{ leaderboard(period: ALL) { rank } }"})
    assert response.status_code == 400
    assert answer["errors"][0]["extensions"] == {"code": "persisted_query_required"}
    # Even the registered document's own text must come as its hash.
    response, answer = post(client, {"query": MANIFEST["Leaderboard"]["document"]})
    assert answer["errors"][0]["extensions"] == {"code": "persisted_query_required"}
    response, answer = post(client, persisted("Leaderboard", {"period": "ALL"}))
    assert response.status_code == 200
    assert answer == {"data": {"leaderboard": []}}


def test_the_limits_apply_to_persisted_operations(client, settings):
    body = persisted("ReportFeed", {"first": 20})
    assert post(client, body)[0].status_code == 200
    # Cached under the old limits, refused under the new ones.
    settings.GRAPHQL_MAX_COST = 100
    response, answer = post(client, body)
    assert response.status_code == 400
    assert answer["errors"][0]["extensions"]["code"] == "query_too_costly"
    settings.GRAPHQL_MAX_COST = 5000
    settings.GRAPHQL_MAX_DEPTH = 2
    response, answer = post(client, body)
    assert response.status_code == 400
    assert answer["errors"][0]["extensions"]["code"] == "graphql_validation_failed"
    assert "depth" in answer["errors"][0]["message"]


def test_the_mutation_rate_applies_to_persisted_operations(client, make_user, settings):
    settings.GRAPHQL_MUTATION_RATE_PER_USER = "1/m"
    client.force_login(make_user(Role.RESIDENT))
    response, answer = post(client, persisted("MarkAllRead"))
    assert response.status_code == 200
    assert answer["data"]["markAllRead"]["errors"] == []
    response, answer = post(client, persisted("MarkAllRead"))
    assert response.status_code == 429
    assert answer["errors"][0]["extensions"]["code"] == "rate_limited"


def test_the_cache_of_documents_is_bounded(client, settings):
    settings.GRAPHQL_DOCUMENT_CACHE_SIZE = 3
    for n in range(6):
        query = f"{{ leaderboard(period: ALL, first: {n + 1}) {{ rank }} }}"
        assert post(client, {"query": query})[0].status_code == 200
    assert len(documents.documents) == 3
