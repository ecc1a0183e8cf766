"""Rewards through GraphQL over HTTP."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from graphql_relay import to_global_id

from rewards import services
from rewards.models import Account, LedgerEntry, Redemption

pytestmark = pytest.mark.django_db

REDEEM = """
mutation R($input: RedeemRewardInput!) {
  redeemReward(input: $input) {
    errors { field code message }
    redemption { id status voucherCode cost item { name } }
    points { balance level }
  }
}"""

POINTS = "{ myPoints { balance lifetimeEarned level nextLevelAt progress } }"


def redeem(api, reward, request_id=None):
    return api(
        REDEEM,
        {
            "input": {
                "itemId": to_global_id("RewardItem", reward.pk),
                "clientRequestId": request_id or str(uuid.uuid4()),
            }
        },
    )["data"]["redeemReward"]


def test_my_points_and_level(world, give, gql_as):
    give(world.resident, 60)
    data = gql_as(world.resident)(POINTS)["data"]["myPoints"]
    assert data == {
        "balance": 60,
        "lifetimeEarned": 60,
        "level": 2,
        "nextLevelAt": 200,
        "progress": pytest.approx(10 / 150),
    }


def test_signed_out_is_a_top_level_error(world, gql):
    body = gql(POINTS, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "unauthenticated"


def test_redeem_through_graphql_is_idempotent(world, give, item, gql_as):
    give(world.resident, 30)
    reward = item(cost=10)
    api = gql_as(world.resident)
    first = redeem(api, reward, "same")
    again = redeem(api, reward, "same")
    assert first["errors"] == []
    assert first["redemption"]["status"] == "PENDING"
    assert again["redemption"]["id"] == first["redemption"]["id"]
    assert again["points"]["balance"] == 20


def test_vouchers_come_back_at_once(world, give, item, gql_as):
    give(world.resident, 30)
    reward = item(kind="voucher", cost=10)
    services.import_codes(world.admin, reward, "QH-001")
    data = redeem(gql_as(world.resident), reward)
    assert data["redemption"]["status"] == "FULFILLED"
    assert data["redemption"]["voucherCode"] == "QH-001"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"cost": 500}, "insufficient_points"),
        ({"stock": 0}, "out_of_stock"),
        ({"per_user_limit": 0}, "redemption_limit_reached"),
        ({"available_until": "past"}, "reward_unavailable"),
        ({"district": "DE"}, "reward_unavailable"),
    ],
)
def test_every_refusal_has_its_code_and_changes_nothing(world, give, item, gql_as, fields, code):
    if fields.get("available_until") == "past":
        fields["available_until"] = timezone.now() - datetime.timedelta(hours=1)
    if "district" in fields:
        fields["district"] = world.areas[fields["district"]]
    world.resident.home_area = world.areas["DW-G1"]
    world.resident.save()
    give(world.resident, 100)
    reward = item(**fields)
    data = redeem(gql_as(world.resident), reward)
    assert [e["code"] for e in data["errors"]] == [code]
    assert data["errors"][0]["field"] == "itemId"
    assert data["redemption"] is None
    assert Account.objects.get(user=world.resident).balance == 100
    assert LedgerEntry.objects.count() == 1
    assert Redemption.objects.count() == 0
    reward.refresh_from_db()
    assert reward.stock in (None, 0)


def test_unknown_item_is_not_found(world, gql_as):
    api = gql_as(world.resident)
    data = api(
        REDEEM, {"input": {"itemId": to_global_id("RewardItem", 999), "clientRequestId": "x"}}
    )
    assert data["data"]["redeemReward"]["errors"][0]["code"] == "not_found"


def test_catalogue_shows_the_viewers_district_items(world, item, gql_as):
    world.resident.home_area = world.areas["DW-G1"]
    world.resident.save()
    item(name="全市")
    item(name="西区", district=world.areas["DW"])
    item(name="东区", district=world.areas["DE"])
    item(name="下架", is_active=False)
    query = "{ rewardItems { name cost stock kind } }"
    names = [i["name"] for i in gql_as(world.resident)(query)["data"]["rewardItems"]]
    assert sorted(names) == sorted(["全市", "西区"])


def test_my_ledger_pages_with_cursors(world, give, gql_as):
    for amount in range(1, 8):
        give(world.resident, amount)
    api = gql_as(world.resident)
    query = """query L($after: String) { myLedger(first: 3, after: $after) {
      edges { node { amount kind rule balanceAfter } }
      pageInfo { hasNextPage endCursor } } }"""
    seen, after = [], None
    while True:
        page = api(query, {"after": after})["data"]["myLedger"]
        seen += [edge["node"]["amount"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [7, 6, 5, 4, 3, 2, 1]


def test_my_redemptions_and_badges(world, give, item, gql_as, django_capture_on_commit_callbacks):
    give(world.resident, 30)
    with django_capture_on_commit_callbacks(execute=True):
        services.redeem(world.resident, item(cost=10), "a")
    api = gql_as(world.resident)
    body = api(
        "{ myRedemptions { edges { node { status cost item { name } } } } myBadges { code name } }"
    )["data"]
    assert body["myRedemptions"]["edges"][0]["node"]["status"] == "PENDING"
    assert [b["code"] for b in body["myBadges"]] == ["first_redemption"]


LEADERBOARD = """query B($areaId: ID, $period: LeaderboardPeriod!) {
  leaderboard(areaId: $areaId, period: $period) { rank name points isMe } }"""


def test_leaderboard_per_district_and_period(world, give, make_user, gql_as):
    west = [make_user(home_area=world.areas["DW-G1"], display_name=f"W{n}") for n in range(3)]
    east = make_user(home_area=world.areas["DE"], display_name="E")
    for n, user in enumerate(west):
        give(user, 10 * (n + 1))
    give(east, 100)
    # Redeeming does not lower a rank: leaderboards count points earned.
    api = gql_as(west[0])
    rows = api(
        LEADERBOARD, {"areaId": to_global_id("Area", world.areas["DW"].pk), "period": "WEEK"}
    )["data"]["leaderboard"]
    # Others by the first character of their display name; oneself in full.
    assert [(r["rank"], r["name"], r["points"]) for r in rows] == [
        (1, "W**", 30),
        (2, "W**", 20),
        (3, "W0", 10),
    ]
    assert [r["isMe"] for r in rows] == [False, False, True]
    city = api(LEADERBOARD, {"period": "ALL"})["data"]["leaderboard"]
    assert city[0]["name"] == "E**"
    body = api(
        LEADERBOARD,
        {"areaId": to_global_id("Area", world.areas["DW-G1"].pk), "period": "MONTH"},
        expect_errors=True,
    )
    assert body["errors"][0]["extensions"]["code"] == "invalid_leaderboard_area"


def test_leaderboard_queries_do_not_grow_with_size(world, give, make_user, gql_as):
    api = gql_as(world.resident)
    variables = {"areaId": to_global_id("Area", world.areas["DW"].pk), "period": "ALL"}

    def count():
        with CaptureQueriesContext(connection) as queries:
            rows = api(LEADERBOARD, variables)["data"]["leaderboard"]
        return len(queries), len(rows)

    for n in range(3):
        give(make_user(home_area=world.areas["DW-G1"]), n + 1)
    small, rows_small = count()
    for n in range(20):
        give(make_user(home_area=world.areas["DW-G2"]), n + 1)
    large, rows_large = count()
    assert (rows_small, rows_large) == (3, 20)
    assert large == small
