"""Firebase phone sign-in: the app trades a Firebase ID token for a session token. The tokens
are built as the auth emulator issues them (unsigned), with FIREBASE_AUTH_EMULATOR_HOST set so
that firebase-admin's real ``verify_id_token`` checks them offline."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from civic.accounts.models import FirebaseIdentity, User
from tests.accounts.app_client import PROJECT, Phone, firebase_token
from tests.test_settings import manage

pytestmark = pytest.mark.django_db

VIEWER = "{ viewer { email phone roles hasPassword } }"


@pytest.fixture(autouse=True)
def emulator(settings, monkeypatch):
    settings.FIREBASE_PROJECT_ID = PROJECT
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")


def exchange(phone, token):
    return phone.auth("post", "/auth/firebase", {"id_token": token})


def test_a_new_phone_number_makes_one_resident_and_signs_the_same_one_in_again():
    first = Phone()
    status, body = exchange(first, firebase_token("uid-1", phone_number="+8613800000001"))
    assert status == 200, body
    assert body["meta"]["is_authenticated"] is True
    assert first.token
    status, result = first.graphql(VIEWER)
    assert status == 200
    assert result["data"]["viewer"] == {
        "email": "",
        "phone": "+8613800000001",
        "roles": ["RESIDENT"],
        "hasPassword": False,
    }
    user = User.objects.get()
    assert not user.has_usable_password()

    again = Phone()
    status, body = exchange(again, firebase_token("uid-1", phone_number="+8613800000001"))
    assert status == 200
    assert body["data"]["user"]["id"] == user.pk
    assert again.token != first.token
    assert User.objects.count() == 1
    assert FirebaseIdentity.objects.get().user == user
    # The session token works with allauth's own endpoints too: signing out ends it.
    assert again.auth("delete", "/auth/session")[0] == 401
    assert again.graphql(VIEWER)[0] == 401
    assert first.graphql(VIEWER)[0] == 200


def test_a_verified_email_links_to_the_account_with_that_verified_address(make_user):
    owner = make_user(email="known@example.org")
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    phone = Phone()
    token = firebase_token("uid-2", email="Known@example.org", email_verified=True)
    status, body = exchange(phone, token)
    assert status == 200
    assert body["data"]["user"]["id"] == owner.pk
    assert FirebaseIdentity.objects.get(uid="uid-2").user == owner


def test_an_unverified_email_or_a_typed_in_phone_links_nothing(make_user):
    owner = make_user(email="known@example.org", phone="+8613800000009")
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    status, body = exchange(
        Phone(),
        firebase_token(
            "uid-3", email="known@example.org", email_verified=False, phone_number="+8613800000009"
        ),
    )
    assert status == 200
    assert body["data"]["user"]["id"] != owner.pk
    new = User.objects.get(pk=body["data"]["user"]["id"])
    assert new.email == ""  # the address stays its owner's


def test_a_phone_number_signed_in_before_links_a_new_firebase_user_to_the_same_account():
    status, body = exchange(Phone(), firebase_token("uid-old", phone_number="+8613800000002"))
    user_id = body["data"]["user"]["id"]
    status, body = exchange(Phone(), firebase_token("uid-new", phone_number="+8613800000002"))
    assert status == 200
    assert body["data"]["user"]["id"] == user_id
    assert set(FirebaseIdentity.objects.values_list("uid", flat=True)) == {"uid-old", "uid-new"}


@pytest.mark.parametrize(
    ("token", "code"),
    [
        (lambda: firebase_token(expires_in=-60), "firebase_token_expired"),
        (lambda: firebase_token(aud="someone-elses-project"), "firebase_wrong_project"),
        (lambda: "not-a-jwt", "firebase_token_invalid"),
        (lambda: firebase_token()[:-20], "firebase_token_invalid"),
        (lambda: firebase_token(sub=""), "firebase_token_invalid"),
        (lambda: "", "firebase_token_invalid"),
    ],
    ids=["expired", "wrong-audience", "not-a-jwt", "truncated", "no-subject", "empty"],
)
def test_bad_tokens_are_refused_with_a_stable_code(token, code):
    phone = Phone()
    status, body = exchange(phone, token())
    assert status == 400
    assert body["errors"][0]["code"] == code
    assert phone.token is None
    assert not User.objects.exists()


def test_without_the_emulator_an_unsigned_token_is_refused(monkeypatch):
    monkeypatch.delenv("FIREBASE_AUTH_EMULATOR_HOST")
    status, body = exchange(Phone(), firebase_token())
    assert status == 400
    assert body["errors"][0]["code"] == "firebase_token_invalid"
    assert not User.objects.exists()


def test_a_closed_account_cannot_come_back_by_firebase(make_user):
    status, body = exchange(Phone(), firebase_token("uid-9"))
    User.objects.filter(pk=body["data"]["user"]["id"]).update(is_active=False)
    status, body = exchange(Phone(), firebase_token("uid-9"))
    assert status == 403
    assert body["errors"][0]["code"] == "account_inactive"


def test_not_configured_is_a_503(settings):
    settings.FIREBASE_PROJECT_ID = ""
    status, body = exchange(Phone(), firebase_token())
    assert status == 503
    assert body["errors"][0]["code"] == "firebase_unavailable"


def test_production_refuses_to_start_with_the_auth_emulator(tmp_path, monkeypatch):
    monkeypatch.delenv("FIREBASE_AUTH_EMULATOR_HOST")  # set by this module's fixture
    database = f"sqlite:///{tmp_path}/db.sqlite3"
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "DATABASE_URL": database}
    result = manage("check", FIREBASE_AUTH_EMULATOR_HOST="127.0.0.1:9099", **production)
    assert result.returncode != 0
    assert "FIREBASE_AUTH_EMULATOR_HOST must not be set when DEBUG is off" in result.stderr
    assert manage("check", **production).returncode == 0
    # A developer's machine may use the emulator.
    developer = {"DEBUG": "true", "DATABASE_URL": database}
    assert (
        manage("check", FIREBASE_AUTH_EMULATOR_HOST="127.0.0.1:9099", **developer).returncode == 0
    )


def test_an_account_with_two_factor_sign_in_is_not_entered_by_phone_alone(make_user):
    owner = make_user(email="careful@example.org")
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    TOTP.activate(owner, generate_totp_secret())
    token = firebase_token("uid-mfa", email=owner.email, email_verified=True)
    status, body = exchange(Phone(), token)
    assert status == 403
    assert body["errors"][0]["code"] == "two_factor_required"
    assert not FirebaseIdentity.objects.exists()


def test_the_exchange_is_rate_limited_like_a_password_login(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "3/m/ip"}
    phone = Phone()
    for _ in range(3):
        assert exchange(phone, "not-a-jwt")[0] == 400
    status, _body = exchange(phone, firebase_token())
    assert status == 429
    assert not User.objects.exists()
