"""A client's mistakes — forged cursors, text with NUL or lone surrogates, a novel as search
text — are refused with a stable code, never ``internal_error``."""

import json

import pytest

from civic.core.permissions import SYSTEM
from civic.core.roles import Role
from civic.departments.models import MemberRole
from civic.departments.services import add_member
from forums import services as forum_services
from forums.models import Space, SpaceKind, Thread
from tests.api.hostile import HOSTILE_CURSORS, Enum, connection_fields, connection_query

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, world, make_user):
    """A platform admin who also dispatches for the roads department: every list is theirs."""
    admin = make_user(Role.ADMIN, superuser=True)
    add_member(SYSTEM, world.roads, admin, MemberRole.DISPATCHER)
    public = Space.objects.get_or_create(slug="public", defaults={"kind": SpaceKind.PUBLIC})[0]
    forum_services.create_thread(admin, space=public, title="路灯坏了", body="<p>路灯</p>")
    client.force_login(admin)
    return admin


def codes(body):
    return [error["extensions"]["code"] for error in body.get("errors", [])]


CONNECTIONS = [(name, {}) for name in connection_fields()] + [
    ("threads", {"order": Enum("HOT")}),
    ("threads", {"order": Enum("TOP_WEEK")}),
    ("caseStudies", {"order": Enum("MOST_ADOPTED")}),
]


@pytest.mark.parametrize(("name", "arguments"), CONNECTIONS, ids=lambda v: str(v))
def test_every_connection_refuses_every_forged_cursor_as_invalid_cursor(
    signed_in, gql, name, arguments
):
    query = connection_query(name, **arguments)
    assert codes(gql(query, {"after": None})) == []
    for cursor in HOSTILE_CURSORS:
        body = gql(query, {"after": cursor}, expect_errors=True)
        assert codes(body) == ["invalid_cursor"], (cursor[:80], body)
        assert body["errors"][0]["extensions"]["field"] == "after"


def test_a_nested_connection_refuses_a_forged_cursor(signed_in, gql):
    thread_id = gql('{ threads(space: "public") { edges { node { id } } } }')["data"]["threads"][
        "edges"
    ][0]["node"]["id"]
    query = """query($id: ID!, $after: String) {
      thread(id: $id) { posts(after: $after) { edges { cursor } } }
    }"""
    for cursor in HOSTILE_CURSORS:
        body = gql(query, {"id": thread_id, "after": cursor}, expect_errors=True)
        assert codes(body) == ["invalid_cursor"], (cursor[:80], body)


@pytest.mark.parametrize("order", ["new", "hot", "top_week"])
def test_the_forum_pages_answer_a_forged_cursor_with_400(signed_in, client, order):
    for cursor in HOSTILE_CURSORS[:-1]:  # the last one is longer than a URL may be
        response = client.get("/forums/s/public/", {"order": order, "cursor": cursor})
        assert response.status_code == 400, cursor
        response = client.get("/forums/search/", {"q": "路灯", "cursor": cursor})
        assert response.status_code == 400, cursor


# --- Text with forbidden characters ---------------------------------------------------------

CREATE_THREAD = """mutation($input: CreateThreadInput!) {
  createThread(input: $input) { errors { field code } thread { id } }
}"""


@pytest.mark.parametrize("bad", ["a\ud800b", "a\x00b", "\udfff", "\x00"])
def test_a_variable_with_a_nul_or_a_lone_surrogate_is_invalid_text_naming_it(
    signed_in, client, bad
):
    variables = {"input": {"space": "public", "title": "标题", "body": bad, "tags": ["ok"]}}
    # Sent as JSON escapes, as a client would: \\ud800 is valid JSON, not valid text.
    payload = json.dumps({"query": CREATE_THREAD, "variables": variables})
    response = client.post("/graphql/", payload, content_type="application/json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "invalid_text", "field": "input.body"}
    variables["input"].update(body="正文", tags=["ok", bad])
    payload = json.dumps({"query": CREATE_THREAD, "variables": variables})
    response = client.post("/graphql/", payload, content_type="application/json")
    assert response.json()["errors"][0]["extensions"]["field"] == "input.tags.1"
    assert not Thread.objects.filter(title="标题").exists()


def test_a_literal_with_a_nul_is_invalid_text_naming_the_argument(signed_in, gql):
    document = (
        'mutation { createThread(input: {space: "public", title: "t\\u0000", body: "b"}) '
        "{ errors { code } } }"
    )
    body = gql(document, expect_errors=True)
    assert body["status"] == 400
    assert body["errors"][0]["extensions"] == {"code": "invalid_text", "field": "input.title"}
    body = gql('{ searchThreads(text: "\\u0000") { edges { cursor } } }', expect_errors=True)
    assert body["errors"][0]["extensions"] == {"code": "invalid_text", "field": "text"}


def test_a_document_with_a_lone_surrogate_is_invalid_text(signed_in, client):
    document = '{ searchThreads(text: "a\ud800b") { edges { cursor } } }'
    response = client.post(
        "/graphql/", json.dumps({"query": document}), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"] == {"code": "invalid_text", "field": "query"}


# --- Search text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("query($q: String!) { searchThreads(text: $q) { edges { cursor } } }", "text"),
        ("query($q: String) { caseStudies(search: $q) { edges { cursor } } }", "search"),
    ],
)
def test_search_text_over_the_limit_is_search_too_long(signed_in, gql, settings, query, field):
    settings.SEARCH_MAX_LENGTH = 200
    assert codes(gql(query, {"q": "灯" * 200}, expect_errors=True)) == []
    body = gql(query, {"q": "灯" * 50_000}, expect_errors=True)
    assert codes(body) == ["search_too_long"]
    assert body["errors"][0]["extensions"]["field"] == field
    assert "200" in body["errors"][0]["message"]


def test_an_explicit_null_means_the_declared_default(signed_in, gql, world, submit):
    report = submit()
    body = gql("{ nearbyReports(lat: 40.45, lon: -3.7, radius: null) { distance } }")
    assert body["data"]["nearbyReports"]
    report_id = gql("{ reports { edges { node { id } } } }")["data"]["reports"]["edges"][0]
    mutation = """mutation($id: ID!) {
      postReportUpdate(input: {reportId: $id, message: "路面已修补", public: null}) {
        errors { code }
      }
    }"""
    assert (
        gql(mutation, {"id": report_id["node"]["id"]})["data"]["postReportUpdate"]["errors"] == []
    )
    assert report.events.get(message="路面已修补").is_public  # public: true is the default
