"""What residents do with a report: support it, rate the outcome, or reopen it within the
window."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from civic.core.db import create_or_existing
from civic.core.permissions import require, require_signed_in

from .. import queries
from ..models import (
    FAMILY_STATES,
    OPEN_STATES,
    EventKind,
    Family,
    Follower,
    FollowUpReason,
    Rating,
    State,
    Support,
)
from ..permissions import can_see, is_own
from ._common import _expect, _locked, _raise_if, _record, _setting, _too_long, back_to_work
from .errors import AlreadyRated, InvalidRating, OwnReport, ReopenWindowPassed, ReportInvalid
from .supervision import open_follow_up


@transaction.atomic
def support(actor, report):
    """ "Me too". Supporting twice is the same as once."""
    require_signed_in(actor)
    report = _locked(report)
    require(can_see(actor, report))
    if is_own(actor, report):
        raise OwnReport()
    if Support.objects.filter(report=report, user=actor).exists():
        return report
    _expect(report, OPEN_STATES + FAMILY_STATES[Family.FIXED])
    Support.objects.create(report=report, user=actor)
    report.support_count = F("support_count") + 1
    report.save(update_fields=["support_count", "updated_at"])
    report.refresh_from_db(fields=["support_count"])
    # Who supports is not public; the count is.
    _record(report, EventKind.SUPPORTED, actor, public=False, _supporter=actor)
    return report


@transaction.atomic
def follow(actor, report):
    """Hear of a report's public events without backing it. Following twice is once."""
    require_signed_in(actor)
    require(can_see(actor, report))
    create_or_existing(
        lambda: Follower.objects.create(report=report, user=actor),
        lambda: Follower.objects.filter(report=report, user=actor).first(),
    )
    return report


@transaction.atomic
def unfollow(actor, report):
    """Stop following a report. Unfollowing one not followed changes nothing."""
    require_signed_in(actor)
    Follower.objects.filter(report=report, user=actor).delete()
    return report


def follows(actor, report):
    return report.pk in queries.followed_among(actor, [report])


@transaction.atomic
def rate(actor, report, *, rating, comment=""):
    """The reporter confirms the outcome with one to five stars; a resolved report closes."""
    require_signed_in(actor)
    report = _locked(report)
    require(is_own(actor, report), gettext("Only the reporter can rate a report."))
    comment = (comment or "").strip()
    if report.rating is not None:
        if report.rating == rating and report.rating_comment == comment:
            return report
        raise AlreadyRated(field="rating")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidRating(field="rating")
    _raise_if([_too_long("comment", comment, 1000)])
    _expect(report, FAMILY_STATES[Family.FIXED])
    previous = report.state
    report.rating = rating
    report.rating_comment = comment
    if previous == State.RESOLVED:
        report.state = State.CLOSED
        report.closed_at = timezone.now()
    report.save()
    # The history: a redo's rating comes in a later round and replaces this one as the
    # report's rating.
    given = Rating.objects.create(
        report=report, rater=actor, stars=rating, comment=comment, round=report.reopen_count
    )
    _record(
        report,
        EventKind.RATED,
        actor,
        from_state=previous,
        to_state=report.state,
        message=comment,
        rating=rating,
        round=given.round,
    )
    if rating <= 2:
        open_follow_up(report, FollowUpReason.LOW_RATING, rating=given)
    return report


def confirm_fixed(actor, report, *, fixed, reason=""):
    """The reporter answers "is it fixed?" on a resolved report: yes closes it now (instead of
    waiting for the automatic close); no reopens it with ``reason`` (see ``reopen``). Answering
    yes again is the same as once."""
    if not fixed:
        return reopen(actor, report, reason=reason)
    with transaction.atomic():
        require_signed_in(actor)
        report = _locked(report)
        require(is_own(actor, report), gettext("Only the reporter can confirm a fix."))
        if report.state == State.CLOSED:
            return report
        _expect(report, (State.RESOLVED,))
        report.state = State.CLOSED
        report.closed_at = timezone.now()
        report.save(update_fields=["state", "closed_at", "updated_at"])
        _record(
            report,
            EventKind.CLOSED,
            actor,
            from_state=State.RESOLVED,
            to_state=State.CLOSED,
            confirmed_by_reporter=True,
        )
    return report


def _within_reopen_window(report, now):
    if report.state not in FAMILY_STATES[Family.FIXED] or report.resolved_at is None:
        return False
    return now - report.resolved_at <= timedelta(days=_setting("REPORTS_REOPEN_DAYS", 14))


def can_reopen(user, report) -> bool:
    """Whether ``reopen`` would take the user's dispute now: their own report, resolved
    within the window."""
    return is_own(user, report) and _within_reopen_window(report, timezone.now())


@transaction.atomic
def reopen(actor, report, *, reason):
    """The reporter disputes the outcome (重办) within the window after resolution."""
    require_signed_in(actor)
    report = _locked(report)
    require(is_own(actor, report), gettext("Only the reporter can reopen a report."))
    reason = (reason or "").strip()
    if not reason:
        raise ReportInvalid(gettext("Say what is still wrong."), field="reason", code="required")
    _raise_if([_too_long("reason", reason, 2000)])
    if report.state in OPEN_STATES and report.reopen_count and report.resolved_at is None:
        return report
    _expect(report, FAMILY_STATES[Family.FIXED])
    now = timezone.now()
    if not _within_reopen_window(report, now):
        raise ReopenWindowPassed(field="state")
    previous = report.state
    back_to_work(report, now)
    _record(
        report,
        EventKind.REOPENED,
        actor,
        from_state=previous,
        to_state=report.state,
        message=reason,
    )
    open_follow_up(report, FollowUpReason.REOPENED)
    return report
