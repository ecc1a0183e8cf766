"""The operations dashboard in a real Chromium, on a phone and a wall screen, in both
languages: every chart is drawn (a canvas) and carries data, and the grid cells' map draws its
cells over the city's own base map. The public rankings page draws the month's trend."""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress

from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP, PHONE
from tests.operations.conftest import committed, story  # noqa: F401  (fixtures)
from tests.reports.conftest import world  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).parent / "screenshots"
CHARTS = ("trend", "category", "department", "channel", "area")
TITLES = {"en": "Operations centre", "zh-CN": "数据运营中心"}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_the_dashboard_draws_its_charts(live_server, open_page, world, story, viewport, locale):  # noqa: F811
    EmailAddress.objects.get_or_create(
        user=world.admin, email=world.admin.email, defaults={"verified": True, "primary": True}
    )
    target = quote("/admin/operations/?date_from=2026-03-01&date_to=2026-03-31")
    page = open_page(
        f"{live_server.url}/accounts/login/?next={target}", viewport=viewport, locale=locale
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.fill("input[name=login]", world.admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/operations/"))
    page.wait_for_load_state("networkidle")
    assert TITLES[locale] in page.title()
    assert not errors, errors
    for name in CHARTS:
        chart = page.locator(f".ops-chart[data-chart={name}]")
        chart.scroll_into_view_if_needed()
        assert chart.locator("canvas").count() >= 1, name
        assert int(chart.get_attribute("data-points")) > 0, name
        box = chart.bounding_box()
        assert box["width"] > 200, name
        assert box["height"] > 200, name
    cells = page.locator(".ops-chart[data-chart=grid]")
    cells.scroll_into_view_if_needed()
    drawn = int(cells.get_attribute("data-points"))
    assert drawn > 0
    assert cells.locator("path.ops-cell").count() == drawn
    # Under the cells, the base map: the districts drawn from the platform's areas (no tiles).
    page.wait_for_selector(".ops-chart[data-chart=grid] path.area-district", state="attached")
    box = cells.bounding_box()
    assert box["width"] > 200
    assert box["height"] > 200
    received = page.locator(".ops-tile").nth(2).locator(".ops-tile-value").inner_text()
    assert received == "4"
    overflow = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.ops-chart')].map("
        "e => e.getBoundingClientRect().right)) - window.innerWidth"
    )
    assert overflow <= 0, "a chart runs off the screen"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(
        path=SCREENSHOTS / f"operations-{locale}-{viewport['width']}.png", full_page=True
    )
    cells.screenshot(path=SCREENSHOTS / f"operations-map-{locale}-{viewport['width']}.png")


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_the_public_rankings_draw_the_months_trend(live_server, open_page, world, story, locale):  # noqa: F811
    page = open_page(
        f"{live_server.url}/open-data/rankings/?month=2026-03", viewport=PHONE, locale=locale
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.reload(wait_until="networkidle")
    chart = page.locator(".ops-chart[data-chart=trend]")
    chart.scroll_into_view_if_needed()
    assert chart.locator("canvas").count() >= 1
    days = page.locator("#month-trend-table tbody tr")
    assert int(chart.get_attribute("data-points")) == days.count() > 0
    # The table stays for screen readers and without scripts; the chart points at it.
    assert chart.get_attribute("aria-describedby") == "month-trend-table"
    assert chart.bounding_box()["width"] <= PHONE["width"]
    assert not errors, errors
