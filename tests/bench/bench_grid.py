"""Grid workers: patrol points ingested per second, and the supervisors' daily summary over
10,000 grid cells. Run on PostgreSQL with ``DATABASE_URL=postgres://… ./dev bench
tests/bench/bench_grid.py``. Prints figures and ratios measured in this run.
"""

import random
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civic.areas.models import Area
from civic.grid import services
from civic.grid.models import Patrol, PatrolPoint, Post, PostRole
from civic.grid.queries import daily_summary
from tests.bench.bench_area_at import CELL, SIDE, build_city
from tests.bench.conftest import report, timed

BATCH = 500


def points(patrol, start, count, prefix):
    rng = random.Random(str(prefix))
    return [
        {
            "client_id": f"{prefix}-{i}",
            "lat": rng.uniform(0, CELL),
            "lon": rng.uniform(0, CELL),
            "recorded_at": start + timedelta(seconds=i),
        }
        for i in range(count)
    ]


@pytest.mark.django_db
def test_patrol_points_ingested_per_second():
    build_city()
    cell = Area.objects.get(code="D0-G0")
    worker = get_user_model().objects.create(username="w", email="w@example.org")
    Post.objects.create(area=cell, user=worker, role=PostRole.WORKER)
    patrol = services.start_patrol(worker, cell)
    start = patrol.started_at - timedelta(minutes=4)
    batches = iter(range(10_000))

    def new_batch():
        services.record_points(worker, patrol, points(patrol, start, BATCH, next(batches)))

    fresh = timed(new_batch, repeat=10)
    resent = points(patrol, start, BATCH, 0)
    duplicate = timed(lambda: services.record_points(worker, patrol, resent), repeat=10)
    with CaptureQueriesContext(connection) as captured:
        new_batch()
    stored = PatrolPoint.objects.filter(patrol=patrol).count()
    end = timed(lambda: services._compute_figures(_ended(patrol)), repeat=3)
    report(
        f"patrol point ingest ({connection.vendor}), batches of {BATCH}",
        [
            ("new points per second", f"{BATCH / fresh:,.0f}"),
            ("resent (duplicate) points per second", f"{BATCH / duplicate:,.0f}"),
            ("new ÷ resent batch time", f"{fresh / duplicate:.1f}×"),
            ("SQL queries per batch", len(captured)),
            (f"end of patrol with {stored:,} points (length, coverage)", f"{end * 1000:.0f} ms"),
        ],
    )
    assert stored == 12 * BATCH  # the warm-up, ten timed and one counted batch
    assert len(captured) <= 6


def _ended(patrol):
    patrol.ended_at = timezone.now()
    return patrol


@pytest.mark.django_db
def test_daily_summary_for_10000_cells():
    build_city()
    cells = list(Area.objects.filter(kind="grid").order_by("pk").values_list("pk", flat=True))
    assert len(cells) == SIDE * SIDE
    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"w{n}", email=f"w{n}@example.org") for n in range(len(cells))],
        batch_size=2000,
    )
    users = list(User.objects.filter(username__startswith="w").order_by("pk"))
    Post.objects.bulk_create(
        [
            Post(area_id=cell, user=user, role=PostRole.WORKER)
            for cell, user in zip(cells, users, strict=True)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    Patrol.objects.bulk_create(
        [
            Patrol(
                worker=user,
                area_id=cell,
                started_at=now - timedelta(hours=1),
                ended_at=now,
                length_m=1500,
                duration_s=3600,
                coverage=0.4,
            )
            for cell, user in zip(cells, users, strict=True)
        ],
        batch_size=2000,
    )
    city = Area.objects.get(code="C")
    district = Area.objects.get(code="D0")
    day = timezone.localdate(now)
    with CaptureQueriesContext(connection) as captured:
        rows = daily_summary(city, day)
    assert len(rows) == SIDE * SIDE
    assert {r.patrols for r in rows} == {1}
    whole = timed(lambda: daily_summary(city, day), repeat=3)
    one = timed(lambda: daily_summary(district, day), repeat=5)
    one_rows = len(daily_summary(district, day))
    report(
        f"daily summary ({connection.vendor})",
        [
            (f"{len(rows):,} cells (the city)", f"{whole * 1000:.0f} ms"),
            (f"{one_rows:,} cells (a district)", f"{one * 1000:.1f} ms"),
            ("per cell, city ÷ district", f"{(whole / len(rows)) / (one / one_rows):.2f}"),
            ("SQL queries (any size)", len(captured)),
        ],
    )
    assert len(captured) == 4
