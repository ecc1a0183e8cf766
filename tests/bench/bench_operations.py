"""The operations centre at scale: the city-wide dashboard for a year and the month's rankings
read the figures table, not the reports; open data streams in constant memory.

Run with ``./dev bench -k operations`` (PostgreSQL: prefix ``DATABASE_URL=postgres://…``).
The reports come from ``scale_data.fill`` (a thousand a day: more reports make a longer
history), then ``rebuild_statistics`` counts them. Sizes: ``OPS_BENCH_SIZES`` (default
``10000,100000``; ``10000,1000000`` for the issue's million, which needs a long run).

Printed as each size is done: the figure rows, the fill and rebuild times, the dashboard's and the
rankings' median seconds and their ratio to the smallest size (raw and divided by a fixed piece of
work timed alongside, as the machine is shared); the peak Python memory while streaming
every public report of the history as CSV, and its growth.
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


def _calibration():
    """Seconds of a fixed piece of work (Python and small queries) that does not depend on
    the data: other engineers' benchmarks share the machine, so each size's timings are also
    given as a multiple of this, taken right before them."""

    def work():
        with connection.cursor() as cursor:
            for _ in range(200):
                cursor.execute("SELECT 1")
        sum(i * i for i in range(200_000))

    return timed(work, 5)


def test_the_dashboard_costs_the_same_whatever_the_number_of_reports(world, client, settings):  # noqa: F811
    settings.OPEN_DATA_RATE_PER_IP = "1000/m"
    admin = world.admin
    today = timezone.localdate()
    month = f"{today:%Y-%m}"
    base = None
    for size in SIZES:
        filled = fill(reports=size, photos=False)
        started = time.perf_counter()
        services.rebuild()
        rebuild_seconds = time.perf_counter() - started
        # Calibration and measurements interleaved, so that a burst of load elsewhere shows.
        calibration = _calibration()
        dashboard = timed(lambda: _dashboard(admin, today), 5)
        rankings = timed(lambda: services.rankings(admin, month), 5)
        calibration = (calibration + _calibration()) / 2
        peak, rows = _stream(client)
        result = {
            "reports": Report.objects.count(),
            "dashboard s": dashboard,
            "rankings s": rankings,
            "calibration s": calibration,
            "stream peak MB": peak,
        }
        base = base or result

        def ratio(name, result=result, base=base):
            raw = result[name] / base[name]
            steady = raw * base["calibration s"] / result["calibration s"]
            return f"× {raw:.2f}, × {steady:.2f} for the load"

        report(
            f"{result['reports']:,} reports ({connection.vendor})",
            [
                ("figure rows", f"{DailyFigure.objects.count():,}"),
                ("fill / rebuild_statistics", f"{filled['seconds']} s / {rebuild_seconds:.1f} s"),
                ("calibration", f"{calibration * 1000:.0f} ms"),
                ("city dashboard, a year", f"{dashboard * 1000:.0f} ms ({ratio('dashboard s')})"),
                ("rankings, this month", f"{rankings * 1000:.0f} ms ({ratio('rankings s')})"),
                (
                    "open data CSV, every report",
                    f"{rows:,} rows, peak {peak:.1f} MB "
                    f"(+{peak - base['stream peak MB']:.1f} MB on the first size)",
                ),
            ],
        )
        assert rows == Report.objects.filter(is_public=True).count()
        # Streaming: the memory does not grow with the rows.
        assert peak - base["stream peak MB"] < 50
