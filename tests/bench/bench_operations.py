"""The operations centre at scale: the city-wide dashboard for a year and the month's rankings
read the figures table, not the reports; open data streams in constant memory.

Run with ``./dev bench -k operations`` (PostgreSQL: prefix ``DATABASE_URL=postgres://…``).
The reports come from ``scale_data.fill`` (a thousand a day: more reports make a longer
history), then ``rebuild_statistics`` counts them. Sizes: ``OPS_BENCH_SIZES`` (default
``10000,100000``; ``10000,1000000`` for the issue's million, which needs a long run).

Printed: for each size the figure rows, the dashboard's and the rankings' median seconds and
the ratio to the smallest size; the peak Python memory while streaming every public report of
the history as CSV, and its ratio.
"""

import os
import time
import tracemalloc
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from civic.operations import services
from civic.operations.models import DailyFigure
from civic.operations.tables import dashboard_tables
from reports.models import Report
from tests.bench.conftest import report, timed
from tests.bench.scale_data import fill
from tests.reports.conftest import world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

SIZES = [int(n) for n in os.environ.get("OPS_BENCH_SIZES", "10000,100000").split(",")]


def _dashboard(admin, today):
    stats = services.statistics(
        admin,
        services.StatisticsFilter(date_from=today - timedelta(days=364), date_to=today),
        trend_by="week",
    )
    return dashboard_tables(stats)


def _stream(client):
    """Peak traced memory (MB) and rows while streaming every public report as CSV."""
    first = timezone.localdate(Report.objects.order_by("created_at").first().created_at)
    tracemalloc.start()
    response = client.get(f"/open-data/reports.csv?date_from={first}")
    assert response.status_code == 200
    rows = -1
    for chunk in response.streaming_content:
        rows += chunk.count(b"\n")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20, rows


def test_the_dashboard_costs_the_same_whatever_the_number_of_reports(world, client, settings):  # noqa: F811
    settings.OPEN_DATA_RATE_PER_IP = "1000/m"
    admin = world.admin
    today = timezone.localdate()
    month = f"{today:%Y-%m}"
    results = []
    for size in SIZES:
        filled = fill(reports=size, photos=False)
        started = time.perf_counter()
        services.rebuild()
        rebuild_seconds = time.perf_counter() - started
        dashboard = timed(lambda: _dashboard(admin, today), 3)
        rankings = timed(lambda: services.rankings(admin, month), 3)
        peak, rows = _stream(client)
        results.append(
            {
                "size": size,
                "reports": Report.objects.count(),
                "figure rows": DailyFigure.objects.count(),
                "fill s": filled["seconds"],
                "rebuild s": round(rebuild_seconds, 1),
                "dashboard s": dashboard,
                "rankings s": rankings,
                "stream rows": rows,
                "stream peak MB": peak,
            }
        )
    base = results[0]
    for result in results:
        report(
            f"{result['reports']:,} reports ({connection.vendor})",
            [
                ("figure rows", f"{result['figure rows']:,}"),
                ("fill / rebuild_statistics", f"{result['fill s']} s / {result['rebuild s']} s"),
                (
                    "city dashboard, a year",
                    f"{result['dashboard s'] * 1000:.0f} ms "
                    f"(× {result['dashboard s'] / base['dashboard s']:.2f})",
                ),
                (
                    "rankings, this month",
                    f"{result['rankings s'] * 1000:.0f} ms "
                    f"(× {result['rankings s'] / base['rankings s']:.2f})",
                ),
                (
                    "open data CSV, every report",
                    f"{result['stream rows']:,} rows, peak {result['stream peak MB']:.1f} MB "
                    f"(× {result['stream peak MB'] / base['stream peak MB']:.2f})",
                ),
            ],
        )
    largest = results[-1]
    assert largest["stream rows"] == Report.objects.filter(is_public=True).count()
    # Streaming: the memory does not grow with the rows.
    assert largest["stream peak MB"] - base["stream peak MB"] < 50
