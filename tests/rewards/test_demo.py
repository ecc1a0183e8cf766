"""seed_demo adds a catalogue and a history of earnings and redemptions, once."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from rewards.models import Account, LedgerEntry, Redemption, RewardItem

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_rewards_once():
    call_command("seed_demo", force=True, stdout=io.StringIO())
    counts = (RewardItem.objects.count(), LedgerEntry.objects.count(), Redemption.objects.count())
    assert counts[0] == 5
    assert counts[1] > 20
    assert counts[2] == 3
    call_command("seed_demo", force=True, stdout=io.StringIO())
    again = (RewardItem.objects.count(), LedgerEntry.objects.count(), Redemption.objects.count())
    assert again == counts
    account = Account.objects.get(user__email="resident@demo.civic")
    total = LedgerEntry.objects.filter(account=account).aggregate(t=Sum("amount"))["t"]
    assert account.balance == total == 268 - 150 - 60
    voucher = Redemption.objects.get(user=account.user, item__kind="voucher")
    assert voucher.voucher.code == "QH-SM-0001"
