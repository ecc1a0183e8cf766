"""The ledger's invariants and redemption through the services (sequentially; the concurrent
versions are in test_concurrency.py)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from wagtail.models import ModelLogEntry

from civic.core.errors import Forbidden
from rewards import services
from rewards.models import (
    Account,
    EntryKind,
    ImmutableError,
    LedgerEntry,
    Redemption,
    RedemptionStatus,
    Rule,
)

pytestmark = pytest.mark.django_db


def balance(user):
    return Account.objects.get(user=user).balance


def test_a_repeated_key_returns_the_first_entry(world):
    first, created = services.post_entry(
        world.resident, 10, kind=EntryKind.EARN, rule=Rule.REPORT_ACCEPTED, key="k1"
    )
    again, created_again = services.post_entry(
        world.resident, 10, kind=EntryKind.EARN, rule=Rule.REPORT_ACCEPTED, key="k1"
    )
    assert created
    assert not created_again
    assert first.pk == again.pk
    assert balance(world.resident) == 10
    assert first.balance_after == 10


def test_a_balance_never_goes_negative(world, give):
    give(world.resident, 5)
    with pytest.raises(services.InsufficientPoints):
        services.post_entry(
            world.resident, -6, kind=EntryKind.REDEEM, rule=Rule.REDEMPTION, key="too-much"
        )
    assert balance(world.resident) == 5
    # The database refuses it too, whatever the code does.
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(user=world.resident).update(balance=-1)


def test_entries_are_never_changed_or_deleted(world, give):
    entry = give(world.resident, 5)
    entry.amount = 500
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        entry.delete()
    with pytest.raises(ImmutableError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=500)
    with pytest.raises(ImmutableError):
        LedgerEntry.objects.all().delete()


def test_adjustments_need_permission_a_reason_and_are_audited(world, give):
    give(world.resident, 5)
    with pytest.raises(Forbidden):
        services.adjust(world.neighbour, world.resident, 10, "because")
    with pytest.raises(services.AdjustmentInvalid):
        services.adjust(world.admin, world.resident, 10, " ")
    with pytest.raises(services.InsufficientPoints):
        services.adjust(world.admin, world.resident, -6, "too much")
    entry = services.adjust(world.admin, world.resident, -3, "paid twice by mistake")
    assert entry.kind == EntryKind.ADJUST
    assert entry.created_by == world.admin
    assert balance(world.resident) == 2
    log = ModelLogEntry.objects.get(action="rewards.adjust")
    assert log.user == world.admin
    assert log.data["amount"] == -3


def test_redeem_charges_and_waits_for_fulfilment(world, give, item):
    give(world.resident, 25)
    reward = item(cost=10, stock=3)
    redemption = services.redeem(world.resident, reward, "r1")
    assert redemption.status == RedemptionStatus.PENDING
    assert balance(world.resident) == 15
    reward.refresh_from_db()
    assert reward.stock == 2
    # A retry returns the same redemption and charges nothing.
    assert services.redeem(world.resident, reward, "r1").pk == redemption.pk
    assert balance(world.resident) == 15
    with pytest.raises(Forbidden):
        services.fulfil(world.resident, redemption)
    services.fulfil(world.admin, redemption)
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.FULFILLED
    with pytest.raises(services.RedemptionNotPending):
        services.cancel(world.admin, redemption, reason="too late")


def test_cancel_refunds_and_restocks(world, give, item):
    give(world.resident, 10)
    reward = item(cost=10, stock=1)
    redemption = services.redeem(world.resident, reward, "r1")
    services.cancel(world.admin, redemption, reason="out of bags")
    services.cancel(world.admin, redemption, reason="out of bags")  # once
    assert balance(world.resident) == 10
    reward.refresh_from_db()
    assert reward.stock == 1
    refund = LedgerEntry.objects.get(kind=EntryKind.REFUND)
    assert refund.amount == 10
    assert refund.reason == "out of bags"
    # A cancelled redemption does not count towards the limit.
    reward.per_user_limit = 1
    reward.save()
    assert services.redeem(world.resident, reward, "r2").status == RedemptionStatus.PENDING


def test_vouchers_are_handed_out_at_once(world, give, item):
    give(world.resident, 30)
    reward = item(kind="voucher", cost=10)
    assert services.import_codes(world.admin, reward, "code\nA-1\nA-2\nA-1\n\n") == (2, 1)
    first = services.redeem(world.resident, reward, "v1")
    second = services.redeem(world.resident, reward, "v2")
    assert first.status == second.status == RedemptionStatus.FULFILLED
    assert {first.voucher.code, second.voucher.code} == {"A-1", "A-2"}
    with pytest.raises(services.OutOfStock):
        services.redeem(world.resident, reward, "v3")
    assert balance(world.resident) == 10


@pytest.mark.parametrize(
    ("fields", "points", "code"),
    [
        ({"cost": 50}, 10, "insufficient_points"),
        ({"stock": 0}, 100, "out_of_stock"),
        ({"is_active": False}, 100, "reward_unavailable"),
        ({"available_until": "past"}, 100, "reward_unavailable"),
        ({"available_from": "future"}, 100, "reward_unavailable"),
        ({"district": "DE"}, 100, "reward_unavailable"),
    ],
)
def test_refusals_change_nothing(world, give, item, fields, points, code):
    now = timezone.now()
    if fields.get("available_until") == "past":
        fields["available_until"] = now - datetime.timedelta(days=1)
    if fields.get("available_from") == "future":
        fields["available_from"] = now + datetime.timedelta(days=1)
    if "district" in fields:
        fields["district"] = world.areas[fields["district"]]
    world.resident.home_area = world.areas["DW-G1"]
    world.resident.save()
    give(world.resident, points)
    reward = item(**fields)
    with pytest.raises(services.DomainError) as caught:
        services.redeem(world.resident, reward, "x")
    assert caught.value.code == code
    assert balance(world.resident) == points
    assert Redemption.objects.count() == 0
    assert LedgerEntry.objects.count() == 1


def test_district_items_are_for_their_residents(world, give, item):
    world.resident.home_area = world.areas["DW-G1"]
    world.resident.save()
    give(world.resident, 10)
    reward = item(district=world.areas["DW"])
    assert services.redeem(world.resident, reward, "x").status == RedemptionStatus.PENDING


def test_per_user_limit(world, give, item):
    give(world.resident, 100)
    reward = item(per_user_limit=2)
    services.redeem(world.resident, reward, "1")
    services.redeem(world.resident, reward, "2")
    with pytest.raises(services.RedemptionLimitReached):
        services.redeem(world.resident, reward, "3")
    assert balance(world.resident) == 80


def test_balances_equal_the_sum_of_entries_after_a_mixed_history(world, give, item):
    give(world.resident, 40)
    reward = item(cost=15)
    services.redeem(world.resident, reward, "a")
    services.cancel(world.admin, services.redeem(world.resident, reward, "b"), reason="no")
    services.adjust(world.admin, world.resident, 7, "bonus")
    account = Account.objects.get(user=world.resident)
    assert account.balance == LedgerEntry.objects.aggregate(t=Sum("amount"))["t"] == 32
    assert account.lifetime_earned == 47
