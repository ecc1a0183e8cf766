"""Every change to district teams and case studies, with its permission check."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation
from django.utils.html import escape, strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.actions.create_alias import CreatePageAliasAction
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from civic.accounts.services import grant_role
from civic.core.errors import DomainError
from civic.core.permissions import person, require, require_signed_in
from civic.core.roles import ACCESS_ADMIN, Role
from reports import queries as report_queries
from reports.models import FAMILY_STATES, EventKind, Family
from reports.privacy import public_place

from . import events
from .models import (
    CaseStudyPage,
    CaseStudyReportLink,
    CaseStudyThreadLink,
    DistrictPage,
    DistrictTeam,
    LeadershipRecommendation,
)
from .permissions import can_add_under, can_adopt_into, can_manage_teams, can_recommend

# Page rights of each district's groups, on its home page and everything beneath it. Editors
# write and submit; approvers also publish (the workflow's approval publishes).
EDITOR_PAGE_RIGHTS = ("add", "change")
APPROVER_PAGE_RIGHTS = ("add", "change", "publish", "lock", "unlock")
IMAGE_RIGHTS = ("add_image", "choose_image")


class AlreadyAdopted(DomainError):
    code = "already_adopted"
    default_message = _("This district has already adopted this case study.")


class OwnCaseStudy(DomainError):
    code = "own_case_study"
    default_message = _("A district cannot adopt its own case study.")


class NotPublished(DomainError):
    code = "case_study_not_published"
    default_message = _("Only a published case study can be adopted or recommended.")


class AlreadyRecommended(DomainError):
    code = "already_recommended"
    default_message = _("This case study has already been recommended to leadership.")


class ReportNotResolved(DomainError):
    code = "report_not_resolved"
    default_message = _("Only a resolved report can start a case study.")


class ThreadNotPromoted(DomainError):
    code = "thread_not_promoted"
    default_message = _("Only a thread promoted to the leadership space can start a case study.")


class ReportNotPublic(DomainError):
    code = "report_not_public"
    default_message = _("A report the public cannot see cannot start a case study.")


class ThreadOriginRemoved(DomainError):
    code = "thread_origin_removed"
    default_message = _(
        "The public thread this one was promoted from was removed: it cannot start a case study."
    )


class NoDistrictPage(DomainError):
    code = "no_district_page"
    default_message = _("The report's district has no page to put a case study under.")


def _page_permissions(rights):
    return list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore",
            codename__in=[f"{right}_page" for right in rights],
        )
    )


def _grant_pages(group, page, rights):
    for permission in _page_permissions(rights):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


@transaction.atomic
def district_team_names(district):
    """What a district's groups, workflow and approval task are called: the district's name and
    a word, in the platform's language (Wagtail shows them as they are: "提交给东湖区审核")."""
    with translation.override(settings.LANGUAGE_CODE):
        names = {
            "editors": gettext("%(district)s editors"),
            "approvers": gettext("%(district)s approvers"),
            "workflow": gettext("%(district)s review"),
            "task": gettext("%(district)s approval"),
        }
        return {key: name % {"district": district.localized_name} for key, name in names.items()}


def _group_named(group, name, code):
    """``group`` (or a new one) under ``name``; group names are unique, so a district sharing
    its name with another one's has its code added."""
    if Group.objects.filter(name=name).exclude(pk=getattr(group, "pk", None)).exists():
        name = f"{name} ({code})"
    if group is None:
        return Group.objects.get_or_create(name=name)[0]
    if group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    return group


def _renamed(instance, name):
    if instance.name != name:
        instance.name = name
        instance.save(update_fields=["name"])
    return instance


def sync_district_team(district_page):
    """Make sure ``district_page`` has its editors and approvers groups, their page rights on
    its subtree only, and a workflow (editor submits → an approver approves → published), all
    named by ``district_team_names``. Idempotent: run for every district by ``seed_demo`` and
    ``sync_district_teams`` (which renames the teams of earlier versions) and whenever a
    district page is made."""
    code = district_page.area.code
    names = district_team_names(district_page.area)
    team = DistrictTeam.objects.filter(district_page=district_page).first()
    if team is None:
        team = DistrictTeam.objects.create(
            district_page=district_page,
            editors=_group_named(None, names["editors"], code),
            approvers=_group_named(None, names["approvers"], code),
            workflow=Workflow.objects.create(name=names["workflow"]),
        )
    else:
        _group_named(team.editors, names["editors"], code)
        _group_named(team.approvers, names["approvers"], code)
        _renamed(team.workflow, names["workflow"])
    task = GroupApprovalTask.objects.filter(workflow_tasks__workflow=team.workflow).first()
    task = (
        _renamed(task, names["task"])
        if task
        else GroupApprovalTask.objects.create(name=names["task"])
    )
    task.groups.set([team.approvers])
    WorkflowTask.objects.get_or_create(
        workflow=team.workflow, task=task, defaults={"sort_order": 0}
    )
    WorkflowPage.objects.update_or_create(page=district_page, defaults={"workflow": team.workflow})
    _grant_pages(team.editors, district_page, EDITOR_PAGE_RIGHTS)
    _grant_pages(team.approvers, district_page, APPROVER_PAGE_RIGHTS)
    admin_access = Permission.objects.get(
        content_type__app_label=ACCESS_ADMIN.split(".")[0], codename=ACCESS_ADMIN.split(".")[1]
    )
    # Wagtail's migrations make the root collection; a flushed test database has none.
    root_collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for group in (team.editors, team.approvers):
        group.permissions.add(admin_access)
        for codename in IMAGE_RIGHTS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailimages", codename=codename
                ),
            )
    # Wagtail's own "Editors" group may edit every page from the root down; an editor's pages
    # are those of their district's groups instead.
    GroupPagePermission.objects.filter(group__name=Role.EDITOR.value).delete()
    return team


@transaction.atomic
def add_to_district_team(actor, user, district_page, *, approver=False):
    """Make ``user`` an editor (or an approver) of the district."""
    require_signed_in(actor)
    require(can_manage_teams(actor))
    team = sync_district_team(district_page)
    grant_role(user, Role.EDITOR)
    user.groups.add(team.approvers if approver else team.editors)
    return team


def _original(page):
    page = page.specific
    if page.alias_of_id:
        page = page.alias_of.specific
    return page


def _locked(page):
    return CaseStudyPage.objects.select_for_update(of=("self",)).get(pk=page.pk)


@transaction.atomic
def adopt_case_study(actor, page, *, district_page):
    """Adopt another district's case study: a Wagtail alias of it under ``district_page``,
    which Wagtail keeps in step with the original whenever the original is published."""
    require_signed_in(actor)
    require(can_adopt_into(actor, district_page))
    original = _locked(_original(page))
    if not original.live:
        raise NotPublished()
    if original.district_id == district_page.area_id:
        raise OwnCaseStudy()
    if Page.objects.filter(alias_of=original).child_of(district_page).exists():
        raise AlreadyAdopted()
    slug = original.slug
    if district_page.get_children().filter(slug=slug).exists():
        slug = f"{slug}-{original.pk}"
    # Wagtail lets only those who may edit a page copy it; adopting is copying a district's
    # case study into another district by its editors, who may not edit the original. The
    # check above (rights under the adopting district) is the one that applies.
    alias = (
        CreatePageAliasAction(original, parent=district_page, update_slug=slug, user=person(actor))
        .execute(skip_permission_checks=True)
        .specific
    )
    log(
        original,
        "portal.adopt_case_study",
        user=person(actor),
        data={
            "district": district_page.title,
            "district_page_id": district_page.pk,
            "alias_id": alias.pk,
        },
    )
    transaction.on_commit(
        lambda: events.case_study_adopted.send(
            sender=CaseStudyPage,
            page=original,
            actor=actor,
            alias=alias,
            district_page=district_page,
        )
    )
    return alias


@transaction.atomic
def recommend_to_leadership(actor, page, *, note=""):
    """Recommend a published case study to the leadership space, once per case study. The
    forums app answers the signal with a leadership thread linking to it."""
    require_signed_in(actor)
    original = _locked(_original(page))
    require(can_recommend(actor, original))
    if not original.live:
        raise NotPublished()
    if LeadershipRecommendation.objects.filter(page=original).exists():
        raise AlreadyRecommended()
    recommendation = LeadershipRecommendation.objects.create(
        page=original, recommended_by=person(actor), note=note
    )
    log(
        original,
        "portal.recommend_to_leadership",
        user=person(actor),
        data={"recommendation_id": recommendation.pk, "note": note},
    )
    # Sent inside the transaction: the leadership thread is made with the recommendation or,
    # if it cannot be, neither is kept and the editor may try again.
    events.case_study_recommended.send(
        sender=CaseStudyPage, page=original, actor=actor, recommendation=recommendation
    )
    return recommendation


def _district_page_for(area_path):
    for page in DistrictPage.objects.select_related("area"):
        if area_path.startswith(page.area.path):
            return page
    return None


@transaction.atomic
def draft_case_study_from_report(actor, report, *, district_page=None):
    """A draft case study under the report's district, pre-filled from a resolved report with
    only what the public may see of it, since the page may be published as it is: the category,
    the street (``reports.privacy.public_place``), the description, the resolution's public
    note and a link back to it — never the address, the coordinates or who reported it.
    Editors finish and submit it."""
    require_signed_in(actor)
    if report.state not in FAMILY_STATES[Family.FIXED]:
        raise ReportNotResolved()
    if not report.is_public:
        raise ReportNotPublic()
    district_page = district_page or _district_page_for(report.area_path)
    if district_page is None:
        raise NoDistrictPage()
    require(can_add_under(actor, district_page))
    resolution = [
        event.message
        for event in report_queries.timeline(report, public_only=True)
        if event.kind == EventKind.RESOLVED and event.message
    ]
    category = report.category.localized_name
    place = public_place(report)
    title = f"{category} · {place.localized_name}" if place else category
    page = district_page.add_child(
        instance=CaseStudyPage(
            report_links=[CaseStudyReportLink(report=report)],
            title=title,
            slug=slugify(f"report-{report.pk}-{title}", allow_unicode=True)[:200],
            live=False,
            owner=person(actor),
            summary=report.description[:600],
            problem=f"<p>{escape(report.description)}</p>",
            actions="",
            outcome="".join(f"<p>{escape(message)}</p>" for message in resolution[-1:]),
        )
    )
    # A draft for an editor to finish: "what was done" is still empty, so the full validation a
    # published page gets would refuse it (the admin defers it for drafts the same way).
    page.save_revision(user=person(actor), log_action=True, clean=False)
    log(
        page,
        "portal.draft_from_report",
        user=person(actor),
        data={"report_id": report.pk},
    )
    return page


@transaction.atomic
def draft_case_study_from_thread(actor, thread, *, district_page):
    """A draft case study under ``district_page`` from a thread promoted to the leadership
    space, links to it and to the public thread it came from. The title and text are the public
    thread's, never the leadership copy's (which its author may have edited since, for the
    leaders only), since the page may be published as it is. Editors finish and submit it."""
    require_signed_in(actor)
    require(can_add_under(actor, district_page))
    if not (thread.is_leadership and thread.origin_id):
        raise ThreadNotPromoted()
    origin = thread.origin
    if origin.hidden or origin.deleted or origin.is_leadership or origin.is_private:
        raise ThreadOriginRemoved()
    page = district_page.add_child(
        instance=CaseStudyPage(
            thread_links=[
                CaseStudyThreadLink(thread_id=thread.origin_id),
                CaseStudyThreadLink(thread=thread),
            ],
            title=origin.title,
            slug=slugify(f"thread-{thread.pk}-{origin.title}", allow_unicode=True)[:200],
            live=False,
            owner=person(actor),
            summary=strip_tags(origin.body)[:600],
            # The forums store sanitised HTML (paragraphs, lists, links), which rich text takes.
            problem=origin.body,
            actions="",
        )
    )
    # A draft to finish, as for one started from a report.
    page.save_revision(user=person(actor), log_action=True, clean=False)
    log(page, "portal.draft_from_thread", user=person(actor), data={"thread_id": thread.pk})
    return page
