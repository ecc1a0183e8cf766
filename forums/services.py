"""Every change in the forums, for every interface (GraphQL, portal, admin, other apps).

Each function takes the acting user first, checks permission through ``permissions.py``, runs
in a transaction and sends its event from ``events.py`` once committed. A thread's row is
locked whenever its counters or its ``hot`` rank change, so the counters, the rank and the
automatic nomination check move together in one transaction. Posting is idempotent per
``client_request_id`` (a phone retrying on a flaky network gets the same thread or post back).
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from civic.core.errors import DomainError, NotFound
from civic.core.permissions import SYSTEM, is_editor, is_leader, require, require_signed_in

from . import events, queries
from .models import (
    Ban,
    Flag,
    FlagReason,
    FlagStatus,
    Follow,
    ForumSettings,
    Group,
    GroupMembership,
    MemberRole,
    MemberStatus,
    ModerationAction,
    ModerationKind,
    Nomination,
    NominationKind,
    NominationStatus,
    Post,
    PostRevision,
    Reaction,
    SpaceKind,
    Thread,
    ThreadRevision,
    Visibility,
)
from .permissions import (
    can_curate,
    can_edit,
    can_enter_leadership,
    can_moderate,
    can_moderate_group,
    can_post_in,
    can_see_group,
    can_see_thread,
    can_share_down,
    forget_memberships,
    is_banned,
    is_forum_moderator,
)
from .sanitise import clean_body

MAX_TAGS = 5
MAX_TAG_LENGTH = 30


class TitleRequired(DomainError):
    code = "title_required"
    default_message = _("Give the thread a title.")


class TitleTooLong(DomainError):
    code = "title_too_long"
    default_message = _("The title is too long (at most 200 characters).")


class TooManyTags(DomainError):
    code = "too_many_tags"
    default_message = _("At most 5 tags, of at most 30 characters each.")


class WrongPlace(DomainError):
    code = "wrong_place"
    default_message = _("That board or group is not in this space.")


class ThreadLocked(DomainError):
    code = "thread_locked"
    default_message = _("This thread is locked: no new replies.")


class OwnContent(DomainError):
    code = "own_content"
    default_message = _("You cannot do this to what you wrote yourself.")


class FlagReasonInvalid(DomainError):
    code = "flag_reason_invalid"
    default_message = _("Choose one of the reasons.")


class ReasonRequired(DomainError):
    code = "reason_required"
    default_message = _("Give a reason.")


class SlugTaken(DomainError):
    code = "slug_taken"
    default_message = _("This short name is already used by another group.")


class NameRequired(DomainError):
    code = "name_required"
    default_message = _("Give the group a name.")


class OwnerCannotLeave(DomainError):
    code = "owner_cannot_leave"
    default_message = _("Hand the group to another owner before leaving it.")


class JoinByInvitation(DomainError):
    code = "join_by_invitation"
    default_message = _("This group's moderators add its members.")


class NotPending(DomainError):
    code = "not_pending"
    default_message = _("This request to join is no longer waiting.")


class RoleInvalid(DomainError):
    code = "role_invalid"
    default_message = _("Choose owner, moderator or member.")


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


class SpaceMissing(DomainError):
    code = "space_missing"
    default_message = _("The forum has no space of this kind.")


# --- Helpers -----------------------------------------------------------------------------------


def _person(actor):
    """The user to record: None for the platform itself."""
    return None if actor is SYSTEM else actor


def forum_settings():
    return ForumSettings.load()


def space_of_kind(kind):
    space = queries.space_of_kind(kind)
    if space is None:
        raise SpaceMissing()
    return space


def _reason(reason, field="reason"):
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(field=field)
    return reason[:500]


def _title(title):
    title = " ".join((title or "").split())
    if not title:
        raise TitleRequired(field="title")
    if len(title) > 200:
        raise TitleTooLong(field="title")
    return title


def _tags(tags):
    names = []
    for tag in tags or ():
        name = " ".join(str(tag).split()).lower()
        if name and name not in names:
            names.append(name)
    if len(names) > MAX_TAGS or any(len(name) > MAX_TAG_LENGTH for name in names):
        raise TooManyTags(field="tags")
    return names


def _locked_thread(thread):
    return Thread.objects.select_for_update(of=("self",)).select_related("group").get(pk=thread.pk)


def _locked_post(post):
    return Post.objects.select_for_update(of=("self",)).get(pk=post.pk)


def _item_thread(item):
    """``(thread, post)`` for an item that is a thread or a post."""
    if isinstance(item, Post):
        return item.thread, item
    return item, None


def _log(kind, actor, *, thread=None, post=None, target_user=None, reason="", **data):
    return ModerationAction.objects.create(
        kind=kind,
        actor=_person(actor),
        thread=thread,
        post=post,
        target_user=target_user,
        reason=reason,
        data=data,
    )


def _retried(model, actor, client_request_id):
    if not client_request_id:
        return None
    return model.objects.filter(author=actor, client_request_id=client_request_id).first()


def _visible_or_not_found(actor, thread):
    if not can_see_thread(actor, thread):
        raise NotFound()


# --- Groups ------------------------------------------------------------------------------------


def _unique_slug(name):
    base = slugify(name, allow_unicode=True)[:50] or "group"
    slug, n = base, 1
    while Group.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_group(actor, *, name, description="", visibility=Visibility.OPEN, area=None, slug=None):
    """A community group in the public space, with ``actor`` as its owner."""
    require_signed_in(actor)
    space = space_of_kind(SpaceKind.PUBLIC)
    require(not is_banned(actor, space=space))
    name = " ".join((name or "").split())
    if not name:
        raise NameRequired(field="name")
    if visibility not in Visibility.values:
        raise DomainError(code="invalid_choice", field="visibility")
    if slug and Group.objects.filter(slug=slug).exists():
        raise SlugTaken(field="slug")
    group = Group.objects.create(
        space=space,
        slug=slug or _unique_slug(name),
        name=name[:100],
        description=(description or "").strip(),
        visibility=visibility,
        area=area,
        owner=_person(actor),
        member_count=0 if actor is SYSTEM else 1,
    )
    if actor is not SYSTEM:
        GroupMembership.objects.create(
            group=group, user=actor, role=MemberRole.OWNER, status=MemberStatus.ACTIVE
        )
        forget_memberships(actor)
    return group


def _locked_group(group):
    return Group.objects.select_for_update().get(pk=group.pk)


@transaction.atomic
def edit_group(actor, group, *, name=None, description=None, visibility=None, area=None):
    """The owner or a forum moderator changes what is given. Making a group private (or no
    longer private) moves its threads out of (or into) everyone's sight with it."""
    group = _locked_group(group)
    owner = group.owner_id is not None and group.owner_id == getattr(actor, "pk", None)
    require(owner or is_forum_moderator(actor))
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise NameRequired(field="name")
        group.name = name[:100]
    if description is not None:
        group.description = description.strip()
    if area is not None:
        group.area = area
    if visibility is not None:
        if visibility not in Visibility.values:
            raise DomainError(code="invalid_choice", field="visibility")
        if (visibility == Visibility.PRIVATE) != group.is_private:
            Thread.objects.filter(group=group).update(is_private=visibility == Visibility.PRIVATE)
        group.visibility = visibility
    group.save()
    return group


def _add_active(group, user, *, role=MemberRole.MEMBER, approved_by=None):
    membership, created = GroupMembership.objects.get_or_create(
        group=group,
        user=user,
        defaults={"role": role, "status": MemberStatus.ACTIVE, "approved_by": approved_by},
    )
    if created:
        Group.objects.filter(pk=group.pk).update(member_count=F("member_count") + 1)
    forget_memberships(user)
    return membership, created


@transaction.atomic
def join_group(actor, group):
    """Open: a member at once. Closed: a request the moderators approve. Private: refused
    (moderators add members). Asking again returns the membership as it is."""
    require_signed_in(actor)
    group = _locked_group(group)
    if not can_see_group(actor, group):
        raise NotFound()
    existing = GroupMembership.objects.filter(group=group, user=actor).first()
    if existing is not None:
        return existing
    require(not is_banned(actor, space=group.space, group=group))
    if group.visibility == Visibility.PRIVATE and not is_forum_moderator(actor):
        raise JoinByInvitation()
    if group.visibility == Visibility.CLOSED and not is_forum_moderator(actor):
        membership = GroupMembership.objects.create(
            group=group, user=actor, status=MemberStatus.PENDING
        )
        forget_memberships(actor)
        return membership
    membership, _created = _add_active(group, actor)
    return membership


@transaction.atomic
def add_member(actor, group, user, *, role=MemberRole.MEMBER):
    """A group's moderators add someone directly (the way into a private group)."""
    group = _locked_group(group)
    require(can_moderate_group(actor, group))
    require(not is_banned(user, group=group))
    membership, created = _add_active(group, user, role=role, approved_by=_person(actor))
    if not created and membership.status == MemberStatus.PENDING:
        return approve_member(actor, membership)
    return membership


@transaction.atomic
def leave_group(actor, group):
    require_signed_in(actor)
    group = _locked_group(group)
    membership = GroupMembership.objects.filter(group=group, user=actor).first()
    if membership is None:
        return group
    if membership.role == MemberRole.OWNER:
        raise OwnerCannotLeave()
    if membership.status == MemberStatus.ACTIVE:
        Group.objects.filter(pk=group.pk).update(member_count=F("member_count") - 1)
    membership.delete()
    forget_memberships(actor)
    group.refresh_from_db()
    return group


def _locked_membership(membership):
    return (
        GroupMembership.objects.select_for_update(of=("self",))
        .select_related("group", "user")
        .get(pk=membership.pk)
    )


@transaction.atomic
def approve_member(actor, membership):
    membership = _locked_membership(membership)
    require(can_moderate_group(actor, membership.group))
    if membership.status == MemberStatus.ACTIVE:
        return membership
    membership.status = MemberStatus.ACTIVE
    membership.approved_by = _person(actor)
    membership.save(update_fields=["status", "approved_by"])
    Group.objects.filter(pk=membership.group_id).update(member_count=F("member_count") + 1)
    forget_memberships(membership.user)
    events.send_on_commit(
        events.member_approved, group=membership.group, membership=membership, actor=actor
    )
    return membership


@transaction.atomic
def decline_member(actor, membership):
    """Refuse a request to join (the person may ask again)."""
    membership = _locked_membership(membership)
    require(can_moderate_group(actor, membership.group))
    if membership.status != MemberStatus.PENDING:
        raise NotPending()
    membership.delete()
    forget_memberships(membership.user)
    return membership.group


@transaction.atomic
def set_member_role(actor, membership, *, role):
    """The owner (or a forum moderator) makes members moderators and back; making someone the
    owner hands the group over, and the old owner stays on as a moderator."""
    membership = _locked_membership(membership)
    group = membership.group
    owner = GroupMembership.objects.filter(group=group, role=MemberRole.OWNER).first()
    require(
        is_forum_moderator(actor)
        or (owner is not None and actor is not SYSTEM and owner.user_id == actor.pk)
    )
    if role not in MemberRole.values:
        raise RoleInvalid(field="role")
    if membership.status != MemberStatus.ACTIVE:
        raise NotPending(field="membership")
    if role == MemberRole.OWNER and owner is not None and owner.pk != membership.pk:
        GroupMembership.objects.filter(pk=owner.pk).update(role=MemberRole.MODERATOR)
        forget_memberships(owner.user)
    if role == MemberRole.OWNER:
        Group.objects.filter(pk=group.pk).update(owner=membership.user)
    membership.role = role
    membership.save(update_fields=["role"])
    forget_memberships(membership.user)
    return membership


# --- Threads and posts ---------------------------------------------------------------------


def _check_place(space, board, group):
    if board is not None and board.space_id != space.pk:
        raise WrongPlace(field="board")
    if group is not None and group.space_id != space.pk:
        raise WrongPlace(field="group")


def _follow(user, thread):
    if user is not SYSTEM:
        Follow.objects.get_or_create(user=user, thread=thread)


@transaction.atomic
def create_thread(
    actor,
    *,
    space,
    title,
    body,
    board=None,
    group=None,
    tags=(),
    report=None,
    case_study=None,
    client_request_id=None,
):
    """Start a thread. ``report`` links a report the actor may see; ``case_study`` a page."""
    require_signed_in(actor)
    retried = _retried(Thread, actor, client_request_id)
    if retried is not None:
        return retried
    _check_place(space, board, group)
    require(can_post_in(actor, space, group))
    if report is not None:
        from reports.permissions import can_see as can_see_report

        require(can_see_report(actor, report))
    title = _title(title)
    body = clean_body(body)
    tags = _tags(tags)
    now = timezone.now()
    thread = Thread(
        space=space,
        board=board,
        group=group,
        author=_person(actor),
        title=title,
        body=body,
        report=report,
        case_study=case_study,
        is_leadership=space.kind == SpaceKind.LEADERSHIP,
        is_private=group is not None and group.visibility == Visibility.PRIVATE,
        created_at=now,
        last_activity_at=now,
        client_request_id=client_request_id or "",
    )
    thread.rank()
    try:
        with transaction.atomic():
            thread.save()
    except IntegrityError:
        # The same request, retried at the same moment, won the race.
        retried = _retried(Thread, actor, client_request_id)
        if retried is None:
            raise
        return retried
    if tags:
        thread.tags.set(tags)
    _follow(actor, thread)
    events.send_on_commit(events.thread_created, thread=thread, actor=actor)
    return thread


@transaction.atomic
def edit_thread(actor, thread, *, title=None, body=None, tags=None):
    """Change what is given; the previous version is kept as a revision."""
    require_signed_in(actor)
    thread = _locked_thread(thread)
    _visible_or_not_found(actor, thread)
    require(can_edit(actor, thread, thread))
    new_title = _title(title) if title is not None else thread.title
    new_body = clean_body(body) if body is not None else thread.body
    if (new_title, new_body) != (thread.title, thread.body):
        ThreadRevision.objects.create(
            thread=thread, title=thread.title, body=thread.body, editor=_person(actor)
        )
        thread.title, thread.body, thread.edited_at = new_title, new_body, timezone.now()
        thread.save(update_fields=["title", "body", "edited_at"])
    if tags is not None:
        thread.tags.set(_tags(tags))
    return thread


@transaction.atomic
def delete_thread(actor, thread, *, reason=""):
    """Soft delete: the thread disappears from every list and page; moderators can restore it."""
    require_signed_in(actor)
    thread = _locked_thread(thread)
    _visible_or_not_found(actor, thread)
    require(can_edit(actor, thread, thread))
    if thread.deleted:
        return thread
    thread.deleted, thread.deleted_at = True, timezone.now()
    thread.save(update_fields=["deleted", "deleted_at"])
    if thread.author_id != getattr(actor, "pk", None):
        _log(ModerationKind.DELETE, actor, thread=thread, target_user=thread.author, reason=reason)
    return thread


@transaction.atomic
def reply(actor, thread, *, body, client_request_id=None):
    require_signed_in(actor)
    retried = _retried(Post, actor, client_request_id)
    if retried is not None:
        return retried
    thread = _locked_thread(thread)
    _visible_or_not_found(actor, thread)
    require(can_post_in(actor, thread.space, thread.group))
    if thread.locked:
        raise ThreadLocked()
    body = clean_body(body)
    author = _person(actor)
    by_other = author is not None and author.pk != thread.author_id
    new_participant = by_other and not Post.objects.filter(thread=thread, author=author).exists()
    now = timezone.now()
    try:
        with transaction.atomic():
            post = Post.objects.create(
                thread=thread,
                author=author,
                body=body,
                created_at=now,
                client_request_id=client_request_id or "",
            )
    except IntegrityError:
        retried = _retried(Post, actor, client_request_id)
        if retried is None:
            raise
        return retried
    thread.reply_count += 1
    thread.participant_count += int(new_participant)
    thread.engagement += 2 if by_other else 0
    thread.last_activity_at = now
    thread.rank()
    thread.save(
        update_fields=["reply_count", "participant_count", "engagement", "hot", "last_activity_at"]
    )
    _follow(actor, thread)
    check_nomination(thread)
    post.thread = thread
    events.send_on_commit(events.post_created, thread=thread, post=post, actor=actor)
    return post


@transaction.atomic
def edit_post(actor, post, *, body):
    require_signed_in(actor)
    post = _locked_post(post)
    thread = post.thread
    _visible_or_not_found(actor, thread)
    require(not post.deleted and can_edit(actor, post, thread))
    body = clean_body(body)
    if body != post.body:
        PostRevision.objects.create(post=post, body=post.body, editor=_person(actor))
        post.body, post.edited_at = body, timezone.now()
        post.save(update_fields=["body", "edited_at"])
    return post


@transaction.atomic
def delete_post(actor, post, *, reason=""):
    require_signed_in(actor)
    thread = _locked_thread(post.thread)
    post = _locked_post(post)
    _visible_or_not_found(actor, thread)
    require(can_edit(actor, post, thread))
    if post.deleted:
        return post
    post.deleted, post.deleted_at = True, timezone.now()
    post.save(update_fields=["deleted", "deleted_at"])
    thread.reply_count = max(thread.reply_count - 1, 0)
    if post.author_id is not None and post.author_id != thread.author_id:
        thread.engagement -= 2
    thread.rank()
    thread.save(update_fields=["reply_count", "engagement", "hot"])
    if post.author_id != getattr(actor, "pk", None):
        _log(
            ModerationKind.DELETE,
            actor,
            thread=thread,
            post=post,
            target_user=post.author,
            reason=reason,
        )
    post.thread = thread
    return post


# --- Engagement --------------------------------------------------------------------------------


@transaction.atomic
def react(actor, item, *, on=True):
    """Like (``on``) or unlike a thread or a post; once per person. Returns the item."""
    require_signed_in(actor)
    thread, post = _item_thread(item)
    thread = _locked_thread(thread)
    _visible_or_not_found(actor, thread)
    target = _locked_post(post) if post is not None else thread
    if target.author_id == actor.pk:
        raise OwnContent()
    require(not is_banned(actor, space=thread.space, group=thread.group))
    if on:
        try:
            with transaction.atomic():
                Reaction.objects.create(user=actor, thread=thread, post=post)
            change = 1
        except IntegrityError:
            change = 0
    else:
        change = -Reaction.objects.filter(user=actor, thread=thread, post=post).delete()[0]
    if change:
        target.like_count = max(target.like_count + change, 0)
        if post is None:
            thread.engagement += change
            thread.rank()
            thread.save(update_fields=["like_count", "engagement", "hot"])
            check_nomination(thread)
        else:
            target.save(update_fields=["like_count"])
    if post is not None:
        target.thread = thread
    return target


@transaction.atomic
def follow(actor, thread, *, on=True):
    require_signed_in(actor)
    _visible_or_not_found(actor, thread)
    if on:
        _follow(actor, thread)
    else:
        Follow.objects.filter(user=actor, thread=thread).delete()
    return thread


def record_view(thread):
    """One UPDATE, no lock held beyond it and no read: views are counted, not ranked."""
    Thread.objects.filter(pk=thread.pk).update(view_count=F("view_count") + 1)


# --- Moderation --------------------------------------------------------------------------------


def _hide(target, thread, post, actor, kind, reason, *, by_flags=False):
    target.hidden, target.hidden_reason, target.hidden_by_flags = True, reason, by_flags
    target.save(update_fields=["hidden", "hidden_reason", "hidden_by_flags"])
    _log(kind, actor, thread=thread, post=post, target_user=target.author, reason=reason)
    events.send_on_commit(
        events.content_hidden,
        thread=thread,
        post=post,
        author=target.author,
        reason=reason,
        actor=actor,
    )


def _locked_item(item):
    thread, post = _item_thread(item)
    thread = _locked_thread(thread)
    if post is None:
        return thread, None, thread
    post = _locked_post(post)
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
    _visible_or_not_found(actor, thread)
    if target.author_id == actor.pk:
        raise OwnContent()
    try:
        with transaction.atomic():
            created = Flag.objects.create(
                user=actor, thread=thread, post=post, reason=reason, note=(note or "")[:500]
            )
    except IntegrityError:
        return Flag.objects.get(user=actor, thread=thread, post=post)
    target.flag_count += 1
    target.save(update_fields=["flag_count"])
    threshold = forum_settings().flag_hide_threshold
    if threshold and target.flag_count >= threshold and not target.hidden:
        _hide(target, thread, post, SYSTEM, ModerationKind.AUTO_HIDE, "", by_flags=True)
    return created


def _close_flags(thread, post, status):
    Flag.objects.filter(thread=thread, post=post, status=FlagStatus.OPEN).update(status=status)


@transaction.atomic
def hide(actor, item, *, reason):
    thread, post, target = _locked_item(item)
    require(can_moderate(actor, thread))
    reason = _reason(reason)
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
    _log(ModerationKind.RESTORE, actor, thread=thread, post=post, reason=reason)
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
    _log(ModerationKind.DISMISS_FLAGS, actor, thread=thread, post=post, reason=reason)
    return target


@transaction.atomic
def lock(actor, thread, *, locked=True, reason=""):
    thread = _locked_thread(thread)
    require(can_moderate(actor, thread))
    if thread.locked != locked:
        thread.locked = locked
        thread.save(update_fields=["locked"])
        kind = ModerationKind.LOCK if locked else ModerationKind.UNLOCK
        _log(kind, actor, thread=thread, reason=reason)
    return thread


@transaction.atomic
def move(actor, thread, *, board=None, group=None, reason=""):
    """Put the thread on ``board`` and in ``group`` within its space (None: the space's main
    list, outside any board or group)."""
    thread = _locked_thread(thread)
    require(can_moderate(actor, thread))
    _check_place(thread.space, board, group)
    if group is not None:
        require(can_moderate_group(actor, group))
    before = {"board": thread.board_id, "group": thread.group_id}
    thread.board, thread.group = board, group
    thread.is_private = group is not None and group.visibility == Visibility.PRIVATE
    thread.save(update_fields=["board", "group", "is_private"])
    _log(
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
    reason = _reason(reason)
    if group is not None:
        membership = GroupMembership.objects.filter(group=group, user=user).first()
        if membership is not None:
            require(membership.role != MemberRole.OWNER or is_forum_moderator(actor))
            if membership.status == MemberStatus.ACTIVE:
                Group.objects.filter(pk=group.pk).update(member_count=F("member_count") - 1)
            membership.delete()
            forget_memberships(user)
    result = Ban.objects.create(
        user=user, space=space, group=group, until=until, reason=reason, created_by=_person(actor)
    )
    _log(
        ModerationKind.BAN,
        actor,
        target_user=user,
        reason=reason,
        space=getattr(space, "pk", None),
        group=getattr(group, "pk", None),
        until=until.isoformat() if until else None,
    )
    return result


# --- Up: nomination and promotion --------------------------------------------------------------


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
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                thread=thread,
                kind=kind,
                nominated_by=_person(actor),
                reason=reason,
                participants_at_nomination=thread.participant_count,
                likes_at_nomination=thread.like_count,
                score_at_nomination=thread.engagement,
            )
    except IntegrityError:
        return Nomination.objects.get(thread=thread), False
    events.send_on_commit(
        events.thread_nominated, thread=thread, nomination=nomination, actor=actor
    )
    return nomination, True


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
    thread = _locked_thread(thread)
    _visible_or_not_found(actor, thread)
    if thread.is_leadership or thread.deleted:
        raise NotPublicThread()
    reason = _reason(reason)
    nomination, _created = _nominate(thread, kind=NominationKind.MANUAL, actor=actor, reason=reason)
    return nomination


def _locked_nomination(nomination):
    return Nomination.objects.select_for_update(of=("self",)).get(pk=nomination.pk)


def _decide(nomination, actor, thread, status, reason):
    nomination.status = status
    nomination.decided_by = _person(actor)
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
    reason = _reason(reason)
    nomination = _locked_nomination(nomination)
    if nomination.status == NominationStatus.PROMOTED:
        return nomination.leadership_thread
    if nomination.status != NominationStatus.PENDING:
        raise NominationDecided()
    origin = _locked_thread(nomination.thread)
    if origin.hidden or origin.deleted:
        raise NominatedThreadRemoved()
    now = timezone.now()
    leadership = Thread(
        space=space_of_kind(SpaceKind.LEADERSHIP),
        author=_person(actor),
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
    _follow(actor, leadership)
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
    reason = _reason(reason)
    nomination = _locked_nomination(nomination)
    if nomination.status == NominationStatus.DECLINED:
        return nomination
    if nomination.status != NominationStatus.PENDING:
        raise NominationDecided()
    _decide(nomination, actor, nomination.thread, NominationStatus.DECLINED, reason)
    nomination.save()
    return nomination


# --- Down: official responses and sharing ------------------------------------------------------


@transaction.atomic
def mark_official_response(actor, post):
    """A leader's reply in a promoted leadership thread becomes the answer shown on the public
    thread it came from (and pushed to its participants). Marking again changes nothing."""
    require(can_enter_leadership(actor))
    thread = _locked_thread(post.thread)
    post = _locked_post(post)
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
    origin = _locked_thread(thread.origin)
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
    source = _locked_thread(leadership_thread)
    _visible_or_not_found(actor, source)
    if not source.is_leadership:
        raise NotLeadershipThread()
    existing = Thread.objects.filter(shared_from=source).first()
    if existing is not None:
        return existing
    space = space_of_kind(SpaceKind.PUBLIC)
    _check_place(space, board, None)
    now = timezone.now()
    public = Thread(
        space=space,
        board=board,
        author=_person(actor),
        title=_title(title) if title is not None else source.title,
        body=clean_body(body) if body is not None else source.body,
        case_study=source.case_study,
        shared_from=source,
        created_at=now,
        last_activity_at=now,
    )
    public.rank()
    public.save()
    public.tags.set(list(source.tags.values_list("name", flat=True)))
    _follow(actor, public)
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
        author=_person(actor),
        title=_title(title),
        body=clean_body(summary),
        case_study=page,
        is_leadership=True,
        created_at=now,
        last_activity_at=now,
    )
    thread.rank()
    try:
        with transaction.atomic():
            thread.save()
    except IntegrityError:
        return Thread.objects.get(case_study=page, is_leadership=True)
    _follow(actor, thread)
    events.send_on_commit(events.thread_created, thread=thread, actor=actor)
    return thread
