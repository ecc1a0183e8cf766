"""The report state machine (DESIGN.md §5), proven through the services, the sweep's management
command and its background task: every transition allowed and refused, retries, the SLA clock
with frozen time, refusals at intake, the signals each change sends, and concurrency on
PostgreSQL."""

import math
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone, translation
from django_tasks import TaskResultStatus, task_backends

from civic.core.errors import DomainError, Forbidden
from civic.core.permissions import SYSTEM
from reports import events, services
from reports.models import (
    FAMILY_STATES,
    OPEN_STATES,
    CategoryQuestion,
    EventKind,
    Family,
    RejectReason,
    Report,
    State,
    Support,
)
from reports.permissions import can_see, can_see_staff_details, can_triage
from reports.queries import public_reports
from reports.tasks import sweep_reports
from tests.reports.conftest import MISSOURI, photo_bytes

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
DE = (43.0, 10.0)  # a point in district DE (DW is the conftest's default point)
KIND_OF = {signal: kind for kind, signal in events.SIGNAL_FOR_EVENT.items()}


@pytest.fixture(autouse=True)
def _windows(settings):
    settings.REPORTS_REOPEN_DAYS = 14
    settings.REPORTS_AUTO_CLOSE_DAYS = 7


@pytest.fixture
def received():
    """Every report signal sent, as ``(event kind, sender, kwargs)``."""
    got = []

    def receiver(signal, sender, **kwargs):
        got.append((KIND_OF[signal], sender, kwargs))

    for signal in events.SIGNAL_FOR_EVENT.values():
        signal.connect(receiver, weak=False, dispatch_uid="test_state_machine")
    yield got
    for signal in events.SIGNAL_FOR_EVENT.values():
        signal.disconnect(dispatch_uid="test_state_machine")


def kinds(report):
    return list(report.events.order_by("pk").values_list("kind", flat=True))


def fresh(report):
    return Report.objects.get(pk=report.pk)


def accepted(world, submit, **fields):
    return services.accept(world.dispatcher, submit(**fields))


def assigned(world, submit, **fields):
    return services.assign(
        world.dispatcher, accepted(world, submit, **fields), handler=world.handler
    )


def in_progress(world, submit, **fields):
    return services.start(world.handler, assigned(world, submit, **fields))


def resolved(world, submit, **fields):
    return services.resolve(world.handler, in_progress(world, submit, **fields), message="已修补")


def bring_to(state, world, submit):
    """A report by the resident, moved to ``state`` through the services."""
    if state == State.SUBMITTED:
        return submit()
    if state == State.REJECTED:
        return services.reject(world.dispatcher, submit(), reason=RejectReason.NOT_A_PROBLEM)
    if state == State.DUPLICATE:
        original = submit(world.neighbour, description="先报的坑")
        return services.merge(world.dispatcher, submit(), original)
    step = {
        State.ACCEPTED: accepted,
        State.ASSIGNED: assigned,
        State.IN_PROGRESS: in_progress,
        State.RESOLVED: resolved,
        State.CLOSED: resolved,
    }[state]
    report = step(world, submit)
    if state == State.CLOSED:
        services.sweep(now=report.resolved_at + 8 * DAY)  # closed unrated, by the clock
        report = fresh(report)
    assert report.state == state
    return report


# --- Every transition, allowed and refused ------------------------------------------------------

NOOP, REFUSED = "no-op", "refused"
OPEN = list(OPEN_STATES)
WORKING = [State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS]

ACTIONS = {
    "accept": lambda w, s, r: services.accept(w.dispatcher, r),
    "reject": lambda w, s, r: services.reject(w.dispatcher, r, reason=RejectReason.INSUFFICIENT),
    "assign": lambda w, s, r: services.assign(w.dispatcher, r, handler=w.handler),
    "reassign": lambda w, s, r: services.assign(w.dispatcher, r, handler=w.supervisor),
    "dispatch": lambda w, s, r: services.assign(w.dispatcher, r, department=w.sanitation),
    "start": lambda w, s, r: services.start(w.dispatcher, r),
    "resolve": lambda w, s, r: services.resolve(w.dispatcher, r, message="已处理"),
    "rate": lambda w, s, r: services.rate(w.resident, r, rating=4),
    "reopen": lambda w, s, r: services.reopen(w.resident, r, reason="还是坏的"),
    "merge": lambda w, s, r: services.merge(w.dispatcher, r, s(w.neighbour, description="原报")),
    "recategorise": lambda w, s, r: services.recategorise(w.dispatcher, r, w.noise),
    "support": lambda w, s, r: services.support(w.neighbour, r),
}
EVENT_OF = {
    "accept": EventKind.ACCEPTED,
    "reject": EventKind.REJECTED,
    "assign": EventKind.ASSIGNED,
    "reassign": EventKind.ASSIGNED,
    "dispatch": EventKind.ASSIGNED,
    "start": EventKind.STARTED,
    "resolve": EventKind.RESOLVED,
    "rate": EventKind.RATED,
    "reopen": EventKind.REOPENED,
    "merge": EventKind.MERGED,
    "recategorise": EventKind.RECATEGORISED,
    "support": EventKind.SUPPORTED,
}
# action → {from state: to state, or NOOP (a retry of what already happened)}. Every state not
# listed refuses the action with ``invalid_transition``.
ALLOWED = {
    "accept": {State.SUBMITTED: State.ACCEPTED, State.ACCEPTED: NOOP},
    "reject": {**dict.fromkeys(OPEN, State.REJECTED), State.REJECTED: NOOP},
    "assign": {State.ACCEPTED: State.ASSIGNED, State.ASSIGNED: NOOP, State.IN_PROGRESS: NOOP},
    "reassign": dict.fromkeys(WORKING, State.ASSIGNED),
    # To another department, without a handler: its staff assign it.
    "dispatch": dict.fromkeys(WORKING, State.ACCEPTED),
    "start": {State.ASSIGNED: State.IN_PROGRESS, State.IN_PROGRESS: NOOP},
    "resolve": {**dict.fromkeys(WORKING, State.RESOLVED), State.RESOLVED: NOOP},
    "rate": {State.RESOLVED: State.CLOSED, State.CLOSED: State.CLOSED},
    "reopen": {State.RESOLVED: State.IN_PROGRESS, State.CLOSED: State.IN_PROGRESS},
    "merge": dict.fromkeys(OPEN, State.DUPLICATE),
    # To a category of the same department: the state stays.
    "recategorise": {state: state for state in OPEN},
    "support": {state: state for state in OPEN + list(FAMILY_STATES[Family.FIXED])},
}


def expected_outcome(action, state):
    to = ALLOWED[action].get(state, REFUSED)
    if to in (NOOP, REFUSED):
        return to, []
    if action == "support":
        return to, [(EventKind.SUPPORTED, "", "")]
    if action == "reopen":
        # A reopening gives the department's supervisors a follow-up call to make.
        return to, [(EVENT_OF[action], state, to), (EventKind.FOLLOW_UP_OPENED, "", "")]
    return to, [(EVENT_OF[action], state, to)]


def observed_outcome(action, state, world, submit):
    report = bring_to(state, world, submit)
    before = report.events.count()
    refused = None
    try:
        ACTIONS[action](world, submit, report)
    except services.InvalidTransition as exc:
        refused = exc
    after = fresh(report)
    added = [
        (event.kind, event.from_state, event.to_state)
        for event in after.events.order_by("pk")[before:]
    ]
    if refused is not None:
        assert (refused.code, refused.field) == ("invalid_transition", "state")
        assert after.state == state, f"{action} was refused but moved the report"
        return REFUSED, added
    if after.state == state and not added:
        return NOOP, added
    return after.state, added


@pytest.mark.parametrize("state", list(State))
def test_every_action_from_every_state(state, world, submit):
    observed = {action: observed_outcome(action, state, world, submit) for action in ACTIONS}
    assert observed == {action: expected_outcome(action, state) for action in ACTIONS}


# --- Retries ------------------------------------------------------------------------------------


def test_retries_make_one_event_and_one_signal_each(
    world, submit, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(client_request_id="tap-1")
        assert submit(client_request_id="tap-1").pk == report.pk
        for _ in range(2):
            services.accept(world.dispatcher, report)
        for _ in range(2):
            services.assign(world.dispatcher, report, handler=world.handler)
        for _ in range(2):
            services.start(world.handler, report)
        # A late retry of the assignment must not send started work back to "assigned".
        services.assign(world.dispatcher, report, handler=world.handler)
        for _ in range(2):
            services.support(world.neighbour, report)
        for _ in range(2):
            services.resolve(world.handler, report, message="已修补")
        for _ in range(2):
            services.rate(world.resident, report, rating=4, comment="不错")
    report = fresh(report)
    assert Report.objects.count() == 1
    assert (report.state, report.rating, report.support_count) == (State.CLOSED, 4, 1)
    expected = ["submitted", "accepted", "assigned", "started", "supported", "resolved", "rated"]
    assert kinds(report) == expected
    assert [kind for kind, _sender, _kwargs in received] == expected

    for rating, comment in ((5, "不错"), (4, "其实一般")):
        with pytest.raises(services.AlreadyRated) as refused:
            services.rate(world.resident, report, rating=rating, comment=comment)
        assert (refused.value.code, refused.value.field) == ("already_rated", "rating")
    assert fresh(report).rating == 4
    assert kinds(report) == expected


def test_reject_and_reopen_retries_are_no_ops(world, submit):
    report = submit()
    for reason in (RejectReason.NOT_OURS, RejectReason.NOT_OURS, RejectReason.ABUSIVE):
        services.reject(world.dispatcher, report, reason=reason)
    assert kinds(report) == ["submitted", "rejected"]
    assert fresh(report).is_public  # the retry did not change the reason

    report = resolved(world, submit)
    for _ in range(2):
        services.reopen(world.resident, report, reason="还是坏的")
    assert kinds(report).count("reopened") == 1
    assert fresh(report).reopen_count == 1


# --- Reject -------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", list(RejectReason))
def test_reject_with_each_reason(reason, world, submit):
    report = services.reject(world.dispatcher, accepted(world, submit), reason=reason)
    report = fresh(report)
    assert report.state == State.REJECTED
    assert report.closed_at is not None
    event = report.events.get(kind=EventKind.REJECTED)
    assert event.data == {"reason": reason}
    assert event.message == str(reason.label)  # no message given: the reason says why
    hidden = reason == RejectReason.ABUSIVE
    assert report.is_public is not hidden
    assert public_reports().filter(pk=report.pk).exists() is not hidden
    assert can_see(world.neighbour, report) is not hidden
    assert can_see(world.resident, report)  # the reporter still sees their own report
    assert can_see(world.dispatcher, report)


def test_reject_needs_a_known_reason(world, submit):
    report = submit()
    with pytest.raises(services.ReportInvalid) as refused:
        services.reject(world.dispatcher, report, reason="boring")
    assert (refused.value.code, refused.value.field) == ("invalid_choice", "reason")
    assert fresh(report).state == State.SUBMITTED


# --- Assign and dispatch ------------------------------------------------------------------------


def test_the_handler_must_be_in_the_department(world, submit):
    report = accepted(world, submit)
    with pytest.raises(services.HandlerNotInDepartment) as refused:
        services.assign(world.dispatcher, report, handler=world.other_staff)
    assert (refused.value.code, refused.value.field) == ("handler_not_in_department", "handler")
    with pytest.raises(services.ReportInvalid) as refused:
        services.assign(world.dispatcher, report)
    assert (refused.value.code, refused.value.field) == ("required", "handler")
    report = fresh(report)
    assert (report.state, report.handler) == (State.ACCEPTED, None)
    assert kinds(report) == ["submitted", "accepted"]


def test_dispatch_to_another_department_moves_it_there(world, submit):
    report = assigned(world, submit)
    services.assign(world.dispatcher, report, department=world.sanitation, message="归环卫处")
    report = fresh(report)
    assert (report.state, report.department, report.handler) == (
        State.ACCEPTED,
        world.sanitation,
        None,
    )
    event = report.events.filter(kind=EventKind.ASSIGNED).last()
    assert event.data == {"department": "sanitation", "handler": None}
    assert (event.from_state, event.to_state, event.message) == (
        State.ASSIGNED,
        State.ACCEPTED,
        "归环卫处",
    )

    # The phone's retry of the same dispatch is answered with the report, unchanged.
    assert services.assign(world.dispatcher, report, department=world.sanitation).pk == report.pk
    assert report.events.filter(kind=EventKind.ASSIGNED).count() == 2

    # The roads staff have lost it, the former handler included.
    assert not can_triage(world.dispatcher, report)
    assert not can_see_staff_details(world.handler, report)
    for change in (
        lambda: services.assign(world.dispatcher, report, handler=world.handler),
        lambda: services.reject(world.dispatcher, report, reason=RejectReason.NOT_OURS),
        lambda: services.start(world.handler, report),
        lambda: services.resolve(world.handler, report, message="修好了"),
        lambda: services.post_update(world.handler, report, message="记录", public=False),
    ):
        with pytest.raises(Forbidden):
            change()

    # Sanitation assigns it among its own people only.
    with pytest.raises(services.HandlerNotInDepartment):
        services.assign(world.other_staff, report, handler=world.handler)
    services.assign(world.other_staff, report, handler=world.other_staff)
    report = fresh(report)
    assert (report.state, report.handler) == (State.ASSIGNED, world.other_staff)


# --- Recategorise -------------------------------------------------------------------------------


def test_routing_rule_sends_a_fallen_tree_to_parks_in_de_and_sanitation_in_dw(world, submit):
    assert submit(category=world.fallen_tree, lat=DE[0], lon=DE[1]).department == world.parks
    assert submit(category=world.fallen_tree).department == world.sanitation

    in_de = submit(lat=DE[0], lon=DE[1])
    in_dw = submit()
    assert in_de.department == in_dw.department == world.roads
    services.recategorise(world.dispatcher, in_de, world.fallen_tree)
    services.recategorise(world.dispatcher, in_dw, world.fallen_tree)
    assert fresh(in_de).department == world.parks
    assert fresh(in_dw).department == world.sanitation


def test_recategorise_reroutes_and_restarts_triage(world, submit):
    with time_machine.travel(T0, tick=False) as traveller:
        report = submit()
        traveller.move_to(T0 + 25 * HOUR)
        services.sweep()
        report = services.assign(
            world.dispatcher, services.accept(world.dispatcher, report), handler=world.handler
        )
        traveller.move_to(T0 + 30 * HOUR)
        services.recategorise(world.dispatcher, report, world.graffiti, message="是涂鸦")
    report = fresh(report)
    assert report.category == world.graffiti
    assert report.department == world.sanitation
    assert (report.state, report.handler, report.accepted_at) == (State.SUBMITTED, None, None)
    assert report.accept_deadline == T0 + 30 * HOUR + world.graffiti.accept_sla_hours * HOUR
    assert (report.resolve_deadline, report.escalation_level) == (None, 0)
    event = report.events.get(kind=EventKind.RECATEGORISED)
    assert (event.from_state, event.to_state, event.message) == (
        State.ASSIGNED,
        State.SUBMITTED,
        "是涂鸦",
    )
    assert event.data == {
        "category_from": "pothole",
        "category_to": "graffiti",
        "department": "sanitation",
    }
    # Now it is sanitation's to triage, not roads'.
    with pytest.raises(Forbidden):
        services.accept(world.dispatcher, report)
    assert services.accept(world.other_staff, report).state == State.ACCEPTED


def test_recategorise_within_the_department_keeps_the_work_going(world, submit):
    report = services.recategorise(world.dispatcher, in_progress(world, submit), world.noise)
    report = fresh(report)
    assert (report.category, report.department, report.state, report.handler) == (
        world.noise,
        world.roads,
        State.IN_PROGRESS,
        world.handler,
    )
    # The same category again is a retry.
    services.recategorise(world.dispatcher, report, world.noise)
    assert kinds(report).count("recategorised") == 1


def test_recategorise_to_a_category_not_offered_there(world, submit):
    report = submit(lat=DE[0], lon=DE[1])
    with pytest.raises(services.CategoryNotOffered) as refused:
        services.recategorise(world.dispatcher, report, world.graffiti)
    assert (refused.value.code, refused.value.field) == ("category_not_offered", "category")
    report = fresh(report)
    assert (report.category, report.department) == (world.pothole, world.roads)
    assert kinds(report) == ["submitted"]


# --- Merge --------------------------------------------------------------------------------------


def test_merge_makes_the_duplicate_reporter_a_supporter(world, submit):
    original = submit(world.neighbour, description="先报的坑")
    duplicate = submit(description="同一个坑")
    for _ in range(2):  # merging the same pair again is a no-op
        services.merge(world.dispatcher, duplicate, original, message="同一处")
    duplicate, original = fresh(duplicate), fresh(original)
    assert (duplicate.state, duplicate.duplicate_of) == (State.DUPLICATE, original)
    assert duplicate.closed_at is not None
    assert original.support_count == 1
    assert Support.objects.get(report=original).user == world.resident
    assert Support.objects.get(report=original).via_duplicate == duplicate
    assert kinds(duplicate) == ["submitted", "merged"]
    assert kinds(original) == ["submitted", "duplicate_added"]
    merged = duplicate.events.get(kind=EventKind.MERGED)
    assert (merged.from_state, merged.to_state, merged.data) == (
        State.SUBMITTED,
        State.DUPLICATE,
        {"original": original.pk},
    )
    assert original.events.get(kind=EventKind.DUPLICATE_ADDED).data == {"duplicate": duplicate.pk}


def test_merge_of_the_same_reporter_adds_no_supporter(world, submit):
    original = submit(description="先报的坑")
    services.merge(world.dispatcher, submit(description="又报一次"), original)
    assert fresh(original).support_count == 0
    assert not Support.objects.exists()


def test_merge_target_must_be_another_open_or_fixed_report(world, submit):
    report = submit()
    rejected = services.reject(world.dispatcher, submit(), reason=RejectReason.NOT_A_PROBLEM)
    duplicate = services.merge(world.dispatcher, submit(), submit(world.neighbour))
    for target in (report, rejected, duplicate):
        with pytest.raises(services.MergeTargetInvalid) as refused:
            services.merge(world.dispatcher, report, target)
        assert (refused.value.code, refused.value.field) == ("merge_target_invalid", "original")
    assert fresh(report).state == State.SUBMITTED
    assert kinds(report) == ["submitted"]
    # A fixed report is a fine target.
    fixed = resolved(world, submit, description="已修好的坑")
    assert services.merge(world.dispatcher, report, fixed).state == State.DUPLICATE


# --- Reopen -------------------------------------------------------------------------------------


def test_reopen_within_the_window_goes_back_to_the_handler(world, submit):
    with time_machine.travel(T0, tick=False) as traveller:
        report = resolved(world, submit)
        services.rate(world.resident, report, rating=2, comment="没修好")
        traveller.move_to(T0 + 13 * DAY)
        services.reopen(world.resident, report, reason="又塌了")
    report = fresh(report)
    assert (report.state, report.handler) == (State.IN_PROGRESS, world.handler)
    assert report.resolve_deadline == T0 + 13 * DAY + world.pothole.resolve_sla_hours * HOUR
    assert (report.rating, report.rating_comment, report.reopen_count) == (None, "", 1)
    assert (report.resolved_at, report.closed_at, report.escalation_level) == (None, None, 0)
    event = report.events.get(kind=EventKind.REOPENED)
    assert (event.from_state, event.to_state, event.message, event.actor) == (
        State.CLOSED,
        State.IN_PROGRESS,
        "又塌了",
        world.resident,
    )
    # The rating was cleared, so the next outcome can be rated afresh.
    services.resolve(world.handler, report, message="重新修补")
    assert services.rate(world.resident, report, rating=5).rating == 5


def test_reopen_without_a_handler_goes_back_to_accepted(world, submit):
    report = services.resolve(world.dispatcher, accepted(world, submit), message="已处理")
    report = services.reopen(world.resident, report, reason="没处理")
    assert (fresh(report).state, fresh(report).handler) == (State.ACCEPTED, None)


def test_reopen_after_the_window_is_refused(world, submit):
    with time_machine.travel(T0, tick=False) as traveller:
        report = resolved(world, submit)
        traveller.move_to(T0 + 14 * DAY + timedelta(minutes=1))
        with pytest.raises(services.ReopenWindowPassed) as refused:
            services.reopen(world.resident, report, reason="又塌了")
    assert refused.value.code == "reopen_window_passed"
    assert fresh(report).state == State.RESOLVED
    assert "reopened" not in kinds(report)


def test_only_the_reporter_reopens_and_says_why(world, submit):
    report = resolved(world, submit)
    for someone in (world.neighbour, world.dispatcher):
        with pytest.raises(Forbidden):
            services.reopen(someone, report, reason="不满意")
    with pytest.raises(services.ReportInvalid) as refused:
        services.reopen(world.resident, report, reason="  ")
    assert (refused.value.code, refused.value.field) == ("required", "reason")
    assert fresh(report).state == State.RESOLVED


# --- Rate ---------------------------------------------------------------------------------------


def test_rating_closes_a_resolved_report(world, submit):
    report = services.rate(world.resident, resolved(world, submit), rating=4, comment=" 很快 ")
    report = fresh(report)
    assert (report.state, report.rating, report.rating_comment) == (State.CLOSED, 4, "很快")
    assert report.closed_at is not None
    event = report.events.get(kind=EventKind.RATED)
    assert (event.from_state, event.to_state, event.data, event.message) == (
        State.RESOLVED,
        State.CLOSED,
        {"rating": 4, "round": 0},  # the first round of work
        "很快",
    )


@pytest.mark.parametrize("rating", [0, 6, -1, None, "5", 4.5, True])
def test_rating_is_a_whole_number_from_1_to_5(rating, world, submit):
    report = resolved(world, submit)
    with pytest.raises(services.InvalidRating) as refused:
        services.rate(world.resident, report, rating=rating)
    assert (refused.value.code, refused.value.field) == ("invalid_rating", "rating")
    assert (fresh(report).state, fresh(report).rating) == (State.RESOLVED, None)


def test_only_the_reporter_rates_and_only_a_fixed_report(world, submit):
    report = resolved(world, submit)
    for someone in (world.neighbour, world.handler):
        with pytest.raises(Forbidden):
            services.rate(someone, report, rating=5)
    open_report = accepted(world, submit)
    with pytest.raises(services.InvalidTransition) as refused:
        services.rate(world.resident, open_report, rating=5)
    assert refused.value.code == "invalid_transition"
    assert fresh(report).rating is None
    assert fresh(open_report).rating is None


# --- The clock: auto-close and escalation -------------------------------------------------------


def test_a_resolved_report_closes_itself_after_the_auto_close_days(
    world, submit, received, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False) as traveller:
        report = resolved(world, submit)
        rated = services.rate(world.resident, resolved(world, submit), rating=3)
        traveller.move_to(T0 + 7 * DAY - timedelta(minutes=1))
        # A day before, the reporter of the unrated one was asked "is it fixed?".
        assert services.sweep() == services.SweepResult(escalated=0, reminded=1, closed=0)
        assert fresh(report).state == State.RESOLVED
        traveller.move_to(T0 + 7 * DAY + timedelta(minutes=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert services.sweep() == services.SweepResult(escalated=0, closed=1)
        assert services.sweep() == services.SweepResult(escalated=0, closed=0)
    report = fresh(report)
    assert (report.state, report.closed_at) == (State.CLOSED, T0 + 7 * DAY + timedelta(minutes=1))
    event = report.events.get(kind=EventKind.CLOSED)
    assert (event.actor, event.data, event.from_state, event.to_state, event.is_public) == (
        None,
        {"automatic": True},
        State.RESOLVED,
        State.CLOSED,
        True,
    )
    assert [(kind, kwargs["report"].pk, kwargs["actor"]) for kind, _s, kwargs in received] == [
        (EventKind.CLOSED, report.pk, SYSTEM)
    ]
    assert kinds(rated)[-1] == "rated"  # already closed by its rating: untouched


def test_escalation_climbs_with_the_lateness(
    world, submit, received, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False) as traveller:
        report = submit()  # pothole: 24 hours to accept
        assert report.accept_deadline == T0 + 24 * HOUR

        def sweep_at(hours):
            traveller.move_to(T0 + hours * HOUR)
            with django_capture_on_commit_callbacks(execute=True):
                escalated = services.sweep().escalated
            return escalated, fresh(report).escalation_level

        assert sweep_at(23) == (0, 0)
        assert sweep_at(25) == (1, 1)
        assert sweep_at(25) == (0, 1)  # the same moment again: nothing new
        assert sweep_at(35) == (0, 1)
        assert sweep_at(37) == (1, 2)  # half an SLA past the deadline
        assert sweep_at(37) == (0, 2)
        assert sweep_at(49) == (1, 3)  # a whole SLA past: the district's leaders
        assert sweep_at(500) == (0, 3)  # there is no level above

    escalations = report.events.filter(kind=EventKind.ESCALATED).order_by("pk")
    assert [(e.data, e.actor, e.is_public) for e in escalations] == [
        ({"level": 1, "previous_level": 0, "phase": "accept", "to": "handler"}, None, False),
        ({"level": 2, "previous_level": 1, "phase": "accept", "to": "supervisor"}, None, False),
        (
            {"level": 3, "previous_level": 2, "phase": "accept", "to": "district_leader"},
            None,
            False,
        ),
    ]
    assert [
        (kind, kwargs["report"].pk, kwargs["level"], kwargs["actor"])
        for kind, _sender, kwargs in received
    ] == [(EventKind.ESCALATED, report.pk, level, SYSTEM) for level in (1, 2, 3)]
    assert fresh(report).state == State.SUBMITTED  # escalation never moves the state


def test_a_long_forgotten_report_jumps_to_the_level_it_deserves(world, submit):
    with time_machine.travel(T0, tick=False) as traveller:
        report = submit()
        traveller.move_to(T0 + 49 * HOUR)
        assert services.sweep().escalated == 1
    event = report.events.get(kind=EventKind.ESCALATED)
    assert (event.data["previous_level"], event.data["level"]) == (0, 3)


def test_accepting_resets_the_level_and_the_resolve_phase_has_its_own_clock(world, submit):
    with time_machine.travel(T0, tick=False) as traveller:
        report = submit()
        traveller.move_to(T0 + 25 * HOUR)
        services.sweep()
        assert fresh(report).escalation_level == 1
        traveller.move_to(T0 + 26 * HOUR)
        services.accept(world.dispatcher, report)
        accepted_at = T0 + 26 * HOUR
        report = fresh(report)
        assert report.escalation_level == 0
        assert report.resolve_deadline == accepted_at + 72 * HOUR  # pothole: 72 hours to fix
        for hours, level in ((1, 0), (71, 0), (73, 1), (109, 2), (145, 3)):
            traveller.move_to(accepted_at + hours * HOUR)
            services.sweep()
            assert fresh(report).escalation_level == level, hours
    phases = report.events.filter(kind=EventKind.ESCALATED).values_list("data__phase", flat=True)
    assert list(phases) == ["accept", "resolve", "resolve", "resolve"]


# --- The sweep's command and task ---------------------------------------------------------------


def test_the_command_sweeps_and_says_how_many(world, submit, capsys):
    with time_machine.travel(T0, tick=False) as traveller:
        late = [submit(), submit(description="第二个坑")]
        done = resolved(world, submit)
        traveller.move_to(T0 + 8 * DAY)
        outputs = []
        for _ in range(2):
            out, err = StringIO(), StringIO()
            with translation.override("en"):
                call_command("sweep_reports", stdout=out, stderr=err)
            outputs.append(out.getvalue())
    assert outputs == ["Escalated 2 reports, closed 1.\n", "Escalated 0 reports, closed 0.\n"]
    assert [fresh(report).escalation_level for report in late] == [3, 3]
    assert fresh(done).state == State.CLOSED
    assert "Sweeping reports" in capsys.readouterr().err  # the progress bar, on stderr


def test_the_command_is_silent_at_verbosity_0_for_cron(world, submit, capsys):
    with time_machine.travel(T0, tick=False) as traveller:
        report = submit()
        traveller.move_to(T0 + 25 * HOUR)
        out = StringIO()
        call_command("sweep_reports", verbosity=0, stdout=out)
        call_command("sweep_reports", "--enqueue", verbosity=0, stdout=out)
    assert out.getvalue() == ""
    assert capsys.readouterr().err == ""
    assert fresh(report).escalation_level == 1  # but it did the work


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_the_task_runs_the_sweep_through_the_immediate_backend(world, submit, immediate_tasks):
    with time_machine.travel(T0, tick=False) as traveller:
        report = submit()
        traveller.move_to(T0 + 25 * HOUR)
        result = sweep_reports.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {
        "escalated": 1,
        "reminded": 0,
        "closed": 0,
        "instructions_escalated": 0,
        "drafts_removed": 0,
    }
    assert fresh(report).escalation_level == 1


def test_the_command_can_enqueue_the_sweep(world, submit, immediate_tasks):
    with time_machine.travel(T0, tick=False) as traveller:
        submit()
        traveller.move_to(T0 + 25 * HOUR)
        out = StringIO()
        with translation.override("en"):
            call_command("sweep_reports", "--enqueue", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Enqueued the sweep as task ")
    assert lines[1:] == ["Escalated 1 report, closed 0."]  # the immediate backend ran it


def test_a_failed_sweep_task_fails_the_command(world, immediate_tasks, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "sweep", broken)
    with (
        translation.override("en"),
        pytest.raises(CommandError, match=r"failed: builtins\.RuntimeError"),
    ):
        call_command("sweep_reports", "--enqueue", stdout=StringIO())


def test_enqueue_leaves_the_work_to_the_workers(world, submit, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with time_machine.travel(T0, tick=False) as traveller:
        report = submit()
        traveller.move_to(T0 + 25 * HOUR)
        out = StringIO()
        with translation.override("en"):
            call_command("sweep_reports", "--enqueue", stdout=out)
    assert out.getvalue().startswith("Enqueued the sweep as task ")
    assert "Escalated" not in out.getvalue()
    queued = task_backends["default"].results
    assert [result.task.module_path for result in queued] == ["reports.tasks.sweep_reports"]
    assert fresh(report).escalation_level == 0  # nothing ran here


# --- Intake refusals ----------------------------------------------------------------------------


def refusal(submit, **fields):
    with pytest.raises(DomainError) as refused:
        submit(**fields)
    assert not Report.objects.exists()
    return refused.value


def test_outside_the_city(world, submit):
    error = refusal(submit, lat=MISSOURI[0], lon=MISSOURI[1])
    assert (error.code, error.field) == ("outside_city", "location")


def test_category_not_offered_at_the_point(world, submit):
    error = refusal(submit, category=world.graffiti, lat=DE[0], lon=DE[1])
    assert (error.code, error.field) == ("category_not_offered", "category")
    # An unknown service code reaches the service as no category.
    with pytest.raises(DomainError) as refused:
        services.submit_report(world.resident, category=None, description="坑", lat=40.45, lon=-3.7)
    assert (refused.value.code, refused.value.field) == ("category_not_offered", "category")
    assert not Report.objects.exists()


def test_required_answer_missing(world, submit):
    for answers in ({}, {"size": ""}, {"size": []}, {"depth_cm": 5}):
        error = refusal(submit, answers=answers)
        assert [(e.field, e.code) for e in error.errors] == [("answers.size", "answer_required")]
        assert error.code == "answer_required"


def test_unknown_answer_code(world, submit):
    error = refusal(submit, answers={"size": "small", "colour": "red"})
    assert [(e.field, e.code) for e in error.errors] == [("answers.colour", "answer_invalid")]


@pytest.fixture
def questionnaire(world):
    """Graffiti (offered in DW) asks one question of every Open311 datatype."""
    for order, (code, datatype, options) in enumerate(
        [
            ("note", "string", ""),
            ("details", "text", ""),
            ("count", "number", ""),
            ("seen_at", "datetime", ""),
            ("colour", "singlevaluelist", "red|红|Red\nblue|蓝|Blue"),
            ("surfaces", "multivaluelist", "wall|墙|Wall\ndoor|门|Door"),
        ]
    ):
        CategoryQuestion.objects.create(
            category=world.graffiti,
            code=code,
            label=code,
            datatype=datatype,
            options=options,
            sort_order=order,
        )
    return world.graffiti


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("note", "x" * 256),
        ("details", "x" * 2001),
        ("count", "many"),
        ("count", True),
        ("count", "nan"),
        ("count", "inf"),
        ("count", [3]),
        ("seen_at", "yesterday"),
        ("seen_at", 20260301),
        ("colour", "green"),
        ("colour", ["red", "blue"]),
        ("surfaces", ["wall", "roof"]),
    ],
)
def test_invalid_answer_of_each_datatype(code, value, questionnaire, submit):
    error = refusal(submit, category=questionnaire, answers={code: value})
    assert [(e.field, e.code) for e in error.errors] == [(f"answers.{code}", "answer_invalid")]


def test_valid_answers_are_stored_cleaned(questionnaire, submit):
    report = submit(
        category=questionnaire,
        answers={
            "note": "  蓝色  ",
            "details": "在墙上",
            "count": "3",
            "seen_at": "2026-03-01T08:30:00",
            "colour": "red",
            "surfaces": ["door", "wall", "door"],
        },
    )
    assert fresh(report).answers == {
        "note": "蓝色",
        "details": "在墙上",
        "count": 3,
        "seen_at": timezone.make_aware(datetime(2026, 3, 1, 8, 30)).isoformat(),
        "colour": "red",
        "surfaces": ["door", "wall"],
    }


def test_description_too_long(world, submit, settings):
    settings.REPORTS_MAX_DESCRIPTION = 50
    error = refusal(submit, description="坑" * 51)
    assert (error.code, error.field) == ("max_length", "description")
    assert submit(description="坑" * 50).description == "坑" * 50


def test_description_or_photo_required(world, submit):
    error = refusal(submit, description="  ")
    assert (error.code, error.field) == ("required", "description")


def test_too_many_photos(world, submit, settings):
    settings.REPORTS_MAX_PHOTOS = 1
    error = refusal(submit, photos=[photo_bytes("sample.png"), photo_bytes("sample.png")])
    assert (error.code, error.field) == ("too_many_photos", "photos")


def test_anonymous_where_not_allowed(world, submit):
    error = refusal(submit, category=world.dumping, is_anonymous=True)
    assert (error.code, error.field) == ("anonymous_not_allowed", "is_anonymous")
    assert submit(category=world.noise, is_anonymous=True).is_anonymous


def test_location_required_without_a_point_or_gps(world, submit):
    for fields in ({"photos": [photo_bytes("sample.png")]}, {}):
        error = refusal(submit, lat=None, lon=None, **fields)
        assert (error.code, error.field) == ("location_required", "location")


@pytest.mark.parametrize(
    ("lat", "lon"), [(91, -3.7), (-90.5, -3.7), (40.45, 181), (math.nan, -3.7), ("40.45", -3.7)]
)
def test_invalid_coordinates(lat, lon, world, submit):
    error = refusal(submit, lat=lat, lon=lon)
    assert (error.code, error.field) == ("invalid_coordinates", "location")


def test_several_errors_are_reported_together(world, submit):
    error = refusal(
        submit,
        category=world.dumping,
        is_anonymous=True,
        description="x" * 2001,
        answers={"colour": "red"},
        client_request_id="y" * 65,
    )
    assert {(e.field, e.code) for e in error.errors} == {
        ("description", "max_length"),
        ("client_request_id", "max_length"),
        ("is_anonymous", "anonymous_not_allowed"),
        ("answers.colour", "answer_invalid"),
    }
    assert all(e.message for e in error.errors)


# --- Signals ------------------------------------------------------------------------------------


def test_each_change_sends_its_signal_once_on_commit(
    world, submit, make_user, received, django_capture_on_commit_callbacks
):
    def sent(change):
        received.clear()
        with django_capture_on_commit_callbacks() as callbacks:
            result = change()
        assert received == [], "sent before the commit"
        for callback in callbacks:
            callback()
        return result, list(received)

    def check(signals, kind, report, actor, **extra):
        assert [signal_kind for signal_kind, _sender, _kwargs in signals] == [kind]
        _kind, sender, kwargs = signals[0]
        assert sender is Report
        assert set(kwargs) == {"report", "event", "actor", *extra}
        assert kwargs["report"].pk == report.pk
        assert (kwargs["event"].pk, kwargs["event"].kind) == (
            report.events.order_by("pk").last().pk,
            kind,
        )
        assert kwargs["actor"] == actor
        for key, value in extra.items():
            assert kwargs[key] == value, key

    report, signals = sent(lambda: submit())
    check(signals, EventKind.SUBMITTED, report, world.resident)
    _, signals = sent(lambda: services.accept(world.dispatcher, report))
    check(signals, EventKind.ACCEPTED, report, world.dispatcher)
    _, signals = sent(lambda: services.assign(world.dispatcher, report, handler=world.handler))
    check(signals, EventKind.ASSIGNED, report, world.dispatcher, handler=world.handler)
    _, signals = sent(lambda: services.start(world.handler, report))
    check(signals, EventKind.STARTED, report, world.handler)
    _, signals = sent(lambda: services.post_update(world.handler, report, message="明天修"))
    check(signals, EventKind.UPDATE, report, world.handler)
    _, signals = sent(
        lambda: services.post_update(world.handler, report, message="材料不够", public=False)
    )
    check(signals, EventKind.NOTE, report, world.handler)
    _, signals = sent(lambda: services.resolve(world.handler, report, message="已修补"))
    check(signals, EventKind.RESOLVED, report, world.handler)
    _, signals = sent(lambda: services.reopen(world.resident, report, reason="又塌了"))
    # The reopening, then the follow-up call (回访) it opens for the department's supervisors.
    assert [kind for kind, _sender, _kwargs in signals] == [
        EventKind.REOPENED,
        EventKind.FOLLOW_UP_OPENED,
    ]
    assert (signals[0][2]["event"].kind, signals[0][2]["actor"]) == (
        EventKind.REOPENED,
        world.resident,
    )
    assert signals[1][2]["follow_up"].reason == "reopened"
    services.resolve(world.handler, report, message="重新修补")
    _, signals = sent(lambda: services.rate(world.resident, report, rating=5))
    check(signals, EventKind.RATED, report, world.resident)

    other = submit(world.neighbour, description="邻居报的坑")
    _, signals = sent(lambda: services.support(world.resident, other))
    check(signals, EventKind.SUPPORTED, other, world.resident, supporter=world.resident)
    third = make_user(email="third@example.org")
    duplicate = submit(third, description="同一个坑")
    _, signals = sent(lambda: services.merge(world.dispatcher, duplicate, other))
    # One signal: the original's "duplicate added" line is for its timeline only.
    check(signals, EventKind.MERGED, duplicate, world.dispatcher, original=other, supporter=third)
    _, signals = sent(lambda: services.recategorise(world.dispatcher, other, world.noise))
    check(signals, EventKind.RECATEGORISED, other, world.dispatcher)
    _, signals = sent(
        lambda: services.reject(world.dispatcher, other, reason=RejectReason.NOT_OURS)
    )
    check(signals, EventKind.REJECTED, other, world.dispatcher)

    # Retries and refusals leave nothing to send.
    assert sent(lambda: services.rate(world.resident, report, rating=5))[1] == []
    assert sent(lambda: services.support(world.resident, other))[1] == []
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(services.InvalidTransition),
    ):
        services.accept(world.dispatcher, other)
    assert callbacks == []


# --- Concurrency (PostgreSQL) -------------------------------------------------------------------


# Decided at collection, so the skipped tests do not even build (and flush) their database.
needs_row_locks = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason=(
        "SQLite has no row locks (SELECT … FOR UPDATE) and serialises writers; concurrency is "
        "proven in the PostgreSQL pass (DATABASE_URL=postgres://…)"
    ),
)


@needs_row_locks
@pytest.mark.serial
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_escalate_each_report_once(world, submit, received, race):
    reports = [submit(description=f"坑 {number}") for number in range(8)]
    now = timezone.now() + 25 * HOUR
    results = race([lambda: services.sweep(now=now)] * 2)
    assert sum(result.escalated for result in results) == len(reports)
    for report in reports:
        assert fresh(report).escalation_level == 1
        assert report.events.filter(kind=EventKind.ESCALATED).count() == 1
    escalated = sorted(kw["report"].pk for kind, _s, kw in received if kind == "escalated")
    assert escalated == sorted(report.pk for report in reports)


@needs_row_locks
@pytest.mark.serial
@pytest.mark.django_db(transaction=True)
def test_two_submissions_of_one_request_at_once_make_one_report(world, race):

    def submit_once():
        return services.submit_report(
            world.resident,
            category=world.pothole,
            description="路面有个大坑",
            lat=40.45,
            lon=-3.7,
            answers={"size": "small"},
            client_request_id="one-tap",
        )

    reports = race([submit_once] * 2)
    assert reports[0].pk == reports[1].pk
    assert Report.objects.count() == 1
    assert kinds(reports[0]) == ["submitted"]
