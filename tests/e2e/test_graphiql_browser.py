"""The API explorer starts in a browser that can reach nothing but our server."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_graphiql_runs_offline(live_server, browser, settings):
    settings.DEBUG = True
    context = browser.new_context()
    outside = []

    def only_ours(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_ours)
    page = context.new_page()
    page.goto(live_server.url + "/graphql/", wait_until="networkidle")
    page.wait_for_selector(".graphiql-container", timeout=15000)
    assert page.locator(".graphiql-query-editor, .graphiql-editor").first.is_visible()
    assert outside == []
    context.close()
