"""Comments on public reports: signed-in residents write, anyone reads, and the forums' rules
moderate (``civic.core.moderation``: flags, the threshold at which they hide a comment, bans,
who moderates), with the report's department staff moderating its comments too.

A hidden report (rejected as abusive, say, or made private) takes no comments and shows none.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.core import moderation
from civic.core.db import create_or_existing
from civic.core.errors import DomainError, NotFound
from civic.core.permissions import person, require, require_signed_in
from civic.core.sanitise import clean_body

from .. import events
from ..models import Comment, CommentFlag, Report
from ..permissions import can_moderate_comment, can_see


class CommentsClosed(DomainError):
    code = "comments_closed"
    default_message = _("This report is not public, so it takes no comments.")


class CommentingBarred(DomainError):
    code = "commenting_barred"
    default_message = _("A moderator has stopped you writing in public for now.")


class CommentRateLimited(DomainError):
    code = "comment_rate_limited"
    default_message = _("You have commented a lot in the last hour: try again later.")


def _open_report(actor, report):
    """The report, if ``actor`` may see it (not_found otherwise, so a hidden report's
    existence is not revealed) and it is public (comments_closed)."""
    report = Report.objects.filter(pk=report.pk).select_related("category").first()
    if report is None or not can_see(actor, report):
        raise NotFound(field="report_id")
    if not report.is_public:
        raise CommentsClosed(field="report_id")
    return report


def comment(actor, report, *, body, client_request_id=""):
    """Write a comment on a public report. A retried request (same ``client_request_id``)
    returns the comment it made. The reporter and the report's followers hear of it."""
    require_signed_in(actor)
    client_request_id = (client_request_id or "")[:64]
    if client_request_id:
        done = Comment.objects.filter(author=actor, client_request_id=client_request_id).first()
        if done is not None:
            return done
    with transaction.atomic():
        report = _open_report(actor, report)
        if not moderation.may_write(actor):
            raise CommentingBarred()
        html = clean_body(body, field="body", limit=settings.REPORTS_COMMENT_MAX_LENGTH)
        # Locking the author's row serialises their comments, so the hourly limit holds
        # under a burst of taps.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        hour_ago = timezone.now() - timedelta(hours=1)
        recent = Comment.objects.filter(author=actor, created_at__gte=hour_ago).count()
        if recent >= settings.REPORTS_COMMENTS_PER_HOUR:
            raise CommentRateLimited()
        made, created = create_or_existing(
            lambda: Comment.objects.create(
                report=report, author=actor, body=html, client_request_id=client_request_id
            ),
            lambda: Comment.objects.filter(
                author=actor, client_request_id=client_request_id
            ).first(),
        )
        if created:
            transaction.on_commit(
                lambda: events.report_commented.send(
                    sender=Report, report=report, comment=made, actor=actor
                )
            )
    return made


def _locked_comment(comment_id):
    found = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("report", "report__category")
        .filter(pk=comment_id)
        .first()
    )
    if found is None:
        raise NotFound(field="comment_id")
    return found


@transaction.atomic
def flag_comment(actor, comment_id, *, reason, note=""):
    """Report a comment to the moderators; enough flags (the forums' threshold) hide it until
    one reviews it. Flagging again changes nothing. Returns the comment."""
    require_signed_in(actor)
    if reason not in moderation.FlagReason.values:
        raise moderation.FlagReasonInvalid(field="reason")
    target = _locked_comment(comment_id)
    if target.hidden or not target.report.is_public or not can_see(actor, target.report):
        raise NotFound(field="comment_id")
    if target.author_id == actor.pk:
        raise moderation.OwnContent()
    _flag, created = create_or_existing(
        lambda: CommentFlag.objects.create(
            comment=target, user=actor, reason=reason, note=(note or "")[:500]
        ),
        lambda: CommentFlag.objects.filter(comment=target, user=actor).first(),
    )
    if created:
        target.flag_count = F("flag_count") + 1
        target.save(update_fields=["flag_count"])
        target.refresh_from_db(fields=["flag_count"])
        threshold = moderation.flag_hide_threshold()
        if threshold and target.flag_count >= threshold:
            _hide(target, None, "", by_flags=True)
    return target


def _hide(target, actor, reason, *, by_flags=False):
    target.hidden, target.hidden_reason, target.hidden_by_flags = True, reason, by_flags
    target.save(update_fields=["hidden", "hidden_reason", "hidden_by_flags"])
    transaction.on_commit(
        lambda: events.report_comment_hidden.send(
            sender=Report, report=target.report, comment=target, reason=reason, actor=actor
        )
    )


@transaction.atomic
def hide_comment(actor, comment_id, *, reason):
    """A moderator (the forums', or the report's department staff) hides a comment, saying
    why; its open flags count as upheld. Hiding a hidden comment changes nothing."""
    target = _locked_comment(comment_id)
    require(can_moderate_comment(actor, target))
    reason = moderation.required_reason(reason)
    target.flags.filter(open=True).update(open=False)
    target.flag_count = 0
    target.save(update_fields=["flag_count"])
    if not target.hidden or target.hidden_by_flags:
        _hide(target, person(actor), reason)
    return target


@transaction.atomic
def restore_comment(actor, comment_id):
    """Show a hidden comment again; its open flags count as dismissed."""
    target = _locked_comment(comment_id)
    require(can_moderate_comment(actor, target))
    target.flags.filter(open=True).update(open=False)
    target.hidden, target.hidden_reason, target.hidden_by_flags = False, "", False
    target.flag_count = 0
    target.save(update_fields=["hidden", "hidden_reason", "hidden_by_flags", "flag_count"])
    return target
