"""A phone's whole session through HTTP only: sign up with allauth headless, verify the email
from the link in the mail, sign in, use /graphql/ with the session token (a report with a photo
included, then its news in the inbox, read), sign out — after which the token is refused."""

import io
import json
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.test import Client
from django.utils import translation

from civic.accounts.models import User
from reports import services as report_services
from tests.accounts.app_client import Phone, confirmation_key
from tests.conftest import PASSWORD
from tests.reports.conftest import MADRID, photo_bytes, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

VIEWER = "{ viewer { email roles } }"
SUBMIT = """
mutation Submit($input: SubmitReportInput!) {
  submitReport(input: $input) { errors { field code message } report { id state isMine } }
}"""


def submit_report(phone, photo="iphone6_gps_madrid.jpg"):
    operations = {
        "query": SUBMIT,
        "variables": {
            "input": {
                "category": "pothole",
                "description": "路面坑洼",
                "answers": [{"code": "size", "value": "large"}],
                "clientRequestId": "app-1",
                "photos": [None],
            }
        },
    }
    upload = io.BytesIO(photo_bytes(photo))
    upload.name = photo
    response = phone.http.post(
        "/graphql/",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.photos.0"]}),
            "0": upload,
        },
        headers=phone._headers(),
    )
    return response.status_code, response.json()


INBOX = """
query { unreadCount notifications(first: 10) { edges { node { id kind title link isRead } } } }"""
REGISTER_DEVICE = """
mutation R($input: RegisterDeviceInput!) { registerDevice(input: $input) { errors { code } } }"""
MARK_READ = """
mutation M($input: MarkReadInput!) { markRead(input: $input) { errors { code } unreadCount } }"""


def test_a_phone_signs_up_verifies_signs_in_reports_and_signs_out(
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    phone = Phone()
    status, body = phone.auth(
        "post", "/auth/signup", {"email": "app.user@example.org", "password": PASSWORD}
    )
    # Signed up, but the email address must be verified first.
    assert status == 401
    assert [f["id"] for f in body["data"]["flows"] if f.get("is_pending")] == ["verify_email"]
    assert phone.token
    assert mail.outbox[-1].to == ["app.user@example.org"]

    # Before verifying, signing in only leads back to the verification step.
    status, body = phone.auth(
        "post", "/auth/login", {"email": "app.user@example.org", "password": PASSWORD}
    )
    assert status == 401
    # A token whose sign-in is not finished signs nobody in.
    assert phone.graphql(VIEWER)[0] == 401

    status, body = phone.auth("post", "/auth/email/verify", {"key": confirmation_key()})
    assert body["meta"]["is_authenticated"] is False  # verified; signing in is the app's next step
    user = User.objects.get(email="app.user@example.org")
    assert user.emailaddress_set.get().verified
    assert user.groups.filter(name="Residents").exists()
    phone.token = None
    status, body = phone.auth(
        "post", "/auth/login", {"email": "app.user@example.org", "password": PASSWORD}
    )
    assert status == 200, body

    status, body = phone.graphql(VIEWER)
    assert status == 200
    assert body["data"]["viewer"] == {"email": "app.user@example.org", "roles": ["RESIDENT"]}

    # Signing out and in again hands over a new token.
    first_token = phone.token
    status, _ = phone.auth("delete", "/auth/session")
    assert status == 401
    phone.token = None
    status, body = phone.auth(
        "post", "/auth/login", {"email": "app.user@example.org", "password": PASSWORD}
    )
    assert status == 200, body
    assert phone.token
    assert phone.token != first_token

    status, body = submit_report(phone)
    assert status == 200, body
    payload = body["data"]["submitReport"]
    assert payload["errors"] == []
    assert payload["report"]["isMine"] is True
    assert user.reports.count() == 1

    # No cookie rode along: the token alone authenticated, and no CSRF token was needed.
    assert not phone.http.cookies.get("sessionid")

    # The phone registers for push; staff accept the report; the news is in the inbox.
    status, body = phone.graphql(
        REGISTER_DEVICE, {"input": {"token": "fcm-token-of-this-phone", "platform": "ANDROID"}}
    )
    assert body["data"]["registerDevice"]["errors"] == [], body
    report = user.reports.get()
    with django_capture_on_commit_callbacks(execute=True):
        report_services.accept(world.dispatcher, report)
    status, body = phone.graphql(INBOX)
    assert status == 200, body
    # Accepting pays points, and the first report's points earn a badge: two pieces of news.
    assert body["data"]["unreadCount"] == 2
    news = {edge["node"]["kind"]: edge["node"] for edge in body["data"]["notifications"]["edges"]}
    assert set(news) == {"REPORT_ACCEPTED", "BADGE_EARNED"}
    assert news["REPORT_ACCEPTED"]["link"] == f"civic://reports/{report.pk}"
    assert not any(item["isRead"] for item in news.values())
    ids = [item["id"] for item in news.values()]
    status, body = phone.graphql(MARK_READ, {"input": {"ids": ids}})
    assert body["data"]["markRead"] == {"errors": [], "unreadCount": 0}

    status, _ = phone.auth("delete", "/auth/session")
    assert status == 401
    with translation.override("en"):
        status, body = phone.graphql(VIEWER)
    assert status == 401
    assert body["errors"][0]["extensions"]["code"] == "invalid_session_token"


def test_an_unknown_token_is_a_401_not_an_anonymous_request(world):  # noqa: F811
    phone = Phone()
    phone.token = "no-such-session"
    status, body = phone.graphql(VIEWER)
    assert status == 401
    assert body["errors"][0]["extensions"]["code"] == "invalid_session_token"
    assert "data" not in body


@pytest.fixture
def verified_user(make_user):
    user = make_user()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_a_token_request_needs_no_csrf_but_a_cookie_request_does(verified_user):
    user = verified_user
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.post(
        "/graphql/", data=json.dumps({"query": VIEWER}), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "csrf_failed"

    phone = Phone()
    phone.http = Client(enforce_csrf_checks=True)
    phone.auth("post", "/auth/login", {"email": user.email, "password": PASSWORD})
    assert phone.token
    status, body = phone.graphql(VIEWER)
    assert status == 200
    assert body["data"]["viewer"]["email"] == user.email


def test_a_changed_password_ends_the_apps_sessions(verified_user):
    user = verified_user
    phone = Phone()
    phone.auth("post", "/auth/login", {"email": user.email, "password": PASSWORD})
    assert phone.graphql(VIEWER)[0] == 200
    user.set_password("another-long-passphrase-2026")
    user.save()
    assert phone.graphql(VIEWER)[0] == 401


def test_password_reset_through_the_app(verified_user):
    user = verified_user
    phone = Phone()
    status, _ = phone.auth("post", "/auth/password/request", {"email": user.email})
    assert status == 200
    key = re.search(r"/accounts/password/reset/key/([^/\s]+)/", mail.outbox[-1].body).group(1)
    status, body = phone.auth(
        "post", "/auth/password/reset", {"key": key, "password": "a-brand-new-passphrase-77"}
    )
    assert status == 401, body  # the password is set; signing in is the next step
    phone.token = None
    status, _ = phone.auth("post", "/auth/login", {"email": user.email, "password": PASSWORD})
    assert status == 400
    status, _ = phone.auth(
        "post", "/auth/login", {"email": user.email, "password": "a-brand-new-passphrase-77"}
    )
    assert status == 200


def _totp_code(secret):
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_two_factor_sign_in_through_the_app(verified_user):
    user = verified_user
    phone = Phone()
    phone.auth("post", "/auth/login", {"email": user.email, "password": PASSWORD})

    # Turn on TOTP from the app: the secret comes with the "not set up yet" answer.
    status, body = phone.auth("get", "/account/authenticators/totp")
    assert status == 404
    secret = body["meta"]["secret"]
    code = _totp_code(secret)
    status, body = phone.auth("post", "/account/authenticators/totp", {"code": code})
    # allauth asks for the password again before adding a sign-in method.
    assert status == 401
    assert phone.auth("post", "/auth/reauthenticate", {"password": PASSWORD})[0] == 200
    status, body = phone.auth("post", "/account/authenticators/totp", {"code": code})
    assert status == 200, body

    phone.auth("delete", "/auth/session")
    phone.token = None
    status, body = phone.auth("post", "/auth/login", {"email": user.email, "password": PASSWORD})
    assert status == 401
    assert [f["id"] for f in body["data"]["flows"] if f.get("is_pending")] == ["mfa_authenticate"]
    # Half signed in is not signed in.
    assert phone.graphql(VIEWER)[0] == 401

    status, body = phone.auth("post", "/auth/2fa/authenticate", {"code": "000000"})
    assert status == 400
    status, body = phone.auth("post", "/auth/2fa/authenticate", {"code": _totp_code(secret)})
    assert status == 200, body
    assert phone.graphql(VIEWER)[1]["data"]["viewer"]["email"] == user.email


def test_the_token_decides_who_is_asking_whatever_cookie_rides_along(verified_user, make_user):
    phone = Phone()
    phone.http.force_login(make_user())  # someone else's portal session in the same client
    phone.auth("post", "/auth/login", {"email": verified_user.email, "password": PASSWORD})
    status, body = phone.graphql(VIEWER)
    assert status == 200
    assert body["data"]["viewer"]["email"] == verified_user.email

    phone.token = "stale"
    response = phone.http.post(
        "/graphql/",
        data=json.dumps({"query": VIEWER}),
        content_type="application/json",
        headers=phone._headers(),
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "X-Session-Token"
