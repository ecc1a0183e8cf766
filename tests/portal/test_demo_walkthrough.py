"""A new user's walk through the demo, after ``manage.py seed_demo``, with the logins the README
names: every category's report, wherever it lands, reaches a demo login who can take it from the
queue to resolved; the demo resident's points rise with a new report; and a superuser opens every
screen of the admin that we register without a server error."""

import pytest
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from shapely.geometry import Point
from wagtail.admin.menu import admin_menu, settings_menu
from wagtail.admin.viewsets import viewsets

from civic.accounts.models import User
from civic.areas.geometry import parse_boundary
from civic.areas.models import AreaKind
from civic.areas.queries import areas_of_kind
from civic.notifications import services as notifications
from civic.notifications.models import Kind
from reports import services
from reports.admin_forms import department_members
from reports.models import QuestionType, Report, State
from reports.queries import active_categories
from rewards.models import LedgerEntry
from tests.conftest import seeded_demo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

EN = {"Accept-Language": "en"}
OURS = ("civic.", "reports.", "rewards.", "forums.")
SUBMIT = """mutation ($input: SubmitReportInput!) {
  submitReport(input: $input) { errors { code message } report { id } }
}"""
RATE = """mutation ($input: RateReportInput!) {
  rateReport(input: $input) { errors { code } report { state } }
}"""
LEDGER = "query { myLedger(first: 3) { edges { node { amount withheld rule } } } }"


@pytest.fixture(scope="module", autouse=True)
def _seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    with seeded_demo(django_db_blocker, tmp_path_factory):
        yield


def login(email):
    client = Client(headers=EN)
    client.force_login(User.objects.get(email=email))
    return client


def point_in(area):
    shape = parse_boundary(area.boundary)
    point = shape.representative_point()
    assert shape.contains(Point(point.x, point.y))
    return point.y, point.x


def required_answers(category):
    """The least a resident must answer: the first choice, a number, a word."""
    answers = {}
    for question in [question for question in category.questions.all() if question.required]:
        first = question.option_list[0][0] if question.option_list else ""
        answers[question.code] = {
            QuestionType.SINGLE: first,
            QuestionType.MULTI: [first],
            QuestionType.NUMBER: "1",
            QuestionType.DATETIME: timezone.now().isoformat(),
        }.get(question.datatype, "是")
    return answers


def queued(client):
    """The submitted reports in the client's work queue, every page of it."""
    response = client.get(reverse("report_queue:index"), {"state": "submitted"})
    assert response.status_code == 200
    return set(response.context["paginator"].object_list.values_list("pk", flat=True))


def act(client, report, action, data):
    response = client.post(reverse("report_queue:act", args=[report.pk, action]), data)
    assert response.status_code == 302, response
    page = client.get(response.url)
    errors = [str(m) for m in page.context["messages"] if m.level_tag == "error"]
    assert not errors, errors
    return Report.objects.get(pk=report.pk)


# --- Every category, everywhere, reaches a demo login --------------------------------------------


def test_every_category_in_every_district_is_worked_by_the_demo_staff():
    resident = User.objects.get(email="resident@demo.civic")
    dispatcher = login("dispatcher@demo.civic")
    handler = User.objects.get(email="handler@demo.civic")
    districts = list(areas_of_kind(AreaKind.DISTRICT))
    categories = list(active_categories())
    assert len(districts) == 4
    assert len(categories) >= 16
    filed = []
    for district in districts:
        cell = areas_of_kind(AreaKind.GRID, within=district).first()
        lat, lon = point_in(cell)
        for category in categories:
            report = services.submit_report(
                resident,
                category=category,
                lat=lat,
                lon=lon,
                description="演示",
                answers=required_answers(category),
            )
            where = (category.service_code, district.code, report.department)
            assert report.department is not None, where
            filed.append(report.pk)
            page = dispatcher.get(reverse("report_queue:inspect", args=[report.pk]))
            assert page.status_code == 200, where
            offered = [entry["action"].name for entry in page.context["actions"]]
            assert {"accept", "assign", "reject"} & set(offered) == {"accept", "reject"}, where
            assert department_members(report.department_id).filter(pk=handler.pk).exists(), where
    assert set(filed) <= queued(dispatcher)


def test_the_residents_pothole_goes_from_the_queue_to_resolved_with_the_demo_logins(
    gql, django_capture_on_commit_callbacks
):
    def committed():
        """Each request's events are delivered once it commits, as on a server."""
        return django_capture_on_commit_callbacks(execute=True)

    resident = User.objects.get(email="resident@demo.civic")
    gql.client.force_login(resident)
    lat, lon = point_in(resident.home_area)
    points = "query { myPoints { balance } }"
    before = gql(points)["data"]["myPoints"]["balance"]

    with committed():
        body = gql(
            SUBMIT,
            {
                "input": {
                    "category": "pothole",
                    "description": "路中间有一个大坑",
                    "location": {"lat": lat, "lon": lon},
                    "answers": [{"code": "size", "value": "large"}],
                    "clientRequestId": "readme-walk-1",
                }
            },
        )["data"]["submitReport"]
    assert body["errors"] == []
    report = Report.objects.get(submitted_by=resident, client_request_id="readme-walk-1")
    assert report.area.path.startswith(resident.home_area.path)

    dispatcher = login("dispatcher@demo.civic")
    assert report.pk in queued(dispatcher)
    with committed():
        report = act(dispatcher, report, "accept", {"accept-message": ""})
    assert report.state == State.ACCEPTED
    handler = User.objects.get(email="handler@demo.civic")
    with committed():
        report = act(
            dispatcher,
            report,
            "assign",
            {
                "assign-department": report.department_id,
                "assign-handler": handler.pk,
                "assign-message": "",
            },
        )
    assert (report.state, report.handler) == (State.ASSIGNED, handler)
    worker = login("handler@demo.civic")
    with committed():
        report = act(worker, report, "start", {"start-message": ""})
    with committed():
        report = act(worker, report, "resolve", {"resolve-message": "已修补"})
    assert report.state == State.RESOLVED

    with committed():
        rated = gql(
            RATE,
            {"input": {"reportId": body["report"]["id"], "rating": 5}},
        )["data"]["rateReport"]
    assert rated["errors"] == []

    # Accepted +10, resolved +5, rated +1: today's cap was not used up by the seeded history.
    assert gql(points)["data"]["myPoints"]["balance"] == before + 16
    ledger = gql(LEDGER)["data"]["myLedger"]["edges"]
    assert [edge["node"] for edge in ledger] == [
        {"amount": 1, "withheld": 0, "rule": "RATING_GIVEN"},
        {"amount": 5, "withheld": 0, "rule": "REPORT_RESOLVED"},
        {"amount": 10, "withheld": 0, "rule": "REPORT_ACCEPTED"},
    ]


def test_the_seeded_history_is_dated_in_the_past_days():
    today = timezone.localdate()
    earned = LedgerEntry.objects.filter(account__user__email="resident@demo.civic", amount__gt=0)
    assert earned.count() > 3
    # Spread over past days like the stories it pays for (the last hours' events, of which
    # there are more just after midnight in the city's zone, may be today's).
    days = {timezone.localdate(entry.created_at) for entry in earned}
    assert len(days) >= 3
    assert earned.filter(created_at__date__lt=today).count() >= earned.count() * 0.75


# --- Every admin screen we register answers a superuser ------------------------------------------


def _menu_urls(menu, request):
    urls = []
    for item in menu.menu_items_for_request(request):
        submenu = getattr(item, "menu", None)
        if submenu is not None:
            urls += _menu_urls(submenu, request)
        elif item.url:
            urls.append(item.url)
    return urls


def _ours(viewset):
    model = getattr(viewset, "model", None)
    modules = [type(viewset).__module__, getattr(model, "__module__", "")]
    return any(module.startswith(OURS) for module in modules)


def _viewset_urls(viewset):
    """Each of the viewset's pages: those without arguments, and those of its first object."""
    model = getattr(viewset, "model", None)  # a plain ViewSet (a dashboard) has none
    instance = model.objects.order_by("pk").first() if model else None
    urls = []
    for pattern in viewset.get_urlpatterns():
        name = viewset.get_url_name(pattern.name) if pattern.name else None
        if name is None or name.endswith("results"):
            continue
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            if instance is None:
                continue
            try:
                urls.append(reverse(name, args=[instance.pk]))
            except NoReverseMatch:
                continue  # takes more than an object (a report's actions are POSTs)
    return urls


def test_a_superuser_opens_every_admin_menu_item_and_viewset_page():
    admin = User.objects.get(email="admin@demo.civic")
    assert admin.is_superuser
    # An outbox row to open (the demo's history reached the inboxes only).
    resident = User.objects.get(email="resident@demo.civic")
    notifications.register_device(resident, token="demo-phone", platform="android")
    notifications.notify(resident, Kind.REPORT_UPDATE, key="walk", message=lambda: ("T", "B"))

    request = RequestFactory().get("/admin/")
    request.user = admin
    urls = _menu_urls(admin_menu, request) + _menu_urls(settings_menu, request)
    ours = [viewset for viewset in viewsets.viewsets if _ours(viewset)]
    assert {"notification_outbox", "report_queue", "reward_item_admin"} <= {
        viewset.name for viewset in ours
    }
    for viewset in ours:
        urls += _viewset_urls(viewset)
    assert reverse("notification_outbox:index") in urls
    client = login("admin@demo.civic")
    failed = {}
    for url in dict.fromkeys(urls):
        if not url.startswith("/admin/"):
            continue
        status = client.get(url).status_code
        if status >= 500:
            failed[url] = status
    assert failed == {}
