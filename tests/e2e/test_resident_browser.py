"""The resident's flow on a 390 px phone and at 1280 px: a camera-first report over a map that
shows the city, a nearby report turned into a support, the confirmation, following, a comment,
area alerts (added on the map, then deleted), the worded rating and a redemption that asks
first. Each page is checked for the drawn base map under the pin, no sideways scrolling, a
header under 120 px, controls of at least 44 px and every control visible against what is
behind it (test_controls_visible's contrast check)."""

import re
from pathlib import Path

import pytest

from civic.notifications.models import AreaAlert
from reports import services
from reports.models import Comment, Follower, Report, Support
from rewards import services as rewards
from rewards.models import Redemption, RewardItem
from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_controls_visible import check_controls
from tests.e2e.test_reports_browser import site_url  # noqa: F401  (fixture)
from tests.reports.conftest import PHOTOS, submit, world  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_root"),
]

SCREENSHOTS = Path(__file__).parent / "screenshots"
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])

# The visible controls in the page's main part (and the header's) smaller than 44 px.
SMALL_CONTROLS = """() => [...document.querySelectorAll(
        'main button, main a.button, main input[type=submit], main select, .site-header summary,'
        + ' .site-header .header-report, .leaflet-control-zoom a')]
    .filter(el => {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'
            && !el.closest('[hidden]');
    })
    .filter(el => el.getBoundingClientRect().height < 43.5)
    .map(el => el.outerHTML.slice(0, 80))"""


def check_layout(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways"
    assert page.locator(".site-header").bounding_box()["height"] < 120, f"{name}: header"
    assert page.evaluate(SMALL_CONTROLS) == [], f"{name}: controls under 44 px"
    check_controls(page, [])


def sign_in(open_page, site_url, user, next_url, viewport):  # noqa: F811
    page = open_page(f"{site_url}/accounts/login/?next={next_url}", viewport=viewport)
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))
    page.wait_for_load_state("networkidle")
    return page


def assert_city_under(page, map_selector):
    """The drawn base map (area shapes and names) is in the map, under its markers."""
    map_box = page.locator(map_selector)
    map_box.locator("path.area-shape").first.wait_for(state="attached")
    assert map_box.locator("path.area-district").count() >= 1
    assert map_box.locator(".area-label").count() >= 1
    assert "drawn-city" in map_box.get_attribute("class")


@VIEWPORTS
def test_a_camera_first_report_with_a_nearby_one_turned_into_a_support(
    site_url,  # noqa: F811
    open_page,
    world,  # noqa: F811
    submit,  # noqa: F811
    viewport,
):
    theirs = submit(world.neighbour, lat=40.447, lon=-3.7248)
    page = sign_in(open_page, site_url, world.resident, "/reports/new/", viewport)
    width = viewport["width"]
    # The camera first; previews of what was chosen, each removable.
    page.set_input_files("#id_camera", str(PHOTOS / "iphone6_gps_madrid.jpg"))
    page.set_input_files(
        "#id_photos", [str(PHOTOS / "iphone6_gps_madrid.jpg"), str(PHOTOS / "nikon_gps_a.jpg")]
    )
    assert page.locator("#photo-previews img").count() == 3
    page.locator("#photo-previews button").nth(1).click()
    assert page.locator("#photo-previews img").count() == 2
    assert page.locator("#id_photos").evaluate("input => input.files.length") == 1

    assert_city_under(page, "#location-map")
    page.locator("#location-map").click()  # the pin, anywhere in the city
    page.fill("#id_lat", "40.446972")
    page.fill("#id_lon", "-3.724753")
    page.locator("#id_lon").dispatch_event("change")
    page.locator("#location-map img.leaflet-marker-icon").wait_for()
    page.select_option("#id_category", "pothole")
    page.locator("#nearby .nearby-report").first.wait_for()
    assert f"#{theirs.pk}" in page.locator("#nearby").inner_text()
    check_layout(page, f"resident-form-{width}")

    page.locator("#nearby button").first.click()
    page.wait_for_url(re.compile(rf"/reports/{theirs.pk}/$"))
    page.wait_for_load_state("networkidle")
    assert Support.objects.filter(report=theirs, user=world.resident).exists()
    assert Report.objects.count() == 1  # no duplicate was sent
    assert_city_under(page, "#report-map")
    check_layout(page, f"resident-supported-{width}")

    # Following it.
    page.get_by_role("button", name="关注此报告").click()
    page.wait_for_load_state("networkidle")
    assert Follower.objects.filter(report=theirs, user=world.resident).exists()


@VIEWPORTS
def test_the_confirmation_the_worded_rating_and_a_redemption_that_asks_first(
    site_url,  # noqa: F811
    open_page,
    world,  # noqa: F811
    viewport,
):
    page = sign_in(open_page, site_url, world.resident, "/reports/new/", viewport)
    width = viewport["width"]
    page.set_input_files("#id_photos", str(PHOTOS / "iphone6_gps_madrid.jpg"))
    page.check("input[name=location][value=photo]")
    page.select_option("#id_category", "pothole")
    page.check("input[name=q__pothole__size][value=large]")
    page.locator("#send-report").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    page.wait_for_load_state("networkidle")
    message = page.locator(".messages").inner_text()
    assert "小时内受理" in message
    report = Report.objects.get()

    services.accept(world.dispatcher, report)
    services.assign(world.dispatcher, report, handler=world.handler)
    services.start(world.handler, report)
    services.resolve(world.handler, report, message="已修补")
    page.reload(wait_until="networkidle")
    for word in ("满意", "基本满意", "不满意"):
        assert page.get_by_label(word, exact=True).is_visible()
    check_layout(page, f"resident-rate-{width}")
    page.get_by_label("基本满意", exact=True).check()
    page.locator("form[action$='/rate/'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    report.refresh_from_db()
    assert report.rating == 3

    item = RewardItem.objects.create(name="帆布袋", name_en="Tote bag", cost=5, is_active=True)
    rewards.adjust(world.admin, world.resident, 10, reason="测试")
    page.goto(site_url + "/rewards/catalogue/", wait_until="networkidle")
    check_layout(page, f"resident-catalogue-{width}")
    page.locator(f"a[href='/rewards/catalogue/{item.pk}/redeem/']").click()
    page.wait_for_load_state("networkidle")
    assert Redemption.objects.count() == 0  # it asks first
    assert "兑换后剩余" in page.content()
    check_layout(page, f"resident-redeem-confirm-{width}")
    page.get_by_role("button", name="确定兑换").click()
    page.wait_for_load_state("networkidle")
    assert Redemption.objects.filter(user=world.resident, item=item).count() == 1


@VIEWPORTS
def test_a_comment_and_an_area_alert_added_on_the_map_then_deleted(
    site_url,  # noqa: F811
    open_page,
    world,  # noqa: F811
    submit,  # noqa: F811
    viewport,
):
    theirs = submit(world.neighbour, lat=40.447, lon=-3.7248)
    page = sign_in(open_page, site_url, world.resident, f"/reports/{theirs.pk}/", viewport)
    width = viewport["width"]
    page.fill("#id_body", "我家门口也是这样")
    page.get_by_role("button", name="发表评论").click()
    page.wait_for_load_state("networkidle")
    assert "我家门口也是这样" in page.locator(".comment-list").inner_text()
    assert Comment.objects.filter(report=theirs, author=world.resident).count() == 1
    check_layout(page, f"resident-comment-{width}")

    page.goto(site_url + "/notifications/alerts/", wait_until="networkidle")
    assert_city_under(page, "#alert-map")
    page.locator("#alert-map").click()  # a point in the city
    assert page.locator("#id_lat").input_value()
    assert page.locator("input[name=where][value=circle]").is_checked()
    page.check("input[name=delivery][value=digest]")
    check_layout(page, f"resident-alerts-{width}")
    page.get_by_role("button", name="关注这个地点").click()
    page.wait_for_load_state("networkidle")
    alert = AreaAlert.objects.get(user=world.resident)
    assert (alert.delivery, alert.radius_m) == ("digest", 500)
    assert "每日邮件汇总" in page.locator(".alert-list").inner_text()
    check_layout(page, f"resident-alert-added-{width}")
    page.get_by_role("button", name="取消关注").click()
    page.wait_for_load_state("networkidle")
    assert not AreaAlert.objects.filter(user=world.resident).exists()
