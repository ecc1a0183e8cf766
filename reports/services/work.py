"""The work: starting it, posting updates and internal notes, and resolving the report."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from civic.core.permissions import require

from ..models import EventKind, PhotoKind, State
from ..permissions import can_note, can_work_on
from ._common import _expect, _locked, _raise_if, _record, _too_long
from .errors import ReportInvalid
from .photos import read_uploads, store_photos


@transaction.atomic
def start(actor, report, *, message=""):
    report = _locked(report)
    require(can_work_on(actor, report))
    if report.state == State.IN_PROGRESS:
        return report
    _expect(report, [State.ASSIGNED])
    report.state = State.IN_PROGRESS
    report.save()
    _record(
        report,
        EventKind.STARTED,
        actor,
        from_state=State.ASSIGNED,
        to_state=State.IN_PROGRESS,
        message=(message or "").strip(),
    )
    return report


def resolve(actor, report, *, message, photos=()):
    """Mark the work done, saying what was done, with optional "after" photos."""
    message = (message or "").strip()
    if not message:
        raise ReportInvalid(
            gettext("Say what was done; the reporter reads it."), field="message", code="required"
        )
    _raise_if([_too_long("message", message, 2000)])
    processed = read_uploads(photos, defer=True)
    with transaction.atomic():
        report = _locked(report)
        require(can_work_on(actor, report))
        if report.state == State.RESOLVED:
            return report
        _expect(report, [State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS])
        previous = report.state
        report.state = State.RESOLVED
        report.resolved_at = timezone.now()
        report.save()
        event = _record(
            report,
            EventKind.RESOLVED,
            actor,
            from_state=previous,
            to_state=State.RESOLVED,
            message=message,
        )
        store_photos(report, processed, kind=PhotoKind.AFTER, event=event, uploaded_by=actor)
    return report


@transaction.atomic
def post_update(actor, report, *, message, public=True):
    """A public update for the reporter and the public, or an internal note for staff."""
    report = _locked(report)
    require(can_work_on(actor, report) if public else can_note(actor, report))
    message = (message or "").strip()
    if not message:
        raise ReportInvalid(gettext("Write the message."), field="message", code="required")
    _raise_if([_too_long("message", message, 2000)])
    _record(
        report,
        EventKind.UPDATE if public else EventKind.NOTE,
        actor,
        public=public,
        message=message,
    )
    return report
