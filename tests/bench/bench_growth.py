"""The app's reads from 10,000 to 1,000,000 reports: how much each grows with the history.

Run with PostgreSQL (the figures that matter are its plans)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civic_perfdb ./dev bench -k growth

The demo city is seeded, topped up to 10,000 reports (and 1,000 forum threads) with
``scale_data``, and each read is timed; then it is topped up to 1,000,000 reports (and 100,000
threads) and each read is timed again. ``BENCH_GROWTH_REPORTS=100000`` makes the second size
smaller for a quick run (threads follow, one for ten reports). Filling a million reports takes
a quarter of an hour on a busy machine.

The reads are the app's own operations from ``frontend_schema/operations`` and the portal's
pages, over HTTP through Django's test client with DEBUG off: the reports feed (page 1, and a
page as deep as half the feed through a keyset cursor), ``nearbyReports`` within 500 m,
``threads(order: HOT)``, the weekly ``leaderboard``, the case library, the portal home page,
a report's page and Open311's ``requests.json`` with its defaults. Each is the median of
interleaved calls; the ratio is the large size's median over the small one's (the goal is at
most 1.5). The two sizes cannot be measured interleaved, as one database holds one size: a
busier machine during one half shows as growth in every read alike.
"""

import io
import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from civic.core.api.pagination import cursor_for
from reports.models import Report
from tests.bench.bench_photo_intake import interleaved
from tests.bench.bench_reports import count_queries
from tests.bench.conftest import report
from tests.bench.scale_data import fill

SMALL = 10_000
LARGE = int(os.environ.get("BENCH_GROWTH_REPORTS", "1000000"))
THREADS_PER_REPORT = 0.1
REPEAT = 9
GOAL = 1.5
FEED_ORDER = ("-created_at", "-id")
# The middle of the demo city, where the grid cells are.
HERE = {"lat": 30.25, "lon": 120.10}
OPERATIONS = Path(settings.BASE_DIR) / "frontend_schema" / "operations"


def operation(name):
    """The app's operation ``name`` with the fragments it spreads, as the app sends it."""
    parts, todo, seen = [], [name], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        text = (OPERATIONS / f"{current}.graphql").read_text()
        parts.append(text)
        todo.extend(re.findall(r"\.\.\.\s*([A-Z]\w*)", text))
    return "\n".join(parts)


def _graphql(client, document, variables):
    def call():
        response = client.post(
            "/graphql/",
            data=json.dumps({"query": document, "variables": variables}),
            content_type="application/json",
        )
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body
        return body["data"]

    return call


def _get(client, path):
    def call():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    return call


def reads(client):
    """The reads, by name, as calls; each checks its answer."""
    public = Report.objects.filter(is_public=True).order_by(*FEED_ORDER)
    middle = public[public.count() // 2]

    feed = operation("ReportFeed")
    return {
        "reports page 1": _graphql(client, feed, {"first": 20}),
        "reports, a page half the feed deep": _graphql(
            client, feed, {"first": 20, "after": cursor_for(middle, FEED_ORDER)}
        ),
        "nearbyReports 500 m": _graphql(
            client, operation("NearbyReports"), {**HERE, "radius": 500, "first": 20}
        ),
        "threads(order: HOT)": _graphql(
            client, operation("Threads"), {"space": "public", "order": "HOT", "first": 20}
        ),
        "leaderboard (week)": _graphql(
            client, operation("Leaderboard"), {"period": "WEEK", "first": 20}
        ),
        "caseStudies (the case library)": _graphql(client, operation("CaseLibrary"), {"first": 20}),
        "portal home page": _get(client, "/"),
        "report page": _get(client, reverse("reports:detail", args=[middle.pk])),
        "Open311 requests.json (defaults)": _get(client, "/open311/v2/requests.json"),
    }


def measure():
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    calls = reads(client)
    counts = {name: count_queries(call)[0] for name, call in calls.items()}
    return interleaved(calls, repeat=REPEAT), counts


@pytest.fixture
def demo(transactional_db, tmp_path, settings):
    """The demo city, committed: rows a transaction has not committed yet cost PostgreSQL a
    check of the transaction's own state on every read, which would be measured as growth."""
    settings.MEDIA_ROOT = str(tmp_path)
    # The reads themselves are measured, not the anonymous readers' cache in front of them.
    settings.PUBLIC_CACHE_SECONDS = 0
    call_command("seed_demo", force=True, stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_reads_grow_little_from_ten_thousand_to_a_million_reports(demo):
    fill(reports=SMALL, threads=int(SMALL * THREADS_PER_REPORT))
    small, small_queries = measure()
    added = fill(reports=LARGE, threads=int(LARGE * THREADS_PER_REPORT))
    large, large_queries = measure()
    ratios = {name: large[name] / small[name] for name in small}
    report(
        f"Growth from {SMALL:,} to {LARGE:,} reports ({connection.vendor}; median of {REPEAT} "
        f"interleaved calls; filling took {added['seconds']:.0f} s)",
        [("read", f"{SMALL:>9,}  {LARGE:>9,}   ratio  queries")]
        + [
            (
                name,
                f"{small[name] * 1e3:7.1f} ms {large[name] * 1e3:7.1f} ms  "
                f"{ratios[name]:5.2f}×  {small_queries[name]}→{large_queries[name]}",
            )
            for name in small
        ],
    )
    assert all(ratio <= GOAL for ratio in ratios.values()), ratios
