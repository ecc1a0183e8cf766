"""Open311 clients' mistakes are the specification's 400 error documents, and ``status_notes``
is the agency's word, never the resident's."""

from urllib.parse import urlencode

import pytest

from reports import services
from tests.open311.conftest import issued  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"


def _errors(response):
    assert response.status_code == 400, response.content
    [error] = response.json()
    assert error["code"] == 400
    return error["description"]


def _submission(key, **fields):
    return {
        "api_key": key,
        "service_code": "pothole",
        "lat": "40.45",
        "long": "-3.7",
        "attribute[size]": "small",
        "description": "路面有坑",
        **fields,
    }


@pytest.mark.parametrize("field", ["description", "email", "first_name", "attribute[size]"])
def test_a_posted_field_with_a_nul_is_refused_naming_it(client, issued, field):  # noqa: F811
    # Form-encoded, as 311 clients send it: %00 is a NUL once decoded.
    body = urlencode(_submission(issued.raw, **{field: "PLACEHOLDER"}))
    response = client.post(
        f"{BASE}/requests.json",
        body.replace("PLACEHOLDER", "a%00b"),
        content_type="application/x-www-form-urlencoded",
    )
    assert _errors(response).startswith(f"{field}:")
    response = client.post(f"{BASE}/requests.json", _submission(issued.raw, **{field: "\x00"}))
    assert _errors(response).startswith(f"{field}:")  # multipart, the test client's default


@pytest.mark.parametrize(
    "path",
    [
        f"{BASE}/requests.json?service_code=%00",
        f"{BASE}/requests.json?status=open%00",
        f"{BASE}/requests.json?start_date=2026-01-01T00:00:00Z%00",
        f"{BASE}/services.json?jurisdiction_id=%00",
        f"{BASE}/tokens/a%00b.json",
        f"{BASE}/services/pot%00hole.json",
    ],
)
def test_a_parameter_or_url_part_with_a_nul_is_refused(client, world, path):
    response = client.get(path, headers={"accept-language": "en"})
    assert "character that is not allowed" in _errors(response)


def test_status_notes_are_the_agencys_latest_public_note(client, world, submit):
    report = submit()
    services.accept(world.dispatcher, report, message="We will fix it")
    services.post_update(world.dispatcher, report, message="contractor booked", public=False)
    services.resolve(world.dispatcher, report, message="Filled the hole")
    services.rate(world.resident, report, rating=2, comment="Resident: it took ages")

    def notes():
        [one] = client.get(f"{BASE}/requests/{report.pk}.json").json()
        [listed] = client.get(f"{BASE}/requests.json").json()
        assert listed["status_notes"] == one["status_notes"]
        return one["status_notes"]

    assert notes() == "Filled the hole"
    services.reopen(world.resident, report, reason="Resident: still a hole")
    assert notes() == "Filled the hole"
    services.post_update(world.dispatcher, report, message="Crew on the way")
    assert notes() == "Crew on the way"
