"""The API conventions every later app builds on (DESIGN.md §10), proven over HTTP."""

import json

import pytest
from django.test import Client
from graphql_relay import to_global_id

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def nested_areas(depth):
    query = "code"
    for _ in range(depth):
        query = f"parent {{ {query} }}"
    return "{ areaAt(lat: 0.5, lon: 0.5) { " + query + " } }"


def test_a_too_deep_query_is_refused_before_it_runs(gql, settings):
    body = gql(nested_areas(settings.GRAPHQL_MAX_DEPTH + 1), expect_errors=True)
    assert body["status"] == 400
    assert "data" not in body
    error = body["errors"][0]
    assert "exceeds maximum operation depth" in error["message"]
    assert error["extensions"]["code"] == "graphql_validation_failed"


def test_a_query_within_the_depth_limit_runs(city, gql, settings):
    body = gql(nested_areas(3))
    assert body["data"]["areaAt"] == {"parent": {"parent": {"parent": {"code": "D1"}}}}


def test_an_unknown_field_is_still_rejected_by_the_standard_rules(gql):
    body = gql("{ viewer { displayName passwordHash } }", expect_errors=True)
    assert body["status"] == 400
    assert "Cannot query field 'passwordHash' on type 'Viewer'." in body["errors"][0]["message"]


def test_standard_and_custom_rules_report_together(gql, settings):
    body = gql("{ nope " + nested_areas(settings.GRAPHQL_MAX_DEPTH + 1)[1:], expect_errors=True)
    messages = " | ".join(e["message"] for e in body["errors"])
    assert "Cannot query field 'nope'" in messages
    assert "exceeds maximum operation depth" in messages


def test_too_many_aliases_are_refused(gql, settings):
    fields = " ".join(
        f"a{n}: viewer {{ displayName }}" for n in range(settings.GRAPHQL_MAX_ALIASES + 1)
    )
    body = gql("{ " + fields + " }", expect_errors=True)
    assert body["status"] == 400
    assert body["errors"][0]["extensions"]["code"] == "too_many_aliases"
    fields = " ".join(f"a{n}: viewer {{ displayName }}" for n in range(3))
    assert gql("{ " + fields + " }")["data"] == {"a0": None, "a1": None, "a2": None}


def test_malformed_requests_get_400_not_500(client):
    response = client.post("/graphql/", data="{not json", content_type="application/json")
    assert response.status_code == 400
    response = client.post(
        "/graphql/", data=json.dumps({"query": "{"}), content_type="application/json"
    )
    assert response.status_code == 400
    assert "Syntax Error" in response.json()["errors"][0]["message"]


def test_graphiql_is_off_when_debug_is_off(client):
    response = client.get("/graphql/", headers={"accept": "text/html"})
    assert b"graphiql" not in response.content.lower()
    assert response.status_code == 400


VIEWER = "{ viewer { displayName email phone roles homeArea { code } } }"


def test_viewer_is_null_when_signed_out(gql):
    assert gql(VIEWER)["data"] == {"viewer": None}


def test_viewer_is_the_signed_in_user_with_their_roles(client, gql, make_user):
    from civic.core.roles import Role

    user = make_user(Role.EDITOR, display_name="小王", phone="+8613800000000")
    client.force_login(user)
    assert gql(VIEWER)["data"]["viewer"] == {
        "displayName": "小王",
        "email": user.email,
        "phone": "+8613800000000",
        "roles": ["EDITOR"],
        "homeArea": None,
    }


UPDATE = """mutation($input: UpdateProfileInput!) {
  updateProfile(input: $input) {
    errors { field code message }
    viewer { displayName phone homeArea { code } }
  }
}"""


def test_update_profile_needs_a_signed_in_user_as_a_top_level_error(gql):
    body = gql(UPDATE, {"input": {"displayName": "X"}}, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "unauthenticated"
    assert body["data"] == {"updateProfile": None}


def test_update_profile_changes_only_what_was_sent(city, client, gql, make_user):
    user = make_user(phone="+861234567")
    client.force_login(user)
    payload = gql(
        UPDATE, {"input": {"displayName": " 阿明 ", "homeAreaId": to_global_id("Area", city.D1.pk)}}
    )["data"]["updateProfile"]
    assert payload == {
        "errors": [],
        "viewer": {"displayName": "阿明", "phone": "+861234567", "homeArea": {"code": "D1"}},
    }
    user.refresh_from_db()
    assert (user.display_name, user.phone, user.home_area_id) == ("阿明", "+861234567", city.D1.pk)

    cleared = gql(UPDATE, {"input": {"homeAreaId": None}})["data"]["updateProfile"]
    assert cleared["viewer"]["homeArea"] is None


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"phone": "call me maybe"}, "phone", "invalid_phone"),
        ({"displayName": "名" * 61}, "displayName", "max_length"),
        ({"homeAreaId": "QXJlYTo5OTk5OTk="}, "homeAreaId", "not_found"),
        ({"homeAreaId": "nonsense"}, "homeAreaId", "not_found"),
    ],
)
def test_update_profile_user_errors_come_back_in_the_payload(
    client, gql, make_user, changes, field, code
):
    user = make_user(display_name="Before")
    client.force_login(user)
    payload = gql(UPDATE, {"input": changes})["data"]["updateProfile"]
    assert payload["viewer"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert payload["errors"][0]["message"]
    user.refresh_from_db()
    assert user.display_name == "Before"


def test_error_messages_follow_the_request_language(client, gql, make_user):
    client.force_login(make_user())
    english = gql(UPDATE, {"input": {"phone": "x"}}, headers={"accept-language": "en"})
    chinese = gql(UPDATE, {"input": {"phone": "x"}}, headers={"accept-language": "zh-hans"})
    en_message = english["data"]["updateProfile"]["errors"][0]["message"]
    zh_message = chinese["data"]["updateProfile"]["errors"][0]["message"]
    assert en_message.startswith("Enter a phone number")
    assert zh_message != en_message


def test_a_cookie_session_must_send_the_csrf_token(make_user):
    user = make_user(display_name="Before")
    browser = Client(enforce_csrf_checks=True)
    browser.login(username=user.email, password=PASSWORD)
    body = json.dumps({"query": UPDATE, "variables": {"input": {"displayName": "Forged"}}})

    forged = browser.post("/graphql/", data=body, content_type="application/json")
    assert forged.status_code == 403
    assert forged.json()["errors"][0]["extensions"]["code"] == "csrf_failed"
    user.refresh_from_db()
    assert user.display_name == "Before"

    browser.get("/accounts/email/")  # a page with a form sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    allowed = browser.post(
        "/graphql/", data=body, content_type="application/json", headers={"x-csrftoken": token}
    )
    assert allowed.status_code == 200
    user.refresh_from_db()
    assert user.display_name == "Forged"


def test_anonymous_requests_without_cookies_need_no_csrf_token(city):
    body = json.dumps({"query": "{ areaAt(lat: 0.5, lon: 0.5) { code } }"})
    response = Client(enforce_csrf_checks=True).post(
        "/graphql/", data=body, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["data"]["areaAt"]["code"] == "G1a"


def test_a_token_header_alone_does_not_excuse_a_cookie_session_from_csrf(make_user):
    user = make_user(display_name="Before")
    browser = Client(enforce_csrf_checks=True)
    browser.login(username=user.email, password=PASSWORD)
    body = json.dumps({"query": UPDATE, "variables": {"input": {"displayName": "Forged"}}})
    forged = browser.post(
        "/graphql/",
        data=body,
        content_type="application/json",
        headers={"x-session-token": "anything"},
    )
    # A request with a token is the token's alone; a token that signs nobody in stops it there.
    assert forged.status_code == 401
    assert forged.json()["errors"][0]["extensions"]["code"] == "invalid_session_token"
    user.refresh_from_db()
    assert user.display_name == "Before"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"lat": "north", "lon": 0}, "Float cannot represent non numeric value"),
        ({"lon": 0}, "was not provided"),
        ("not json", "Variables are invalid JSON"),
    ],
)
def test_bad_variables_are_a_clear_400(client, variables, message):
    body = {
        "query": "query($lat: Float!, $lon: Float!) { areaAt(lat: $lat, lon: $lon) { code } }",
        "variables": variables,
    }
    response = client.post("/graphql/", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert message in response.json()["errors"][0]["message"]


def test_our_own_failures_are_logged_but_never_shown_to_the_client(gql, monkeypatch, caplog):
    def broken(lat, lon):
        raise RuntimeError("database password is hunter2")

    # Fault injection: stands in for any bug inside a resolver.
    monkeypatch.setattr("civic.areas.queries.area_at", broken)
    body = gql("{ areaAt(lat: 1, lon: 1) { code } }", expect_errors=True)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "internal_error"
    assert "hunter2" not in json.dumps(body)
    assert body["data"] == {"areaAt": None}
    assert "hunter2" in caplog.text
