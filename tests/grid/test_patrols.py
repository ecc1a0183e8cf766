"""Patrols through GraphQL: batches sent twice, out of order and with bad points make one
clean track and clear errors; coverage on the hand-checked cell; only the worker and their
supervisors read a track or a check-in; old tracks are deleted by the retention task."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from graphql_relay import to_global_id

from civic.grid import services
from civic.grid.models import Patrol, PatrolPoint
from civic.grid.tasks import delete_old_tracks
from tests.grid.conftest import G1_EAST, G1_MID_LAT, G1_SOUTH, G1_WEST, G1_WIDTH_DEG, Phone

NOW = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)

START = """
mutation S($input: StartPatrolInput!) {
  startPatrol(input: $input) { errors { field code } patrol { id startedAt } }
}"""
RECORD = """
mutation R($input: RecordPatrolPointsInput!) {
  recordPatrolPoints(input: $input) {
    errors { field code } accepted duplicates rejected { field code message }
  }
}"""
END = """
mutation E($input: EndPatrolInput!) {
  endPatrol(input: $input) { errors { code } patrol { endedAt lengthM durationS coverage
    track { lat lon } } }
}"""
PATROL = "query P($id: ID!) { node(id: $id) { ... on GridPatrol { workerName track { lat } } } }"


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def walk(lat, steps=11, start=NOW):
    """Points west to east along ``lat`` across G1, one a minute, ids p0..p10."""
    return [
        {
            "clientId": f"p{i}",
            "lat": lat,
            "lon": G1_WEST + G1_WIDTH_DEG * i / (steps - 1),
            "recordedAt": (start + timedelta(minutes=i)).isoformat(),
        }
        for i in range(steps)
    ]


def walked(grid, frozen, lat):
    """A patrol of G1 by w1 along ``lat``, ten minutes long, ended."""
    patrol = services.start_patrol(grid.w1, grid.areas["G1"])
    frozen.move_to(NOW + timedelta(minutes=10), tick=False)
    services.record_points(
        grid.w1,
        patrol,
        [
            {
                "client_id": p["clientId"],
                "lat": p["lat"],
                "lon": p["lon"],
                "recorded_at": p["recordedAt"],
            }
            for p in walk(lat)
        ],
    )
    return services.end_patrol(grid.w1, patrol)


def start(phone, grid, client_request_id="patrol-1"):
    body = phone(
        START,
        {
            "input": {
                "areaId": to_global_id("Area", grid.areas["G1"].pk),
                "clientRequestId": client_request_id,
            }
        },
    )
    assert body["data"]["startPatrol"]["errors"] == []
    return body["data"]["startPatrol"]["patrol"]["id"]


def record(phone, patrol_id, points):
    return phone(RECORD, {"input": {"patrolId": patrol_id, "points": points}})["data"][
        "recordPatrolPoints"
    ]


def test_batches_twice_out_of_order_and_bad_points_make_one_clean_track(grid, frozen):
    phone = Phone(grid.w1)
    patrol_id = start(phone, grid)
    assert start(phone, grid) == patrol_id  # a retried start is the same patrol
    points = walk(G1_MID_LAT)
    first, second = points[:6], points[6:]
    frozen.move_to(NOW + timedelta(minutes=12), tick=False)

    # The second batch arrives first, then the first, then the first again.
    assert record(phone, patrol_id, second)["accepted"] == 5
    one = record(phone, patrol_id, first)
    assert (one["accepted"], one["duplicates"], one["rejected"]) == (6, 0, [])
    again = record(phone, patrol_id, first)
    assert (again["accepted"], again["duplicates"]) == (0, 6)

    bad = [
        {"clientId": "b1", "lat": 91.0, "lon": 118.08, "recordedAt": NOW.isoformat()},
        {"clientId": "b2", "lat": 24.47, "lon": -181.0, "recordedAt": NOW.isoformat()},
        {"clientId": "b3", "lat": 0.0, "lon": 0.0, "recordedAt": NOW.isoformat()},
        {"clientId": "", "lat": 24.47, "lon": 118.08, "recordedAt": NOW.isoformat()},
        {"clientId": "b5", "lat": 24.47, "lon": 118.08, "recordedAt": "yesterday"},
        {
            "clientId": "b6",
            "lat": 24.47,
            "lon": 118.08,
            "recordedAt": (NOW - timedelta(days=1)).isoformat(),
        },
        {
            "clientId": "ok",
            "lat": G1_MID_LAT,
            "lon": G1_EAST,
            "recordedAt": (NOW + timedelta(minutes=11)).isoformat(),
        },
    ]
    mixed = record(phone, patrol_id, bad)
    assert mixed["errors"] == []
    assert mixed["accepted"] == 1
    assert [(e["field"], e["code"]) for e in mixed["rejected"]] == [
        ("points.0", "invalid_coordinates"),
        ("points.1", "invalid_coordinates"),
        ("points.2", "invalid_coordinates"),
        ("points.3", "client_id_required"),
        ("points.4", "time_out_of_range"),
        ("points.5", "time_out_of_range"),
    ]
    assert all(e["message"] for e in mixed["rejected"])

    ended = phone(END, {"input": {"patrolId": patrol_id}})["data"]["endPatrol"]["patrol"]
    assert ended["durationS"] == 12 * 60
    lons = [p["lon"] for p in ended["track"]]
    assert lons == sorted(lons)  # in time order, whatever order the batches came in
    assert len(lons) == 12
    assert ended["lengthM"] == pytest.approx(200, abs=0.5)
    assert ended["coverage"] == pytest.approx(0.6, abs=0.005)
    assert PatrolPoint.objects.count() == 12
    # Ending again changes nothing.
    assert phone(END, {"input": {"patrolId": patrol_id}})["data"]["endPatrol"]["patrol"] == ended


@pytest.mark.parametrize(
    ("lat", "expected"),
    [
        (G1_MID_LAT, 0.60),  # a 60 m band through the 100 m tall cell
        (G1_SOUTH, 0.30),  # along the southern edge: only the 30 m inside counts
        (G1_SOUTH - 0.001, 0.0),  # 111 m south of the cell: nothing
    ],
)
def test_coverage_on_the_hand_checked_cell(grid, frozen, lat, expected):
    patrol = walked(grid, frozen, lat)
    assert patrol.coverage == pytest.approx(expected, abs=0.005)


def test_a_worker_patrols_only_their_own_cells_one_at_a_time(grid, frozen):
    phone = Phone(grid.w2)
    body = phone(START, {"input": {"areaId": to_global_id("Area", grid.areas["G1"].pk)}})
    assert [e["code"] for e in body["data"]["startPatrol"]["errors"]] == ["not_your_cell"]
    body = phone(START, {"input": {"areaId": to_global_id("Area", grid.areas["M1"].pk)}})
    assert [e["code"] for e in body["data"]["startPatrol"]["errors"]] == ["not_a_grid_cell"]
    w1 = Phone(grid.w1)
    start(w1, grid, "a")
    body = w1(
        START,
        {"input": {"areaId": to_global_id("Area", grid.areas["G1"].pk), "clientRequestId": "b"}},
    )
    assert [e["code"] for e in body["data"]["startPatrol"]["errors"]] == ["patrol_active"]


def test_only_the_worker_and_their_supervisors_read_a_track_or_a_check_in(grid, frozen):
    phone = Phone(grid.w1)
    patrol_id = start(phone, grid)
    record(phone, patrol_id, walk(G1_MID_LAT)[:3])

    def reads(person):
        return Phone(person)(PATROL, {"id": patrol_id})["data"]["node"]

    assert reads(grid.w1) == {"workerName": "Wang Wei", "track": [{"lat": G1_MID_LAT}] * 3}
    assert reads(grid.sup1)["track"]  # supervisor of the community
    for outsider in (grid.resident, grid.w1b, grid.w2, grid.sup3, grid.dispatcher):
        assert reads(outsider) is None
    assert Phone(None)(PATROL, {"id": patrol_id})["data"]["node"] is None
    # Others cannot add to it either.
    body = Phone(grid.w2)(RECORD, {"input": {"patrolId": patrol_id, "points": walk(G1_MID_LAT)}})
    assert [e["code"] for e in body["data"]["recordPatrolPoints"]["errors"]] == ["not_found"]

    supervised = Phone(grid.sup1)("query { supervisedPatrols { workerName } }")
    assert supervised["data"]["supervisedPatrols"] == [{"workerName": "Wang Wei"}]
    for outsider in (grid.sup3, grid.w2, grid.resident):
        body = Phone(outsider)("query { supervisedPatrols { workerName } }")
        assert body["data"]["supervisedPatrols"] == []


def test_check_ins_are_seen_by_the_worker_and_their_supervisors_only(grid, frozen):
    from tests.grid.test_verification import TASKS, check_in, submit

    submit(grid)
    task_id = Phone(grid.w1)(TASKS)["data"]["myGridTasks"][0]["id"]
    check_in(Phone(grid.w1), task_id, (G1_MID_LAT, G1_WEST + G1_WIDTH_DEG / 2))
    query = "query T($id: ID!) { node(id: $id) { ... on GridTask { checkIns { insideCell } } } }"
    for reader in (grid.w1, grid.sup1):
        node = Phone(reader)(query, {"id": task_id})["data"]["node"]
        assert node == {"checkIns": [{"insideCell": True}]}
    for outsider in (grid.resident, grid.w1b, grid.w2, grid.sup3, grid.dispatcher):
        assert Phone(outsider)(query, {"id": task_id})["data"]["node"] is None
    tasks = Phone(grid.sup1)("query { supervisedGridTasks { checkIns { insideCell } } }")
    assert tasks["data"]["supervisedGridTasks"] == [{"checkIns": [{"insideCell": True}]}]
    assert (
        Phone(grid.sup3)("query { supervisedGridTasks { state } }")["data"]["supervisedGridTasks"]
        == []
    )


def test_old_tracks_are_deleted_after_the_retention_period(grid, frozen, settings):
    settings.GRID_TRACK_RETENTION_DAYS = 30
    walked(grid, frozen, G1_MID_LAT)

    frozen.move_to(NOW + timedelta(days=29), tick=False)
    assert delete_old_tracks.call() == 0
    frozen.move_to(NOW + timedelta(days=31), tick=False)
    assert delete_old_tracks.call() == 1
    call_command("delete_old_tracks", verbosity=0)  # again: nothing more
    patrol = Patrol.objects.get()
    assert patrol.track_deleted
    assert patrol.length_m == pytest.approx(200, abs=0.5)  # the figures stay
    assert not PatrolPoint.objects.exists()


def test_the_worker_app_lists_take_the_same_queries_for_any_page_size(
    grid, frozen, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civic.core.permissions import SYSTEM
    from reports import services as reports

    services.remove_post(SYSTEM, grid.w1b.grid_posts.get())  # all tasks go to w1
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(6):
            reports.submit_report(
                grid.resident,
                category=grid.litter,
                description=f"垃圾 {n}",
                lat=G1_MID_LAT,
                lon=G1_WEST + G1_WIDTH_DEG * (n + 1) / 8,
                client_request_id=f"q{n}",
            )
    for task in grid.w1.grid_tasks.select_related("report"):
        services.check_in(grid.w1, task, lat=task.report.lat, lon=task.report.lon)
    frozen.move_to(NOW + timedelta(minutes=10), tick=False)
    for n in range(6):
        walk_ = services.start_patrol(grid.w1, grid.areas["G1"], client_request_id=f"w{n}")
        services.record_points(
            grid.w1,
            walk_,
            [
                {
                    "client_id": f"{n}-{i}",
                    "lat": G1_MID_LAT,
                    "lon": G1_WEST,
                    "recorded_at": NOW + timedelta(minutes=10),
                }
                for i in range(3)
            ],
        )
        services.end_patrol(grid.w1, walk_)
    phone = Phone(grid.w1)
    tasks = """query Q($first: Int) { myGridTasks(first: $first) { id category areaName
      navigation { amap } checkIns { distanceM } } }"""
    patrols = """query Q($first: Int) { myPatrols(first: $first) { id areaName workerName
      track { lat } } }"""
    for query, name in ((tasks, "myGridTasks"), (patrols, "myPatrols")):
        counts = {}
        for size in (2, 6):
            with CaptureQueriesContext(connection) as captured:
                body = phone(query, {"first": size})
            assert len(body["data"][name]) == size
            counts[size] = len(captured)
        assert counts[2] == counts[6], (name, counts)
