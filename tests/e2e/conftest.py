"""A real browser: Playwright driving Debian's Chromium against a live server.

Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests make
around it are still synchronous and safe, so Django's async guard is relaxed for these tests.
"""

import os

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run the tests through ./dev test")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def open_page(browser):
    contexts = []

    def open_page(url, *, viewport=PHONE, locale="zh-CN"):
        context = browser.new_context(viewport=viewport, locale=locale, is_mobile=viewport is PHONE)
        contexts.append(context)
        page = context.new_page()
        # Wait for every request the page makes (styles, icon) so none is still reaching the
        # live server when the test's database is flushed.
        page.goto(url, wait_until="networkidle")
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def portal_url(live_server, portal):
    return live_server.url
