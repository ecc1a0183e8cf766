""" "Is it fixed?": the reporter of a resolved report closes it now, or reopens it."""

import pytest
from graphql_relay import to_global_id

from reports.models import EventKind, State
from tests.reports.test_portal_views import resolved
from tests.reports.test_reports_api import phones  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

CONFIRM = """mutation M($input: ConfirmFixedInput!) {
  confirmFixed(input: $input) { errors { field code } report { state } } }"""


def test_the_reporter_is_asked_and_yes_closes_it(as_user, world, submit):
    report = resolved(world, submit())
    neighbour = as_user(world.neighbour).get(f"/reports/{report.pk}/").content.decode()
    assert f"/reports/{report.pk}/fixed/" not in neighbour
    browser = as_user(world.resident)
    page = browser.get(f"/reports/{report.pk}/").content.decode()
    assert f'action="/reports/{report.pk}/fixed/"' in page
    for _ in range(2):  # a double click
        assert browser.post(f"/reports/{report.pk}/fixed/").status_code == 302
    report.refresh_from_db()
    assert report.state == State.CLOSED
    closed = report.events.filter(kind=EventKind.CLOSED)
    assert closed.count() == 1
    assert closed.get().data == {"confirmed_by_reporter": True}
    # Still rateable, in words, after saying it is fixed.
    assert (
        f'action="/reports/{report.pk}/rate/"'
        in browser.get(f"/reports/{report.pk}/").content.decode()
    )


def test_through_the_api_yes_closes_and_no_reopens(world, phones, submit):  # noqa: F811
    fixed = resolved(world, submit())
    answer = phones["resident"](
        CONFIRM, {"input": {"reportId": to_global_id("Report", fixed.pk), "fixed": True}}
    )["data"]["confirmFixed"]
    assert answer == {"errors": [], "report": {"state": "CLOSED"}}

    not_fixed = resolved(world, submit(client_request_id="second"))
    rid = to_global_id("Report", not_fixed.pk)
    refused = phones["resident"](CONFIRM, {"input": {"reportId": rid, "fixed": False}})
    assert refused["data"]["confirmFixed"]["errors"][0]["field"] == "reason"
    answer = phones["resident"](
        CONFIRM, {"input": {"reportId": rid, "fixed": False, "reason": "坑还在"}}
    )["data"]["confirmFixed"]
    assert answer["errors"] == []
    assert answer["report"]["state"] in ("ACCEPTED", "IN_PROGRESS")


def test_only_the_reporter_and_only_once_resolved(world, phones, submit):  # noqa: F811
    report = submit()
    rid = to_global_id("Report", report.pk)
    early = phones["resident"](CONFIRM, {"input": {"reportId": rid, "fixed": True}})
    assert early["data"]["confirmFixed"]["errors"][0]["code"] == "invalid_transition"
    resolved(world, report)
    other = phones["neighbour"](CONFIRM, {"input": {"reportId": rid, "fixed": True}})
    assert other["errors"][0]["extensions"]["code"] == "forbidden"
