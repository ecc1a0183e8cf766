"""The figures kept as reports change agree exactly with ``rebuild_statistics``, whatever
sequence of events the reports go through (on SQLite and on PostgreSQL, as the suite runs)."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic.core.errors import AccessError, DomainError
from civic.operations.models import FIGURE_FIELDS, DailyFigure, Period, PeriodFigure, period_start
from reports import services
from reports.models import CallbackOutcome

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai: days turn over soon

steps = st.lists(
    st.one_of(
        st.tuples(st.just("submit"), st.sampled_from(["pothole", "noise", "graffiti"])),
        st.tuples(
            st.sampled_from(["accept", "start", "resolve", "rate", "reopen", "close"]),
            st.integers(0, 5),
            st.integers(1, 5),
        ),
        st.tuples(st.just("reject"), st.integers(0, 5), st.sampled_from(["not_ours", "abusive"])),
        st.tuples(st.just("assign"), st.integers(0, 5), st.sampled_from(["handler", "sanitation"])),
        st.tuples(st.just("merge"), st.integers(0, 5), st.integers(0, 5)),
        # A follow-up call (回访), opened by a low rating or a reopening.
        st.tuples(st.just("callback"), st.integers(0, 5), st.sampled_from(CallbackOutcome.values)),
        st.tuples(
            st.just("recategorise"), st.integers(0, 5), st.sampled_from(["dumping", "noise"])
        ),
        # The clock moves across deadlines (24 h to accept, 72 h to resolve) and midnights.
        st.tuples(st.just("wait"), st.sampled_from([0.5, 3, 23.9, 24.2, 40, 80, 200])),
        st.tuples(st.just("sweep")),
    ),
    min_size=1,
    max_size=25,
)


KEYS = ("area_id", "department_id", "category_id", "channel")


def table(model=DailyFigure, keys=("day", *KEYS)):
    rows = model.objects.values(*keys).annotate(**{f: Sum(f) for f in FIGURE_FIELDS})
    return {
        tuple(row[k] for k in keys): {f: row[f] for f in FIGURE_FIELDS if row[f]}
        for row in rows
        if any(row[f] for f in FIGURE_FIELDS)
    }


def periods():
    return table(PeriodFigure, ("period", "start", *KEYS))


def rolled_up(days):
    """The week and month rows the daily rows add up to."""
    expected = {}
    for (day, *where), fields in days.items():
        for period in Period.values:
            sums = expected.setdefault((period, period_start(day, period), *where), {})
            for field, value in fields.items():
                sums[field] = sums.get(field, 0) + value
    return {key: {f: v for f, v in sums.items() if v} for key, sums in expected.items()}


def run(world, step, reports, traveller):
    kind = step[0]
    if kind == "wait":
        traveller.shift(timedelta(hours=step[1]))
        return
    if kind == "sweep":
        services.sweep()
        return
    if kind == "submit":
        category = getattr(world, step[1])
        answers = {"size": "small"} if step[1] == "pothole" else {}
        reporter = world.resident if len(reports) % 2 else world.neighbour
        reports.append(
            services.submit_report(
                reporter,
                category=category,
                description="d",
                lat=40.45,
                lon=-3.7,
                answers=answers,
                channel="web" if len(reports) % 3 else "app",
            )
        )
        return
    if not reports:
        return
    report = reports[step[1] % len(reports)]
    report.refresh_from_db()
    admin = world.admin
    if kind == "accept":
        services.accept(admin, report)
    elif kind == "start":
        services.start(admin, report)
    elif kind == "resolve":
        services.resolve(admin, report, message="done")
    elif kind == "rate":
        services.rate(report.reporter, report, rating=step[2])
    elif kind == "reopen":
        services.reopen(report.reporter, report, reason="still broken")
    elif kind == "close":
        services.sweep(now=report.resolved_at + timedelta(days=8)) if report.resolved_at else None
    elif kind == "reject":
        services.reject(admin, report, reason=step[2])
    elif kind == "assign":
        if step[2] == "handler":
            services.assign(admin, report, handler=world.handler, department=world.roads)
        else:
            services.assign(admin, report, department=world.sanitation)
    elif kind == "merge":
        original = reports[step[2] % len(reports)]
        original.refresh_from_db()
        services.merge(admin, report, original)
    elif kind == "callback":
        follow_up = report.follow_ups.filter(outcome="").first()
        if follow_up is not None:
            services.record_callback(admin, follow_up, reached=True, outcome=step[2])
    elif kind == "recategorise":
        services.recategorise(admin, report, getattr(world, step[2]))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=steps)
def test_incremental_figures_equal_the_rebuild(world, committed, sequence):
    reports = []
    with time_machine.travel(T0, tick=False) as traveller:
        for step in sequence:
            try:
                with committed():
                    run(world, step, reports, traveller)
            except (DomainError, AccessError):
                pass
    incremental = table()
    # The weeks and months kept alongside add up to the days.
    assert periods() == rolled_up(incremental)
    call_command("rebuild_statistics", verbosity=0)
    rebuilt = table()
    assert incremental == rebuilt
    assert periods() == rolled_up(rebuilt)
    # Every report is counted as received once, wherever it now stands.
    assert sum(f.get("received", 0) for f in rebuilt.values()) == world.resident.reports.count() + (
        world.neighbour.reports.count()
    )


def test_sweep_as_system_changes_figures_through_events(world, committed, submit):
    with time_machine.travel(T0, tick=False) as traveller:
        with committed():
            submit()
        traveller.shift(timedelta(hours=30))
        with committed():
            services.sweep()
    assert DailyFigure.objects.aggregate(n=Sum("escalated_1"))["n"] == 1


def test_an_event_heard_twice_counts_once(world, committed, submit):
    from civic.operations.services import refresh_report

    with committed():
        report = submit()
    with committed():
        services.accept(world.admin, report)
    before = table()
    refresh_report(report.pk)
    refresh_report(report.pk)
    assert table() == before
    assert sum(fields.get("received", 0) for fields in before.values()) == 1
    assert sum(fields.get("accepted", 0) for fields in before.values()) == 1


def test_a_report_moved_to_another_department_moves_its_counts(world, committed, submit):
    with committed():
        report = submit()
    with committed():
        services.accept(world.admin, report)
    with committed():
        services.assign(world.admin, report, department=world.sanitation)
    departments = {
        key[2]: fields["received"] for key, fields in table().items() if "received" in fields
    }
    assert departments == {world.sanitation.pk: 1}


def test_follow_up_calls_are_counted_by_outcome(world, committed, submit):
    with committed():
        report = submit()
    with committed():
        services.accept(world.admin, report)
    with committed():
        services.resolve(world.admin, report, message="done")
    with committed():
        services.rate(report.reporter, report, rating=1)
    with committed():
        follow_up = report.follow_ups.get()
        services.record_callback(world.admin, follow_up, reached=True, outcome="redo")
    sums = DailyFigure.objects.aggregate(
        **{f: Sum(f) for f in ("follow_ups", "callbacks", "callbacks_redo", "callbacks_escalated")}
    )
    assert sums == {"follow_ups": 1, "callbacks": 1, "callbacks_redo": 1, "callbacks_escalated": 0}
    before = table()
    call_command("rebuild_statistics", verbosity=0)
    assert table() == before


def test_the_rebuild_counts_batch_by_batch_with_a_progress_bar(world, committed, submit, capsys):
    from civic.operations.services import rebuild

    with committed():
        reports = [submit() for _ in range(5)]
    with committed():
        services.accept(world.admin, reports[0])
    kept = table()
    assert rebuild(batch=2) == 5
    assert table() == kept
    out = io.StringIO()
    call_command("rebuild_statistics", stdout=out)
    assert table() == kept
    assert "5" in out.getvalue()
    assert "5/5" in capsys.readouterr().err


def test_a_refresh_that_fails_is_retried_through_the_task_queue(
    world, committed, submit, monkeypatch, caplog
):
    from django.db import OperationalError

    from civic.operations.services import figures

    apply, failed = figures._apply, []

    def fails_once(key, changes):
        if not failed:
            failed.append(key)
            raise OperationalError("deadlock detected")
        return apply(key, changes)

    monkeypatch.setattr(figures, "_apply", fails_once)
    with committed():
        submit()
    assert failed, "the refresh as the event was heard failed"
    assert "retrying" in caplog.text
    # The queue's retry (the immediate backend here, RQ with its retries in production)
    # counted the report once, and the rebuild agrees.
    kept = table()
    assert sum(fields.get("received", 0) for fields in kept.values()) == 1
    call_command("rebuild_statistics", verbosity=0)
    assert table() == kept
