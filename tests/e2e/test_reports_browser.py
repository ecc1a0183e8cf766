"""Reporting a problem and the map of reports in a real Chromium."""

import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress

from civic.portal.models import DistrictPage
from reports.models import Report
from tests.conftest import PASSWORD, default_site_home
from tests.e2e.conftest import DESKTOP, PHONE
from tests.reports.conftest import PHOTOS, submit, world  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_root"),
]

SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture
def site_url(live_server, world, settings):  # noqa: F811
    """The portal over the world fixture's city, served by the live server (as the root
    conftest's ``portal`` does for its own city)."""
    home = default_site_home("测试城市民平台", "world-home", settings)
    for code in ("DW", "DE"):
        area = world.areas[code]
        page = home.add_child(instance=DistrictPage(title=area.name, slug=code.lower(), area=area))
        page.save_revision().publish()
    EmailAddress.objects.create(
        user=world.resident, email=world.resident.email, verified=True, primary=True
    )
    return live_server.url


def test_a_resident_reports_a_problem_from_a_phone_with_the_photos_location(
    site_url,
    open_page,
    world,  # noqa: F811
):
    page = open_page(site_url + "/", viewport=PHONE)
    page.locator("#site-menu > summary").click()
    page.locator(".site-nav a[href='/reports/new/']").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.fill("input[name=login]", world.resident.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/reports/new/$"))
    page.wait_for_load_state("networkidle")

    assert page.locator("#location-map.leaflet-container").is_visible()
    page.set_input_files("#id_photos", str(PHOTOS / "iphone6_gps_madrid.jpg"))
    page.check("input[name=location][value=photo]")
    page.select_option("#id_category", "pothole")
    size = page.locator("fieldset.questions[data-category=pothole]")
    assert size.is_visible()
    assert not page.locator("fieldset.questions:not([data-category=pothole])").first.is_visible()
    page.check("input[name=q__pothole__size][value=large]")
    page.fill("#id_description", "人行道上有个坑")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the form scrolls sideways on a phone"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "report-form-390.png", full_page=True)
    page.locator("#report-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    page.wait_for_load_state("networkidle")

    report = Report.objects.get()
    assert page.url.endswith(f"/reports/{report.pk}/")
    assert report.location_source == "photo"
    assert report.channel == "web"
    photo = page.locator("img.report-photo").first
    photo.wait_for()
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "人行道上有个坑" in page.content()
    page.screenshot(path=SCREENSHOTS / "report-page-390.png", full_page=True)


def test_the_map_shows_public_reports(site_url, open_page, world, submit):  # noqa: F811
    submit(lat=40.45, lon=-3.7)
    submit(lat=41.0, lon=-2.0, client_request_id="second")
    submit(category=world.noise, lat=40.2, lon=-3.1, client_request_id="third")
    page = open_page(site_url + "/reports/map/", viewport=DESKTOP)
    assert page.evaluate("typeof window.L") == "object"
    page.locator("path.report-marker").first.wait_for()
    assert page.locator("path.report-marker").count() == 3
    assert page.locator(".report-list .report-item").count() == 3
    assert "3" in page.locator("#map-status").inner_text()
    page.screenshot(path=SCREENSHOTS / "reports-map-1280.png", full_page=True)
    page.locator("path.report-marker").first.click()
    assert page.locator(".map-popup a").first.get_attribute("href").startswith("/reports/")


def test_a_refused_report_keeps_its_photo_and_says_which_answer_is_missing(
    site_url,
    open_page,
    world,  # noqa: F811
):
    page = open_page(site_url + "/accounts/login/?next=/reports/new/", viewport=PHONE)
    page.fill("input[name=login]", world.resident.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/reports/new/$"))
    page.wait_for_load_state("networkidle")

    # The resident chooses a photo and a category but skips its required question.
    page.set_input_files("#id_photos", str(PHOTOS / "iphone6_gps_madrid.jpg"))
    page.check("input[name=location][value=photo]")
    page.select_option("#id_category", "pothole")
    page.fill("#id_description", "人行道上有个坑")
    page.locator("#report-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")

    # The page says what is missing, at the top (focused, linking to it) and beside the
    # question, and still holds the photo and the description.
    summary = page.locator("#form-problems")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "form-problems"
    assert "请回答：坑有多大？" in summary.inner_text()
    assert page.locator("#id_q__pothole__size_error").inner_text() == "请回答：坑有多大？"
    assert page.locator("#id_q__pothole__size_error").is_visible()
    assert page.locator("#id_description").input_value() == "人行道上有个坑"
    kept = page.locator(".kept-photo img")
    assert kept.count() == 1
    kept.first.wait_for()
    assert kept.first.evaluate("img => img.complete && img.naturalWidth > 0")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the refused form scrolls sideways on a phone"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "report-form-refused-390.png", full_page=True)

    # Following the summary's link leads to the question; the resident answers and sends
    # again without choosing the photo again.
    summary.locator("a[href='#id_q__pothole__size_0']").click()
    assert page.evaluate("document.activeElement.id") == "id_q__pothole__size_0"
    assert page.locator("#id_photos").evaluate("input => input.files.length") == 0
    page.check("input[name=q__pothole__size][value=large]")
    page.locator("#report-form button[type=submit]").click()
    # (The browser keeps the fragment the summary's link added across the redirect.)
    page.wait_for_url(re.compile(r"/reports/\d+/(#.*)?$"))
    page.wait_for_load_state("networkidle")

    report = Report.objects.get()
    assert report.photos.count() == 1
    assert report.location_source == "photo"
    assert report.answers == {"size": "large"}
    photo = page.locator("img.report-photo").first
    photo.wait_for()
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
