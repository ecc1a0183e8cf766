"""The public answers' cache (civic.core.public_cache): anonymous readers of the public lists share
one answer until what it shows changes; signed-in readers never read or write it."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from graphql import parse

from civic.api.documents import manifest, persisted_document
from civic.api.public_reads import namespaces
from reports import services
from reports.models import RejectReason
from tests.reports.conftest import submit, world  # noqa: F401

FEED = """query Feed($first: Int) {
  reports(first: $first) { edges { node { id description isMine location { lat lon exact } } } }
}"""
MIXED = "query { reports(first: 5) { edges { node { id } } } reportCategories { serviceCode } }"


def ask(client, query, variables=None):
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def descriptions(data):
    return [edge["node"]["description"] for edge in data["reports"]["edges"]]


def queries_of(client, query, variables=None):
    with CaptureQueriesContext(connection) as captured:
        data = ask(client, query, variables)
    return data, len(captured)


@pytest.fixture
def anonymous():
    return Client()


def test_an_anonymous_feed_is_answered_once_then_from_the_cache(world, submit, anonymous):  # noqa: F811
    submit(description="第一个坑")
    first, counted = queries_of(anonymous, FEED, {"first": 10})
    assert counted > 0
    again, counted = queries_of(anonymous, FEED, {"first": 10})
    assert again == first
    assert counted == 0
    # Other variables are another question.
    _other, counted = queries_of(anonymous, FEED, {"first": 5})
    assert counted > 0


def test_a_new_report_or_a_hidden_one_moves_the_feed_on(world, submit, anonymous):  # noqa: F811
    submit(description="第一个坑")
    assert descriptions(ask(anonymous, FEED)) == ["第一个坑"]
    second = submit(description="第二个坑")
    assert descriptions(ask(anonymous, FEED)) == ["第二个坑", "第一个坑"]
    services.reject(world.dispatcher, second, reason=RejectReason.ABUSIVE)
    assert descriptions(ask(anonymous, FEED)) == ["第一个坑"]


def test_a_reporter_never_gets_the_anonymous_answer_nor_leaves_theirs(world, submit, anonymous):  # noqa: F811
    # A sensitive category: everyone but the reporter sees an approximate place.
    report = submit(category=world.noise, description="夜里施工")
    reporter = Client()
    reporter.force_login(world.resident)
    for _ in range(2):
        seen = ask(anonymous, FEED)["reports"]["edges"][0]["node"]
        assert (seen["isMine"], seen["location"]["exact"]) == (False, False)
        assert (seen["location"]["lat"], seen["location"]["lon"]) != (report.lat, report.lon)
        own = ask(reporter, FEED)["reports"]["edges"][0]["node"]
        assert (own["isMine"], own["location"]["exact"]) == (True, True)
        assert (own["location"]["lat"], own["location"]["lon"]) == (report.lat, report.lon)


def test_only_public_reads_are_cached(world, submit, anonymous):  # noqa: F811
    submit()
    ask(anonymous, MIXED)
    _data, counted = queries_of(anonymous, MIXED)
    assert counted > 0


def test_the_language_is_part_of_the_question(world, submit, anonymous):  # noqa: F811
    submit()
    query = "query { reports(first: 1) { edges { node { category { name } } } } }"
    names = {}
    for language in ("zh-hans", "en", "zh-hans"):
        anonymous.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        data = ask(anonymous, query)
        names.setdefault(language, data["reports"]["edges"][0]["node"]["category"]["name"])
        assert data["reports"]["edges"][0]["node"]["category"]["name"] == names[language]
    assert names == {"zh-hans": "道路坑洼", "en": "Pothole"}


def test_off_when_its_lifetime_is_zero(world, submit, anonymous, settings):  # noqa: F811
    settings.PUBLIC_CACHE_SECONDS = 0
    submit()
    ask(anonymous, FEED)
    _data, counted = queries_of(anonymous, FEED)
    assert counted > 0


def test_open311_requests_are_cached_until_a_report_changes(world, submit, anonymous):  # noqa: F811
    submit(description="第一个坑")
    url = "/open311/v2/requests.json"
    first = anonymous.get(url)
    with CaptureQueriesContext(connection) as captured:
        again = anonymous.get(url)
    assert again.content == first.content
    assert len(captured) == 0
    assert again["Content-Type"] == first["Content-Type"]
    submit(description="第二个坑")
    shown = [item["description"] for item in anonymous.get(url).json()]
    assert shown == ["第二个坑", "第一个坑"]
    # The XML form is another answer.
    assert anonymous.get("/open311/v2/requests.xml").content.startswith(b"<?xml")


def test_every_public_read_of_the_app_is_cached():
    """The app's public list operations ask only for public fields, so they are all cached."""
    operations = manifest()
    for name in ("ReportFeed", "NearbyReports", "Threads", "Leaderboard", "CaseLibrary"):
        document = parse(persisted_document(operations[name]["sha256"]))
        operation = next(d for d in document.definitions if d.kind == "operation_definition")
        assert namespaces(operation), name


def _form_token(page):
    return re.search(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page.content)[1]


def test_a_page_is_kept_for_readers_without_a_session_each_with_their_own_csrf_token(
    world,  # noqa: F811
    submit,  # noqa: F811
):
    report = submit(description="第一个坑")
    url = f"/reports/{report.pk}/"
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page = first.get(url)
    with CaptureQueriesContext(connection) as captured:
        again = second.get(url)
    assert len(captured) == 0
    assert "第一个坑" in again.content.decode()
    assert b"public-cache-csrf-token" not in again.content
    # Each reader's form carries a token for their own cookie, never the first reader's.
    assert _form_token(page) != _form_token(again)
    for reader, shown in ((first, page), (second, again)):
        answer = reader.post(
            "/i18n/setlang/",
            {"language": "en", "next": url, "csrfmiddlewaretoken": _form_token(shown).decode()},
        )
        assert answer.status_code == 302
    # A change to the report is seen at once.
    services.reject(world.dispatcher, report, reason=RejectReason.ABUSIVE)
    assert Client().get(url).status_code == 404


def test_a_signed_in_reader_neither_gets_nor_leaves_a_kept_page(world, submit):  # noqa: F811
    report = submit(description="第一个坑")
    url = f"/reports/{report.pk}/"
    signed_in = str(world.resident)
    assert signed_in not in Client().get(url).content.decode()
    reporter = Client()
    reporter.force_login(world.resident)
    assert signed_in in reporter.get(url).content.decode()
    assert signed_in not in Client().get(url).content.decode()


def test_the_home_page_is_kept_until_a_page_is_published(portal):
    _home, districts = portal
    Client().get("/")
    with CaptureQueriesContext(connection) as captured:
        assert Client().get("/").status_code == 200
    assert len(captured) == 0
    districts["D1"].save_revision().publish()
    with CaptureQueriesContext(connection) as captured:
        assert Client().get("/").status_code == 200
    assert len(captured) > 0
