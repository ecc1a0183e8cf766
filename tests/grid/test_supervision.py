"""Supervisors' view: the daily summary per worker and cell (GraphQL and admin), reports found
on patrol counted for the worker (and paying them no points), the admin's supervision screen
with the tracks on a map."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from graphql_relay import to_global_id

from civic.core.roles import Role
from civic.grid import services
from civic.grid.queries import daily_summary
from rewards.models import LedgerEntry
from tests.grid.conftest import G1_CENTRE, G1_MID_LAT, G1_WEST, G1_WIDTH_DEG, Phone

NOW = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)  # 09:00 in Asia/Shanghai
DAY = "2026-06-01"

SUMMARY = """query S($areaId: ID!, $date: Date!) { gridSummary(areaId: $areaId, date: $date) {
  workerName areaCode patrols patrolSeconds distanceM coverage reportsFound tasksVerified
  tasksOnTime } }"""


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def patrol(grid, frozen, worker, cell="G1", minutes=10):
    started = services.start_patrol(worker, grid.areas[cell])
    frozen.move_to(started.started_at + timedelta(minutes=minutes), tick=False)
    services.record_points(
        worker,
        started,
        [
            {
                "client_id": f"p{i}",
                "lat": G1_MID_LAT,
                "lon": G1_WEST + G1_WIDTH_DEG * i / 10,
                "recorded_at": started.started_at + timedelta(minutes=i),
            }
            for i in range(11)
        ],
    )
    return services.end_patrol(worker, started)


def file_on_patrol(grid, walk):
    return services.file_patrol_report(
        grid.w1,
        walk,
        category=grid.pothole,
        description="巡查发现坑洼",
        lat=G1_CENTRE[0],
        lon=G1_CENTRE[1],
        client_request_id=f"found-{walk.pk}",
    )


def test_the_daily_summary_per_worker_and_cell(grid, frozen, django_capture_on_commit_callbacks):
    from tests.grid.test_verification import CHECK_IN, CONFIRM, TASKS, submit

    walk = patrol(grid, frozen, grid.w1)
    with django_capture_on_commit_callbacks(execute=True):
        found = file_on_patrol(grid, walk)
    assert found.channel == "patrol"
    submit(grid)
    worker = Phone(grid.w1)
    task_id = worker(TASKS)["data"]["myGridTasks"][0]["id"]
    worker(
        CHECK_IN,
        {"input": {"taskId": task_id, "location": {"lat": G1_CENTRE[0], "lon": G1_CENTRE[1]}}},
    )
    worker(CONFIRM, {"input": {"taskId": task_id}})

    rows = Phone(grid.sup1)(
        SUMMARY, {"areaId": to_global_id("Area", grid.areas["M1"].pk), "date": DAY}
    )["data"]["gridSummary"]
    by_worker = {(r["workerName"], r["areaCode"]): r for r in rows}
    assert set(by_worker) == {("Wang Wei", "G1"), ("Li Na", "G1"), ("Zhao Lei", "G2")}
    wang = by_worker[("Wang Wei", "G1")]
    assert wang["patrols"] == 1
    assert wang["patrolSeconds"] == 600
    assert wang["distanceM"] == pytest.approx(200, abs=0.5)
    assert wang["coverage"] == pytest.approx(0.6, abs=0.005)
    assert (wang["reportsFound"], wang["tasksVerified"], wang["tasksOnTime"]) == (1, 1, 1)
    assert by_worker[("Zhao Lei", "G2")]["patrols"] == 0
    # The day before shows nothing done.
    before = Phone(grid.sup1)(
        SUMMARY, {"areaId": to_global_id("Area", grid.areas["G1"].pk), "date": "2026-05-31"}
    )["data"]["gridSummary"]
    assert {r["patrols"] + r["tasksVerified"] + r["reportsFound"] for r in before} == {0}


def test_reports_found_on_patrol_pay_the_worker_no_points(
    grid, frozen, django_capture_on_commit_callbacks
):
    from reports import services as reports

    walk = patrol(grid, frozen, grid.w1)
    with django_capture_on_commit_callbacks(execute=True):
        found = file_on_patrol(grid, walk)
        reports.accept(grid.dispatcher, found)
        resident_report = reports.submit_report(
            grid.resident,
            category=grid.pothole,
            lat=G1_CENTRE[0],
            lon=G1_CENTRE[1],
            description="坑",
            client_request_id="r1",
        )
        reports.accept(grid.dispatcher, resident_report)
    assert not LedgerEntry.objects.filter(account__user=grid.w1).exists()
    assert LedgerEntry.objects.filter(account__user=grid.resident, amount__gt=0).exists()
    # A patrol report needs no verification task: the worker was there.
    assert not hasattr(found, "grid_task") or found.grid_task is None


def test_only_supervisors_of_the_area_and_platform_admins_read_the_summary(grid, make_user):
    area = to_global_id("Area", grid.areas["G1"].pk)
    for outsider in (grid.w1, grid.resident, grid.sup3, grid.dispatcher):
        body = Phone(outsider)(SUMMARY, {"areaId": area, "date": DAY})
        assert body["errors"][0]["extensions"]["code"] == "forbidden"
    assert Phone(make_user(Role.ADMIN))(SUMMARY, {"areaId": area, "date": DAY})["data"][
        "gridSummary"
    ]
    assert (
        Phone(None)(SUMMARY, {"areaId": area, "date": DAY})["errors"][0]["extensions"]["code"]
        == "unauthenticated"
    )


def test_the_summary_takes_a_fixed_number_of_queries(grid, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        daily_summary(grid.areas["S"], NOW.date())


def test_the_admin_supervision_screen(grid, frozen, client):
    from civic.accounts.services import grant_role
    from civic.core.roles import Role as R

    patrol(grid, frozen, grid.w1)
    grant_role(grid.sup1, R.STAFF)
    grant_role(grid.sup3, R.STAFF)
    client.force_login(grid.sup1)
    url = reverse("grid_supervision")
    page = client.get(url, {"area": grid.areas["M1"].pk, "date": DAY}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Daily summary" in text
    assert "Wang Wei" in text
    assert "<polyline" in text  # the track on the map
    # Another supervisor cannot pick M1 (not theirs); a worker cannot get in.
    client.force_login(grid.sup3)
    page = client.get(url, {"area": grid.areas["M1"].pk, "date": DAY})
    assert page.status_code == 200
    assert "<polyline" not in page.content.decode()
    client.force_login(grid.w1)
    assert client.get(url).status_code in (302, 403)


def test_a_report_filed_on_patrol_through_the_app(grid, frozen):
    walk = patrol(grid, frozen, grid.w1)
    mutation = """mutation R($input: ReportOnPatrolInput!) { reportOnPatrol(input: $input) {
        errors { field code } report { id state } } }"""
    variables = {
        "input": {
            "patrolId": to_global_id("GridPatrol", walk.pk),
            "category": "pothole",
            "description": "巡查发现坑洼",
            "location": {"lat": G1_CENTRE[0], "lon": G1_CENTRE[1]},
            "clientRequestId": "found-1",
        }
    }
    body = Phone(grid.w1)(mutation, variables)["data"]["reportOnPatrol"]
    assert body["errors"] == []
    again = Phone(grid.w1)(mutation, variables)["data"]["reportOnPatrol"]
    assert again["report"]["id"] == body["report"]["id"]
    from reports.models import Report

    assert list(Report.objects.values_list("channel", "reporter")) == [("patrol", grid.w1.pk)]
    # Someone else's patrol is not found.
    other = Phone(grid.w2)(mutation, variables)["data"]["reportOnPatrol"]
    assert [(e["field"], e["code"]) for e in other["errors"]] == [("patrolId", "not_found")]
