"""Issuing, editing and revoking Open311 keys in the Wagtail admin, as platform admins do."""

import re

import pytest
from wagtail.models import ModelLogEntry

from civic.core.errors import Forbidden
from civic.core.roles import Role
from reports.open311 import services
from reports.open311.models import ApiKey, hash_key

pytestmark = pytest.mark.django_db

INDEX = "/admin/open311-keys/"


def test_an_admin_issues_a_key_that_is_shown_once_and_stored_hashed(world, as_user):
    client = as_user(world.admin)
    assert "open311-keys" in client.get("/admin/").content.decode()  # in the Settings menu
    assert client.get(INDEX).status_code == 200
    assert client.get(INDEX + "new/").status_code == 200
    response = client.post(
        INDEX + "new/", {"name": "FixIt app", "contact": "dev@fixit.example", "rate_limit": "5"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    raw = re.search(r'value="([^"]+)" [^>]*data-open311-key', page).group(1)
    assert "shown only this once" in page
    assert response["Cache-Control"].startswith("max-age=0")

    api_key = ApiKey.objects.get()
    assert (api_key.name, api_key.contact) == ("FixIt app", "dev@fixit.example")
    assert api_key.rate_limit == 5
    assert api_key.key_hash == hash_key(raw) != raw
    assert api_key.prefix == raw[:8]
    assert api_key.created_by == world.admin
    assert services.authenticate(raw) == api_key
    listing = client.get(INDEX).content.decode()
    assert "FixIt app" in listing
    assert raw not in listing
    assert ModelLogEntry.objects.filter(action="wagtail.create", object_id=str(api_key.pk)).exists()


def test_an_admin_edits_and_revokes_a_key(world, as_user):
    issued = services.issue_key(world.admin, name="Old name")
    client = as_user(world.admin)
    edit = f"{INDEX}edit/{issued.api_key.pk}/"
    response = client.post(edit, {"name": "New name", "contact": "", "rate_limit": "7"})
    assert response.status_code == 302
    assert ApiKey.objects.get().rate_limit == 7
    assert ApiKey.objects.get().key_hash == hash_key(issued.raw)  # editing keeps the key

    revoke = f"{INDEX}{issued.api_key.pk}/revoke/"
    assert revoke in client.get(INDEX).content.decode()
    assert "New name" in client.get(revoke).content.decode()
    response = client.post(revoke)
    assert response.status_code == 302
    api_key = ApiKey.objects.get()
    assert not api_key.is_active
    assert api_key.revoked_by == world.admin
    with pytest.raises(services.ApiKeyInvalid):
        services.authenticate(issued.raw)
    entry = ModelLogEntry.objects.get(action="open311.revoke")
    assert (entry.object_id, entry.user) == (str(api_key.pk), world.admin)
    assert revoke not in client.get(INDEX).content.decode()


def test_only_platform_admins_manage_keys(world, as_user, make_user):
    issued = services.issue_key(world.admin, name="Someone")
    for user in (world.dispatcher, make_user(Role.EDITOR), make_user(Role.STAFF)):
        client = as_user(user)
        assert "open311-keys" not in client.get("/admin/").content.decode()
        for url in (INDEX, INDEX + "new/", f"{INDEX}{issued.api_key.pk}/revoke/"):
            response = client.get(url)
            assert response.status_code in (302, 403), (user, url)
        assert client.post(f"{INDEX}{issued.api_key.pk}/revoke/").status_code in (302, 403)
    assert ApiKey.objects.get().is_active
    with pytest.raises(Forbidden):
        services.revoke_key(world.dispatcher, issued.api_key)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_key_screens_render_in_both_languages(world, as_user, language):
    issued = services.issue_key(world.admin, name="Someone")
    client = as_user(world.admin, language)
    for url in (INDEX, INDEX + "new/"):
        assert client.get(url).status_code == 200
    page = client.get(f"{INDEX}{issued.api_key.pk}/revoke/").content.decode()
    assert ("吊销 Open311 API 密钥" if language == "zh-hans" else "Revoke Open311 API key") in page
