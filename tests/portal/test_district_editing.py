"""District editors in the Wagtail admin: their own district's pages only, and a case study is
published only once the district's approver approves it (Wagtail's workflow)."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import GroupPagePermission, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from civic.core.roles import Role
from civic.portal.models import CaseStudyPage, DistrictPage
from civic.portal.services import sync_district_team

from .conftest import case_study

pytestmark = pytest.mark.django_db


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_a_district_page_gets_its_team_and_workflow_when_it_is_made(teams):
    team = teams.D1.team
    assert team.editors.name == "第1区编辑"
    assert team.workflow.tasks.get().specific.groups.get() == team.approvers
    assert teams.D1.page.get_workflow() == team.workflow
    assert teams.D2.page.get_workflow() == teams.D2.team.workflow
    rights = set(
        GroupPagePermission.objects.filter(group=team.editors).values_list(
            "page_id", "permission__codename"
        )
    )
    assert rights == {(teams.D1.page.pk, "add_page"), (teams.D1.page.pk, "change_page")}
    # Wagtail's own Editors group no longer edits every page from the root.
    assert not GroupPagePermission.objects.filter(group__name=Role.EDITOR.value).exists()
    assert sync_district_team(teams.D1.page) == team  # idempotent


def test_an_editor_edits_their_own_district_only(teams, client):
    own = case_study(teams.D1.page, "Ramp")
    other = case_study(teams.D2.page, "Bins")
    client.force_login(teams.D1.editor)
    assert client.get(edit_url(teams.D1.page)).status_code == 200
    assert client.get(edit_url(own)).status_code == 200
    for page in (teams.D2.page, other):
        response = client.get(edit_url(page))
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"] != edit_url(page)
    # Posting a change to the other district's page changes nothing.
    response = client.post(edit_url(other), {"title": "Hijacked", "slug": other.slug})
    assert response.status_code in (302, 403)
    other.refresh_from_db()
    assert other.title == "Bins"
    assert not other.has_unpublished_changes
    # Nor may they add a case study there.
    add_other = reverse(
        "wagtailadmin_pages:add", args=["portal", "casestudypage", teams.D2.page.pk]
    )
    assert client.get(add_other).status_code in (302, 403)


def _case_study_form(title, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": "new-ramp",
            "summary": "A ramp for the library.",
            "problem": rich_text("<p>Steps.</p>"),
            "actions": rich_text("<p>A ramp.</p>"),
            "outcome": rich_text("<p>Open to all.</p>"),
            "figures": streamfield([("people_reached", {"count": "300", "note": ""})]),
            "body": streamfield([("paragraph", rich_text("<p>Story.</p>"))]),
            "tags": "ramp, library",
            "report_links": inline_formset([]),
            "thread_links": inline_formset([]),
            "contact_name": "",
            "contact_details": "",
            **extra,
        }
    )


def test_a_case_study_is_published_only_after_the_district_approver_approves(teams, client):
    add_url = reverse("wagtailadmin_pages:add", args=["portal", "casestudypage", teams.D1.page.pk])
    client.force_login(teams.D1.editor)
    # Publishing directly is not among an editor's rights: the page stays a draft.
    response = client.post(add_url, {**_case_study_form("Library ramp"), "action-publish": "1"})
    assert response.status_code == 302
    page = CaseStudyPage.objects.get(slug="new-ramp")
    assert not page.live
    assert page.district_id == teams.D1.page.area_id

    response = client.post(
        edit_url(page), {**_case_study_form("Library ramp"), "action-submit": "1"}
    )
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow == teams.D1.team.workflow
    page.refresh_from_db()
    assert not page.live

    task_state = state.current_task_state
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
    )
    # The other district's approver, and the editor, cannot approve it.
    for outsider in (teams.D2.approver, teams.D1.editor):
        client.force_login(outsider)
        client.post(approve_url, {"comment": ""})
        page.refresh_from_db()
        assert not page.live
    client.force_login(teams.D1.approver)
    response = client.post(approve_url, {"comment": "Good work"})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert client.get(page.url).status_code == 200


def test_district_page_creation_in_the_admin_makes_a_team(portal, make_user, client, city):
    home, pages = portal
    pages["D2"].delete()
    admin = make_user(Role.ADMIN, superuser=True)
    client.force_login(admin)
    url = reverse("wagtailadmin_pages:add", args=["portal", "districtpage", home.pk])
    response = client.post(
        url,
        nested_form_data(
            {
                "title": "第2区",
                "slug": "d2-new",
                "area": city.D2.pk,
                "intro": rich_text(""),
                "action-publish": "1",
            }
        ),
    )
    assert response.status_code == 302
    page = DistrictPage.objects.get(slug="d2-new")
    assert page.live
    assert page.team.editors.name.startswith("第2区编辑")
    assert page.get_workflow() == page.team.workflow


def test_the_sync_command_restores_a_district_team(teams):
    import io

    from django.core.management import call_command
    from wagtail.models import WorkflowPage

    WorkflowPage.objects.filter(page=teams.D1.page).delete()
    GroupPagePermission.objects.filter(group=teams.D1.team.editors).delete()
    out = io.StringIO()
    with translation.override("en"):
        call_command("sync_district_teams", stdout=out)
    assert "第1区编辑" in out.getvalue()
    assert teams.D1.page.get_workflow() == teams.D1.team.workflow
    assert GroupPagePermission.objects.filter(group=teams.D1.team.editors).count() == 2


def test_the_sync_command_renames_teams_named_by_earlier_versions_in_the_platforms_language(
    teams,
):
    """Teams used to be named by the district's code in English ("D1 moderation"), which the
    Chinese admin showed as "提交给D1 moderation"."""
    import io

    from django.core.management import call_command

    team = teams.D1.team
    task = team.workflow.tasks.get()
    for instance, name in (
        (team.editors, "D1 editors"),
        (team.approvers, "D1 approvers"),
        (team.workflow, "D1 moderation"),
        (task, "D1 approval"),
    ):
        instance.name = name
        instance.save()
    call_command("sync_district_teams", stdout=io.StringIO())
    team.refresh_from_db()
    task.refresh_from_db()
    names = (team.editors.name, team.approvers.name, team.workflow.name, task.name)
    assert names == ("第1区编辑", "第1区审批人", "第1区审核", "第1区审批")
    assert team.workflow.tasks.get() == task


def test_the_chinese_page_editor_offers_to_submit_to_the_districts_review_in_chinese(teams, client):
    page = case_study(teams.D1.page, "Library ramp", publish=False)
    client.force_login(teams.D1.editor)
    html = client.get(edit_url(page), headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "提交给第1区审核" in html
    assert "D1 moderation" not in html
