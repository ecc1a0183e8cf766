"""The grid worker's task list on a phone (390 px wide), in Chinese and in English: the task a
resident's report made, its deadline and the navigation buttons, without sideways scrolling."""

import re

import pytest
from allauth.account.models import EmailAddress

from reports import services as reports_services
from tests.conftest import PASSWORD, default_site_home
from tests.e2e.conftest import PHONE
from tests.grid.conftest import G1_CENTRE, grid  # noqa: F401  (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site_url(live_server, grid, settings):  # noqa: F811
    default_site_home("厦门市民平台", "grid-home", settings)
    # A verified address, so signing in is not held up by email verification.
    EmailAddress.objects.create(user=grid.w1, email=grid.w1.email, verified=True, primary=True)
    return live_server.url


@pytest.mark.parametrize(
    ("locale", "heading", "amap", "state"),
    [
        ("zh-CN", "我的网格任务", "高德地图", "待核查"),
        ("en-GB", "My grid tasks", "AMap", "To verify"),
    ],
)
def test_the_worker_sees_the_task_and_can_navigate_there(
    site_url,
    open_page,
    grid,  # noqa: F811
    locale,
    heading,
    amap,
    state,
):
    report = reports_services.submit_report(
        grid.resident,
        category=grid.litter,
        description="路边有一堆垃圾",
        lat=G1_CENTRE[0],
        lon=G1_CENTRE[1],
        address="湖滨南路 88 号",
    )
    page = open_page(site_url + "/grid/tasks/", viewport=PHONE, locale=locale)
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.fill("input[name=login]", grid.w1.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^[^?]*/grid/tasks/$"))
    page.wait_for_load_state("networkidle")

    assert page.get_by_role("heading", level=1).inner_text() == heading
    task = page.locator("li.grid-task")
    assert task.count() == 1
    assert f"#{report.pk}" in task.inner_text()
    assert state in task.inner_text()
    assert "湖滨南路 88 号" in task.inner_text()
    button = task.get_by_role("link", name=amap)
    assert button.is_visible()
    assert button.get_attribute("href").startswith("amapuri://route/plan/?")
    assert task.locator("a[href^='geo:']").is_visible()
    assert task.locator("a[href^='baidumap://']").is_visible()
    box = button.bounding_box()
    assert box["height"] >= 44, "a navigation button is too small to tap"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the task list scrolls sideways on a phone"
