"""The case library, a case study's page, news and the home page, in both languages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civic.core.errors import Forbidden
from civic.portal.models import CaseStudyPage, NewsPage
from civic.portal.services import (
    ReportNotResolved,
    ThreadNotPromoted,
    adopt_case_study,
    draft_case_study_from_report,
    draft_case_study_from_thread,
)
from reports.models import Category, Channel, EventKind, LocationSource, Report, ReportEvent, State

from .conftest import case_study, make_image

pytestmark = pytest.mark.django_db


def get(client, path, language="en", **params):
    response = client.get(path, params, headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_study_page_in_both_languages(teams, library, topics, client):
    page = case_study(teams.D1.page, "无障碍坡道", topics=[topics.access], tags=["ramp"])
    english = get(client, page.url, "en")
    chinese = get(client, page.url, "zh-hans")
    assert "<h1>无障碍坡道</h1>" in english
    for text in (
        "The problem",
        "What was done",
        "The outcome",
        "People reached",
        "1,500",
        "Time taken",
        "6 weeks",
        "Cost",
        "12,000 CNY",
        "Falls a month",
        "4 → 0",
        "Before",
        "After",
        "Accessibility",
        "From District 1",
        "Adopted by 0 districts",
    ):
        assert text in english, text
    for text in ("问题", "做法", "成效", "受益人数", "6 周", "无障碍", "来自第1区"):
        assert text in chinese, text
    assert english.count("<img") >= 2  # the before/after pair
    assert f'href="{library.url}?tag=ramp"' in english


def test_an_editor_of_another_district_is_offered_adoption_on_the_page(teams, client):
    page = case_study(teams.D1.page, "Ramp")
    adopt_url = reverse("portal_admin:adopt", args=[page.pk])
    assert adopt_url not in get(client, page.url)
    client.force_login(teams.D1.editor)
    assert adopt_url not in get(client, page.url)  # its own district
    client.force_login(teams.D2.editor)
    assert adopt_url in get(client, page.url)
    adopt_case_study(teams.D2.editor, page, district_page=teams.D2.page)
    assert adopt_url not in get(client, page.url)  # adopted already


def test_the_library_lists_filters_searches_and_sorts(teams, library, topics, client):
    ramp = case_study(teams.D1.page, "Library ramp", topics=[topics.access], tags=["ramp"])
    bins = case_study(
        teams.D2.page,
        "Sorting bins",
        topics=[topics.waste],
        tags=["bins"],
        summary="Composting in courtyards",
    )
    case_study(teams.D1.page, "Unpublished", publish=False)
    adopt_case_study(teams.D1.editor, bins, district_page=teams.D1.page)

    html = get(client, library.url)
    assert "Library ramp" in html
    assert "Sorting bins" in html
    assert "Unpublished" not in html
    assert "2 case studies" in html  # the adopted copy is not listed twice
    assert "adopted by 1 district" in html
    assert "Sorting bins" not in get(client, library.url, district="D1")
    assert "Library ramp" not in get(client, library.url, topic="waste")
    assert "Sorting bins" not in get(client, library.url, tag="ramp")
    found = get(client, library.url, q="composting")
    assert "Sorting bins" in found
    assert "Library ramp" not in found
    newest = get(client, library.url, sort="newest")
    assert newest.index("Sorting bins") < newest.index("Library ramp")
    adopted = get(client, library.url, sort="adopted")
    assert adopted.index("Sorting bins") < adopted.index("Library ramp")
    chinese = get(client, library.url, "zh-hans")
    assert "全部区" in chinese
    assert "最多采纳" in chinese
    assert ramp.url


def test_the_library_query_count_does_not_grow_with_the_cases(teams, library, topics, client):
    def count_queries():
        get(client, library.url)  # renditions are made on the first view
        with CaptureQueriesContext(connection) as captured:
            get(client, library.url)
        return len(captured)

    for n in range(2):
        case_study(
            teams.D1.page,
            f"Case {n}",
            topics=[topics.access],
            tags=["a"],
            image=make_image(f"cover {n}"),
        )
    few = count_queries()
    for n in range(2, 8):
        case_study(
            teams.D2.page,
            f"Case {n}",
            topics=[topics.waste],
            tags=["b"],
            image=make_image(f"cover {n}"),
        )
    many = count_queries()
    assert many == few


def test_home_and_district_pages_show_case_studies_and_news(teams, library, client):
    page = case_study(teams.D1.page, "Ramp")
    news = NewsPage(title="新闻：坡道启用", slug="ramp-news", body="<p>Open.</p>", live=False)
    teams.D1.page.add_child(instance=news)
    news.save_revision().publish()
    home = get(client, "/")
    assert "Latest case studies" in home
    assert "Ramp" in home
    assert library.url in home
    assert "Open reports near you" in home
    district = get(client, teams.D1.page.url)
    assert "Ramp" in district
    assert "新闻：坡道启用" in district
    assert "Ramp" not in get(client, teams.D2.page.url)
    assert "新闻：坡道启用" in get(client, news.url)
    assert page.url


@pytest.fixture
def resolved_report(city):
    category = Category.objects.create(service_code="ramp", name="无障碍", name_en="Access")
    report = Report.objects.create(
        category=category,
        description="The library has steps <and> no ramp.",
        lat=1.5,
        lon=0.5,
        location_source=LocationSource.GIVEN,
        address="图书馆",
        area=city.G1a,
        area_path=city.G1a.path,
        channel=Channel.WEB,
        state=State.RESOLVED,
    )
    ReportEvent.objects.create(
        report=report, kind=EventKind.RESOLVED, message="A ramp was built.", is_public=True
    )
    return report


def test_staff_start_a_draft_case_study_from_a_resolved_report(teams, resolved_report, client):
    client.force_login(teams.D1.editor)
    listing = get(client, reverse("portal_admin:start"))
    assert "The library has steps" in listing
    response = client.post(reverse("portal_admin:start"), {"report": resolved_report.pk})
    page = CaseStudyPage.objects.get()
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live
    assert page.get_parent().pk == teams.D1.page.pk
    assert page.district_id == teams.D1.page.area_id
    assert "&lt;and&gt;" in page.problem
    assert "A ramp was built." in page.outcome
    assert [link.report_id for link in page.report_links.all()] == [resolved_report.pk]
    assert page.get_latest_revision() is not None
    # The other district's editor cannot put it under District 1.
    with pytest.raises(Forbidden):
        draft_case_study_from_report(teams.D2.editor, resolved_report)


def test_an_open_report_cannot_start_a_case_study(teams, resolved_report):
    resolved_report.state = State.IN_PROGRESS
    with pytest.raises(ReportNotResolved):
        draft_case_study_from_report(teams.D1.editor, resolved_report)


@pytest.fixture
def promoted_thread(teams, make_user):
    from forums import services as forum_services
    from forums.models import Space, SpaceKind

    author = make_user()
    public = forum_services.create_thread(
        author,
        space=Space.objects.get(kind=SpaceKind.PUBLIC),
        title="图书馆需要坡道",
        body="<p>台阶太高，轮椅进不去。</p>",
    )
    nomination = forum_services.nominate(teams.D1.editor, public, reason="Many want it")
    return forum_services.promote(teams.D1.editor, nomination, reason="Leaders should see it")


def test_staff_start_a_draft_case_study_from_a_promoted_thread(teams, promoted_thread, client):
    client.force_login(teams.D1.editor)
    assert "图书馆需要坡道" in get(client, reverse("portal_admin:start"))
    response = client.post(
        reverse("portal_admin:start"),
        {"thread": promoted_thread.pk, "district_page": teams.D1.page.pk},
    )
    page = CaseStudyPage.objects.get()
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live
    assert page.title == "图书馆需要坡道"
    assert "轮椅进不去" in page.problem
    assert {link.thread_id for link in page.thread_links.all()} == {
        promoted_thread.pk,
        promoted_thread.origin_id,
    }
    # Not under a district the editor does not write for; nor from a thread never promoted.
    with pytest.raises(Forbidden):
        draft_case_study_from_thread(teams.D1.editor, promoted_thread, district_page=teams.D2.page)
    with pytest.raises(ThreadNotPromoted):
        draft_case_study_from_thread(
            teams.D1.editor, promoted_thread.origin, district_page=teams.D1.page
        )


def test_the_api_lists_only_the_threads_the_viewer_may_read(teams, promoted_thread, gql, client):
    from graphql_relay import to_global_id

    page = draft_case_study_from_thread(
        teams.D1.editor, promoted_thread, district_page=teams.D1.page
    )
    page.actions = "<p>A ramp.</p>"
    page.save_revision().publish()
    query = "query($slug: String) { caseStudy(slug: $slug) { threadIds } }"
    public_only = gql(query, {"slug": page.slug})["data"]["caseStudy"]["threadIds"]
    assert public_only == [to_global_id("ForumThread", promoted_thread.origin_id)]
    client.force_login(teams.D2.editor)
    both = gql(query, {"slug": page.slug})["data"]["caseStudy"]["threadIds"]
    assert set(both) == {
        to_global_id("ForumThread", promoted_thread.origin_id),
        to_global_id("ForumThread", promoted_thread.pk),
    }
