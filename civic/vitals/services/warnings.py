"""A warning's life: opened, raised and lowered by the evaluator; acknowledged, worked and
closed by the people responsible; escalated when nobody acknowledges it in time."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.core.errors import DomainError, NotFound
from civic.core.permissions import person, require, require_signed_in
from reports import services as reports
from reports.models import Channel, Report
from reports.permissions import can_see

from ..models import CloseCause, EntryKind, Warning, WarningEntry, WarningState
from ..permissions import vitals_scope
from . import alerts


class WarningClosed(DomainError):
    code = "warning_closed"
    default_message = _("This warning is closed.")


class CauseRequired(DomainError):
    code = "cause_required"
    default_message = _("Say why the warning is closed.")


class NoteRequired(DomainError):
    code = "note_required"
    default_message = _("Write a note or link a report.")


def _entry(warning, kind, now, *, author=None, text="", report=None):
    WarningEntry.objects.create(
        warning=warning,
        kind=kind,
        level=warning.level,
        value=warning.value,
        text=text,
        author=author,
        report=report,
        created_at=now,
    )


def _after_commit(warning, **kwargs):
    transaction.on_commit(lambda: alerts.tell(warning, **kwargs))


# --- The evaluator's part -----------------------------------------------------------------------


def open_warning(indicator, area, *, level, value, threshold, evidence, now):
    """Open a warning, or None when one is already live for the indicator and area (another
    evaluator opened it a moment ago: the partial unique constraint refuses a second)."""
    try:
        with transaction.atomic():
            warning = Warning.objects.create(
                indicator=indicator,
                area=area,
                area_path=area.path,
                level=level,
                value=value,
                threshold=threshold,
                evidence=evidence,
                opened_at=now,
            )
            _entry(warning, EntryKind.OPENED, now)
    except IntegrityError:
        return None
    _after_commit(warning)
    return warning


@transaction.atomic
def regrade(warning, *, level, value, threshold, evidence, now):
    """Move a live warning to ``level`` (None closes it: the value is back to normal)."""
    warning = Warning.objects.select_for_update().get(pk=warning.pk)
    if not warning.is_live:
        return warning
    if level is None:
        return _close(warning, CloseCause.RECOVERED, now, value=value)
    if level == warning.level:
        warning.value = value
        warning.save(update_fields=["value"])
        return warning
    raised = level < warning.level
    warning.level, warning.value, warning.threshold = level, value, threshold
    warning.evidence = evidence or warning.evidence
    warning.save(update_fields=["level", "value", "threshold", "evidence"])
    _entry(warning, EntryKind.RAISED if raised else EntryKind.LOWERED, now)
    if raised:
        _after_commit(warning)
    return warning


def _close(warning, cause, now, *, actor=None, note="", value=None):
    warning.state = WarningState.CLOSED
    warning.cause = cause
    warning.closed_at = now
    warning.closed_by = person(actor) if actor else None
    if value is not None:
        warning.value = value
    warning.save(update_fields=["state", "cause", "closed_at", "closed_by", "value"])
    _entry(warning, EntryKind.CLOSED, now, author=warning.closed_by, text=note)
    return warning


def escalate_overdue(now=None):
    """Escalate every open warning nobody acknowledged within its indicator's time; returns
    how many. Each warning is escalated once."""
    now = now or timezone.now()
    count = 0
    candidates = Warning.objects.filter(
        state=WarningState.OPEN, escalated_at__isnull=True
    ).select_related("indicator")
    for candidate in candidates:
        due = candidate.opened_at + timedelta(minutes=candidate.indicator.escalate_after_minutes)
        if due > now:
            continue
        with transaction.atomic():
            warning = Warning.objects.select_for_update().get(pk=candidate.pk)
            if warning.state != WarningState.OPEN or warning.escalated_at is not None:
                continue
            warning.escalated_at = now
            warning.save(update_fields=["escalated_at"])
            _entry(warning, EntryKind.ESCALATED, now)
            _after_commit(warning, escalated=True)
            count += 1
    return count


# --- The people's part --------------------------------------------------------------------------


def warning_for(actor, warning_id):
    """The warning if ``actor`` may see it; NotFound otherwise (as if it did not exist)."""
    require_signed_in(actor)
    scope = vitals_scope(actor)
    require(scope is not None)
    warning = (
        Warning.objects.filter(scope.q(), pk=warning_id).select_related("indicator", "area").first()
    )
    if warning is None:
        raise NotFound(field="warning_id")
    return warning


def _live_for_update(actor, warning_id):
    warning = warning_for(actor, warning_id)
    warning = (
        Warning.objects.select_for_update().select_related("indicator", "area").get(pk=warning.pk)
    )
    if not warning.is_live:
        raise WarningClosed(field="warning_id")
    return warning


@transaction.atomic
def acknowledge(actor, warning_id, *, note="", now=None):
    """Someone responsible has seen it: escalation stops. Acknowledging twice changes nothing."""
    now = now or timezone.now()
    warning = _live_for_update(actor, warning_id)
    if warning.state == WarningState.ACKNOWLEDGED:
        return warning
    warning.state = WarningState.ACKNOWLEDGED
    warning.acknowledged_at = now
    warning.acknowledged_by = person(actor)
    warning.save(update_fields=["state", "acknowledged_at", "acknowledged_by"])
    _entry(warning, EntryKind.ACKNOWLEDGED, now, author=person(actor), text=note.strip())
    return warning


@transaction.atomic
def work(actor, warning_id, *, note="", report_id=None, now=None):
    """A note on the work done, and/or a report linked to the warning (one dispatched for it,
    or one that explains it)."""
    now = now or timezone.now()
    note = note.strip()
    if not note and report_id is None:
        raise NoteRequired(field="note")
    warning = _live_for_update(actor, warning_id)
    report = None
    if report_id is not None:
        report = Report.objects.filter(pk=report_id).first()
        # A report the actor may not see is, to them, one that does not exist.
        if report is None or not can_see(actor, report):
            raise NotFound(field="report_id")
        warning.linked_reports.add(report)
    kind = EntryKind.REPORT_LINKED if report else EntryKind.NOTE
    _entry(warning, kind, now, author=person(actor), text=note, report=report)
    return warning


@transaction.atomic
def dispatch_report(
    actor, warning_id, *, category, description, lat=None, lon=None, client_request_id=""
):
    """File a report for the warning (staff entering it for the city, like a hotline call:
    no reporter, no points) and link it; it goes through triage like any other. Without a
    point, the warning's area's centre. A retry with the same ``client_request_id`` files
    nothing new."""
    warning = _live_for_update(actor, warning_id)
    if lat is None or lon is None:
        lat, lon = warning.area.centre
    report = reports.submit_report(
        actor,
        category=category,
        description=description,
        lat=lat,
        lon=lon,
        channel=Channel.WARNING,
        client_request_id=client_request_id,
    )
    if not warning.linked_reports.filter(pk=report.pk).exists():
        warning.linked_reports.add(report)
        _entry(
            warning,
            EntryKind.REPORT_DISPATCHED,
            timezone.now(),
            author=person(actor),
            report=report,
        )
    return report


@transaction.atomic
def close(actor, warning_id, *, cause, note="", now=None):
    """Close with a cause. Closing a closed warning again is refused (``warning_closed``),
    except that the same cause again is a retry and changes nothing."""
    now = now or timezone.now()
    if cause not in CloseCause.values:
        raise CauseRequired(field="cause")
    warning = warning_for(actor, warning_id)
    if not warning.is_live and warning.cause == cause:
        return warning
    warning = _live_for_update(actor, warning_id)
    return _close(warning, cause, now, actor=actor, note=note.strip())
