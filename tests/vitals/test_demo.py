"""The demo's vital signs on the reports' test city: indicators in every domain, a month of
history, and this hour's incidents opening warnings through the real evaluator."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from civic.demo import vitals as demo
from civic.vitals.models import Domain, Indicator, IndicatorValue, Sensor, Warning

pytestmark = pytest.mark.django_db


# The readings follow the local day; only the incidents may cross a threshold at any hour.
@pytest.mark.parametrize("hour", [0, 6, 12, 18])
def test_the_demo_seeds_every_domain_with_history_and_a_few_warnings(world, time_machine, hour):
    time_machine.move_to(datetime(2026, 7, 1, hour, 30, tzinfo=UTC))
    assert demo.seed() == len(demo.INDICATORS)
    assert set(Indicator.objects.values_list("domain", flat=True)) == set(Domain.values)
    assert Sensor.objects.count() == 2 * len(demo.SENSOR_KINDS)
    water = Indicator.objects.get(code="water-level")
    assert IndicatorValue.objects.filter(indicator=water).count() >= 2 * 30 * 24
    live = sorted(Warning.objects.values_list("indicator__code", "area__code", "level"))
    assert live == [("aqi", "DW", 3), ("water-level", "DE", 3)]
    assert demo.seed() == 0


def test_simulate_sensors_posts_through_the_endpoint_with_an_incident(world, live_server):
    from civic.core.permissions import SYSTEM
    from civic.vitals import services

    demo.seed()
    key = services.issue_key(SYSTEM, name="simulator")
    call_command(
        "simulate_sensors", url=live_server.url, key=key.raw, steps=6, interval=0, incident="DW"
    )
    services.evaluate_indicators()
    warning = Warning.objects.get(indicator__code="water-level", area__code="DW")
    assert warning.level <= 2
