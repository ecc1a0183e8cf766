"""A case study drafted from a report or a promoted thread takes only what the public may see:
the page can be published as it is drafted, so whatever the draft holds may become public."""

import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from civic.areas.models import Area
from civic.portal.models import CaseStudyPage
from civic.portal.services import (
    ReportNotPublic,
    ThreadOriginRemoved,
    draft_case_study_from_report,
    draft_case_study_from_thread,
)
from reports.models import Category, Channel, EventKind, LocationSource, Report, ReportEvent, State

pytestmark = pytest.mark.django_db

ADDRESS = "和平社区幸福路12号3单元"
REPORTER_EMAIL = "wang.secret@example.org"
REPORTER_NAME = "王秘密"
CONTACT_NAME = "李联系"
CONTACT_PHONE = "13800001234"
INTERNAL_NOTE = "内部：投诉人住在302室"
PRIVATE = (
    ADDRESS,
    "幸福路",
    REPORTER_EMAIL,
    REPORTER_NAME,
    CONTACT_NAME,
    CONTACT_PHONE,
    INTERNAL_NOTE,
    "1.234567",
    "0.765432",
    "和平社区",  # the community, finer than the street
    "网格甲",  # the grid cell
)


@pytest.fixture
def sensitive_report(city, make_user):
    Area.objects.filter(pk=city.S1.pk).update(name="东湖街道", name_en="Donghu Street")
    Area.objects.filter(pk=city.M1.pk).update(name="和平社区")
    Area.objects.filter(pk=city.G1a.pk).update(name="网格甲")
    category = Category.objects.create(
        service_code="noise", name="噪音扰民", name_en="Noise", sensitive=True
    )
    reporter = make_user(email=REPORTER_EMAIL, display_name=REPORTER_NAME)
    grid = Area.objects.get(pk=city.G1a.pk)
    report = Report.objects.create(
        category=category,
        description="夜间施工噪音很大。",
        lat=1.234567,
        lon=0.765432,
        location_source=LocationSource.GIVEN,
        address=ADDRESS,
        area=grid,
        area_path=grid.path,
        channel=Channel.WEB,
        state=State.RESOLVED,
        reporter=reporter,
        show_name=True,
        contact={"name": CONTACT_NAME, "phone": CONTACT_PHONE},
    )
    ReportEvent.objects.create(
        report=report, kind=EventKind.NOTE, message=INTERNAL_NOTE, is_public=False
    )
    ReportEvent.objects.create(
        report=report, kind=EventKind.RESOLVED, message="已限定施工时间。", is_public=True
    )
    return report


def everything_in(page):
    """The page's fields and its draft revision, as one text."""
    revision = page.get_latest_revision()
    return " ".join(
        [
            page.title,
            page.slug,
            page.seo_title,
            page.search_description,
            json.dumps(revision.content, ensure_ascii=False),
        ]
    )


def assert_nothing_private(text):
    leaked = [secret for secret in PRIVATE if secret in text]
    assert leaked == []


def test_the_admin_drafts_a_case_study_from_what_the_public_may_see(
    teams, sensitive_report, client
):
    client.force_login(teams.D1.editor)
    listing = client.get(reverse("portal_admin:start")).content.decode()
    assert "夜间施工噪音很大" in listing
    response = client.post(reverse("portal_admin:start"), {"report": sensitive_report.pk})
    page = CaseStudyPage.objects.get()
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert page.title == "噪音扰民 · 东湖街道"
    assert "夜间施工噪音很大" in page.problem
    assert "已限定施工时间" in page.outcome
    assert_nothing_private(everything_in(page))

    # Published as drafted, the public page names none of it either.
    page.actions = "<p>Limited the hours.</p>"
    page.save_revision().publish()
    client.logout()
    public = client.get(CaseStudyPage.objects.get().url)
    assert public.status_code == 200
    assert_nothing_private(public.content.decode())


def test_the_service_drafts_from_what_the_public_may_see(teams, sensitive_report):
    page = draft_case_study_from_report(teams.D1.editor, sensitive_report)
    assert page.title == "噪音扰民 · 东湖街道"
    assert_nothing_private(everything_in(page))


def test_a_report_hidden_from_the_public_starts_no_case_study(teams, sensitive_report, client):
    sensitive_report.is_public = False
    sensitive_report.save(update_fields=["is_public"])
    with pytest.raises(ReportNotPublic):
        draft_case_study_from_report(teams.D1.editor, sensitive_report)
    client.force_login(teams.D1.editor)
    response = client.post(reverse("portal_admin:start"), {"report": sensitive_report.pk})
    assert response["Location"] == reverse("portal_admin:start")
    assert [str(m).strip() for m in get_messages(response.wsgi_request)] == [
        str(ReportNotPublic.default_message)
    ]
    assert not CaseStudyPage.objects.exists()


@pytest.fixture
def promoted_thread(teams, make_user):
    from forums import services as forum_services
    from forums.models import Space, SpaceKind

    public = forum_services.create_thread(
        make_user(),
        space=Space.objects.get(kind=SpaceKind.PUBLIC),
        title="图书馆需要坡道",
        body="<p>台阶太高，轮椅进不去。</p>",
    )
    nomination = forum_services.nominate(teams.D1.editor, public, reason="Many want it")
    return forum_services.promote(teams.D1.editor, nomination, reason="Leaders should see it")


def test_a_draft_from_a_thread_takes_the_public_thread_not_the_leaders_copy(
    teams, promoted_thread, client
):
    from forums import services as forum_services

    # The leadership copy is edited for the leaders' eyes only.
    forum_services.edit_thread(
        teams.D1.editor,
        promoted_thread,
        title="坡道预算（仅限领导）",
        body="<p>仅限领导：预算80万，与承包商的谈判。</p>",
    )
    promoted_thread.refresh_from_db()
    assert "仅限领导" in promoted_thread.body
    client.force_login(teams.D1.editor)
    client.post(
        reverse("portal_admin:start"),
        {"thread": promoted_thread.pk, "district_page": teams.D1.page.pk},
    )
    page = CaseStudyPage.objects.get()
    assert page.title == "图书馆需要坡道"
    assert "轮椅进不去" in page.problem
    assert "仅限领导" not in everything_in(page)


def test_a_thread_whose_public_original_was_removed_starts_no_case_study(teams, promoted_thread):
    origin = promoted_thread.origin
    origin.hidden = True
    origin.save(update_fields=["hidden"])
    with pytest.raises(ThreadOriginRemoved):
        draft_case_study_from_thread(teams.D1.editor, promoted_thread, district_page=teams.D1.page)
    assert not CaseStudyPage.objects.exists()
