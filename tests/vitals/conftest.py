"""A world for vital-sign tests on the reports' test city (W → DW, DE → two grid cells each):

* sensors ``wl-1`` (water level, m) in grid cell DW-G1 and ``wl-2`` in DE-G1;
* the indicator ``water-level`` read per grid cell, roads responsible, thresholds IV 2.0,
  III 2.5, II 3.0, I 3.5 (above), hysteresis 0.2, escalated after 30 minutes;
* leaders of DW, DE and the city W.
"""

from contextlib import contextmanager
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import time_machine

from civic.core.roles import Role
from civic.vitals import services
from civic.vitals.models import Indicator, Sensor
from tests.reports.conftest import submit, world  # noqa: F401

# Monday 2 March 2026, 10:00 in Shanghai.
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    @contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return block


@pytest.fixture
def vitals(world, make_user):  # noqa: F811
    areas = world.areas
    sensors = [
        Sensor.objects.create(
            code="wl-1", name="河道水位 1", measure="water_level", unit="m", area=areas["DW-G1"]
        ),
        Sensor.objects.create(
            code="wl-2", name="河道水位 2", measure="water_level", unit="m", area=areas["DE-G1"]
        ),
    ]
    indicator = Indicator.objects.create(
        code="water-level",
        name="河道水位",
        name_en="River level",
        domain="safety",
        unit="m",
        scope="grid",
        source="sensor",
        measure="water_level",
        window_minutes=60,
        threshold_4=2.0,
        threshold_3=2.5,
        threshold_2=3.0,
        threshold_1=3.5,
        hysteresis=0.2,
        escalate_after_minutes=30,
    )
    indicator.departments.add(world.roads)
    return SimpleNamespace(
        indicator=indicator,
        sensors=sensors,
        leader_dw=make_user(Role.LEADER, email="leader-dw@example.org", home_area=areas["DW"]),
        leader_de=make_user(Role.LEADER, email="leader-de@example.org", home_area=areas["DE"]),
        leader_city=make_user(Role.LEADER, email="leader-w@example.org", home_area=areas["W"]),
    )


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def reading(clock):
    """``reading(value, sensor="wl-1")``: a reading now, then an evaluation; returns the
    outcome."""
    from django.utils import timezone

    def read(value, sensor="wl-1", evaluate=True):
        now = timezone.now()
        stored = services.ingest([{"sensor": sensor, "time": now.isoformat(), "value": value}])
        assert not stored.refused
        return services.evaluate_indicators(now) if evaluate else None

    return read
