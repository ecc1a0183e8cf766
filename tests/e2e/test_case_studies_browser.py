"""The case library and a case study in a real Chromium on a phone-sized screen: the layout
fits (nothing scrolls sideways), and what matters is on screen and large enough to use."""

from pathlib import Path

import pytest

from civic.portal.services import adopt_case_study
from tests.e2e.conftest import PHONE
from tests.portal.conftest import case_study, library, teams, topics  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).parent / "screenshots"

LAYOUT = """(selectors) => {
    const box = (el) => el.getBoundingClientRect();
    const visible = (el) => {
        const r = box(el);
        return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const out = {overflow: document.documentElement.scrollWidth - window.innerWidth, items: {}};
    for (const [name, selector] of Object.entries(selectors)) {
        out.items[name] = [...document.querySelectorAll(selector)].map((el) => ({
            visible: visible(el),
            left: box(el).left,
            right: box(el).right,
            height: box(el).height,
        }));
    }
    return out;
}"""


def check_layout(page, selectors):
    facts = page.evaluate(LAYOUT, selectors)
    assert facts["overflow"] <= 0, "the page scrolls sideways"
    for name, items in facts["items"].items():
        assert items, f"no {name} on the page"
        for item in items:
            assert item["visible"], f"{name} is not visible"
            assert item["left"] >= 0, f"{name} sticks out on the left"
            assert item["right"] <= PHONE["width"] + 0.5, f"{name} sticks out on the right"
    return facts


@pytest.mark.usefixtures("media_root")
def test_library_and_case_study_fit_a_phone(
    live_server,
    open_page,
    teams,  # noqa: F811
    library,  # noqa: F811
    topics,  # noqa: F811
):
    long_title = "老旧小区加装电梯与无障碍通道的居民协商、资金筹措和施工管理全过程经验总结"
    ramp = case_study(teams.D1.page, long_title, topics=[topics.access], tags=["无障碍"])
    for n in range(3):
        case_study(teams.D2.page, f"Case {n}", topics=[topics.waste], tags=["bins"])
    adopt_case_study(teams.D2.editor, ramp, district_page=teams.D2.page)
    SCREENSHOTS.mkdir(exist_ok=True)

    page = open_page(live_server.url + library.url, viewport=PHONE)
    page.screenshot(path=SCREENSHOTS / "case-library-390.png", full_page=True)
    facts = check_layout(
        page,
        {
            "heading": "main h1",
            "filters": ".library-filters select, .library-filters input",
            "card": ".case-card",
            "submit": ".library-filters button",
        },
    )
    assert len(facts["items"]["card"]) == 4
    assert all(field["height"] >= 40 for field in facts["items"]["filters"]), "too small to tap"
    assert facts["items"]["submit"][0]["height"] >= 40
    page.select_option("#library-topic", "access")
    page.locator(".library-filters button").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".case-card").count() == 1

    page.locator(".case-card h3 a").first.click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=SCREENSHOTS / "case-study-390.png", full_page=True)
    assert page.locator("h1").inner_text() == long_title
    facts = check_layout(
        page,
        {
            "heading": "main h1",
            "figure": ".figures .figure",
            "pair image": ".before-after img",
            "adopters": ".adopters",
        },
    )
    assert len(facts["items"]["figure"]) == 4
    before, after = facts["items"]["pair image"]
    assert before["right"] <= after["left"], "the before/after pair sits side by side"
    assert "第2区" in page.locator(".adopters").inner_text()
