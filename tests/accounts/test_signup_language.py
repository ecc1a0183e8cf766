"""A new account's notifications come in the language the person signed up in (the request's,
from Accept-Language), whichever way they signed up; they can change it afterwards."""

import pytest
from allauth.account.models import EmailAddress

from civic.accounts.models import User
from tests.accounts.app_client import PROJECT, Phone, firebase_token
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

# Accept-Language → the account's language (LocaleMiddleware picks from settings.LANGUAGES;
# a language the platform does not speak gets the platform's default).
LANGUAGES = [
    ("en", "en"),
    ("en-GB,en;q=0.9", "en"),
    ("zh", "zh-hans"),
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh-hans"),
    ("fr", "zh-hans"),
]
UPDATE_LANGUAGE = """
mutation U($input: UpdateProfileInput!) { updateProfile(input: $input) { errors { code } } }"""


@pytest.mark.parametrize(("accept", "language"), LANGUAGES)
def test_portal_sign_up(client, accept, language):
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
        headers={"Accept-Language": accept},
    )
    assert response.status_code == 302
    assert User.objects.get(email="new@example.org").language == language


@pytest.mark.parametrize(("accept", "language"), LANGUAGES)
def test_app_sign_up(accept, language):
    status, body = Phone(accept).auth(
        "post", "/auth/signup", {"email": "app@example.org", "password": PASSWORD}
    )
    assert status == 401, body  # signed up; the email address is to be verified
    assert User.objects.get(email="app@example.org").language == language


@pytest.fixture
def emulator(settings, monkeypatch):
    settings.FIREBASE_PROJECT_ID = PROJECT
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")


@pytest.mark.parametrize(("accept", "language"), LANGUAGES)
def test_firebase_first_sign_in(emulator, accept, language):
    token = firebase_token("uid-lang", phone_number="+8613800000011")
    status, body = Phone(accept).auth("post", "/auth/firebase", {"id_token": token})
    assert status == 200, body
    assert User.objects.get(pk=body["data"]["user"]["id"]).language == language


def test_signing_in_again_or_linking_an_account_keeps_its_language(emulator, make_user):
    owner = make_user(email="known@example.org")
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    token = firebase_token("uid-known", email="known@example.org", email_verified=True)
    status, _body = Phone("en").auth("post", "/auth/firebase", {"id_token": token})
    assert status == 200
    owner.refresh_from_db()
    assert owner.language == ""

    token = firebase_token("uid-zh", phone_number="+8613800000012")
    phone = Phone("zh")
    status, body = phone.auth("post", "/auth/firebase", {"id_token": token})
    user = User.objects.get(pk=body["data"]["user"]["id"])
    status, result = phone.graphql(UPDATE_LANGUAGE, {"input": {"language": "en"}})
    assert result["data"]["updateProfile"]["errors"] == []
    status, body = Phone("zh").auth("post", "/auth/firebase", {"id_token": token})
    assert body["data"]["user"]["id"] == user.pk
    user.refresh_from_db()
    assert user.language == "en"
