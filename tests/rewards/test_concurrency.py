"""No double-spend and no overselling, with real concurrent transactions on PostgreSQL.

Each thread has its own database connection and transaction; a barrier releases them together.
"""

import pytest
from django.db import connection
from django.db.models import Sum

from civic.core.permissions import SYSTEM
from rewards import services
from rewards.models import Account, EntryKind, LedgerEntry, Redemption, RewardItem, Rule

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.serial,
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite locks the whole database for a writer and has no row locks: concurrent "
        "writers fail with 'database is locked' instead of racing; the sequential tests in "
        "test_redemption.py cover the same refusals there.",
    ),
]


def _fund(user, amount):
    services.post_entry(
        user, amount, kind=EntryKind.EARN, rule=Rule.ADJUSTMENT, key=f"fund:{user.pk}"
    )


def _assert_ledger_consistent():
    for account in Account.objects.all():
        total = LedgerEntry.objects.filter(account=account).aggregate(t=Sum("amount"))["t"] or 0
        assert account.balance == total, account
        assert account.balance >= 0
        last = LedgerEntry.objects.filter(account=account).order_by("-id").first()
        assert last is None or last.balance_after == account.balance


def test_one_user_fifty_redemptions_balance_for_ten(make_user, race):
    user = make_user()
    _fund(user, 105)
    item = RewardItem.objects.create(kind="souvenir", name="徽章", cost=10)
    results = race([lambda n=n: services.redeem(user, item, f"req-{n}") for n in range(50)])
    made = [r for r in results if isinstance(r, Redemption)]
    assert len(made) == 10
    assert sorted({r for r in results if isinstance(r, str)}) == ["insufficient_points"]
    assert Account.objects.get(user=user).balance == 5
    assert Redemption.objects.filter(user=user).count() == 10
    _assert_ledger_consistent()


def test_fifty_users_race_for_five_left(make_user, race):
    users = [make_user() for _ in range(50)]
    for user in users:
        _fund(user, 10)
    item = RewardItem.objects.create(kind="phone_credit", name="话费", cost=10, stock=5)
    results = race([lambda user=user: services.redeem(user, item, "once") for user in users])
    assert len([r for r in results if isinstance(r, Redemption)]) == 5
    assert {r for r in results if isinstance(r, str)} == {"out_of_stock"}
    item.refresh_from_db()
    assert item.stock == 0
    assert Redemption.objects.count() == 5
    # The 45 who lost keep their points.
    assert sorted(Account.objects.values_list("balance", flat=True)) == [0] * 5 + [10] * 45
    _assert_ledger_consistent()


def test_voucher_codes_are_handed_out_once_each(make_user, race):
    users = [make_user() for _ in range(20)]
    for user in users:
        _fund(user, 10)
    item = RewardItem.objects.create(kind="voucher", name="超市券", cost=10)
    services.import_codes(SYSTEM, item, "\n".join(f"CODE-{n}" for n in range(5)))
    results = race([lambda user=user: services.redeem(user, item, "v") for user in users])
    made = [r for r in results if isinstance(r, Redemption)]
    assert len(made) == 5
    codes = [r.voucher.code for r in Redemption.objects.all()]
    assert sorted(codes) == [f"CODE-{n}" for n in range(5)]
    assert all(r.status == "fulfilled" for r in Redemption.objects.all())
    _assert_ledger_consistent()


def test_the_same_request_retried_at_once_redeems_once(make_user, race):
    user = make_user()
    _fund(user, 100)
    item = RewardItem.objects.create(kind="souvenir", name="徽章", cost=10)
    results = race([lambda: services.redeem(user, item, "same") for _ in range(20)])
    assert {r.pk for r in results} == {Redemption.objects.get().pk}
    assert Account.objects.get(user=user).balance == 90
    _assert_ledger_consistent()


def test_the_same_earning_delivered_at_once_pays_once(make_user, race):
    user = make_user()
    results = race(
        [
            lambda: services.earn(user, 10, rule=Rule.REPORT_ACCEPTED, key="report:1:accepted:x")
            for _ in range(20)
        ]
    )
    assert {entry.pk for entry in results} == {LedgerEntry.objects.get().pk}
    assert Account.objects.get(user=user).balance == 10
    _assert_ledger_consistent()
