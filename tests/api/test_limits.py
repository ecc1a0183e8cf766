"""The hardened contract (DESIGN.md §10): query cost, introspection, rate limits on mutations,
page sizes of lists without cursors — each refusing with a clear error and letting normal use
through, proven over HTTP."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
import time_machine
from django.test import Client, RequestFactory
from graphql import get_introspection_query

from civic.api.ratelimit import consume_mutations
from civic.core.roles import Role

pytestmark = pytest.mark.django_db

FEED = "{ reports(first: 50) { edges { node { id } } } }"  # 1 + 50 × (edges 1 + node 1 + id 1)


def post(client, query, variables=None, **extra):
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        headers={"accept-language": "en"},
        **extra,
    )
    return response, response.json()


# --- Cost -----------------------------------------------------------------------------------


def test_a_document_over_the_cost_limit_is_refused_with_its_cost_and_the_limit(client, settings):
    settings.GRAPHQL_MAX_COST = 150
    response, body = post(client, FEED)
    assert response.status_code == 400
    assert "data" not in body
    error = body["errors"][0]
    assert error["extensions"] == {"code": "query_too_costly", "cost": 151, "maxCost": 150}
    assert "costs 151, more than the limit of 150" in error["message"]

    settings.GRAPHQL_MAX_COST = 151
    response, body = post(client, FEED)
    assert response.status_code == 200
    assert body["data"]["reports"]["edges"] == []


@pytest.mark.parametrize(
    ("query", "cost"),
    [
        # A variable counts as its default, or as the largest page when it has none.
        ("query($n: Int = 5) { reports(first: $n) { edges { node { id } } } }", 16),
        ("query($n: Int) { reports(first: $n) { edges { node { id } } } }", 151),
        # Left out, first is the default page size.
        ("{ reports { edges { node { id } } } }", 61),
        # A short list without first counts GRAPHQL_COST_LIST_SIZE items; fragments count where
        # they are spread.
        (
            "{ reports(first: 2) { edges { node { ...P } } } } "
            "fragment P on Report { photos { url } }",
            1 + 2 * (1 + 1 + (1 + 10 * 1)),
        ),
        ("{ __typename viewer { displayName } }", 2),
    ],
)
def test_how_the_cost_is_counted(client, settings, query, cost):
    settings.GRAPHQL_MAX_COST = 0
    _response, body = post(client, query)
    assert body["errors"][0]["extensions"]["cost"] == cost


def test_fragments_spread_over_and_over_are_counted_quickly(client):
    """Each fragment spreads the next one twice: 2**30 fields, in a document of 30 lines.
    (graphene's depth limit took hours over this one.)"""
    fragments = " ".join(f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} }}" for n in range(30))
    document = "{ ...F0 } " + fragments + " fragment F30 on Query { viewer { displayName } }"
    start = time.monotonic()
    response, body = post(client, document)
    assert time.monotonic() - start < 5
    assert response.status_code == 400
    assert body["errors"][0]["extensions"]["cost"] == 2 * 2**30


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{ ...Nope }", "Unknown fragment 'Nope'."),
        (
            "{ ...A } fragment A on Query { ...B } fragment B on Query { viewer { id } ...A }",
            "Cannot spread fragment 'A' within itself via 'B'.",
        ),
    ],
)
def test_unknown_and_cyclic_fragments_are_a_clear_400_not_a_server_error(client, document, message):
    response, body = post(client, document)
    assert response.status_code == 400
    assert message in [e["message"] for e in body["errors"]]


def test_a_costly_document_is_refused_at_the_default_limit_and_reported_with_other_errors(client):
    nested = (
        "{ nope reports(first: 50) { edges { node { timeline { photos { url thumbnailUrl } } "
        "category { questions { options { key name } } } } } } }"
    )
    response, body = post(client, nested)
    assert response.status_code == 400
    codes = {e["extensions"]["code"] for e in body["errors"]}
    assert codes == {"graphql_validation_failed", "query_too_costly"}


def test_the_apps_heaviest_operations_run_within_the_limit(city, client, make_user):
    """The contract test validates every operation file with these rules; this runs the
    costliest ones (a full page of a feed, the categories with their questions) for real."""
    client.force_login(make_user())
    page = "edges { node { id number photos { thumbnailUrl } category { name } } }"
    response, body = post(
        client,
        "query { myReports(first: 50) { " + page + " } reports(first: 50) { " + page + " } "
        "categoriesAt(lat: 0.5, lon: 0.5) { serviceCode questions { code options { key } } } }",
    )
    assert response.status_code == 200, body
    assert "errors" not in body


# --- Introspection --------------------------------------------------------------------------

INTROSPECT = "{ __schema { queryType { name } } }"


def test_introspection_can_be_switched_off(client, settings):
    settings.GRAPHQL_INTROSPECTION = False
    response, body = post(client, INTROSPECT)
    assert response.status_code == 400
    assert "introspection has been disabled" in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] == "graphql_validation_failed"
    _response, body = post(client, '{ __type(name: "Report") { name } }')
    assert "introspection has been disabled" in body["errors"][0]["message"]
    # Naming the type of a result is not introspecting the schema.
    response, body = post(client, "{ __typename }")
    assert body == {"data": {"__typename": "Query"}}


def test_introspection_works_when_switched_on(client, settings):
    settings.GRAPHQL_INTROSPECTION = True
    response, body = post(client, INTROSPECT)
    assert response.status_code == 200
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
    # GraphiQL's full introspection query is not refused by the cost or depth limits.
    response, body = post(client, get_introspection_query(descriptions=True))
    assert response.status_code == 200, body["errors"]
    assert any(t["name"] == "Report" for t in body["data"]["__schema"]["types"])


# --- Rate limits ----------------------------------------------------------------------------

RENAME = """mutation($name: String!) {
  updateProfile(input: {displayName: $name}) { errors { code } viewer { displayName } }
}"""


def signed_in(make_user, **fields):
    user = make_user(Role.RESIDENT, **fields)
    client = Client()
    client.force_login(user)
    return user, client


def rename(client, name, **extra):
    return post(client, RENAME, {"name": name}, **extra)


def assert_rate_limited(response, body, window=60):
    assert response.status_code == 429
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "rate_limited"
    wait = error["extensions"]["retryAfter"]
    assert isinstance(wait, int)
    assert 1 <= wait <= window
    assert response["Retry-After"] == str(wait)
    assert f"Try again in {wait} seconds" in error["message"]
    return wait


def test_a_user_over_the_mutation_rate_is_refused_with_a_retry_after(make_user, settings):
    settings.GRAPHQL_MUTATION_RATE_PER_USER = "3/m"
    settings.GRAPHQL_MUTATION_RATE_PER_IP = "100/m"
    user, client = signed_in(make_user)
    with time_machine.travel("2026-05-01 08:00:00 +0000", tick=False) as clock:
        for n in range(3):
            response, body = rename(client, f"Name {n}")
            assert response.status_code == 200
            assert body["data"]["updateProfile"]["errors"] == []
        clock.shift(20)
        response, body = rename(client, "Refused")
        assert assert_rate_limited(response, body) == 40
        user.refresh_from_db()
        assert user.display_name == "Name 2"  # the refused mutation did not run

        # Reading is not limited; another user on the same IP has their own allowance.
        assert post(client, "{ viewer { displayName } }")[0].status_code == 200
        _other, other_client = signed_in(make_user)
        assert rename(other_client, "Other")[0].status_code == 200

        clock.shift(40)
        response, body = rename(client, "Later")
        assert response.status_code == 200
        assert body["data"]["updateProfile"]["viewer"] == {"displayName": "Later"}


def test_each_mutation_of_a_document_counts(make_user, settings):
    settings.GRAPHQL_MUTATION_RATE_PER_USER = "3/m"
    user, client = signed_in(make_user, display_name="Before")
    twice = (
        'mutation { a: updateProfile(input: {displayName: "A"}) { errors { code } } '
        'b: updateProfile(input: {displayName: "B"}) { errors { code } } }'
    )
    with time_machine.travel("2026-05-01 08:00:00 +0000", tick=False) as clock:
        assert post(client, twice)[0].status_code == 200
        clock.shift(10)
        # 4 > 3: refused as a whole, nothing counted; room for two once the first two leave.
        response, body = post(client, twice)
        assert assert_rate_limited(response, body) == 50
        user.refresh_from_db()
        assert user.display_name == "B"
        clock.shift(1)
        assert rename(client, "One more")[0].status_code == 200


def test_an_ip_over_the_mutation_rate_is_refused_whoever_signs_in(make_user, settings):
    settings.GRAPHQL_MUTATION_RATE_PER_USER = "100/m"
    settings.GRAPHQL_MUTATION_RATE_PER_IP = "2/m"
    clients = [signed_in(make_user)[1] for _ in range(3)]
    assert rename(clients[0], "A")[0].status_code == 200
    assert rename(clients[1], "B")[0].status_code == 200
    response, body = rename(clients[2], "C")
    assert_rate_limited(response, body)
    # Anonymous mutations count against the IP too (and fail on their own afterwards).
    response, body = rename(Client(), "D")
    assert_rate_limited(response, body)
    # Another address is another allowance.
    response, body = rename(clients[2], "C", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200
    assert body["data"]["updateProfile"]["viewer"] == {"displayName": "C"}


def test_behind_a_trusted_proxy_the_client_address_is_counted(make_user, settings):
    settings.GRAPHQL_MUTATION_RATE_PER_IP = "1/m"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    _user, client = signed_in(make_user)
    first, second = (
        {"HTTP_X_FORWARDED_FOR": "198.51.100.1"},
        {"HTTP_X_FORWARDED_FOR": "198.51.100.2"},
    )
    assert rename(client, "A", **first)[0].status_code == 200
    assert rename(client, "B", **second)[0].status_code == 200
    assert rename(client, "C", **first)[0].status_code == 429


def test_normal_use_passes_the_default_limits(city, make_user):
    _user, client = signed_in(make_user)
    for n in range(20):
        response, body = rename(client, f"Name {n}")
        assert response.status_code == 200, body
        assert "errors" not in body


def test_a_failed_document_is_not_a_mutation_that_counts(make_user, settings):
    settings.GRAPHQL_MUTATION_RATE_PER_USER = "1/m"
    _user, client = signed_in(make_user)
    for _ in range(3):
        response, _body = post(client, "mutation { updateProfile(input: {nope: 1}) { errors } }")
        assert response.status_code == 400
    assert rename(client, "Fine")[0].status_code == 200


def test_the_rate_limit_message_follows_the_language(make_user, settings):
    settings.GRAPHQL_MUTATION_RATE_PER_USER = "1/m"
    _user, client = signed_in(make_user)
    rename(client, "Once")
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": RENAME, "variables": {"name": "Twice"}}),
        content_type="application/json",
        headers={"accept-language": "zh-hans"},
    )
    assert response.status_code == 429
    assert "请在" in response.json()["errors"][0]["message"]


def test_concurrent_mutations_get_exactly_the_allowance(settings):
    """Many requests at once from one user: exactly the allowance passes (allauth's counting
    holds a lock in the cache; on Redis when REDIS_URL is set, as in CI)."""
    settings.GRAPHQL_MUTATION_RATE_PER_USER = "5/m"
    settings.GRAPHQL_MUTATION_RATE_PER_IP = "100/m"
    request = RequestFactory().post("/graphql/")
    request.user = SimpleNamespace(is_authenticated=True, pk=424242)
    barrier = threading.Barrier(12)

    def attempt(_n):
        barrier.wait()
        return consume_mutations(request, 1)

    with ThreadPoolExecutor(max_workers=12) as pool:
        waits = list(pool.map(attempt, range(12)))
    assert waits.count(None) == 5
    assert all(1 <= wait <= 60 for wait in waits if wait is not None)


def test_an_empty_rate_setting_switches_that_limit_off(settings):
    settings.GRAPHQL_MUTATION_RATE_PER_USER = ""
    settings.GRAPHQL_MUTATION_RATE_PER_IP = ""
    request = RequestFactory().post("/graphql/")
    request.user = SimpleNamespace(is_authenticated=True, pk=7)
    assert consume_mutations(request, 1000) is None
