"""The home page keeps what changes rarely in the cache, per language, and forgets it on the
events that change it: a new public report shows at once, a hidden one goes at once, and a
sensitive one's address (which its reporter sees) never reaches the public's cached copy."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civic.core.permissions import SYSTEM
from civic.departments.models import MemberRole
from civic.departments.services import add_member, create_department
from civic.portal.models import DistrictPage
from reports import services as report_services
from reports.models import Category, RejectReason

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories(city, make_user):
    roads = create_department(SYSTEM, code="roads", name="道路处", name_en="Roads", areas=[city.C])
    dispatcher = make_user()
    add_member(SYSTEM, roads, dispatcher, MemberRole.DISPATCHER)
    pothole = Category.objects.create(
        service_code="pothole", name="道路坑洼", name_en="Pothole", default_department=roads
    )
    noise = Category.objects.create(
        service_code="noise",
        name="噪音扰民",
        name_en="Night noise",
        default_department=roads,
        sensitive=True,
        allows_anonymous=True,
    )
    return pothole, noise, dispatcher


def home(client, language="en"):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/", headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def submit(user, category, **fields):
    return report_services.submit_report(
        user, category=category, lat=1.5, lon=0.5, description="路面有个大坑", **fields
    )


def test_a_new_public_report_shows_at_once_and_a_hidden_one_goes(
    portal, client, categories, make_user, django_capture_on_commit_callbacks
):
    pothole, _noise, dispatcher = categories
    resident = make_user()
    html, first = home(client)
    assert "No open report." in html
    html, cached = home(client)
    assert cached < first  # the districts, case studies and open reports come from the cache

    with django_capture_on_commit_callbacks(execute=True):
        report = submit(resident, pothole)
    html, _queries = home(client)
    assert "Pothole" in html
    assert f'href="/reports/{report.pk}/"' in html
    assert "道路坑洼" in home(client, "zh-hans")[0]  # each language has its own copy

    # Rejected as abusive, it leaves the public's view, and the home page with it.
    with django_capture_on_commit_callbacks(execute=True):
        report_services.reject(dispatcher, report, reason=RejectReason.ABUSIVE)
    assert f'href="/reports/{report.pk}/"' not in home(client)[0]
    assert "道路坑洼" not in home(client, "zh-hans")[0]


def test_unpublishing_a_district_page_takes_it_off_the_home_page(
    portal, client, django_capture_on_commit_callbacks
):
    _home, pages = portal
    assert 'href="/d2/"' in home(client)[0]
    with django_capture_on_commit_callbacks(execute=True):
        DistrictPage.objects.get(pk=pages["D2"].pk).unpublish()
    assert 'href="/d2/"' not in home(client)[0]


def test_a_sensitive_reports_address_never_reaches_the_public_copy(
    portal, client, categories, make_user, django_capture_on_commit_callbacks
):
    _pothole, noise, _dispatcher = categories
    reporter = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(reporter, noise, address="12 Quiet Lane")
    # Its reporter sees the address first, while the public's copy is empty...
    client.force_login(reporter)
    assert "Night noise</a> · 12 Quiet Lane" in home(client)[0]
    # ...and the public, now and from the cache, sees the report without it.
    client.logout()
    for _ in range(2):
        html = home(client)[0]
        assert f'href="/reports/{report.pk}/">Night noise</a></li>' in html
        assert "12 Quiet Lane" not in html
    client.force_login(reporter)
    assert "12 Quiet Lane" in home(client)[0]
