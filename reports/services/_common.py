"""What the reports services share: settings, field checks, the timeline record, the report's
lock and its state checks, deadlines."""

import math
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from civic.core.errors import FieldError
from civic.core.permissions import person

from ..events import SIGNAL_FOR_EVENT
from ..models import Priority, Report, ReportEvent, State
from .errors import InvalidTransition, ReportInvalid


def _setting(name, default):
    return getattr(settings, name, default)


def _too_long(field, value, limit):
    if len(value) > limit:
        return FieldError(
            field,
            "max_length",
            gettext("At most %(limit)s characters (it has %(count)s).")
            % {"limit": limit, "count": len(value)},
        )
    return None


def _raise_if(errors):
    errors = [error for error in errors if error is not None]
    if errors:
        first = errors[0]
        raise ReportInvalid(first.message, field=first.field, code=first.code, errors=errors)


def _record(report, kind, actor, *, from_state="", to_state="", public=True, message="", **data):
    """Add a timeline event and send its signal on commit."""
    event = ReportEvent.objects.create(
        report=report,
        kind=kind,
        actor=person(actor),
        from_state=from_state,
        to_state=to_state,
        is_public=public,
        message=message,
        data={key: value for key, value in data.items() if not key.startswith("_")},
    )
    extra = {key[1:]: value for key, value in data.items() if key.startswith("_")}
    # Some events only annotate a timeline (a duplicate merged in: ``report_merged`` tells).
    signal = SIGNAL_FOR_EVENT.get(kind)
    if signal is not None:
        transaction.on_commit(
            lambda: signal.send(sender=Report, report=report, event=event, actor=actor, **extra)
        )
    return event


def _locked(report):
    # Lock the report row only: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join that the (nullable) department brings.
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("category", "department", "area")
        .get(pk=report.pk)
    )


def _expect(report, states):
    if report.state not in states:
        raise InvalidTransition(
            gettext("The report is %(state)s; this needs it to be %(needed)s.")
            % {
                "state": report.get_state_display(),
                "needed": " / ".join(str(State(state).label) for state in states),
            },
            field="state",
        )


def _hours(hours, now):
    return now + timedelta(hours=hours)


# The deadline rule: a phase's SLA hours (the category's) times the priority's share, rounded
# up, at least an hour. Urgent reports get a quarter of the time, high ones half.
PRIORITY_SLA_SHARE = {Priority.URGENT: 0.25, Priority.HIGH: 0.5, Priority.NORMAL: 1.0}


def sla_hours(category, phase, priority):
    """The hours ``phase`` ("accept" or "resolve") may take for a report of ``priority``."""
    hours = category.accept_sla_hours if phase == "accept" else category.resolve_sla_hours
    return max(1, math.ceil(hours * PRIORITY_SLA_SHARE[priority]))


def deadline(report, phase, start):
    """When ``phase`` of ``report`` is due, counted from ``start``."""
    return _hours(sla_hours(report.category, phase, report.priority), start)


def back_to_work(report, now):
    """A fixed report goes back to work (a reopening, a callback's redo): to its handler, or to
    the department; a new resolving deadline, a new round to rate; saved."""
    report.state = State.IN_PROGRESS if report.handler_id else State.ACCEPTED
    report.resolve_deadline = deadline(report, "resolve", now)
    report.escalation_level = 0
    report.reopen_count += 1
    report.resolved_at = None
    report.closed_at = None
    report.rating = None
    report.rating_comment = ""
    report.save()
