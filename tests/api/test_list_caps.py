"""Every list honours the page size cap: the lists without cursors take ``first`` too."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "{ nearbyReports(lat: 0.5, lon: 0.5, first: 51) { distance } }",
        "{ rewardItems(first: 51) { id } }",
        "{ leaderboard(period: WEEK, first: 51) { rank } }",
        "{ nearbyReports(lat: 0.5, lon: 0.5, first: 0) { distance } }",
    ],
)
def test_more_than_the_maximum_page_is_refused(gql, query):
    body = gql(query, expect_errors=True)
    assert body["errors"][0]["extensions"] == {"code": "invalid_page_size", "field": "first"}


def test_nearby_reports_returns_the_nearest_first_few(gql, submit):
    reports = [submit(lat=40.45 + n * 0.0001, lon=-3.7) for n in range(3)]
    query = (
        "query($n: Int) { nearbyReports(lat: 40.45, lon: -3.7, first: $n) { report { number } } }"
    )
    everything = gql(query)["data"]["nearbyReports"]
    assert [hit["report"]["number"] for hit in everything] == [r.pk for r in reports]
    nearest = gql(query, {"n": 2})["data"]["nearbyReports"]
    assert [hit["report"]["number"] for hit in nearest] == [r.pk for r in reports[:2]]


def test_reward_items_come_a_page_at_most_in_catalogue_order(gql, item, settings):
    settings.GRAPHQL_DEFAULT_PAGE_SIZE = 3
    items = [item(name=f"礼品{n}", name_en=f"Gift {n}", cost=10 + n) for n in range(5)]
    query = "query($n: Int) { rewardItems(first: $n) { nameEn } }"
    assert [row["nameEn"] for row in gql(query)["data"]["rewardItems"]] == [
        i.name_en for i in items[:3]
    ]
    assert len(gql(query, {"n": 5})["data"]["rewardItems"]) == 5
