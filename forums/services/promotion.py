"""The way up and down between the public and leadership spaces: nominations (automatic or
an editor's), promotion to a leadership thread, official responses, sharing a leadership thread
back to the public space, and the leadership thread of a recommended case study."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.core.db import create_or_existing
from civic.core.errors import DomainError, NotFound
from civic.core.permissions import SYSTEM, is_editor, is_leader, person, require
from civic.core.sanitise import clean_body

from .. import events
from ..models import Nomination, NominationKind, NominationStatus, SpaceKind, Thread
from ..permissions import can_curate, can_enter_leadership, can_share_down
from ._common import (
    add_follower,
    check_place,
    clean_title,
    forum_settings,
    locked_post,
    locked_thread,
    required_reason,
    saved,
    space_of_kind,
    visible_or_not_found,
)


class NotPublicThread(DomainError):
    code = "not_public_thread"
    default_message = _("Only public threads can be nominated.")


class NominationDecided(DomainError):
    code = "nomination_decided"
    default_message = _("This nomination has already been decided.")


class NominatedThreadRemoved(DomainError):
    code = "nominated_thread_removed"
    default_message = _(
        "This thread was hidden or deleted after its nomination: restore it before promoting, "
        "or decline the nomination."
    )


class NotLeadershipThread(DomainError):
    code = "not_leadership_thread"
    default_message = _("Only leadership threads can be shared to the public space.")


class NotPromotedThread(DomainError):
    code = "not_promoted_thread"
    default_message = _("Official responses are replies in threads promoted from the public space.")


class NotALeadersReply(DomainError):
    code = "not_a_leaders_reply"
    default_message = _("Only a leader's or an editor's reply can be the official response.")


def _eligible(thread, settings):
    window = timedelta(days=settings.nomination_window_days)
    return (
        not thread.is_leadership
        and not thread.is_private
        and not thread.hidden
        and not thread.deleted
        and thread.flag_count == 0
        and timezone.now() - thread.created_at <= window
        and thread.participant_count >= settings.nomination_min_participants
        and thread.like_count >= settings.nomination_min_likes
    )


def _nominate(thread, *, kind, actor, reason=""):
    """Create the thread's one nomination; returns ``(nomination, created)``."""
    nomination, created = create_or_existing(
        lambda: Nomination.objects.create(
            thread=thread,
            kind=kind,
            nominated_by=person(actor),
            reason=reason,
            participants_at_nomination=thread.participant_count,
            likes_at_nomination=thread.like_count,
            score_at_nomination=thread.engagement,
        ),
        lambda: Nomination.objects.filter(thread=thread).first(),
    )
    if created:
        events.send_on_commit(
            events.thread_nominated, thread=thread, nomination=nomination, actor=actor
        )
    return nomination, created


def check_nomination(thread):
    """The automatic nomination, called (with the thread locked) whenever its engagement
    changes. Returns the new nomination, or None."""
    if not _eligible(thread, forum_settings()):
        return None
    if Nomination.objects.filter(thread=thread).exists():
        return None
    nomination, created = _nominate(thread, kind=NominationKind.AUTO, actor=SYSTEM)
    return nomination if created else None


@transaction.atomic
def nominate(actor, thread, *, reason):
    """An editor proposes a public thread for the leadership space. A thread already
    nominated keeps its nomination (returned as it is)."""
    require(can_curate(actor))
    thread = locked_thread(thread)
    visible_or_not_found(actor, thread)
    if thread.is_leadership or thread.deleted:
        raise NotPublicThread()
    reason = required_reason(reason)
    nomination, _created = _nominate(thread, kind=NominationKind.MANUAL, actor=actor, reason=reason)
    return nomination


def _locked_nomination(nomination):
    return Nomination.objects.select_for_update(of=("self",)).get(pk=nomination.pk)


def _decide(nomination, actor, thread, status, reason):
    nomination.status = status
    nomination.decided_by = person(actor)
    nomination.decided_at = timezone.now()
    nomination.decision_reason = reason
    nomination.score_at_decision = thread.engagement
    nomination.participants_at_decision = thread.participant_count
    nomination.likes_at_decision = thread.like_count


@transaction.atomic
def promote(actor, nomination, *, reason):
    """Create the leadership thread for a nominated public thread, linked both ways; record
    who, when, why and the score. Promoting again returns the same leadership thread. A thread
    hidden or deleted since its nomination is not promoted (its content would reach the
    leaders)."""
    require(can_curate(actor))
    reason = required_reason(reason)
    nomination = _locked_nomination(nomination)
    if nomination.status == NominationStatus.PROMOTED:
        return nomination.leadership_thread
    if nomination.status != NominationStatus.PENDING:
        raise NominationDecided()
    origin = locked_thread(nomination.thread)
    if origin.hidden or origin.deleted:
        raise NominatedThreadRemoved()
    now = timezone.now()
    leadership = Thread(
        space=space_of_kind(SpaceKind.LEADERSHIP),
        author=person(actor),
        title=origin.title,
        body=origin.body,
        report=origin.report,
        case_study=origin.case_study,
        is_leadership=True,
        origin=origin,
        created_at=now,
        last_activity_at=now,
    )
    leadership.rank()
    leadership.save()
    leadership.tags.set(list(origin.tags.values_list("name", flat=True)))
    origin.promoted_at = now
    origin.save(update_fields=["promoted_at"])
    _decide(nomination, actor, origin, NominationStatus.PROMOTED, reason)
    nomination.leadership_thread = leadership
    nomination.save()
    add_follower(actor, leadership)
    nomination.thread = origin
    events.send_on_commit(
        events.thread_promoted,
        thread=origin,
        leadership_thread=leadership,
        nomination=nomination,
        actor=actor,
    )
    return leadership


@transaction.atomic
def decline(actor, nomination, *, reason):
    require(can_curate(actor))
    reason = required_reason(reason)
    nomination = _locked_nomination(nomination)
    if nomination.status == NominationStatus.DECLINED:
        return nomination
    if nomination.status != NominationStatus.PENDING:
        raise NominationDecided()
    _decide(nomination, actor, nomination.thread, NominationStatus.DECLINED, reason)
    nomination.save()
    return nomination


@transaction.atomic
def mark_official_response(actor, post):
    """A leader's reply in a promoted leadership thread becomes the answer shown on the public
    thread it came from (and pushed to its participants). Marking again changes nothing."""
    require(can_enter_leadership(actor))
    thread = locked_thread(post.thread)
    post = locked_post(post)
    if not thread.is_leadership or thread.origin_id is None:
        raise NotPromotedThread()
    if post.deleted or post.hidden:
        raise NotFound()
    author = post.author
    if author is None or not (is_leader(author) or is_editor(author)):
        raise NotALeadersReply()
    require(author.pk == actor.pk or is_editor(actor))
    post.thread = thread
    if post.official_response:
        return post
    post.official_response = True
    post.save(update_fields=["official_response"])
    origin = locked_thread(thread.origin)
    origin.has_official_response = True
    origin.last_activity_at = timezone.now()
    origin.save(update_fields=["has_official_response", "last_activity_at"])
    events.send_on_commit(
        events.official_response,
        thread=origin,
        post=post,
        leadership_thread=thread,
        actor=actor,
    )
    return post


@transaction.atomic
def share_down(actor, leadership_thread, *, title=None, body=None, board=None):
    """Forward a leadership thread to the public space, optionally edited for publication,
    with a link back. Sharing again returns the public copy."""
    require(can_share_down(actor))
    source = locked_thread(leadership_thread)
    visible_or_not_found(actor, source)
    if not source.is_leadership:
        raise NotLeadershipThread()
    existing = Thread.objects.filter(shared_from=source).first()
    if existing is not None:
        return existing
    space = space_of_kind(SpaceKind.PUBLIC)
    check_place(space, board, None)
    now = timezone.now()
    public = Thread(
        space=space,
        board=board,
        author=person(actor),
        title=clean_title(title) if title is not None else source.title,
        body=clean_body(body) if body is not None else source.body,
        case_study=source.case_study,
        shared_from=source,
        created_at=now,
        last_activity_at=now,
    )
    public.rank()
    public.save()
    public.tags.set(list(source.tags.values_list("name", flat=True)))
    add_follower(actor, public)
    events.send_on_commit(
        events.thread_shared_down, thread=public, leadership_thread=source, actor=actor
    )
    return public


@transaction.atomic
def open_leadership_thread_for_case_study(actor, *, page, title, summary):
    """For the case-studies app's "recommend to leadership": the one leadership thread that
    links to ``page`` (made on the first call, returned on every later one)."""
    require(can_curate(actor))
    existing = Thread.objects.filter(case_study=page, is_leadership=True).first()
    if existing is not None:
        return existing
    now = timezone.now()
    thread = Thread(
        space=space_of_kind(SpaceKind.LEADERSHIP),
        author=person(actor),
        title=clean_title(title),
        body=clean_body(summary),
        case_study=page,
        is_leadership=True,
        created_at=now,
        last_activity_at=now,
    )
    thread.rank()
    thread, created = create_or_existing(
        lambda: saved(thread),
        lambda: Thread.objects.filter(case_study=page, is_leadership=True).first(),
    )
    if not created:
        return thread
    add_follower(actor, thread)
    events.send_on_commit(events.thread_created, thread=thread, actor=actor)
    return thread
