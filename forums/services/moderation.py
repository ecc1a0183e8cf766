"""Moderation: flags (enough of them hide an item), hiding, restoring, locking, moving and
bans. Every moderator's act is logged."""

from django.db import transaction
from django.db.models import F

from civic.core.db import create_or_existing
from civic.core.errors import DomainError
from civic.core.moderation import FlagReasonInvalid
from civic.core.permissions import SYSTEM, person, require, require_signed_in

from .. import events
from ..models import (
    Ban,
    Flag,
    FlagReason,
    FlagStatus,
    Group,
    GroupMembership,
    MemberRole,
    MemberStatus,
    ModerationKind,
    Visibility,
)
from ..permissions import can_moderate, can_moderate_group, forget_memberships, is_forum_moderator
from ._common import (
    OwnContent,
    check_place,
    forum_settings,
    item_thread,
    locked_post,
    locked_thread,
    log_action,
    required_reason,
    visible_or_not_found,
)


def _hide(target, thread, post, actor, kind, reason, *, by_flags=False):
    target.hidden, target.hidden_reason, target.hidden_by_flags = True, reason, by_flags
    target.save(update_fields=["hidden", "hidden_reason", "hidden_by_flags"])
    log_action(kind, actor, thread=thread, post=post, target_user=target.author, reason=reason)
    events.send_on_commit(
        events.content_hidden,
        thread=thread,
        post=post,
        author=target.author,
        reason=reason,
        actor=actor,
    )


def _locked_item(item):
    thread, post = item_thread(item)
    thread = locked_thread(thread)
    if post is None:
        return thread, None, thread
    post = locked_post(post)
    post.thread = thread
    return thread, post, post


@transaction.atomic
def flag(actor, item, *, reason, note=""):
    """Report a thread or post to the moderators; enough flags hide it until one reviews it.
    Flagging again changes nothing. Returns the flag."""
    require_signed_in(actor)
    if reason not in FlagReason.values:
        raise FlagReasonInvalid(field="reason")
    thread, post, target = _locked_item(item)
    visible_or_not_found(actor, thread)
    if target.author_id == actor.pk:
        raise OwnContent()
    raised, created = create_or_existing(
        lambda: Flag.objects.create(
            user=actor, thread=thread, post=post, reason=reason, note=(note or "")[:500]
        ),
        lambda: Flag.objects.filter(user=actor, thread=thread, post=post).first(),
    )
    if not created:
        return raised
    target.flag_count += 1
    target.save(update_fields=["flag_count"])
    threshold = forum_settings().flag_hide_threshold
    if threshold and target.flag_count >= threshold and not target.hidden:
        _hide(target, thread, post, SYSTEM, ModerationKind.AUTO_HIDE, "", by_flags=True)
    return raised


def _close_flags(thread, post, status):
    Flag.objects.filter(thread=thread, post=post, status=FlagStatus.OPEN).update(status=status)


@transaction.atomic
def hide(actor, item, *, reason):
    thread, post, target = _locked_item(item)
    require(can_moderate(actor, thread))
    reason = required_reason(reason)
    _close_flags(thread, post, FlagStatus.UPHELD)
    target.flag_count = 0
    target.save(update_fields=["flag_count"])
    _hide(target, thread, post, actor, ModerationKind.HIDE, reason)
    return target


@transaction.atomic
def restore(actor, item, *, reason=""):
    """Show hidden or deleted content again; its open flags count as reviewed."""
    thread, post, target = _locked_item(item)
    require(can_moderate(actor, thread))
    _close_flags(thread, post, FlagStatus.DISMISSED)
    target.hidden, target.hidden_reason, target.hidden_by_flags = False, "", False
    target.deleted, target.deleted_at, target.flag_count = False, None, 0
    target.save(
        update_fields=[
            "hidden",
            "hidden_reason",
            "hidden_by_flags",
            "deleted",
            "deleted_at",
            "flag_count",
        ]
    )
    log_action(ModerationKind.RESTORE, actor, thread=thread, post=post, reason=reason)
    return target


@transaction.atomic
def dismiss_flags(actor, item, *, reason=""):
    """The flags were wrong: close them, and show content they alone had hidden."""
    thread, post, target = _locked_item(item)
    require(can_moderate(actor, thread))
    _close_flags(thread, post, FlagStatus.DISMISSED)
    target.flag_count = 0
    if target.hidden_by_flags:
        target.hidden, target.hidden_reason, target.hidden_by_flags = False, "", False
    target.save(update_fields=["flag_count", "hidden", "hidden_reason", "hidden_by_flags"])
    log_action(ModerationKind.DISMISS_FLAGS, actor, thread=thread, post=post, reason=reason)
    return target


@transaction.atomic
def lock(actor, thread, *, locked=True, reason=""):
    thread = locked_thread(thread)
    require(can_moderate(actor, thread))
    if thread.locked != locked:
        thread.locked = locked
        thread.save(update_fields=["locked"])
        kind = ModerationKind.LOCK if locked else ModerationKind.UNLOCK
        log_action(kind, actor, thread=thread, reason=reason)
    return thread


@transaction.atomic
def move(actor, thread, *, board=None, group=None, reason=""):
    """Put the thread on ``board`` and in ``group`` within its space (None: the space's main
    list, outside any board or group)."""
    thread = locked_thread(thread)
    require(can_moderate(actor, thread))
    check_place(thread.space, board, group)
    if group is not None:
        require(can_moderate_group(actor, group))
    before = {"board": thread.board_id, "group": thread.group_id}
    thread.board, thread.group = board, group
    thread.is_private = group is not None and group.visibility == Visibility.PRIVATE
    thread.save(update_fields=["board", "group", "is_private"])
    log_action(
        ModerationKind.MOVE,
        actor,
        thread=thread,
        reason=reason,
        before=before,
        after={"board": getattr(board, "pk", None), "group": getattr(group, "pk", None)},
    )
    return thread


@transaction.atomic
def ban(actor, user, *, space=None, group=None, until=None, reason):
    """Stop ``user`` posting and reacting in a space (forum moderators) or a group (its
    moderators), until ``until`` or for good. A group ban also ends their membership."""
    if (space is None) == (group is None):
        raise DomainError(code="invalid", field="space")
    require(is_forum_moderator(actor) if space is not None else can_moderate_group(actor, group))
    reason = required_reason(reason)
    if group is not None:
        membership = GroupMembership.objects.filter(group=group, user=user).first()
        if membership is not None:
            require(membership.role != MemberRole.OWNER or is_forum_moderator(actor))
            if membership.status == MemberStatus.ACTIVE:
                Group.objects.filter(pk=group.pk).update(member_count=F("member_count") - 1)
            membership.delete()
            forget_memberships(user)
    result = Ban.objects.create(
        user=user, space=space, group=group, until=until, reason=reason, created_by=person(actor)
    )
    log_action(
        ModerationKind.BAN,
        actor,
        target_user=user,
        reason=reason,
        space=getattr(space, "pk", None),
        group=getattr(group, "pk", None),
        until=until.isoformat() if until else None,
    )
    return result
