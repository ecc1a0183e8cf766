"""area_at over 10,000 grid cells: the STRtree index against a loop over every polygon.

Run with ``./dev bench`` (or ``./dev bench -k area_at``). Prints medians and their ratio, both
measured in this run, so the figure holds on a busy machine.
"""

import random

import pytest
import shapely
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civic.areas import spatial
from civic.areas.geometry import parse_boundary
from civic.areas.models import Area
from civic.areas.queries import area_at
from tests.bench.conftest import report, timed
from tests.geo import rect

SIDE = 100  # SIDE × SIDE grid cells
DISTRICTS = 10  # DISTRICTS × DISTRICTS districts, each with one community over its cells
CELL = 0.001  # degrees


def build_city():
    """A city of 10,000 grid cells under 100 districts and communities, written in bulk."""

    def node(path, depth, kind, code, geometry, numchild):
        lon0, lat0, lon1, lat1 = shapely.bounds(shapely.geometry.shape(geometry))
        return Area(
            path=path,
            depth=depth,
            numchild=numchild,
            kind=kind,
            code=code,
            name=code,
            boundary=geometry,
            min_lon=lon0,
            min_lat=lat0,
            max_lon=lon1,
            max_lat=lat1,
        )

    size = SIDE * CELL
    rows = [node(Area._get_path(None, 1, 1), 1, "city", "C", rect(0, 0, size, size), DISTRICTS**2)]
    per = SIDE // DISTRICTS
    for d in range(DISTRICTS**2):
        dx, dy = divmod(d, DISTRICTS)
        box = rect(dx * per * CELL, dy * per * CELL, (dx + 1) * per * CELL, (dy + 1) * per * CELL)
        d_path = Area._get_path(rows[0].path, 2, d + 1)
        c_path = Area._get_path(d_path, 3, 1)
        rows.append(node(d_path, 2, "district", f"D{d}", box, 1))
        rows.append(node(c_path, 3, "community", f"D{d}-M", box, per * per))
        for g in range(per * per):
            gx, gy = divmod(g, per)
            x0, y0 = (dx * per + gx) * CELL, (dy * per + gy) * CELL
            rows.append(
                node(
                    Area._get_path(c_path, 4, g + 1),
                    4,
                    "grid",
                    f"D{d}-G{g}",
                    rect(x0, y0, x0 + CELL, y0 + CELL),
                    0,
                )
            )
    Area.objects.bulk_create(rows, batch_size=2000)
    return size


def naive_locate(polygons, lon, lat):
    """What one would write without an index: test every polygon, keep the deepest."""
    point = shapely.Point(lon, lat)
    best = None
    for pk, depth, path, polygon in polygons:
        if polygon.intersects(point) and (best is None or (-depth, path) < (-best[1], best[2])):
            best = (pk, depth, path)
    return best and (best[0], best[2])


@pytest.mark.django_db
def test_area_at_index_against_a_loop_over_all_polygons():
    size = build_city()
    rng = random.Random(7)
    points = [(rng.uniform(0, size), rng.uniform(0, size)) for _ in range(200)]
    polygons = [
        (pk, depth, path, parse_boundary(b))
        for pk, depth, path, b in Area.objects.values_list("id", "depth", "path", "boundary")
    ]
    assert sum(1 for p in polygons if p[1] == 4) == SIDE * SIDE

    build = timed(lambda: spatial._load(), repeat=3)
    index = spatial.get_index()
    for lat, lon in points[:20]:
        assert index.locate(lon, lat) == naive_locate(polygons, lon, lat)

    indexed = timed(lambda: [index.locate(lon, lat) for lat, lon in points], repeat=5)
    naive = timed(lambda: [naive_locate(polygons, lon, lat) for lat, lon in points[:20]], repeat=3)
    per_indexed = indexed / len(points)
    per_naive = naive / 20
    full = timed(lambda: [area_at(lat, lon) for lat, lon in points], repeat=5) / len(points)
    with CaptureQueriesContext(connection) as captured:
        found = area_at(*points[0])
    assert [a.kind for a in found] == ["city", "district", "community", "grid"]

    report(
        f"area_at over {SIDE * SIDE:,} grid cells ({len(polygons):,} areas in all)",
        [
            ("index build (all areas, from the database)", f"{build * 1000:.0f} ms"),
            ("index lookup, per point", f"{per_indexed * 1e6:.1f} µs"),
            ("loop over all polygons, per point", f"{per_naive * 1e6:.0f} µs"),
            ("loop ÷ index (speed-up)", f"{per_naive / per_indexed:.0f}×"),
            ("area_at with its ancestors from the database", f"{full * 1e6:.0f} µs"),
            ("SQL queries per area_at", len(captured)),
        ],
    )
    assert per_naive / per_indexed > 20
    assert len(captured) == 1
