"""Rewards tests reuse the reports world (a city, departments, categories, residents)."""

import pytest

from civic.core.permissions import SYSTEM
from rewards import services
from rewards.models import EntryKind, RewardItem, Rule
from tests.reports.conftest import submit, world  # noqa: F401  (fixtures)


@pytest.fixture
def give():
    """Give a user points through the ledger (an earning with a unique key)."""
    counter = iter(range(1, 1_000_000))

    def do(user, amount):
        entry, _created = services.post_entry(
            user,
            amount,
            kind=EntryKind.EARN,
            rule=Rule.ADJUSTMENT,
            key=f"test:{user.pk}:{next(counter)}",
            reason="test",
        )
        return entry

    return do


@pytest.fixture
def item(db):
    def make(**fields):
        fields.setdefault("kind", "souvenir")
        fields.setdefault("name", "帆布袋")
        fields.setdefault("name_en", "Tote bag")
        fields.setdefault("cost", 10)
        return RewardItem.objects.create(**fields)

    return make


@pytest.fixture
def system():
    return SYSTEM
