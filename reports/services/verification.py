"""Verification on site (核查): a submitted report goes to a grid worker (its ``verifier``), who
checks in where it is and then confirms it (it goes on to the department, accepted), resolves
it on the spot (小事不出网格, with an after photo) or marks it invalid with a reason.

Who sends a report for verification and when (the grid app, hearing ``report_submitted``) and
where the worker must stand are not the reports app's business: these functions keep the
report's state machine and timeline, and let the verifier act (``permissions.can_verify``).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from civic.core.errors import FieldError
from civic.core.permissions import require

from ..models import EventKind, PhotoKind, State
from ..permissions import can_triage, can_verify
from ._common import _expect, _locked, _raise_if, _record, _too_long
from .errors import ReportInvalid
from .photos import read_uploads, store_photos
from .triage import check_reason, mark_accepted, mark_rejected


@transaction.atomic
def request_verification(actor, report, *, verifier, message=""):
    """Send a submitted report to ``verifier`` to check on site before triage."""
    report = _locked(report)
    require(can_triage(actor, report))
    if report.verifier_id == verifier.pk and report.state == State.SUBMITTED:
        return report
    _expect(report, [State.SUBMITTED])
    report.verifier = verifier
    report.save()
    _record(
        report,
        EventKind.VERIFICATION,
        actor,
        public=False,
        message=(message or "").strip(),
        verifier=verifier.pk,
        _verifier=verifier,
    )
    return report


def record_check_in(actor, report, *, lat, lon, distance_m, photos=()):
    """The verifier is on site: the position, how far from the report, and photos if any."""
    processed = read_uploads(photos)
    with transaction.atomic():
        report = _locked(report)
        require(can_verify(actor, report))
        _expect(report, [State.SUBMITTED])
        event = _record(
            report,
            EventKind.CHECKED_IN,
            actor,
            public=False,
            lat=lat,
            lon=lon,
            distance_m=round(distance_m),
        )
        store_photos(report, processed, kind=PhotoKind.CHECK_IN, event=event, uploaded_by=actor)
    return report


@transaction.atomic
def confirm_on_site(actor, report, *, message=""):
    """The problem is real: the report is accepted and goes on to dispatch."""
    report = _locked(report)
    require(can_verify(actor, report))
    if report.state == State.ACCEPTED:
        return report
    _expect(report, [State.SUBMITTED])
    return mark_accepted(
        actor,
        report,
        message=(message or "").strip() or gettext("Verified on site."),
        verified_on_site=True,
    )


def resolve_on_site(actor, report, *, message, photos=()):
    """Small problems handled in the grid: fixed on the spot, with at least one after photo."""
    message = (message or "").strip()
    _raise_if(
        [
            None
            if message
            else FieldError(
                "message", "required", gettext("Say what was done; the reporter reads it.")
            ),
            None
            if photos
            else FieldError("photos", "photo_required", gettext("Add a photo of the result.")),
            _too_long("message", message, 2000),
        ]
    )
    processed = read_uploads(photos)
    with transaction.atomic():
        report = _locked(report)
        require(can_verify(actor, report))
        if report.state == State.RESOLVED:
            return report
        _expect(report, [State.SUBMITTED])
        now = timezone.now()
        report.state = State.RESOLVED
        report.accepted_at = now
        report.resolved_at = now
        report.save()
        event = _record(
            report,
            EventKind.RESOLVED,
            actor,
            from_state=State.SUBMITTED,
            to_state=State.RESOLVED,
            message=message,
            resolved_on_site=True,
        )
        store_photos(report, processed, kind=PhotoKind.AFTER, event=event, uploaded_by=actor)
    return report


@transaction.atomic
def mark_invalid(actor, report, *, reason, message=""):
    """Nothing to be done here (not found on site, not a problem...): the report is rejected
    with the reason and the worker's words."""
    report = _locked(report)
    require(can_verify(actor, report))
    if report.state == State.REJECTED:
        return report
    check_reason(reason)
    message = (message or "").strip()
    if not message:
        raise ReportInvalid(
            gettext("Say what you found on site."), field="message", code="required"
        )
    _raise_if([_too_long("message", message, 2000)])
    _expect(report, [State.SUBMITTED])
    return mark_rejected(actor, report, reason=reason, message=message, verified_on_site=True)
