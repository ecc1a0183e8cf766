"""Closing an account and exporting one's data: through GraphQL with the app's token, through
the portal's pages, and the services' rules (who may, how they confirm, what stays)."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.db.models import Sum
from django.test import Client
from django.utils import translation

from civic.accounts import events
from civic.accounts.models import FirebaseIdentity, User
from civic.core.roles import Role
from reports import privacy
from rewards import services as rewards
from rewards.models import Account, LedgerEntry, Rule
from tests.accounts.app_client import PROJECT, Phone, firebase_token
from tests.conftest import PASSWORD
from tests.reports.conftest import submit, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

DELETE = """
mutation D($input: DeleteMyAccountInput!) {
  deleteMyAccount(input: $input) { deleted errors { field code message } }
}"""
EXPORT = "{ exportMyData }"


def signed_in_phone(user):
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    phone = Phone()
    status, body = phone.auth("post", "/auth/login", {"email": user.email, "password": PASSWORD})
    assert status == 200, body
    return phone


@pytest.fixture
def resident_with_history(world, submit):  # noqa: F811
    resident = world.resident
    resident.display_name = "李晓梅"
    resident.phone = "+8613811112222"
    resident.save()
    report = submit(resident, show_name=True)
    rewards.earn(resident, 10, rule=Rule.REPORT_ACCEPTED, key=f"report:{report.pk}:accepted")
    rewards.earn(resident, 5, rule=Rule.REPORT_RESOLVED, key=f"report:{report.pk}:resolved")
    return resident, report


def test_export_lists_the_account_its_reports_and_its_points(resident_with_history):
    resident, report = resident_with_history
    phone = signed_in_phone(resident)
    status, body = phone.graphql(EXPORT)
    assert status == 200, body
    data = json.loads(body["data"]["exportMyData"])
    assert data["account"]["email"] == resident.email
    assert data["account"]["displayName"] == "李晓梅"
    assert data["account"]["emailAddresses"] == [
        {"email": resident.email, "verified": True, "primary": True}
    ]
    assert [r["id"] for r in data["reports"]] == [report.pk]
    assert data["reports"][0]["description"] == report.description
    assert data["points"]["balance"] == 15
    assert [e["amount"] for e in data["points"]["ledger"]] == [10, 5]


def test_export_needs_a_signed_in_user(world):  # noqa: F811
    status, body = Phone().graphql(EXPORT)
    assert status == 200
    assert body["errors"][0]["extensions"]["code"] == "unauthenticated"


def test_closing_from_the_app_anonymises_and_ends_every_session(resident_with_history, world):  # noqa: F811
    resident, report = resident_with_history
    phone = signed_in_phone(resident)
    other_phone = signed_in_phone(resident)
    received = []

    def on_deleted(sender, user, **kwargs):
        received.append((user.pk, user.email))

    events.account_deleted.connect(on_deleted)
    try:
        status, body = phone.graphql(DELETE, {"input": {"password": PASSWORD}})
    finally:
        events.account_deleted.disconnect(on_deleted)
    assert status == 200, body
    assert body["data"]["deleteMyAccount"] == {"deleted": True, "errors": []}
    assert received == [(resident.pk, "")]  # told once, after the personal data is gone

    # Both of the phones' tokens are dead.
    assert phone.graphql(EXPORT)[0] == 401
    assert other_phone.graphql(EXPORT)[0] == 401

    user = User.objects.get(pk=resident.pk)
    assert not user.is_active
    assert user.deleted_at is not None
    assert (user.email, user.display_name, user.phone) == ("", "", "")
    assert user.username == f"deleted-{user.pk}"
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not user.groups.exists()
    with translation.override("en"):
        assert str(user) == "Deleted account"

    # The report stays, with nobody behind it, for staff as for the public.
    report.refresh_from_db()
    assert report.reporter is None
    assert report.submitted_by is None
    assert not report.show_name
    assert privacy.reporter_name(report, world.dispatcher) is None
    assert privacy.reporter_name(report, None) is None

    # The ledger is as it was and still sums up.
    account = Account.objects.get(user=user)
    assert account.balance == 15
    total = LedgerEntry.objects.filter(account=account).aggregate(total=Sum("amount"))["total"]
    assert total == account.balance

    # The address can sign up again as a new person.
    assert not User.objects.filter(email=resident.email).exists()


def test_a_wrong_password_closes_nothing(resident_with_history):
    resident, _report = resident_with_history
    phone = signed_in_phone(resident)
    with translation.override("en"):
        _status, body = phone.graphql(DELETE, {"input": {"password": "wrong"}})
    assert body["data"]["deleteMyAccount"]["errors"][0]["code"] == "reauthentication_failed"
    assert body["data"]["deleteMyAccount"]["errors"][0]["field"] == "password"
    assert User.objects.get(pk=resident.pk).is_active
    assert phone.graphql(EXPORT)[0] == 200


def test_staff_accounts_are_not_closed_by_their_holder(world):  # noqa: F811
    phone = signed_in_phone(world.dispatcher)
    _status, body = phone.graphql(DELETE, {"input": {"password": PASSWORD}})
    assert body["data"]["deleteMyAccount"]["errors"][0]["code"] == "account_not_deletable"
    assert User.objects.get(pk=world.dispatcher.pk).is_active


def test_a_phone_only_account_confirms_with_a_fresh_firebase_sign_in(settings, monkeypatch, db):
    settings.FIREBASE_PROJECT_ID = PROJECT
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
    phone = Phone()
    phone.auth("post", "/auth/firebase", {"id_token": firebase_token("uid-del")})
    stale = firebase_token("uid-del", auth_time=1_700_000_000)
    body = phone.graphql(DELETE, {"input": {"idToken": stale}})[1]
    assert body["data"]["deleteMyAccount"]["errors"][0]["code"] == "reauthentication_failed"
    someone_else = firebase_token("uid-other")
    body = phone.graphql(DELETE, {"input": {"idToken": someone_else}})[1]
    assert body["data"]["deleteMyAccount"]["errors"][0]["code"] == "reauthentication_failed"
    assert User.objects.get().is_active

    body = phone.graphql(DELETE, {"input": {"idToken": firebase_token("uid-del")}})[1]
    assert body["data"]["deleteMyAccount"] == {"deleted": True, "errors": []}
    assert not FirebaseIdentity.objects.exists()
    # Signing in with the same Firebase user later makes a new, empty account.
    status, body = phone.auth("post", "/auth/firebase", {"id_token": firebase_token("uid-del")})
    assert status == 200
    assert User.objects.filter(is_active=True).count() == 1


def test_the_portal_pages_export_and_close(resident_with_history):
    resident, report = resident_with_history
    browser = Client()
    browser.force_login(resident)
    assert browser.get("/accounts/data/").status_code == 200
    response = browser.get("/accounts/data/export.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["reports"][0]["id"] == report.pk

    with translation.override("en"):
        response = browser.post(
            "/accounts/close/",
            {"password": "wrong", "confirm": "on"},
            headers={"Accept-Language": "en"},
        )
    assert response.status_code == 200
    assert "the password is wrong" in response.content.decode()
    assert User.objects.get(pk=resident.pk).is_active

    response = browser.post("/accounts/close/", {"password": PASSWORD})  # not confirmed
    assert response.status_code == 200
    assert User.objects.get(pk=resident.pk).is_active

    response = browser.post("/accounts/close/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.get(pk=resident.pk).is_active
    assert browser.get("/accounts/data/").status_code == 302  # signed out


def test_the_pages_need_a_signed_in_user(db):
    assert Client().get("/accounts/data/export.json").status_code == 302
    assert Client().get("/accounts/close/").status_code == 302


def test_an_admin_role_is_not_deletable_through_the_service(make_user):
    from civic.accounts import services
    from civic.accounts.services import AccountNotDeletable

    leader = make_user(Role.LEADER)
    with pytest.raises(AccountNotDeletable):
        services.delete_account(leader, password=PASSWORD)
