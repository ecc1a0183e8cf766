"""Triage and dispatch: staff accept or reject a report, send it to a department or handler,
move it to another category, or merge it into another as a duplicate."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from civic.core.permissions import person, require
from civic.departments.models import Membership

from ..models import (
    FAMILY_STATES,
    OPEN_STATES,
    EventKind,
    Family,
    RejectReason,
    Report,
    State,
    Support,
)
from ..permissions import can_see, can_triage
from ._common import _expect, _locked, _raise_if, _record, _too_long, deadline
from .errors import CategoryNotOffered, HandlerNotInDepartment, MergeTargetInvalid, ReportInvalid
from .intake import place


@transaction.atomic
def accept(actor, report, *, message=""):
    report = _locked(report)
    require(can_triage(actor, report))
    if report.state == State.ACCEPTED:
        return report
    _expect(report, [State.SUBMITTED])
    return mark_accepted(actor, report, message=(message or "").strip())


def mark_accepted(actor, report, *, message, **data):
    """Move a locked, submitted report to accepted (its resolve deadline starts), on the
    timeline; the callers check who may and from which state."""
    now = timezone.now()
    report.state = State.ACCEPTED
    report.accepted_at = now
    report.resolve_deadline = deadline(report, "resolve", now)
    report.escalation_level = 0
    report.save()
    _record(
        report,
        EventKind.ACCEPTED,
        actor,
        from_state=State.SUBMITTED,
        to_state=State.ACCEPTED,
        message=message,
        **data,
    )
    return report


@transaction.atomic
def reject(actor, report, *, reason, message=""):
    report = _locked(report)
    require(can_triage(actor, report))
    if report.state == State.REJECTED:
        return report
    check_reason(reason)
    _expect(report, OPEN_STATES)
    _raise_if([_too_long("message", (message or "").strip(), 2000)])
    return mark_rejected(
        actor,
        report,
        reason=reason,
        message=(message or "").strip() or str(RejectReason(reason).label),
    )


def check_reason(reason):
    if reason not in RejectReason.values:
        raise ReportInvalid(
            gettext("Choose one of the reasons."), field="reason", code="invalid_choice"
        )


def mark_rejected(actor, report, *, reason, message, **data):
    """Close a locked, open report as rejected, on the timeline; abuse and spam leave the
    public's view entirely, other refusals stay visible with why. The callers check who may
    and from which state."""
    previous = report.state
    report.state = State.REJECTED
    report.closed_at = timezone.now()
    report.is_public = reason != RejectReason.ABUSIVE
    report.save()
    _record(
        report,
        EventKind.REJECTED,
        actor,
        from_state=previous,
        to_state=State.REJECTED,
        message=message,
        reason=reason,
        **data,
    )
    return report


def _is_repeated_dispatch(actor, report, department, handler):
    if handler is not None or department is None or report.department_id != department.pk:
        return False
    last = report.events.filter(kind=EventKind.ASSIGNED).order_by("-created_at", "-pk").first()
    return (
        report.state == State.ACCEPTED
        and last is not None
        and last.actor_id == getattr(person(actor), "pk", None)
        and last.data.get("department") == department.code
    )


@transaction.atomic
def assign(actor, report, *, department=None, handler=None, message=""):
    """Dispatch to a department (another one sends it there, to be assigned by its staff)
    and/or to a handler of the department."""
    report = _locked(report)
    if _is_repeated_dispatch(actor, report, department, handler):
        # The caller's dispatch already happened and took the report out of their hands.
        return report
    require(can_triage(actor, report))
    return dispatch(actor, report, department=department, handler=handler, message=message)


def dispatch(actor, report, *, department=None, handler=None, message=""):
    """``assign`` once allowed (a leader's instruction reassigns through it too): the report
    locked by the caller."""
    department = department or report.department
    if handler is None and department == report.department:
        raise ReportInvalid(
            gettext("Choose a handler, or another department."), field="handler", code="required"
        )
    if not department.is_active:
        raise ReportInvalid(gettext("That department is not active."), field="department")
    if (
        handler is not None
        and not Membership.objects.filter(department=department, user=handler).exists()
    ):
        raise HandlerNotInDepartment(field="handler")
    to_state = State.ASSIGNED if handler is not None else State.ACCEPTED
    # A retry after the handler has started must not send the work back to "assigned".
    same_states = (State.ASSIGNED, State.IN_PROGRESS) if handler is not None else (to_state,)
    if (
        report.state in same_states
        and report.department_id == department.pk
        and report.handler_id == getattr(handler, "pk", None)
    ):
        return report
    _expect(report, [State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS])
    previous = report.state
    report.department = department
    report.handler = handler
    report.state = to_state
    report.save()
    _record(
        report,
        EventKind.ASSIGNED,
        actor,
        from_state=previous,
        to_state=to_state,
        message=(message or "").strip(),
        department=department.code,
        handler=getattr(handler, "pk", None),
        _handler=handler,
    )
    return report


@transaction.atomic
def recategorise(actor, report, category, *, message="", suggested=False):
    """Change the category; a different department then triages it afresh. ``suggested``: staff
    took the smart intake's suggestion (counted as re-routed by suggestions)."""
    report = _locked(report)
    require(can_triage(actor, report))
    if category is None or category.pk == report.category_id:
        if category is None:
            raise CategoryNotOffered(field="category")
        return report
    _expect(report, OPEN_STATES)
    placement = place(category, report.lat, report.lon)
    previous_code, previous_state = report.category.service_code, report.state
    report.category = category
    moved = placement.department.pk != report.department_id
    if moved:
        now = timezone.now()
        report.department = placement.department
        report.handler = None
        report.state = State.SUBMITTED
        report.accepted_at = None
        report.accept_deadline = deadline(report, "accept", now)
        report.resolve_deadline = None
        report.escalation_level = 0
    report.save()
    _record(
        report,
        EventKind.RECATEGORISED,
        actor,
        from_state=previous_state,
        to_state=report.state,
        message=(message or "").strip(),
        category_from=previous_code,
        category_to=category.service_code,
        department=report.department.code,
        **({"suggestion": True} if suggested else {}),
    )
    return report


def merge(actor, duplicate, original, *, message=""):
    """Close ``duplicate`` as a copy of ``original``; its reporter becomes a supporter."""
    if duplicate.pk == original.pk:
        raise MergeTargetInvalid(field="original")
    with transaction.atomic():
        # Lock both in a fixed order so two merges of the same pair cannot deadlock.
        first, second = sorted((duplicate, original), key=lambda r: r.pk)
        locked = {first.pk: _locked(first), second.pk: _locked(second)}
        duplicate, original = locked[duplicate.pk], locked[original.pk]
        require(can_triage(actor, duplicate) and can_see(actor, original))
        if duplicate.state == State.DUPLICATE and duplicate.duplicate_of_id == original.pk:
            return duplicate
        _expect(duplicate, OPEN_STATES)
        if original.state not in FAMILY_STATES[Family.OPEN] + FAMILY_STATES[Family.FIXED]:
            raise MergeTargetInvalid(field="original")
        previous = duplicate.state
        duplicate.state = State.DUPLICATE
        duplicate.duplicate_of = original
        duplicate.closed_at = timezone.now()
        duplicate.save()
        supporter = None
        if duplicate.reporter_id and duplicate.reporter_id != original.reporter_id:
            _support, created = Support.objects.get_or_create(
                report=original,
                user_id=duplicate.reporter_id,
                defaults={"via_duplicate": duplicate},
            )
            if created:
                Report.objects.filter(pk=original.pk).update(support_count=F("support_count") + 1)
                original.refresh_from_db(fields=["support_count"])
                supporter = duplicate.reporter
        _record(
            duplicate,
            EventKind.MERGED,
            actor,
            from_state=previous,
            to_state=State.DUPLICATE,
            message=(message or "").strip(),
            original=original.pk,
            _original=original,
            _supporter=supporter,
        )
        _record(original, EventKind.DUPLICATE_ADDED, actor, duplicate=duplicate.pk)
    return duplicate
