"""Reading a forum thread, replying and liking, in a real Chromium on a phone."""

import re

import pytest
from allauth.account.models import EmailAddress

from civic.core.roles import Role
from forums import services
from forums.models import Post, Space, SpaceKind
from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_resident_reads_a_thread_replies_and_likes_on_a_phone(portal_url, open_page, make_user):
    # A live-server test starts from a flushed database: the spaces the migration made may be
    # gone.
    public, _created = Space.objects.get_or_create(
        slug="public", defaults={"kind": SpaceKind.PUBLIC, "name": "公共论坛"}
    )
    author = make_user(Role.RESIDENT, display_name="王建国")
    reader = make_user(Role.RESIDENT, display_name="李晓梅")
    EmailAddress.objects.create(user=reader, email=reader.email, verified=True, primary=True)
    thread = services.create_thread(
        author, space=public, title="小区东门路灯坏了", body="晚上走路很黑，已经一周了。"
    )
    services.reply(make_user(Role.RESIDENT), thread, body="我也注意到了")

    page = open_page(f"{portal_url}/accounts/login/", viewport=PHONE, locale="en-GB")
    page.fill("input[name=login]", reader.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{portal_url}/forums/s/public/", wait_until="networkidle")
    page.get_by_role("link", name="小区东门路灯坏了").click()
    page.wait_for_url(re.compile(rf"/forums/t/{thread.pk}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "小区东门路灯坏了"
    assert page.get_by_text("我也注意到了").is_visible()

    page.get_by_label("Your reply").fill("物业说明天来修")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("物业说明天来修").is_visible()
    assert Post.objects.filter(thread=thread, author=reader).count() == 1

    page.locator("article.thread").get_by_role("button", name=re.compile("^Like")).click()
    page.wait_for_load_state("networkidle")
    liked = page.locator("article.thread").get_by_role("button", name=re.compile("^Unlike"))
    assert liked.get_attribute("aria-pressed") == "true"
    thread.refresh_from_db()
    assert thread.like_count == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the thread page scrolls sideways on a phone"
