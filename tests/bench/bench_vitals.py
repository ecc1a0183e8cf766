"""City vital signs at scale: evaluating 1,000 indicators over 10,000 grid cells, and storing
readings.

Run with ``./dev bench tests/bench/bench_vitals.py`` (PostgreSQL: prefix
``DATABASE_URL=postgres://…``). The area tree (a city, 10 districts, 10,000 grid cells) is
written in bulk; 1,000 sensor indicators at grid scope read 2,000 sensors on 20 measures (each
indicator reads about 100 sensors with a reading in its window, a few past a threshold).

Printed: the seconds of one evaluation of every indicator (a second one, with the warnings
open, after it), the values and warnings it stored; readings per second through the ingest
service and through the HTTP endpoint in batches of 1,000, first stored and then retried.
"""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civic.areas.models import Area
from civic.core.permissions import SYSTEM
from civic.vitals import services
from civic.vitals.models import Indicator, IndicatorValue, Reading, Sensor, Warning
from tests.bench.conftest import report

pytestmark = pytest.mark.django_db

CELLS, DISTRICTS, INDICATORS, SENSORS, MEASURES = 10_000, 10, 1_000, 2_000, 20


def _tree():
    def box(x, y, size):
        return {
            "boundary": {
                "type": "Polygon",
                "coordinates": [
                    [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
                ],
            },
            "min_lon": x,
            "min_lat": y,
            "max_lon": x + size,
            "max_lat": y + size,
        }

    root_path = Area._get_path(None, 1, 1)
    rows = [
        Area(
            path=root_path,
            depth=1,
            numchild=DISTRICTS,
            kind="city",
            code="B",
            name="城",
            **box(0, 0, 100),
        )
    ]
    per = CELLS // DISTRICTS
    for d in range(DISTRICTS):
        path = Area._get_path(root_path, 2, d + 1)
        rows.append(
            Area(
                path=path,
                depth=2,
                numchild=per,
                kind="district",
                code=f"B{d}",
                name=f"区{d}",
                **box(d * 10, 0, 10),
            )
        )
        for c in range(per):
            x, y = d * 10 + (c % 10), c // 10 * 0.1
            rows.append(
                Area(
                    path=Area._get_path(path, 3, c + 1),
                    depth=3,
                    numchild=0,
                    kind="grid",
                    code=f"B{d}-{c}",
                    name=f"格{d}-{c}",
                    **box(x, y, 0.1),
                )
            )
    Area.objects.bulk_create(rows, batch_size=2000)
    return list(Area.objects.filter(kind="grid").order_by("path"))


def test_evaluating_a_thousand_indicators_over_ten_thousand_cells(client):
    cells = _tree()
    sensors = Sensor.objects.bulk_create(
        [
            Sensor(
                code=f"s{n}",
                name=f"s{n}",
                measure=f"m{n % MEASURES}",
                unit="u",
                area=cells[n * 5 % len(cells)],
                area_path=cells[n * 5 % len(cells)].path,
            )
            for n in range(SENSORS)
        ]
    )
    Indicator.objects.bulk_create(
        [
            Indicator(
                code=f"i{n}",
                name=f"指标{n}",
                domain="safety",
                scope="grid",
                source="sensor",
                measure=f"m{n % MEASURES}",
                window_minutes=60,
                threshold_4=90,
                threshold_3=95,
                threshold_2=98,
                threshold_1=99.5,
                hysteresis=1,
            )
            for n in range(INDICATORS)
        ]
    )
    now = timezone.now()
    batch = [
        {
            "sensor": s.code,
            "time": (now - timedelta(minutes=m)).isoformat(),
            "value": (n * 37 + m) % 100,
        }
        for n, s in enumerate(sensors)
        for m in (5, 25, 45)
    ][: 1000 * (3 * SENSORS // 1000)]
    start = time.perf_counter()
    for i in range(0, len(batch), 1000):
        services.ingest(batch[i : i + 1000], now=now)
    service_rate = len(batch) / (time.perf_counter() - start)

    start = time.perf_counter()
    first = services.evaluate_indicators(now)
    evaluate_first = time.perf_counter() - start
    start = time.perf_counter()
    services.evaluate_indicators(now + timedelta(minutes=1))
    evaluate_again = time.perf_counter() - start

    key = services.issue_key(SYSTEM, name="bench", rate_limit=100_000)
    later = now + timedelta(minutes=2)
    http_batches = [
        [
            {
                "sensor": f"s{(i * 1000 + k) % SENSORS}",
                "time": (later - timedelta(seconds=i * 1000 + k)).isoformat(),
                "value": 1.0,
            }
            for k in range(1000)
        ]
        for i in range(10)
    ]

    def post_all():
        start = time.perf_counter()
        for readings in http_batches:
            response = client.post(
                reverse("vitals:ingest"),
                {"readings": readings},
                content_type="application/json",
                headers={"X-Api-Key": key.raw},
            )
            assert response.status_code == 200
        return 10_000 / (time.perf_counter() - start)

    http_rate = post_all()
    retry_rate = post_all()
    report(
        "City vital signs: 1,000 indicators over 10,000 grid cells",
        [
            ("areas", Area.objects.count()),
            (
                "indicators / sensors / readings",
                f"{INDICATORS} / {SENSORS} / {Reading.objects.count()}",
            ),
            ("evaluate all, first (s)", f"{evaluate_first:.2f}"),
            ("evaluate all, again with warnings open (s)", f"{evaluate_again:.2f}"),
            ("values stored per evaluation", first.values),
            (
                "warnings opened",
                f"{len(first.opened)} (live now {Warning.objects.exclude(state='closed').count()})",
            ),
            ("indicator values kept", IndicatorValue.objects.count()),
            ("ingest service, readings/s (batches of 1,000)", f"{service_rate:,.0f}"),
            ("ingest HTTP, readings/s (new)", f"{http_rate:,.0f}"),
            ("ingest HTTP, readings/s (retried batch, all duplicates)", f"{retry_rate:,.0f}"),
        ],
    )
    assert Warning.objects.exclude(state="closed").count() == len(first.opened)
