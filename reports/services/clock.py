"""The clock: escalating overdue reports, closing those resolved long enough ago, and removing
expired draft photos (``sweep``, run by the scheduled task)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from civic.core.permissions import SYSTEM

from .. import events, queries
from ..models import OPEN_STATES, EventKind, Report, State
from ._common import _locked, _record, _setting
from ._common import sla_hours as phase_hours
from .photos import remove_expired_draft_photos
from .supervision import sweep_instructions

ESCALATION_ROLES = {1: "handler", 2: "supervisor", 3: "district_leader"}


def escalation_due(deadline, sla_hours, now):
    """The level an open report should be at: 1 once past its deadline, 2 once half the SLA
    again has passed, 3 (the district's leaders) once a whole SLA again has passed."""
    if deadline is None or now <= deadline:
        return 0
    overdue = (now - deadline) / timedelta(hours=sla_hours)
    return 1 if overdue < 0.5 else 2 if overdue < 1 else 3


def _phase(report):
    if report.state == State.SUBMITTED:
        phase, due = "accept", report.accept_deadline
    else:
        phase, due = "resolve", report.resolve_deadline
    return phase, due, phase_hours(report.category, phase, report.priority)


@dataclass
class SweepResult:
    escalated: int = 0
    reminded: int = 0
    closed: int = 0
    instructions_escalated: int = 0
    drafts_removed: int = 0


def sweep(now=None, *, progress=None):
    """Escalate overdue reports and late instructions, close those resolved long enough ago
    and delete expired draft photos.

    Safe to run as often as wanted, and from two workers at once: each report is locked and
    re-checked, and only moves up to the level its lateness calls for.
    """
    now = now or timezone.now()
    result = SweepResult()
    overdue = (
        Report.objects.filter(queries.overdue_filter(now), escalation_level__lt=3)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    close_before = _close_before(now)
    resolved = (
        Report.objects.filter(state=State.RESOLVED, resolved_at__lt=close_before)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    remind = (
        Report.objects.filter(
            _not_reminded,
            state=State.RESOLVED,
            resolved_at__gte=close_before,
            resolved_at__lt=close_before + _reminder_ahead(),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    work = (
        [(pk, _escalate_one) for pk in overdue]
        + [(pk, _remind_one) for pk in remind]
        + [(pk, _close_one) for pk in resolved]
    )
    for pk, step in progress(work) if progress else work:
        outcome = step(pk, now)
        if outcome in ("escalated", "reminded", "closed"):
            setattr(result, outcome, getattr(result, outcome) + 1)
    result.instructions_escalated = sweep_instructions(now)
    result.drafts_removed = remove_expired_draft_photos(now)
    return result


@transaction.atomic
def _escalate_one(pk, now):
    report = _locked(Report(pk=pk))
    if report.state not in OPEN_STATES:
        return None
    phase, deadline, sla_hours = _phase(report)
    level = escalation_due(deadline, sla_hours, now)
    if level <= report.escalation_level:
        return None
    previous = report.escalation_level
    report.escalation_level = level
    report.save(update_fields=["escalation_level", "updated_at"])
    _record(
        report,
        EventKind.ESCALATED,
        SYSTEM,
        public=False,
        level=level,
        previous_level=previous,
        phase=phase,
        to=ESCALATION_ROLES[level],
        _level=level,
    )
    return "escalated"


def _close_before(now):
    return now - timedelta(days=_setting("REPORTS_AUTO_CLOSE_DAYS", 7))


def _reminder_ahead():
    return timedelta(hours=_setting("REPORTS_CLOSE_REMINDER_HOURS", 24))


# Not yet asked since it was (last) resolved.
_not_reminded = Q(close_reminded_at__isnull=True) | Q(close_reminded_at__lt=F("resolved_at"))


@transaction.atomic
def _remind_one(pk, now):
    """Ask the reporter "is it fixed?" once per resolution, before the automatic close; the
    mark is taken under the report's lock, so two sweeps at once ask once."""
    report = _locked(Report(pk=pk))
    close_before = _close_before(now)
    if (
        report.state != State.RESOLVED
        or report.reporter_id is None
        or not close_before <= report.resolved_at < close_before + _reminder_ahead()
        or (report.close_reminded_at and report.close_reminded_at >= report.resolved_at)
    ):
        return None
    report.close_reminded_at = now
    report.save(update_fields=["close_reminded_at"])
    closes_at = report.resolved_at + (now - close_before)
    transaction.on_commit(
        lambda: events.close_reminder_due.send(sender=Report, report=report, closes_at=closes_at)
    )
    return "reminded"


@transaction.atomic
def _close_one(pk, now):
    report = _locked(Report(pk=pk))
    if report.state != State.RESOLVED or report.resolved_at >= _close_before(now):
        return None
    report.state = State.CLOSED
    report.closed_at = now
    report.save(update_fields=["state", "closed_at", "updated_at"])
    _record(
        report,
        EventKind.CLOSED,
        SYSTEM,
        from_state=State.RESOLVED,
        to_state=State.CLOSED,
        automatic=True,
    )
    return "closed"
