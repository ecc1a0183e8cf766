"""seed_demo adds a catalogue and a history of earnings and redemptions, once."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from reports.models import Report
from rewards.models import Account, LedgerEntry, Redemption, RewardItem

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_rewards_once():
    call_command("seed_demo", force=True, stdout=io.StringIO())
    counts = (RewardItem.objects.count(), LedgerEntry.objects.count(), Redemption.objects.count())
    assert counts[0] == 5
    assert counts[1] > 20
    assert counts[2] >= 1
    call_command("seed_demo", force=True, stdout=io.StringIO())
    again = (RewardItem.objects.count(), LedgerEntry.objects.count(), Redemption.objects.count())
    assert again == counts
    for account in Account.objects.all():
        total = LedgerEntry.objects.filter(account=account).aggregate(t=Sum("amount"))["t"]
        assert account.balance == total
    if not Report.objects.exists():  # the made-up history: exact figures
        account = Account.objects.get(user__email="resident@demo.civic")
        assert account.balance == 268 - 150 - 60
        assert counts[2] == 3
        voucher = Redemption.objects.get(user=account.user, item__kind="voucher")
        assert voucher.voucher.code == "QH-SM-0001"


def test_with_reports_the_demo_pays_through_the_receivers_rules(
    world, submit, django_capture_on_commit_callbacks
):
    """Where the reports demo has run, its verified reports pay (with the receivers' keys, so
    the events delivered afterwards pay nothing more) instead of the made-up history."""
    from civic.demo import rewards as demo
    from reports import services as reports

    report = submit()
    reports.accept(world.dispatcher, report)
    reports.assign(world.dispatcher, report, handler=world.handler)
    reports.start(world.handler, report)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = reports.resolve(world.handler, report, message="好了")
    rejected = submit()
    reports.reject(world.dispatcher, rejected, reason="not_a_problem")
    demo.seed()
    account = Account.objects.get(user=world.resident)
    assert account.balance == 15
    assert not LedgerEntry.objects.filter(idempotency_key__startswith="demo:").exists()
    for callback in callbacks:  # the events, delivered late
        callback()
    account.refresh_from_db()
    assert account.balance == 15
