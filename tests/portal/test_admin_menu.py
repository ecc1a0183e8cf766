"""What the case studies' admin offers an editor: the "Start a case study" menu item only to
those the start view lets in, and the topics (snippets) to add and edit."""

import pytest
from django.urls import reverse

from civic.core.roles import Role
from civic.portal.models import Topic

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"), headers=EN)
    assert response.status_code == 200
    return response.content.decode()


def test_the_start_menu_item_is_shown_to_those_who_may_start_one(teams, make_user, client):
    start = reverse("portal_admin:start")
    for user in (teams.D1.editor, teams.D2.approver, make_user(None, superuser=True)):
        page = dashboard(client, user)
        assert start in page, user
        assert "Start a case study" in page
        assert client.get(start, headers=EN).status_code == 200


def test_no_start_menu_item_for_an_editor_of_no_district_nor_for_staff(teams, make_user, client):
    start = reverse("portal_admin:start")
    for user in (make_user(Role.EDITOR), make_user(Role.STAFF)):
        page = dashboard(client, user)
        assert start not in page, user
        assert "Start a case study" not in page
        # The view turns them away too (Wagtail's "denied": back to the dashboard).
        assert client.get(start).status_code == 302


def test_an_editor_adds_and_edits_a_topic_in_the_snippets_admin(teams, client):
    client.force_login(teams.D1.editor)
    add = reverse("wagtailsnippets_portal_topic:add")
    assert client.get(add, headers=EN).status_code == 200
    response = client.post(add, {"name": "养老", "name_en": "Ageing", "slug": "ageing"})
    assert response.status_code == 302
    topic = Topic.objects.get(slug="ageing")
    assert (topic.name, topic.name_en) == ("养老", "Ageing")

    edit = reverse("wagtailsnippets_portal_topic:edit", args=[topic.pk])
    response = client.post(edit, {"name": "养老服务", "name_en": "Elderly care", "slug": "ageing"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.name_en == "Elderly care"
    # Removing one untags every case study: platform admins only.
    delete = reverse("wagtailsnippets_portal_topic:delete", args=[topic.pk])
    assert client.post(delete).status_code == 302
    assert Topic.objects.filter(pk=topic.pk).exists()


def test_residents_and_staff_cannot_add_topics(make_user, client):
    add = reverse("wagtailsnippets_portal_topic:add")
    for user in (make_user(), make_user(Role.STAFF)):
        client.force_login(user)
        client.post(add, {"name": "养老", "name_en": "Ageing", "slug": "ageing"})
    assert not Topic.objects.exists()
