"""The verification loop (核查) through GraphQL, with the clock frozen: a resident's report
becomes a worker's task; a check-in from 2 km away is refused with a clear code; the worker
checks in on site and confirms, resolves on the spot or marks the report invalid; the report's
timeline shows every step."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from graphql_relay import to_global_id

from reports.models import Report, State
from tests.grid.conftest import G1_CENTRE, TWO_KM_AWAY, Phone
from tests.reports.conftest import photo_bytes

NOW = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)

SUBMIT = """
mutation S($input: SubmitReportInput!) {
  submitReport(input: $input) { errors { field code } report { id state } }
}"""
TASKS = """
query { myGridTasks { id state deadline overdue reportId category lat lon photoRequired
  areaName navigation { geo amap baidu } checkIns { distanceM insideCell createdAt } } }"""
CHECK_IN = """
mutation C($input: CheckInInput!) {
  checkIn(input: $input) { errors { field code message } task { state checkIns { distanceM } } }
}"""
CONFIRM = """
mutation C($input: ConfirmReportInput!) {
  confirmReport(input: $input) { errors { field code } task { state onTime report { state } } }
}"""
RESOLVE = """
mutation R($input: ResolveOnSiteInput!) {
  resolveOnSite(input: $input) { errors { field code } task { state report { state } } }
}"""
INVALID = """
mutation I($input: MarkInvalidInput!) {
  markInvalid(input: $input) { errors { field code } task { state report { state } } }
}"""
INBOX = """query { notifications(first: 10) { edges { node { kind title url } } } }"""
TIMELINE = """
query R($id: ID!) { report(id: $id) { state timeline { kind fromState toState isPublic
  photos { url } } } }"""


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def submit(grid, category="litter", at=G1_CENTRE):
    body = Phone(grid.resident)(
        SUBMIT,
        {
            "input": {
                "category": category,
                "description": "路边有一堆垃圾",
                "location": {"lat": at[0], "lon": at[1]},
                "clientRequestId": f"r-{category}-{at}",
            }
        },
    )
    assert body["data"]["submitReport"]["errors"] == []
    return body["data"]["submitReport"]["report"]["id"]


def check_in(api, task_id, at, **extra):
    return api(
        CHECK_IN,
        {"input": {"taskId": task_id, "location": {"lat": at[0], "lon": at[1]}, **extra}},
    )["data"]["checkIn"]


def kinds(grid, report_id):
    body = Phone(grid.dispatcher)(TIMELINE, {"id": report_id})
    return [(e["kind"], e["toState"]) for e in body["data"]["report"]["timeline"]]


def test_a_report_that_needs_verification_becomes_the_cells_workers_task(grid, frozen):
    report_id = submit(grid)
    worker = Phone(grid.w1)
    tasks = worker(TASKS)["data"]["myGridTasks"]
    assert len(tasks) == 1
    task = tasks[0]
    assert task["state"] == "OPEN"
    assert task["reportId"] == report_id
    assert task["category"] == "垃圾堆放"
    assert datetime.fromisoformat(task["deadline"]) == NOW + timedelta(hours=4)
    assert task["overdue"] is False
    assert task["areaName"] == "一号网格"
    assert task["navigation"]["geo"].startswith(f"geo:{G1_CENTRE[0]:.6f},{G1_CENTRE[1]:.6f}")
    # Nobody else of the cell or the city has it.
    assert Phone(grid.w1b)(TASKS)["data"]["myGridTasks"] == []
    assert Phone(grid.w2)(TASKS)["data"]["myGridTasks"] == []
    assert ("VERIFICATION", None) in kinds(grid, report_id)
    # The worker hears of it, in their language, linked to their task list; nobody else does.
    [told] = worker(INBOX)["data"]["notifications"]["edges"]
    assert told["node"]["kind"] == "VERIFICATION_TASK"
    assert told["node"]["title"] == f"诉求 #{Report.objects.get().pk} 待现场核查"
    assert told["node"]["url"].endswith(reverse("grid:tasks"))
    for other in (grid.w1b, grid.w2):
        assert Phone(other)(INBOX)["data"]["notifications"]["edges"] == []

    frozen.move_to(NOW + timedelta(hours=5), tick=False)
    assert worker(TASKS)["data"]["myGridTasks"][0]["overdue"] is True


def test_reports_of_other_categories_or_cells_without_workers_are_no_task(grid, frozen):
    submit(grid, "pothole")
    submit(grid, "litter", at=(24.475, 118.105))  # G3: a supervisor, no worker
    for person in (grid.w1, grid.w1b, grid.w2):
        assert Phone(person)(TASKS)["data"]["myGridTasks"] == []
    assert set(Report.objects.values_list("state", flat=True)) == {State.SUBMITTED}


def test_check_in_from_2_km_away_is_refused_then_on_site_confirmed_and_dispatched(grid, frozen):
    report_id = submit(grid)
    worker = Phone(grid.w1)
    task_id = worker(TASKS)["data"]["myGridTasks"][0]["id"]

    # Confirming before checking in is refused.
    early = worker(CONFIRM, {"input": {"taskId": task_id}})["data"]["confirmReport"]
    assert early["errors"] == [{"field": None, "code": "not_checked_in"}]

    far = check_in(worker, task_id, TWO_KM_AWAY)
    assert [(e["field"], e["code"]) for e in far["errors"]] == [("location", "not_on_site")]
    assert "2000 m" in far["errors"][0]["message"] or "2000" in far["errors"][0]["message"]
    assert far["task"] is None

    frozen.move_to(NOW + timedelta(hours=1), tick=False)
    here = (G1_CENTRE[0] + 0.0001, G1_CENTRE[1])
    done = check_in(worker, task_id, here, clientRequestId="ci-1")
    assert done["errors"] == []
    assert done["task"]["state"] == "CHECKED_IN"
    assert 10 < done["task"]["checkIns"][0]["distanceM"] < 12
    # A retry of the same check-in records nothing more.
    again = check_in(worker, task_id, here, clientRequestId="ci-1")
    assert len(again["task"]["checkIns"]) == 1

    confirmed = worker(CONFIRM, {"input": {"taskId": task_id, "message": "属实"}})
    payload = confirmed["data"]["confirmReport"]
    assert payload["errors"] == []
    assert payload["task"] == {
        "state": "CONFIRMED",
        "onTime": True,
        "report": {"state": "ACCEPTED"},
    }
    assert kinds(grid, report_id) == [
        ("SUBMITTED", "SUBMITTED"),
        ("VERIFICATION", None),
        ("CHECKED_IN", None),
        ("ACCEPTED", "ACCEPTED"),
    ]
    # It goes on to dispatch: the department's dispatcher assigns it.
    assign = Phone(grid.dispatcher)(
        """mutation A($input: AssignReportInput!) { assignReport(input: $input) {
             errors { code } report { state } } }""",
        {"input": {"reportId": report_id, "handlerId": str(grid.dispatcher.pk)}},
    )["data"]["assignReport"]
    assert assign == {"errors": [], "report": {"state": "ASSIGNED"}}
    # Done tasks cannot be checked into again.
    late = check_in(worker, task_id, here)
    assert [e["code"] for e in late["errors"]] == ["task_closed"]


def test_resolved_on_the_spot_with_an_after_photo(grid, frozen, media_root):
    report_id = submit(grid)
    worker = Phone(grid.w1)
    task_id = worker(TASKS)["data"]["myGridTasks"][0]["id"]
    check_in(worker, task_id, G1_CENTRE)

    without = worker(RESOLVE, {"input": {"taskId": task_id, "message": "已清理", "photos": []}})
    assert [e["code"] for e in without["data"]["resolveOnSite"]["errors"]] == ["photo_required"]

    frozen.move_to(NOW + timedelta(hours=6), tick=False)  # after the deadline
    body = worker(
        RESOLVE,
        {"input": {"taskId": task_id, "message": "已清理", "photos": [None]}},
        photo=("variables.input.photos.0", "after.jpg", photo_bytes("nikon_gps_a.jpg")),
    )
    payload = body["data"]["resolveOnSite"]
    assert payload["errors"] == []
    assert payload["task"] == {"state": "RESOLVED", "report": {"state": "RESOLVED"}}
    timeline = Phone(grid.dispatcher)(TIMELINE, {"id": report_id})["data"]["report"]["timeline"]
    resolved = timeline[-1]
    assert (resolved["kind"], resolved["fromState"], resolved["isPublic"]) == (
        "RESOLVED",
        "SUBMITTED",
        True,
    )
    assert len(resolved["photos"]) == 1
    on_time = Phone(grid.w1)("query { myGridTasks { onTime } }")["data"]["myGridTasks"][0]
    assert on_time == {"onTime": False}


def test_marked_invalid_with_a_reason(grid, frozen):
    report_id = submit(grid)
    worker = Phone(grid.w1)
    task_id = worker(TASKS)["data"]["myGridTasks"][0]["id"]
    check_in(worker, task_id, G1_CENTRE)
    no_words = worker(
        INVALID, {"input": {"taskId": task_id, "reason": "NOT_A_PROBLEM", "message": " "}}
    )["data"]["markInvalid"]
    assert [(e["field"], e["code"]) for e in no_words["errors"]] == [("message", "required")]
    body = worker(
        INVALID,
        {"input": {"taskId": task_id, "reason": "NOT_A_PROBLEM", "message": "现场已无垃圾"}},
    )["data"]["markInvalid"]
    assert body == {"errors": [], "task": {"state": "INVALID", "report": {"state": "REJECTED"}}}
    assert kinds(grid, report_id)[-1] == ("REJECTED", "REJECTED")


def test_a_category_asking_for_a_photo_refuses_a_check_in_without_one(grid, frozen, media_root):
    submit(grid, "sign")
    worker = Phone(grid.w1)
    task = worker(TASKS)["data"]["myGridTasks"][0]
    assert task["photoRequired"] is True
    refused = check_in(worker, task["id"], G1_CENTRE)
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("photos", "photo_required")]
    body = worker(
        CHECK_IN,
        {
            "input": {
                "taskId": task["id"],
                "location": {"lat": G1_CENTRE[0], "lon": G1_CENTRE[1]},
                "photos": [None],
            }
        },
        photo=("variables.input.photos.0", "site.jpg", photo_bytes("nikon_gps_a.jpg")),
    )
    assert body["data"]["checkIn"]["errors"] == []
    assert body["data"]["checkIn"]["task"]["state"] == "CHECKED_IN"


def test_only_the_tasks_worker_acts_on_it(grid, frozen):
    submit(grid)
    task_id = Phone(grid.w1)(TASKS)["data"]["myGridTasks"][0]["id"]
    for person in (grid.w1b, grid.w2, grid.resident, grid.sup3):
        body = check_in(Phone(person), task_id, G1_CENTRE)
        assert [(e["field"], e["code"]) for e in body["errors"]] == [("taskId", "not_found")]
    # The cell's supervisor sees the task but may not check in for the worker.
    body = Phone(grid.sup1)(
        CHECK_IN,
        {"input": {"taskId": task_id, "location": {"lat": G1_CENTRE[0], "lon": G1_CENTRE[1]}}},
    )
    assert body["errors"][0]["extensions"]["code"] == "forbidden"


def test_staff_triaging_first_closes_the_task(grid, frozen):
    report_id = submit(grid)
    Phone(grid.dispatcher)(
        """mutation A($input: AcceptReportInput!) { acceptReport(input: $input) {
             errors { code } } }""",
        {"input": {"reportId": report_id}},
    )
    task = Phone(grid.w1)("query { myGridTasks { id state } }")["data"]["myGridTasks"][0]
    assert task["state"] == "WITHDRAWN"
    body = check_in(Phone(grid.w1), task["id"], G1_CENTRE)
    assert [e["code"] for e in body["errors"]] == ["task_closed"]


def test_the_admin_shows_the_verification_steps_on_the_timeline(grid, frozen, client):
    report_id = submit(grid)
    worker = Phone(grid.w1)
    task_id = worker(TASKS)["data"]["myGridTasks"][0]["id"]
    check_in(worker, task_id, G1_CENTRE)
    worker(CONFIRM, {"input": {"taskId": task_id}})
    report = Report.objects.get()
    assert to_global_id("Report", report.pk) == report_id
    client.force_login(grid.dispatcher)
    page = client.get(reverse("report_queue:inspect", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Sent for verification on site" in text
    assert "Checked in on site" in text


def test_the_workers_task_page(grid, frozen, as_user):
    submit(grid)
    page = as_user(grid.w1, language="en").get(reverse("grid:tasks"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "My grid tasks" in text
    assert "amapuri://route/plan/?" in text
    assert "To verify" in text
    assert as_user(None).get(reverse("grid:tasks")).status_code == 302
    assert (
        "没有等待您核查的报告"
        in as_user(grid.w2, language="zh-hans").get(reverse("grid:tasks")).content.decode()
    )
