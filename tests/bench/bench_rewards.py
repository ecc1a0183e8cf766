"""Rewards at scale.

Run with ``./dev bench -k rewards`` (on PostgreSQL: prefix ``DATABASE_URL=postgres://…``).

* The leaderboard of a district at 1,000,000 ledger entries (20,000 residents in two districts),
  as a ratio to reading the top rows of an index (the ledger's primary key), and beside it the
  naive way: summing the district's entries per account.
* Redemptions per second under contention (PostgreSQL): many threads redeeming one stocked item
  at once, each for a different resident; and many threads redeeming for one resident.
"""

import datetime
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civic.accounts.models import User
from rewards import queries, services
from rewards.models import Account, EntryKind, LedgerEntry, Period, RewardItem, Rule, Tally
from tests.bench.conftest import report, timed
from tests.reports.conftest import world  # noqa: F401  (fixtures)

ENTRIES = 1_000_000
RESIDENTS = 20_000


def _fill(world):  # noqa: F811
    districts = [world.areas["DW"], world.areas["DE"]]
    users = User.objects.bulk_create(
        [
            User(username=f"bench{n}@example.org", email=f"bench{n}@example.org")
            for n in range(RESIDENTS)
        ],
        batch_size=5000,
    )
    accounts = Account.objects.bulk_create([Account(user=user) for user in users], batch_size=5000)
    rng = random.Random(4)
    now = timezone.now()
    totals = {}
    batch = []
    for n in range(ENTRIES):
        account = accounts[rng.randrange(RESIDENTS)]
        amount = rng.choice((1, 2, 5, 10))
        balance = totals.get(account.pk, 0) + amount
        totals[account.pk] = balance
        batch.append(
            LedgerEntry(
                account_id=account.pk,
                amount=amount,
                kind=EntryKind.EARN,
                rule=Rule.REPORT_ACCEPTED,
                idempotency_key=f"bench:{n}",
                balance_after=balance,
                district=districts[account.pk % 2],
                created_at=now - datetime.timedelta(minutes=n % 40_000),
            )
        )
        if len(batch) == 20_000:
            LedgerEntry.objects.bulk_create(batch)
            batch = []
    if batch:
        LedgerEntry.objects.bulk_create(batch)
    for account in accounts:
        account.balance = account.lifetime_earned = totals.get(account.pk, 0)
    Account.objects.bulk_update(accounts, ["balance", "lifetime_earned"], batch_size=5000)
    starts = services.period_start(Period.ALL)
    Tally.objects.bulk_create(
        [
            Tally(
                account=account,
                period=Period.ALL,
                starts=starts,
                district=districts[account.pk % 2],
                points=totals.get(account.pk, 0),
            )
            for account in accounts
        ],
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE rewards_ledgerentry; ANALYZE rewards_tally;")
    return districts[0]


@pytest.mark.django_db
def test_leaderboard_at_a_million_entries(world):  # noqa: F811
    start = time.perf_counter()
    district = _fill(world)
    filled = time.perf_counter() - start

    def leaderboard():
        return queries.leaderboard(district, Period.ALL, limit=20)

    def index_top_rows():
        return list(LedgerEntry.objects.order_by("-id")[:20])

    def naive():
        return list(
            LedgerEntry.objects.filter(district=district, kind=EntryKind.EARN)
            .values("account")
            .annotate(points=Sum("amount"))
            .order_by("-points")[:20]
        )

    rows = leaderboard()
    assert [t.points for t in rows] == [r["points"] for r in naive()]
    with CaptureQueriesContext(connection) as captured:
        leaderboard()
    t_board = timed(leaderboard, 50)
    t_index = timed(index_top_rows, 50)
    t_naive = timed(naive, 3)
    report(
        f"Leaderboard of a district, {ENTRIES:,} ledger entries, {RESIDENTS:,} residents "
        f"({connection.vendor}; filled in {filled:.0f} s)",
        [
            ("leaderboard (tallies)", f"{t_board * 1000:.2f} ms, {len(captured)} query"),
            ("top 20 rows of an index", f"{t_index * 1000:.2f} ms"),
            ("ratio leaderboard / index read", f"{t_board / t_index:.2f}"),
            ("naive: sum entries per account", f"{t_naive * 1000:.1f} ms"),
            ("ratio naive / leaderboard", f"{t_naive / t_board:.0f}"),
        ],
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite has no concurrent writers")
def test_redemptions_per_second_under_contention(make_user):
    threads, per_thread = 16, 25
    users = [make_user() for _ in range(threads)]
    for user in users:
        services.post_entry(
            user, 10_000, kind=EntryKind.EARN, rule=Rule.ADJUSTMENT, key=f"fund:{user.pk}"
        )
    item = RewardItem.objects.create(kind="souvenir", name="徽章", cost=1, stock=100_000)

    def run(make_calls):
        barrier = threading.Barrier(threads)

        def worker(calls):
            try:
                barrier.wait()
                for call in calls:
                    call()
            finally:
                connections.close_all()

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(worker, make_calls()))
        return threads * per_thread / (time.perf_counter() - start)

    # Many residents, one item: every redemption takes the item's row lock for its stock.
    many = run(
        lambda: [
            [lambda u=user, n=n: services.redeem(u, item, f"m{n}") for n in range(per_thread)]
            for user in users
        ]
    )
    # One resident from every thread: the account's row lock orders them.
    one = users[0]
    single = run(
        lambda: [
            [lambda t=t, n=n: services.redeem(one, item, f"s{t}-{n}") for n in range(per_thread)]
            for t in range(threads)
        ]
    )
    # The same work from one thread, for comparison: what a redemption costs uncontended.
    alone = users[1]
    start = time.perf_counter()
    for n in range(threads * per_thread // 4):
        services.redeem(alone, item, f"a{n}")
    sequential = (threads * per_thread // 4) / (time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        services.redeem(alone, item, "counted")
    item.refresh_from_db()
    assert item.stock == 100_000 - 2 * threads * per_thread - threads * per_thread // 4 - 1
    for account in Account.objects.all():
        total = LedgerEntry.objects.filter(account=account).aggregate(t=Sum("amount"))["t"]
        assert account.balance == total
    report(
        f"Redemptions under contention ({connection.vendor}, {threads} threads × {per_thread})",
        [
            ("many residents, one stocked item", f"{many:.0f} redemptions/s"),
            ("one resident, every thread", f"{single:.0f} redemptions/s"),
            ("one thread alone (no contention)", f"{sequential:.0f} redemptions/s"),
            ("SQL statements per redemption", str(len(captured))),
        ],
    )
