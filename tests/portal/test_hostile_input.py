"""What people and clients type reaches the platform only as text it can store and search:
NUL and lone surrogates are refused as ``invalid_text`` naming the field, and search text over
the limit is a form error — at every HTTP entry point, never a 500."""

import json

import pytest
from django.urls import reverse

from civic.core.roles import Role
from forums.models import Thread
from tests.forums.conftest import spaces  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

NOVEL = "坑" * 50_000


@pytest.fixture
def resident_client(client, make_user, spaces):  # noqa: F811
    client.force_login(make_user(Role.RESIDENT))
    return client


def test_a_form_field_with_a_nul_is_refused_naming_it_and_nothing_is_stored(resident_client):
    response = resident_client.post(
        reverse("forums:new_thread", args=["public"]),
        {"title": "路灯\x00坏了", "body": "正文", "client_request_id": "abc"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-code="invalid_text"' in body
    assert "<code>title</code>" in body
    assert not Thread.objects.exists()


@pytest.mark.parametrize(
    "path", ["/forums/search/?q=a%00b", "/forums/s/public/?tag=%00", "/reports/map/?bbox=%00"]
)
def test_a_query_parameter_with_a_nul_is_refused(resident_client, path):
    response = resident_client.get(path)
    assert response.status_code == 400
    assert b'data-code="invalid_text"' in response.content


def test_invalid_utf8_in_a_form_becomes_a_replacement_character_not_an_error(resident_client):
    response = resident_client.get("/forums/search/?q=a%ED%A0%80b")
    assert response.status_code == 200
    assert "\ufffd" in response.content.decode()


@pytest.mark.parametrize("bad", ["a\ud800b", "\x00"])
def test_the_apps_sign_in_api_refuses_invalid_text_with_allauths_error_shape(client, db, bad):
    response = client.post(
        "/_allauth/app/v1/auth/login",
        json.dumps({"email": "someone@example.org", "password": bad}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_text"
    assert response.json()["errors"][0]["param"] == "password"


def test_forum_search_text_over_the_limit_is_a_form_error_keeping_the_text(resident_client):
    response = resident_client.get(
        "/forums/search/", {"q": NOVEL}, headers={"accept-language": "en"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="forum-q-error"' in body
    assert "200" in body
    assert NOVEL in body  # what was typed is still in the box


def test_case_library_search_text_over_the_limit_is_a_form_error(library, client):
    response = client.get(library.url, {"q": NOVEL}, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert 'id="library-q-error"' in response.content.decode()


@pytest.mark.parametrize(
    "url_name",
    [
        "area_admin:index",
        "department_admin:index",
        "report_category_admin:index",
        "response_template_admin:index",
        "reward_item_admin:index",
        "report_queue:index",
        "rewards_admin:ledger",
    ],
)
def test_admin_search_text_over_the_limit_is_refused_with_a_message(admin_client, url_name):
    response = admin_client.get(reverse(url_name), {"q": NOVEL}, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "Search for at most 200 characters." in response.content.decode()
