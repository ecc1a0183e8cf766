"""``statistics`` and ``departmentRankings`` through GraphQL: the numbers, and who sees what."""

import pytest
from graphql_relay import to_global_id

pytestmark = pytest.mark.django_db

STATISTICS = """
query($filter: StatisticsFilter, $by: TrendPeriod) {
  statistics(filter: $filter, trendBy: $by) {
    from to
    headline { received accepted resolved rejected open overdue onTimeRate acceptOnTimeRate
               satisfaction meanRating reopenRate medianHoursToResolve p90HoursToResolve
               medianHoursToAccept ratings }
    trend { start received resolved }
    byCategory { key open received }
    byDepartment { key received resolved onTimeRate }
    byChannel { key received }
    byArea { key received open }
    grid { area { code } open overdue }
  }
}
"""

RANKINGS = """
query($period: String!, $areaId: ID) {
  departmentRankings(period: $period, areaId: $areaId) {
    period formula
    headline { received resolved satisfaction }
    departments { rank key score satisfaction meanRating onTimeRate reopenRate }
    districts { rank key received score }
  }
}
"""

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def stats(client, **filter_):
    return client(STATISTICS, {"filter": {**MARCH, **filter_}}, expect_errors=True)


def test_admin_sees_the_whole_city(world, story, gql_as):
    data = stats(gql_as(world.admin))["data"]["statistics"]
    assert data["headline"] == {
        "received": 4,
        "accepted": 2,
        "resolved": 2,
        "rejected": 1,
        "open": 1,
        "overdue": 1,
        "onTimeRate": 0.5,
        "acceptOnTimeRate": 0.5,
        "satisfaction": 0.5,
        "meanRating": 3.5,
        "reopenRate": 0.0,
        # Read from hour buckets, interpolated: 10 h lies in 8-12 h, 110 h in 96-120 h.
        "medianHoursToResolve": 12.0,
        "p90HoursToResolve": 115.2,
        "medianHoursToAccept": 4.0,
        "ratings": 2,
    }
    assert {row["key"]: row["open"] for row in data["byCategory"]} == {
        "pothole": 0,
        "graffiti": 1,
        "noise": 0,
    }
    assert {row["key"]: (row["received"], row["resolved"]) for row in data["byDepartment"]} == {
        "roads": (3, 2),
        "sanitation": (1, 0),
    }
    assert {row["key"]: row["received"] for row in data["byChannel"]} == {"app": 3, "web": 1}
    assert {row["key"]: (row["received"], row["open"]) for row in data["byArea"]} == {
        "DW": (3, 1),
        "DE": (1, 0),
    }
    assert data["grid"] == [{"area": {"code": "DW-G1"}, "open": 1, "overdue": 1}]
    assert sum(point["received"] for point in data["trend"]) == 4


def test_the_trend_by_day(world, story, gql_as):
    data = gql_as(world.admin)(STATISTICS, {"filter": MARCH, "by": "DAY"})["data"]["statistics"]
    by_day = {point["start"]: (point["received"], point["resolved"]) for point in data["trend"]}
    assert by_day["2026-03-02"] == (4, 1)
    # 110 h after Monday 10:00 is Saturday 00:00 in Shanghai.
    assert by_day["2026-03-07"] == (0, 1)


def test_department_staff_see_their_department_only(world, story, gql_as):
    client = gql_as(world.other_staff)  # sanitation
    data = stats(client)["data"]["statistics"]
    assert data["headline"]["received"] == 1
    assert [row["key"] for row in data["byDepartment"]] == ["sanitation"]
    refused = stats(client, departmentId=to_global_id("Department", world.roads.pk))
    assert refused["errors"][0]["extensions"]["code"] == "forbidden"


def test_a_leader_sees_their_area_only(world, story, gql_as, leader_de):
    client = gql_as(leader_de)
    data = stats(client)["data"]["statistics"]
    assert data["headline"]["received"] == 1
    assert data["headline"]["rejected"] == 1
    refused = stats(client, areaId=to_global_id("Area", world.areas["DW"].pk))
    assert refused["errors"][0]["extensions"]["code"] == "forbidden"
    rankings = client(RANKINGS, {"period": "2026-03"})["data"]["departmentRankings"]
    assert [row["key"] for row in rankings["districts"]] == ["DE"]


def test_residents_and_strangers_are_refused(world, story, gql_as, gql):
    def refused(client, code):
        for query, variables in (
            (STATISTICS, {"filter": MARCH}),
            (RANKINGS, {"period": "2026-03"}),
        ):
            result = client(query, variables, expect_errors=True)
            assert result["errors"][0]["extensions"]["code"] == code
            assert result["data"] is None

    # The anonymous client first: both share one Django test client, which gql_as signs in.
    refused(gql, "unauthenticated")
    refused(gql_as(world.resident), "forbidden")


def test_bad_input_is_refused_with_a_code(world, story, gql_as):
    client = gql_as(world.admin)
    backwards = client(
        STATISTICS, {"filter": {"from": "2026-03-31", "to": "2026-03-01"}}, expect_errors=True
    )
    assert backwards["errors"][0]["extensions"]["code"] == "invalid_date_range"
    unknown = stats(client, category="no-such-thing")
    assert unknown["errors"][0]["extensions"]["code"] == "not_found"
    month = client(RANKINGS, {"period": "March"}, expect_errors=True)
    assert month["errors"][0]["extensions"]["code"] == "invalid_period"


def test_rankings_score_departments_and_districts(world, story, gql_as):
    data = gql_as(world.admin)(RANKINGS, {"period": "2026-03"})["data"]["departmentRankings"]
    assert data["period"] == "2026-03"
    assert data["formula"].startswith("综合得分 = (40 × 4")
    roads = next(row for row in data["departments"] if row["key"] == "roads")
    assert roads["satisfaction"] == 0.5
    assert roads["meanRating"] == 3.5
    assert roads["onTimeRate"] == 0.5
    # (40 × 0.5 + 30 × 0.5 + 20 × 1 + 10 × 2.5 / 4) / 100 × 100
    assert roads["score"] == 61.2
    assert roads["rank"] == 1
    sanitation = next(row for row in data["departments"] if row["key"] == "sanitation")
    assert sanitation["score"] is None
    assert sanitation["rank"] is None
    assert {row["key"]: row["received"] for row in data["districts"]} == {"DW": 3, "DE": 1}
