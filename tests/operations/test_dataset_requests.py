"""Asking for a dataset that is not offered, and staff answering in the admin."""

import pytest
from django.core.cache import cache

from civic.core.errors import AccessError
from civic.operations import services
from civic.operations.models import DatasetRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def accept_language():
    return "en"


def test_anyone_may_ask_and_a_stranger_leaves_an_email(world, client):
    page = client.post(
        "/open-data/request/",
        {"subject": "Bus stops", "description": "Where they are"},
        headers={"accept-language": "en"},
    )
    assert page.status_code == 200
    assert "Leave an email address for the answer." in page.content.decode()
    done = client.post(
        "/open-data/request/",
        {"subject": "Bus stops", "description": "Where they are", "email": "a@example.org"},
    )
    assert done.status_code == 302
    request = DatasetRequest.objects.get()
    assert (request.subject, request.email, request.state) == ("Bus stops", "a@example.org", "open")


def test_a_signed_in_resident_is_answered_at_their_address(world, as_user):
    as_user(world.resident).post(
        "/open-data/request/", {"subject": "Trees", "description": "Street trees"}
    )
    request = DatasetRequest.objects.get()
    assert request.requester == world.resident
    assert request.email == world.resident.email


def test_requests_are_rate_limited_per_ip(world, client, settings):
    settings.OPEN_DATA_REQUESTS_PER_IP = "1/h"
    data = {"subject": "A", "description": "B", "email": "a@example.org"}
    assert client.post("/open-data/request/", data).status_code == 302
    assert client.post("/open-data/request/", data).status_code == 429


def test_platform_admins_answer_others_cannot(world, as_user):
    request = services.request_dataset(
        world.resident, subject="Noise", description="Noise complaints per street"
    )
    with pytest.raises(AccessError):
        services.answer_dataset_request(world.dispatcher, request, state="declined", response="No")
    client = as_user(world.admin)
    listing = client.get("/admin/dataset-requests/")
    assert listing.status_code == 200
    assert "Noise" in listing.content.decode()
    edit = client.post(
        f"/admin/dataset-requests/edit/{request.pk}/",
        {"state": "answered", "response": "Published as daily figures."},
    )
    assert edit.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.handled_by) == ("answered", world.admin)
    refused = client.post(
        f"/admin/dataset-requests/edit/{request.pk}/", {"state": "declined", "response": ""}
    )
    assert refused.status_code == 200  # the form again, with the service's error
    assert as_user(world.dispatcher).get("/admin/dataset-requests/").status_code == 302
