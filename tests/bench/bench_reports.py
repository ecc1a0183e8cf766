"""Reports at scale, and photo intake through the API.

Run with ``./dev bench -k reports`` (on PostgreSQL too: prefix ``DATABASE_URL=postgres://…``).
Each figure is a ratio against the naive way measured in the same run, so a busy machine slows
both sides alike; query counts are printed beside.

* ``submitReport`` with iphone6_gps_madrid.jpg over HTTP (multipart, database, storage) against
  Pillow alone making the same two JPEGs naively.
* ``nearbyReports`` and the ``reports`` feed with 100,000 reports against a full scan of them.
"""

import io
import json
import random
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from reports import queries
from reports.models import Report, State
from tests.bench.bench_photo_intake import PHOTO, interleaved, naive_pillow
from tests.bench.conftest import report
from tests.reports.conftest import submit, world  # noqa: F401  (fixtures)

REPORTS = 100_000
# A city-sized square (about 22 × 17 km) inside the test city's western district, so that the
# density (≈270 reports per km²) is a real city's after a few years, not a scattering.
CENTRE = (40.45, -3.70)
SPREAD = 0.1


def _submit_query():
    return (
        "mutation S($input: SubmitReportInput!) { submitReport(input: $input) "
        "{ errors { code } report { number } } }"
    )


def test_submit_report_over_http_against_naive_pillow(world):  # noqa: F811
    data = PHOTO.read_bytes()
    phone = Client()
    phone.force_login(world.resident)

    def submit_over_http():
        variables = {
            "input": {
                "category": "pothole",
                "description": "路面坑洼",
                "answers": [{"code": "size", "value": "large"}],
                "clientRequestId": uuid.uuid4().hex,
                "photos": [None],
            }
        }
        upload = io.BytesIO(data)
        upload.name = PHOTO.name
        response = phone.post(
            "/graphql/",
            data={
                "operations": json.dumps({"query": _submit_query(), "variables": variables}),
                "map": json.dumps({"0": ["variables.input.photos.0"]}),
                "0": upload,
            },
        )
        assert response.json()["data"]["submitReport"]["errors"] == []

    submit_queries, _result = count_queries(submit_over_http)
    medians = interleaved(
        {"submitReport": submit_over_http, "naive": lambda: naive_pillow(data)}, repeat=9
    )
    ratio = medians["submitReport"] / medians["naive"]
    report(
        f"submitReport over HTTP with {PHOTO.name}, median of 9 interleaved runs "
        f"({connection.vendor})",
        [
            (
                "submitReport (multipart, 2 JPEGs stored, DB)",
                f"{medians['submitReport'] * 1e3:.0f} ms",
            ),
            ("Pillow naively (2 JPEGs, nothing stored)", f"{medians['naive'] * 1e3:.0f} ms"),
            ("submitReport ÷ naive", f"{ratio:.2f}"),
            ("SQL queries per submission", str(submit_queries)),
        ],
    )
    assert ratio < 1.0


@pytest.fixture
def many_reports(world):  # noqa: F811
    rng = random.Random(2026)
    now = timezone.now()
    states = [State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS, State.RESOLVED, State.CLOSED]
    # Not sensitive ones: their public points are coarse, which a plain scan would not match.
    categories = [world.pothole, world.dumping, world.graffiti]
    grid = world.areas["DW-G1"]
    rows = [
        Report(
            category=rng.choice(categories),
            description="bench",
            lat=CENTRE[0] + rng.uniform(-SPREAD, SPREAD) * 0.75,
            lon=CENTRE[1] + rng.uniform(-SPREAD, SPREAD),
            location_source="given",
            area=grid,
            area_path=grid.path,
            department=world.roads,
            state=rng.choice(states),
            reporter=world.resident,
            submitted_by=world.resident,
            channel="app",
        )
        for _ in range(REPORTS)
    ]
    Report.objects.bulk_create(rows, batch_size=5000)
    # Spread the submission times over two years, as a real feed's would be.
    for offset, pk in enumerate(Report.objects.values_list("pk", flat=True)):
        if offset % 1000 == 0:
            Report.objects.filter(pk__gte=pk, pk__lt=pk + 1000).update(
                created_at=now - timedelta(minutes=offset * 10)
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "ANALYZE reports_report")
    return world


def count_queries(fn):
    """``(number of SQL statements, result)`` of calling ``fn``, counted at the cursor (the
    debug query log is capped and may already be full in a long benchmark)."""
    executed = []

    def counter(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        result = fn()
    return len(executed), result


def _full_scan_nearby(lat, lon, radius):
    found = [
        (queries.distance_m(lat, lon, rlat, rlon), pk)
        for pk, rlat, rlon, state in Report.objects.values_list("pk", "lat", "lon", "state")
        if state in queries.OPEN_STATES
    ]
    return sorted(hit for hit in found if hit[0] <= radius)[:20]


def _full_scan_feed():
    rows = Report.objects.filter(is_public=True).values_list("created_at", "pk")
    return sorted(rows, reverse=True)[:20]


def _graphql(client, query, variables=None):
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


NEARBY = (
    "query N($lat: Float!, $lon: Float!) { nearbyReports(lat: $lat, lon: $lon, radius: 100) "
    "{ distance report { number state category { name } photos { thumbnailUrl } } } }"
)
FEED = (
    "query F($after: String, $bbox: BoundingBoxInput) { reports(first: 20, after: $after, "
    "bbox: $bbox) { edges { node { number state category { name } location { lat lon } "
    "photos { thumbnailUrl } } } pageInfo { endCursor } } }"
)


def test_nearby_and_feed_at_100k_reports_against_a_full_scan(many_reports):
    client = Client()
    lat, lon = CENTRE
    ours = [pk for pk, _m in ((r.pk, m) for r, m in queries.nearby_open_reports(lat, lon, 100))]
    assert ours == [pk for _m, pk in _full_scan_nearby(lat, lon, 100)]

    nearby_queries, _data = count_queries(
        lambda: _graphql(client, NEARBY, {"lat": lat, "lon": lon})
    )
    feed_queries, data = count_queries(lambda: _graphql(client, FEED))
    page = data["reports"]
    cursor = page["pageInfo"]["endCursor"]
    box = {"minLat": 40.44, "minLon": -3.71, "maxLat": 40.46, "maxLon": -3.69}

    medians = interleaved(
        {
            "nearby (service)": lambda: queries.nearby_open_reports(lat, lon, 100),
            "nearby (GraphQL over HTTP)": lambda: _graphql(
                client, NEARBY, {"lat": lat, "lon": lon}
            ),
            "nearby full scan": lambda: _full_scan_nearby(lat, lon, 100),
            "feed page 1 (GraphQL over HTTP)": lambda: _graphql(client, FEED),
            "feed page 2 (GraphQL over HTTP)": lambda: _graphql(client, FEED, {"after": cursor}),
            "feed in a 2 km box (GraphQL)": lambda: _graphql(client, FEED, {"bbox": box}),
            "feed full scan": _full_scan_feed,
        },
        repeat=5,
    )

    def ms(name):
        return f"{medians[name] * 1e3:.1f} ms"

    nearby_ratio = medians["nearby (GraphQL over HTTP)"] / medians["nearby full scan"]
    feed_ratio = medians["feed page 1 (GraphQL over HTTP)"] / medians["feed full scan"]
    report(
        f"{REPORTS:,} reports ({connection.vendor}), median of 5 interleaved runs",
        [
            ("nearbyReports, service only", ms("nearby (service)")),
            ("nearbyReports over HTTP", ms("nearby (GraphQL over HTTP)")),
            ("full scan of every report's distance", ms("nearby full scan")),
            ("nearbyReports ÷ full scan", f"{nearby_ratio:.3f}"),
            ("SQL queries for nearbyReports", str(nearby_queries)),
            ("reports feed, page 1 over HTTP", ms("feed page 1 (GraphQL over HTTP)")),
            ("reports feed, page 2 over HTTP", ms("feed page 2 (GraphQL over HTTP)")),
            ("reports feed in a 2 km box over HTTP", ms("feed in a 2 km box (GraphQL)")),
            ("full scan sorted for the newest 20", ms("feed full scan")),
            ("feed ÷ full scan", f"{feed_ratio:.3f}"),
            ("SQL queries for a feed page", str(feed_queries)),
        ],
    )
    assert nearby_ratio < 0.5
    assert feed_ratio < 0.2
