"""The operations dashboard in the admin, its exports and the monthly report: scoped like the
API, and the exported numbers are the dashboard's."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.operations.test_statistics_api import MARCH, STATISTICS

pytestmark = pytest.mark.django_db

QUERY = "date_from=2026-03-01&date_to=2026-03-31"


@pytest.fixture
def accept_language():
    return "en"


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def refused(response):
    """Wagtail answers a refused admin page with a redirect to the dashboard and a message."""
    if response.status_code == 302:
        return response.url == "/admin/" or response.url.startswith("/accounts/login/")
    return response.status_code == 403


def same(value):
    """A cell as a comparable value: numbers as numbers (a spreadsheet reads 50.0 as 50)."""
    if value is None or value == "":
        return ""
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def test_the_dashboard_shows_the_city_to_a_platform_admin(world, story, as_user):
    response = as_user(world.admin).get(f"/admin/operations/?{QUERY}")
    assert response.status_code == 200
    page = response.content.decode()
    for chart in ("trend", "category", "department", "channel", "area", "grid"):
        assert f'data-chart="{chart}"' in page
    assert 'id="ops-charts"' in page
    assert "Sanitation" in page
    assert "Roads" in page


def test_exports_equal_the_dashboards_numbers(world, story, as_user, gql_as):
    api = gql_as(world.admin)(STATISTICS, {"filter": MARCH})["data"]["statistics"]
    client = as_user(world.admin)
    rows = read_csv(client.get(f"/admin/operations/export/department.csv?{QUERY}"))
    assert rows[0][:4] == ["Department", "Open now", "Received", "Resolved"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Roads"][1:5] == ["0", "3", "2", "50.0"]
    assert by_name["Sanitation"][1:4] == ["1", "1", "0"]
    api_roads = next(row for row in api["byDepartment"] if row["key"] == "roads")
    assert int(by_name["Roads"][2]) == api_roads["received"]
    assert float(by_name["Roads"][4]) == api_roads["onTimeRate"] * 100
    sheet = read_xlsx(client.get(f"/admin/operations/export/department.xlsx?{QUERY}"))
    assert [[same(v) for v in row] for row in sheet] == [[same(v) for v in row] for row in rows]
    headline = dict(read_csv(client.get(f"/admin/operations/export/headline.csv?{QUERY}"))[1:])
    assert headline["Open now"] == str(api["headline"]["open"])
    assert headline["Overdue now"] == str(api["headline"]["overdue"])
    assert headline["Received"] == str(api["headline"]["received"])
    grid = read_csv(client.get(f"/admin/operations/export/grid.csv?{QUERY}"))
    assert grid[1] == ["DW-G1", "DW-G1", "1", "1"]
    ranked = read_csv(client.get(f"/admin/operations/export/departments.csv?{QUERY}"))
    assert ranked[1][:3] == ["1", "Roads", "61.2"]


def test_staff_see_their_department_and_are_refused_others(world, story, as_user):
    client = as_user(world.other_staff)
    rows = read_csv(client.get(f"/admin/operations/export/department.csv?{QUERY}"))
    assert [row[0] for row in rows[1:]] == ["Sanitation"]
    assert refused(client.get(f"/admin/operations/?{QUERY}&department=roads"))
    assert refused(client.get(f"/admin/operations/export/area.csv?{QUERY}&department=roads"))


def test_a_leader_sees_their_area(world, story, as_user, leader_de):
    client = as_user(leader_de)
    assert client.get("/admin/operations/").status_code == 200
    rows = read_csv(client.get(f"/admin/operations/export/headline.csv?{QUERY}"))
    assert dict(rows[1:])["Received"] == "1"
    assert refused(client.get(f"/admin/operations/?{QUERY}&area=DW"))


def test_residents_are_turned_away(world, story, as_user):
    client = as_user(world.resident)
    assert refused(client.get("/admin/operations/"))
    assert refused(client.get("/admin/operations/export/headline.csv"))


def test_bad_filters_never_fail(world, story, as_user):
    client = as_user(world.admin)
    for query in ("date_from=2026-13-45", "date_from=2026-03-31&date_to=2026-03-01", "area=nope"):
        assert client.get(f"/admin/operations/?{query}").status_code == 200
    assert client.get("/admin/operations/export/nothing.csv").status_code == 404
    assert client.get("/admin/operations/export/headline.pdf").status_code == 404


def test_the_monthly_report_is_printable(world, story, as_user):
    client = as_user(world.dispatcher)
    response = client.get("/admin/operations/monthly/?department=roads&month=2026-03")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Roads: monthly report 2026-03" in page
    assert "Rank 1, score 61.2." in page
    other = client.get("/admin/operations/monthly/?department=sanitation&month=2026-03")
    assert refused(other)
    assert client.get("/admin/operations/monthly/?department=roads&month=x").status_code == 404


def test_the_dashboards_queries_do_not_grow_with_the_reports(
    world, story, as_user, committed, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports import services

    client = as_user(world.admin)
    with CaptureQueriesContext(connection) as first:
        assert client.get(f"/admin/operations/?{QUERY}").status_code == 200
    with committed():
        for lon, category in ((6.0, world.fallen_tree), (-4.0, world.dumping), (8.0, world.noise)):
            services.submit_report(
                world.neighbour, category=category, description="x", lat=40.45, lon=lon
            )
    with django_assert_max_num_queries(len(first)):
        assert client.get(f"/admin/operations/?{QUERY}").status_code == 200
