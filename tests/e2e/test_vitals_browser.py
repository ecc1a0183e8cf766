"""The leadership screen (体征大屏) in a real Chromium, on a phone and a wall screen, in both
languages: each card in its level's colour, each sparkline and the warnings map drawn."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from civic.vitals import services
from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP, PHONE
from tests.reports.conftest import world  # noqa: F401  (fixtures)
from tests.vitals.conftest import vitals  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).parent / "screenshots"
TITLES = {"en": "City vital signs", "zh-CN": "城市生命体征"}
ORANGE, NORMAL = "rgb(244, 96, 54)", "rgb(42, 157, 143)"


@pytest.fixture
def history(vitals):  # noqa: F811
    """Seven hourly readings in DW-G1 climbing to orange, read by the water level (per grid
    cell) and by a second indicator per district whose thresholds they stay far below."""
    from civic.vitals.models import Indicator

    Indicator.objects.create(
        code="flood-index",
        name="内涝指数",
        name_en="Flood index",
        domain="environment",
        scope="district",
        source="sensor",
        measure="water_level",
        window_minutes=60,
        threshold_4=100,
        threshold_3=150,
        threshold_2=200,
        threshold_1=300,
    )
    now = timezone.now()
    for hours in range(6, -1, -1):
        at = now - timedelta(hours=hours)
        services.ingest(
            [{"sensor": "wl-1", "time": at.isoformat(), "value": 1.0 + 0.35 * (6 - hours)}]
        )
        services.evaluate_indicators(at + timedelta(seconds=1))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_the_screen_draws_colours_sparklines_and_the_map(
    live_server,
    open_page,
    vitals,  # noqa: F811
    history,
    viewport,
    locale,
):
    leader = vitals.leader_dw
    EmailAddress.objects.get_or_create(
        user=leader, email=leader.email, defaults={"verified": True, "primary": True}
    )
    page = open_page(
        f"{live_server.url}/accounts/login/?next=/admin/vital-signs/",
        viewport=viewport,
        locale=locale,
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.fill("input[name=login]", leader.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/vital-signs/"))
    page.wait_for_load_state("networkidle")
    assert TITLES[locale] in page.title()
    assert not errors, errors
    water = page.locator(".vitals-card[data-code=water-level]")
    flood = page.locator(".vitals-card[data-code=flood-index]")
    assert water.evaluate("e => getComputedStyle(e).borderTopColor") == ORANGE
    assert flood.evaluate("e => getComputedStyle(e).borderTopColor") == NORMAL
    for card in (water, flood):
        card.scroll_into_view_if_needed()
    spark = water.locator("[data-sparkline]")
    assert int(spark.get_attribute("data-points")) == 7
    assert spark.locator("svg path").count() >= 1
    strokes = spark.evaluate(
        "e => [...e.querySelectorAll('svg path')].map(p => getComputedStyle(p).stroke)"
    )
    assert ORANGE in strokes
    calm = flood.locator("[data-sparkline]")
    assert calm.get_attribute("data-points") == "7"
    assert NORMAL in calm.evaluate(
        "e => [...e.querySelectorAll('svg path')].map(p => getComputedStyle(p).stroke)"
    )
    world_map = page.locator("[data-warnings-map]")
    world_map.scroll_into_view_if_needed()
    assert world_map.get_attribute("data-points") == "1"
    # The warning in its level's colour over the base map: the city drawn from its own areas.
    point = world_map.locator("path.vitals-warning-point")
    assert point.count() == 1
    assert point.evaluate("e => getComputedStyle(e).fill") == ORANGE
    page.wait_for_selector("[data-warnings-map] path.area-district", state="attached")
    assert world_map.bounding_box()["width"] > 300
    overflow = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.vitals-card, .vitals-map')].map("
        "e => e.getBoundingClientRect().right)) - window.innerWidth"
    )
    assert overflow <= 0, "a card runs off the screen"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"vitals-{locale}-{viewport['width']}.png", full_page=True)
