"""The demo's year of history: every chart of the dashboard has something to show, and the
figures agree with a rebuild."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from civic.accounts.models import User
from civic.operations import services
from civic.operations.models import DailyFigure
from tests.conftest import seeded_demo
from tests.operations.test_figures_property import table

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    with seeded_demo(django_db_blocker, tmp_path_factory, language="en") as output:
        yield output


def test_a_year_of_figures_fills_every_chart():
    admin = User.objects.filter(is_superuser=True).first()
    today = timezone.localdate()
    stats = services.statistics(
        admin,
        services.StatisticsFilter(date_from=today - timedelta(days=364), date_to=today),
        trend_by="month",
    )
    assert stats.headline["received"] >= 250
    assert stats.headline["open"] > 0
    assert stats.headline["on_time_rate"] is not None
    assert stats.headline["satisfaction"] is not None
    # The supervisors' follow-up calls, with their outcomes.
    assert stats.headline["follow_ups"] > stats.headline["callbacks"] > 0
    assert stats.headline["callbacks_redo"] > 0
    assert stats.headline["callbacks_escalated"] > 0
    # Reports in most months of the year, not only the last weeks.
    assert sum(1 for point in stats.trend if point["received"]) >= 10
    for rows in (stats.by_category, stats.by_department, stats.by_channel, stats.by_area):
        assert sum(row["received"] for row in rows) > 0
    assert stats.grid
    month = f"{today:%Y-%m}"
    assert services.rankings(admin, month).departments


def test_the_demo_figures_agree_with_a_rebuild():
    before = table()
    assert DailyFigure.objects.exists()
    call_command("rebuild_statistics", verbosity=0)
    assert table() == before
