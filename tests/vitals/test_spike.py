"""The spike detector: few false warnings on ordinary weeks, a burst found at once."""

from datetime import timedelta

import pytest
import time_machine

from civic.vitals import services
from civic.vitals.models import Indicator, Warning
from civic.vitals.services.grading import SPIKE_HYSTERESIS, SPIKE_THRESHOLDS

from .conftest import T0
from .simulation import detections, false_warnings


def test_ordinary_weeks_raise_at_most_one_false_warning_per_thousand_cell_days():
    opened, cell_days = false_warnings(cells=1000, weeks=2)
    assert opened / cell_days <= 1 / 1000


def test_a_cluster_of_eight_reports_is_found_within_one_evaluation():
    found, injected = detections(cells=1000)
    assert found / injected >= 0.95


def test_the_score_grows_with_the_surprise():
    assert services.spike_score(0, 0) == 0
    assert services.spike_score(1, 8) < 1
    assert services.spike_score(8, 0) > SPIKE_THRESHOLDS[2]
    assert services.spike_score(8, 80) < SPIKE_THRESHOLDS[4]


@pytest.mark.django_db
def test_a_burst_of_reports_in_one_cell_opens_a_warning_with_them_as_evidence(world, submit):
    indicator = Indicator.objects.create(
        code="pothole-spike",
        name="坑洼突增",
        domain="governance",
        scope="grid",
        source="spike",
        category=world.pothole,
        window_minutes=120,
        hysteresis=SPIKE_HYSTERESIS,
        **{f"threshold_{level}": value for level, value in SPIKE_THRESHOLDS.items()},
    )
    with time_machine.travel(T0 - timedelta(weeks=1), tick=False):
        ordinary = submit(lon=-3.7)  # the same hour a week before: the cell's baseline
    with time_machine.travel(T0, tick=False) as clock:
        burst = []
        for n in range(8):
            burst.append(submit(lon=-3.7 + n * 0.01))
            clock.shift(timedelta(minutes=10))
        submit(lon=7.0)  # one ordinary report in DE
        services.evaluate_indicators()
    warning = Warning.objects.get(indicator=indicator)
    assert warning.area == world.areas["DW-G1"]
    assert warning.level == 2
    assert warning.evidence["reports"] == sorted(report.pk for report in burst)
    assert ordinary.pk not in warning.evidence["reports"]
