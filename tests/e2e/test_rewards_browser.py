"""Points earned by a report, spent in the catalogue, in a real Chromium on a phone."""

import re

import pytest

from reports import services as reports_services
from rewards.models import Redemption, RewardItem
from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE
from tests.e2e.test_reports_browser import site_url  # noqa: F401  (fixture)
from tests.reports.conftest import submit, world  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_root"),
]


def test_a_resident_spends_the_points_a_fixed_report_earned(
    site_url,  # noqa: F811
    open_page,
    world,  # noqa: F811
    submit,  # noqa: F811
):
    report = submit()
    reports_services.accept(world.dispatcher, report)
    reports_services.assign(world.dispatcher, report, handler=world.handler)
    reports_services.resolve(world.handler, report, message="已修补")
    RewardItem.objects.create(kind="souvenir", name="帆布袋", name_en="Tote bag", cost=12, stock=3)

    page = open_page(site_url + "/rewards/", viewport=PHONE, locale="en-GB")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.fill("input[name=login]", world.resident.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/rewards/$"))
    # +10 when accepted, +5 when resolved.
    assert page.get_by_test_id("balance").inner_text() == "15"

    page.goto(site_url + "/rewards/catalogue/", wait_until="networkidle")
    card = page.locator("li.card", has_text="Tote bag")
    card.get_by_role("link", name="Redeem Tote bag").click()
    # Redeeming asks first, saying what is left after.
    page.wait_for_url(re.compile(r"/redeem/$"))
    assert "Left after" in page.locator("main").inner_text()
    assert Redemption.objects.count() == 0
    page.get_by_role("button", name="Yes, redeem it").click()
    page.wait_for_url(re.compile(r"/rewards/$"))
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("balance").inner_text() == "3"
    assert page.locator("li.card", has_text="Tote bag").is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the points page scrolls sideways on a phone"
    assert Redemption.objects.filter(user=world.resident).count() == 1
