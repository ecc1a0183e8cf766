"""Web accounts through allauth's real forms."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from civic.accounts.models import User
from civic.core.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_up(client, email="new.resident@example.org", password=PASSWORD):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": password, "password2": password}
    )


def test_sign_up_makes_a_resident_and_asks_to_verify_the_email(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="new.resident@example.org")
    assert list(user.groups.values_list("name", flat=True)) == [Role.RESIDENT.value]
    assert len(mail.outbox) == 1
    assert "new.resident@example.org" in mail.outbox[0].to


def test_an_unverified_account_cannot_sign_in_until_the_link_is_followed(client):
    sign_up(client)
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "new.resident@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session

    link = next(line for line in mail.outbox[-1].body.splitlines() if "/confirm-email/" in line)
    confirm_path = link[link.index("/accounts/confirm-email/") :].strip()
    client.post(confirm_path)
    assert EmailAddress.objects.get(email="new.resident@example.org").verified

    response = client.post(
        "/accounts/login/", {"login": "new.resident@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_sign_up_refuses_a_weak_password(client):
    response = sign_up(client, password="123")
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not User.objects.exists()


def test_signing_up_with_a_taken_email_reveals_nothing_and_makes_no_account(client, make_user):
    owner = make_user(email="taken@example.org")
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    response = sign_up(client, email="taken@example.org")
    # The same answer as a fresh sign-up, so the form cannot be used to test who has an
    # account; the owner is told by email instead.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert mail.outbox[-1].to == ["taken@example.org"]
    assert "already" in mail.outbox[-1].body.lower() or "已" in mail.outbox[-1].body


def test_a_wrong_password_is_refused_and_repeated_failures_are_rate_limited(client, make_user):
    user = make_user()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
        assert response.status_code == 200
        assert response.context["form"].errors
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in str(response.context["form"].errors) or (
        "登录" in str(response.context["form"].errors)
    )
    assert "_auth_user_id" not in client.session


def test_the_login_page_renders_in_both_languages(client):
    english = client.get("/accounts/login/", headers={"accept-language": "en"})
    chinese = client.get("/accounts/login/", headers={"accept-language": "zh-hans"})
    assert english.status_code == chinese.status_code == 200
    assert "Sign In" in english.content.decode()
    assert "登录" in chinese.content.decode()
    assert '<html lang="zh-hans">' in chinese.content.decode()
