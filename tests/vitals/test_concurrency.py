"""Two evaluators at once on PostgreSQL open exactly one warning per indicator and area."""

import pytest
from django.db import connection
from django.utils import timezone

from civic.notifications.models import Kind, Notification
from civic.vitals import services
from civic.vitals.models import IndicatorValue, Warning

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.serial,
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite has one writer at a time: concurrent evaluators fail with 'database is "
        "locked' instead of racing; the sequential tests cover the same rules.",
    ),
]


@pytest.mark.parametrize("evaluators", [2, 4])
def test_evaluators_at_once_open_one_warning_and_notify_once(vitals, race, evaluators):
    now = timezone.now()
    services.ingest(
        [
            {"sensor": "wl-1", "time": now.isoformat(), "value": 3.2},
            {"sensor": "wl-2", "time": now.isoformat(), "value": 2.2},
        ]
    )
    outcomes = race([lambda: services.evaluate_indicators(now) for _ in range(evaluators)])
    assert sum(len(outcome.opened) for outcome in outcomes) == 2
    assert sorted(Warning.objects.values_list("area__code", "level")) == [
        ("DE-G1", 4),
        ("DW-G1", 2),
    ]
    assert IndicatorValue.objects.count() == 2
    # Roads' three staff for both; DW's and the city's leaders for the orange one: once each.
    assert Notification.objects.filter(kind=Kind.VITAL_WARNING).count() == 3 + 3 + 2
