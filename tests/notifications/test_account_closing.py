"""A closed account's phones stop receiving and its inbox goes; an export lists both."""

import json

import pytest

from civic.notifications import services
from civic.notifications.models import Delivery, Device, Kind, Notification
from tests.accounts.test_close_and_export import DELETE, EXPORT, signed_in_phone
from tests.conftest import PASSWORD
from tests.reports.conftest import world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident_with_inbox(world, django_capture_on_commit_callbacks):  # noqa: F811
    resident = world.resident
    services.register_device(resident, token="resident-phone", platform="android")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            resident,
            Kind.REPORT_ACCEPTED,
            key="report:1:event:1",
            message=lambda: ("Your report was accepted", "Thank you"),
            link="civic://reports/1",
        )
    return resident


def test_the_export_holds_the_inbox_and_the_phones(resident_with_inbox):
    status, body = signed_in_phone(resident_with_inbox).graphql(EXPORT)
    assert status == 200, body
    data = json.loads(body["data"]["exportMyData"])
    assert [n["title"] for n in data["notifications"]] == ["Your report was accepted"]
    assert [d["platform"] for d in data["devices"]] == ["android"]


def test_closing_the_account_silences_its_phones_and_empties_its_inbox(resident_with_inbox):
    assert Delivery.objects.filter(notification__user=resident_with_inbox).exists()
    status, body = signed_in_phone(resident_with_inbox).graphql(
        DELETE, {"input": {"password": PASSWORD}}
    )
    assert status == 200, body
    assert body["data"]["deleteMyAccount"] == {"deleted": True, "errors": []}
    assert not Device.objects.filter(user=resident_with_inbox).exists()
    assert not Notification.objects.filter(user=resident_with_inbox).exists()
    assert not Delivery.objects.filter(notification__user=resident_with_inbox).exists()
