"""The signed-in pages' permission look-up (the base template's admin link) comes from the
cache, and a change of someone's groups or a group's permissions shows on the next request."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civic.core.roles import Role

pytestmark = pytest.mark.django_db

ADMIN_LINK = 'href="/admin/"'


def page(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/rewards/", headers={"accept-language": "en"})
    assert response.status_code == 200
    permission_queries = [q for q in captured if "auth_permission" in q["sql"]]
    return response.content.decode(), len(permission_queries)


def test_permissions_are_read_once_then_from_the_cache(
    client, make_user, django_capture_on_commit_callbacks
):
    resident = make_user(Role.RESIDENT)
    client.force_login(resident)
    html, first = page(client)
    assert ADMIN_LINK not in html
    assert first > 0
    html, again = page(client)
    assert ADMIN_LINK not in html
    assert again == 0

    editors = Group.objects.get(name=Role.EDITOR)
    residents = Group.objects.get(name=Role.RESIDENT)
    access_admin = Permission.objects.get(codename="access_admin")
    changes = [
        # Made an editor: the admin link shows on the very next page; and goes with the role.
        (lambda: resident.groups.add(editors), True),
        (lambda: resident.groups.remove(editors), False),
        # A group given the permission: its members see it at once; taken away, they do not.
        (lambda: residents.permissions.add(access_admin), True),
        (lambda: residents.permissions.remove(access_admin), False),
    ]
    for change, shown in changes:
        with django_capture_on_commit_callbacks(execute=True):
            change()
        assert (ADMIN_LINK in page(client)[0]) is shown

    # Made a superuser (a save of the user): the link shows.
    resident.is_superuser = True
    with django_capture_on_commit_callbacks(execute=True):
        resident.save()
    assert ADMIN_LINK in page(client)[0]
