"""Crossing thresholds, hysteresis, escalation and closing, with the clock frozen."""

from datetime import timedelta

import pytest

from civic.core.errors import NotFound
from civic.notifications.models import Kind, Notification
from civic.vitals import services
from civic.vitals.models import EntryKind, IndicatorValue, Warning, WarningState
from reports.models import Report

pytestmark = pytest.mark.django_db


def _live():
    return Warning.objects.exclude(state=WarningState.CLOSED)


def _step(clock, minutes=10):
    clock.shift(timedelta(minutes=minutes))


def test_a_value_crossing_thresholds_opens_and_raises_one_warning(vitals, reading, clock, world):
    reading(1.0)
    assert not Warning.objects.exists()
    assert IndicatorValue.objects.get().value == 1.0

    _step(clock)
    outcome = reading(2.6)
    warning = _live().get()
    assert outcome.opened == [warning]
    assert (warning.level, warning.value, warning.threshold) == (3, 2.6, 2.5)
    assert warning.area == world.areas["DW-G1"]
    assert warning.evidence["readings"]

    _step(clock, 20)
    reading(3.6)
    warning.refresh_from_db()
    assert (warning.level, warning.threshold) == (1, 3.5)
    assert list(warning.entries.values_list("kind", flat=True)) == [
        EntryKind.OPENED,
        EntryKind.RAISED,
    ]
    assert _live().count() == 1


def test_hysteresis_holds_a_level_until_the_value_is_clearly_back(vitals, reading, clock):
    vitals.indicator.escalate_after_minutes = 24 * 60
    vitals.indicator.save()
    reading(2.6)
    warning = _live().get()
    for value, level in ((2.45, 3), (2.55, 3), (2.35, 3), (2.25, 4), (1.85, 4), (2.1, 4)):
        _step(clock, 70)
        reading(value)
        warning.refresh_from_db()
        assert (value, warning.level) == (value, level)
    _step(clock, 70)
    reading(1.7)
    warning.refresh_from_db()
    assert warning.state == WarningState.CLOSED
    assert warning.cause == "recovered"
    kinds = list(warning.entries.values_list("kind", flat=True))
    assert kinds == [EntryKind.OPENED, EntryKind.LOWERED, EntryKind.CLOSED]


def test_an_unacknowledged_warning_escalates_once_after_its_time(
    vitals, reading, clock, committed, world
):
    with committed():
        reading(2.1)
    warning = _live().get()
    assert warning.level == 4
    _step(clock, 29)
    with committed():
        assert services.evaluate_indicators().escalated == 0
    _step(clock, 2)
    with committed():
        assert services.evaluate_indicators().escalated == 1
        assert services.evaluate_indicators().escalated == 0
    warning.refresh_from_db()
    assert warning.escalated_at is not None
    told = set(
        Notification.objects.filter(key=f"vitals:warning:{warning.pk}:escalated").values_list(
            "user__email", flat=True
        )
    )
    assert told == {
        "roads-dispatcher@example.org",
        "roads-handler@example.org",
        "roads-supervisor@example.org",
        "leader-dw@example.org",
        "leader-w@example.org",
    }


def test_an_acknowledged_warning_does_not_escalate(vitals, reading, clock, world):
    reading(2.1)
    warning = _live().get()
    services.acknowledge(world.dispatcher, warning.pk, note="派人去看")
    _step(clock, 60)
    assert services.evaluate_indicators().escalated == 0
    warning.refresh_from_db()
    assert warning.state == WarningState.ACKNOWLEDGED
    assert warning.acknowledged_by == world.dispatcher


def test_closing_with_a_cause_and_a_new_warning_after(vitals, reading, clock, world, submit):
    reading(3.1)
    warning = _live().get()
    report = submit()
    services.work(world.handler, warning.pk, note="抽水泵已开", report_id=report.pk)
    with pytest.raises(services.CauseRequired):
        services.close(world.handler, warning.pk, cause="")
    services.close(world.handler, warning.pk, cause="handled", note="水位下降")
    services.close(world.handler, warning.pk, cause="handled")  # a retry changes nothing
    with pytest.raises(services.WarningClosed):
        services.close(world.handler, warning.pk, cause="false_alarm")
    warning.refresh_from_db()
    assert (warning.state, warning.cause, warning.closed_by) == ("closed", "handled", world.handler)
    assert list(warning.linked_reports.all()) == [report]
    _step(clock)
    reading(3.2)
    assert _live().get().pk != warning.pk


def test_a_report_the_worker_may_not_see_cannot_be_linked(vitals, reading, clock, world, submit):
    reading(3.1)
    warning = _live().get()
    # Hidden, and no department of the handler's: they may not see it.
    hidden = submit()
    Report.objects.filter(pk=hidden.pk).update(is_public=False, department=None)
    with pytest.raises(NotFound):
        services.work(world.handler, warning.pk, report_id=hidden.pk)
    assert not warning.linked_reports.exists()


def test_people_outside_the_warning_cannot_see_or_touch_it(vitals, reading, world):
    reading(3.1)
    warning = _live().get()
    for outsider in (world.other_staff, vitals.leader_de):
        with pytest.raises(NotFound):
            services.acknowledge(outsider, warning.pk)
    from civic.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services.acknowledge(world.resident, warning.pk)
    services.acknowledge(vitals.leader_dw, warning.pk)


def _told(level_key):
    return set(
        Notification.objects.filter(key__endswith=level_key, kind=Kind.VITAL_WARNING).values_list(
            "user__email", flat=True
        )
    )


STAFF = {
    "roads-dispatcher@example.org",
    "roads-handler@example.org",
    "roads-supervisor@example.org",
}


def test_warnings_reach_the_department_and_from_level_ii_the_areas_leaders(
    vitals, reading, clock, committed
):
    with committed():
        reading(2.6)
    assert _told(":level:3") == STAFF
    _step(clock, 70)
    with committed():
        reading(3.1)
    assert _told(":level:2") == STAFF | {"leader-dw@example.org", "leader-w@example.org"}
    # Nobody else at all: not the other department, the other district's leader, residents.
    everyone = set(
        Notification.objects.filter(kind=Kind.VITAL_WARNING).values_list("user__email", flat=True)
    )
    assert everyone == STAFF | {"leader-dw@example.org", "leader-w@example.org"}


def test_two_sensors_in_two_cells_raise_a_warning_each(vitals, reading, clock):
    reading(2.6, evaluate=False)
    reading(3.6, sensor="wl-2")
    assert sorted(_live().values_list("level", flat=True)) == [1, 3]


def test_old_values_are_averaged_into_hours_and_the_oldest_deleted(vitals, reading, clock):
    for value in (1.0, 1.2, 1.4):
        reading(value)
        _step(clock, 10)
    clock.shift(timedelta(days=8))
    downsampled, deleted = services.prune_values()
    assert (downsampled, deleted) == (3, 0)
    row = IndicatorValue.objects.get()
    assert (row.value, row.downsampled) == (1.2, True)
    clock.shift(timedelta(days=400))
    assert services.prune_values() == (0, 1)
