"""The portal in a real Chromium, on a phone-sized and a desktop screen."""

from pathlib import Path

import pytest

from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).parent / "screenshots"


def open_menu(page):
    """On a phone the header's menu is folded: open it (on a wide screen it is open)."""
    summary = page.locator("#site-menu > summary")
    if summary.is_visible():
        summary.click()


def layout_facts(page):
    return page.evaluate(
        """() => ({
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            mapWidth: document.querySelector('svg.area-map').getBoundingClientRect().width,
            switcherButtons: [...document.querySelectorAll('.language-switcher button')]
                .map(b => b.getBoundingClientRect().height),
        })"""
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_home_page_fits_the_screen_and_links_to_districts(portal_url, open_page, viewport):
    page = open_page(portal_url + "/", viewport=viewport)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"home-{viewport['width']}.png", full_page=True)
    assert page.locator(".site-header").bounding_box()["height"] < 120
    open_menu(page)
    facts = layout_facts(page)
    assert facts["overflow"] <= 0, "the page scrolls sideways"
    assert facts["mapWidth"] > viewport["width"] * 0.5 or facts["mapWidth"] > 500
    assert min(facts["switcherButtons"]) >= 40, "language buttons are too small to tap"
    open_menu(page)  # a second tap folds it again
    page.get_by_role("link", name="第2区").first.click()
    page.wait_for_url("**/d2/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "第2区"


def test_switching_language_in_the_browser(portal_url, open_page):
    page = open_page(portal_url + "/d1/")
    assert page.locator("h1").inner_text() == "第1区"
    open_menu(page)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "District 1"
    assert page.locator("html").get_attribute("lang") == "en"
    open_menu(page)
    assert page.get_by_role("button", name="English").get_attribute("aria-current") == "true"
