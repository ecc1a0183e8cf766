"""Forum mutations: thin wrappers that parse input, find what it names (NotFound for what the
caller may not see, so its existence is not revealed) and call a service."""

import graphene
from django.utils.dateparse import parse_datetime

from civic.core.api.enums import enum_value
from civic.core.api.ids import pk_from_global_id
from civic.core.api.mutations import BaseMutation
from civic.core.errors import DomainError, NotFound
from civic.core.permissions import require_signed_in

from .. import services
from ..models import GroupMembership, Nomination, Post, SpaceKind
from ..permissions import can_curate
from .resolvers import (
    board_from_slug,
    group_from_global_id,
    item_from_global_id,
    report_from_global_id,
    space_from_slug,
    thread_from_global_id,
)
from .types import (
    FlagReasonEnum,
    ForumGroupType,
    ForumMembershipType,
    ForumPostType,
    ForumThreadType,
    MemberRoleEnum,
    NominationType,
    VisibilityEnum,
)


class ThreadPayload(BaseMutation):
    thread = graphene.Field(ForumThreadType)

    class Meta:
        abstract = True


class PostPayload(BaseMutation):
    post = graphene.Field(ForumPostType)

    class Meta:
        abstract = True


class ItemPayload(BaseMutation):
    """A thread or post mutation returns the thread, and the post when it was about one."""

    thread = graphene.Field(ForumThreadType)
    post = graphene.Field(ForumPostType)

    class Meta:
        abstract = True

    @classmethod
    def of(cls, item):
        if isinstance(item, Post):
            return cls(thread=item.thread, post=item)
        return cls(thread=item, post=None)


class GroupPayload(BaseMutation):
    group = graphene.Field(ForumGroupType)
    membership = graphene.Field(ForumMembershipType)

    class Meta:
        abstract = True


class NominationPayload(BaseMutation):
    nomination = graphene.Field(NominationType)
    leadership_thread = graphene.Field(ForumThreadType)

    class Meta:
        abstract = True


def _post(info, global_id, field="postId"):
    item = item_from_global_id(info, global_id, field)
    if not isinstance(item, Post):
        raise NotFound(field=field)
    return item


def _membership(info, global_id, field="membershipId"):
    membership = (
        GroupMembership.objects.select_related("group", "user")
        .filter(pk=pk_from_global_id(global_id, "ForumMembership", field=field))
        .first()
    )
    if membership is None:
        raise NotFound(field=field)
    return membership


def _nomination(info, global_id, field="nominationId"):
    user = require_signed_in(info.context.user)
    nomination = Nomination.objects.filter(
        pk=pk_from_global_id(global_id, "ForumNomination", field=field)
    ).first()
    if nomination is None or not can_curate(user):
        raise NotFound(field=field)
    return nomination


def _until(value):
    if not value:
        return None
    parsed = parse_datetime(value) if isinstance(value, str) else value
    if parsed is None:
        raise DomainError(code="invalid", field="until")
    return parsed


# --- Groups --------------------------------------------------------------------------------


class CreateGroup(GroupPayload):
    """Start a community group in the public space; you become its owner."""

    class Input:
        name = graphene.String(required=True)
        description = graphene.String()
        visibility = VisibilityEnum(default_value="open")
        area_id = graphene.ID(description="A neighbourhood group's area.")

    @classmethod
    def perform(cls, root, info, *, name, description="", visibility="open", area_id=None):
        from civic.areas.queries import area_by_id

        area = None
        if area_id:
            area = area_by_id(pk_from_global_id(area_id, "Area", field="areaId"))
            if area is None:
                raise NotFound(field="areaId")
        group = services.create_group(
            require_signed_in(info.context.user),
            name=name,
            description=description or "",
            visibility=enum_value(visibility),
            area=area,
        )
        return cls(group=group, membership=group.memberships.first())


class EditGroup(GroupPayload):
    """The owner (or a forum moderator): change what is given. Making a group private hides
    its threads from non-members."""

    class Input:
        group_id = graphene.ID(required=True)
        name = graphene.String()
        description = graphene.String()
        visibility = VisibilityEnum()

    @classmethod
    def perform(cls, root, info, *, group_id, visibility=None, **data):
        group = services.edit_group(
            require_signed_in(info.context.user),
            group_from_global_id(info, group_id),
            visibility=enum_value(visibility),
            **data,
        )
        return cls(group=group)


class JoinGroup(GroupPayload):
    """Open group: you are a member at once. Closed: your request waits for a moderator
    (membership.status PENDING). Private: refused (join_by_invitation)."""

    class Input:
        group_id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, *, group_id):
        group = group_from_global_id(info, group_id)
        membership = services.join_group(require_signed_in(info.context.user), group)
        group.refresh_from_db()
        return cls(group=group, membership=membership)


class LeaveGroup(GroupPayload):
    class Input:
        group_id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, *, group_id):
        group = group_from_global_id(info, group_id)
        return cls(group=services.leave_group(require_signed_in(info.context.user), group))


class ApproveMember(GroupPayload):
    """Moderators: let a person into a closed group (or refuse with approve: false)."""

    class Input:
        membership_id = graphene.ID(required=True)
        approve = graphene.Boolean(default_value=True)

    @classmethod
    def perform(cls, root, info, *, membership_id, approve=True):
        user = require_signed_in(info.context.user)
        membership = _membership(info, membership_id)
        if not approve:
            return cls(group=services.decline_member(user, membership))
        membership = services.approve_member(user, membership)
        membership.group.refresh_from_db()
        return cls(group=membership.group, membership=membership)


class SetMemberRole(GroupPayload):
    """The group's owner: make a member a moderator and back, or hand the group over."""

    class Input:
        membership_id = graphene.ID(required=True)
        role = MemberRoleEnum(required=True)

    @classmethod
    def perform(cls, root, info, *, membership_id, role):
        membership = services.set_member_role(
            require_signed_in(info.context.user),
            _membership(info, membership_id),
            role=enum_value(role),
        )
        return cls(group=membership.group, membership=membership)


# --- Threads and posts ---------------------------------------------------------------------


class CreateThread(ThreadPayload):
    """Start a thread. The body is HTML (p, br, strong, em, a, ul, ol, li, blockquote, code,
    pre; anything else is removed) or plain text. Send a fresh clientRequestId per thread and
    the same one when retrying."""

    class Input:
        space = graphene.String(required=True, description="The space's slug.")
        board = graphene.String(description="A board's slug in that space.")
        group_id = graphene.ID()
        title = graphene.String(required=True)
        body = graphene.String(required=True)
        tags = graphene.List(graphene.NonNull(graphene.String))
        report_id = graphene.ID(description="A report this thread is about.")
        client_request_id = graphene.String()

    @classmethod
    def perform(
        cls, root, info, *, space, board=None, group_id=None, report_id=None, tags=None, **data
    ):
        user = require_signed_in(info.context.user)
        space = space_from_slug(info, space)
        thread = services.create_thread(
            user,
            space=space,
            board=board_from_slug(space, board),
            group=group_from_global_id(info, group_id),
            report=report_from_global_id(info, report_id) if report_id else None,
            tags=tags or (),
            **data,
        )
        return cls(thread=thread)


class EditThread(ThreadPayload):
    """Change the title, body or tags (what is given); the old version is kept."""

    class Input:
        thread_id = graphene.ID(required=True)
        title = graphene.String()
        body = graphene.String()
        tags = graphene.List(graphene.NonNull(graphene.String))

    @classmethod
    def perform(cls, root, info, *, thread_id, **data):
        user = require_signed_in(info.context.user)
        thread = services.edit_thread(user, thread_from_global_id(info, thread_id), **data)
        return cls(thread=thread)


class DeleteThread(ThreadPayload):
    class Input:
        thread_id = graphene.ID(required=True)
        reason = graphene.String()

    @classmethod
    def perform(cls, root, info, *, thread_id, reason=""):
        user = require_signed_in(info.context.user)
        services.delete_thread(user, thread_from_global_id(info, thread_id), reason=reason or "")
        return cls(thread=None)


class Reply(PostPayload):
    """Reply to a thread. Send a fresh clientRequestId per reply, the same when retrying."""

    class Input:
        thread_id = graphene.ID(required=True)
        body = graphene.String(required=True)
        client_request_id = graphene.String()

    @classmethod
    def perform(cls, root, info, *, thread_id, **data):
        user = require_signed_in(info.context.user)
        return cls(post=services.reply(user, thread_from_global_id(info, thread_id), **data))


class EditPost(PostPayload):
    class Input:
        post_id = graphene.ID(required=True)
        body = graphene.String(required=True)

    @classmethod
    def perform(cls, root, info, *, post_id, body):
        user = require_signed_in(info.context.user)
        return cls(post=services.edit_post(user, _post(info, post_id), body=body))


class DeletePost(ThreadPayload):
    class Input:
        post_id = graphene.ID(required=True)
        reason = graphene.String()

    @classmethod
    def perform(cls, root, info, *, post_id, reason=""):
        user = require_signed_in(info.context.user)
        post = services.delete_post(user, _post(info, post_id), reason=reason or "")
        return cls(thread=post.thread)


class React(ItemPayload):
    """Like (on: true) or unlike a thread or a post (itemId: a ForumThread or ForumPost ID)."""

    class Input:
        item_id = graphene.ID(required=True)
        on = graphene.Boolean(default_value=True)

    @classmethod
    def perform(cls, root, info, *, item_id, on=True):
        user = require_signed_in(info.context.user)
        return cls.of(services.react(user, item_from_global_id(info, item_id), on=on))


class FollowThread(ThreadPayload):
    """Follow (on: true) or stop following a thread: you are told about its replies."""

    class Input:
        thread_id = graphene.ID(required=True)
        on = graphene.Boolean(default_value=True)

    @classmethod
    def perform(cls, root, info, *, thread_id, on=True):
        user = require_signed_in(info.context.user)
        return cls(thread=services.follow(user, thread_from_global_id(info, thread_id), on=on))


class Flag(ItemPayload):
    """Flag a thread or a post for the moderators. Enough flags hide it until reviewed."""

    class Input:
        item_id = graphene.ID(required=True)
        reason = FlagReasonEnum(required=True)
        note = graphene.String()

    @classmethod
    def perform(cls, root, info, *, item_id, reason, note=""):
        user = require_signed_in(info.context.user)
        item = item_from_global_id(info, item_id)
        services.flag(user, item, reason=enum_value(reason), note=note or "")
        return cls.of(item)


# --- Up and down ---------------------------------------------------------------------------


class NominateThread(NominationPayload):
    """Editors: propose a public thread for the leadership space."""

    class Input:
        thread_id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, root, info, *, thread_id, reason):
        user = require_signed_in(info.context.user)
        nomination = services.nominate(user, thread_from_global_id(info, thread_id), reason=reason)
        return cls(nomination=nomination)


class PromoteNomination(NominationPayload):
    """Editors: promote a nominated thread; returns the new leadership thread. Promoting
    again returns the same one."""

    class Input:
        nomination_id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, root, info, *, nomination_id, reason):
        user = require_signed_in(info.context.user)
        nomination = _nomination(info, nomination_id)
        leadership = services.promote(user, nomination, reason=reason)
        nomination.refresh_from_db()
        return cls(nomination=nomination, leadership_thread=leadership)


class DeclineNomination(NominationPayload):
    class Input:
        nomination_id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, root, info, *, nomination_id, reason):
        user = require_signed_in(info.context.user)
        nomination = services.decline(user, _nomination(info, nomination_id), reason=reason)
        return cls(nomination=nomination)


class ShareThreadDown(ThreadPayload):
    """Leaders and editors: publish a leadership thread in the public space (title and body
    optionally edited first), with a link back. Returns the public thread."""

    class Input:
        thread_id = graphene.ID(required=True)
        title = graphene.String()
        body = graphene.String()
        board = graphene.String(description="A board's slug in the public space.")

    @classmethod
    def perform(cls, root, info, *, thread_id, board=None, **data):
        user = require_signed_in(info.context.user)
        source = thread_from_global_id(info, thread_id)
        board = board_from_slug(services.space_of_kind(SpaceKind.PUBLIC), board)
        return cls(thread=services.share_down(user, source, board=board, **data))


class MarkOfficialResponse(PostPayload):
    """Leaders: mark your reply in a promoted leadership thread as the official response; it
    appears on the public thread and its participants are told."""

    class Input:
        post_id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, *, post_id):
        user = require_signed_in(info.context.user)
        return cls(post=services.mark_official_response(user, _post(info, post_id)))


# --- Moderation ----------------------------------------------------------------------------


def _moderation(name, service, doc, *, reason_required=False):
    """A mutation ``name`` that calls ``service(user, item, reason=…)`` on a thread or post."""

    def perform(cls, root, info, *, item_id, reason=""):
        user = require_signed_in(info.context.user)
        item = item_from_global_id(info, item_id)
        return cls.of(service(user, item, reason=reason or ""))

    inputs = type(
        "Input",
        (),
        {
            "item_id": graphene.ID(required=True),
            "reason": graphene.String(required=reason_required),
        },
    )
    return type(
        name, (ItemPayload,), {"__doc__": doc, "Input": inputs, "perform": classmethod(perform)}
    )


HideContent = _moderation(
    "HideContent",
    services.hide,
    "Moderators: hide a thread or post (its author is told why).",
    reason_required=True,
)
RestoreContent = _moderation(
    "RestoreContent", services.restore, "Moderators: show hidden or deleted content again."
)
DismissFlags = _moderation(
    "DismissFlags",
    services.dismiss_flags,
    "Moderators: the flags were wrong; content they hid is shown again.",
)


class LockThread(ThreadPayload):
    """Moderators: stop (locked: true) or allow replies."""

    class Input:
        thread_id = graphene.ID(required=True)
        locked = graphene.Boolean(default_value=True)
        reason = graphene.String()

    @classmethod
    def perform(cls, root, info, *, thread_id, locked=True, reason=""):
        user = require_signed_in(info.context.user)
        thread = thread_from_global_id(info, thread_id)
        return cls(thread=services.lock(user, thread, locked=locked, reason=reason or ""))


class MoveThread(ThreadPayload):
    """Moderators: put a thread on a board and in a group of its space (omitted: none)."""

    class Input:
        thread_id = graphene.ID(required=True)
        board = graphene.String(description="A board's slug.")
        group_id = graphene.ID()
        reason = graphene.String()

    @classmethod
    def perform(cls, root, info, *, thread_id, board=None, group_id=None, reason=""):
        user = require_signed_in(info.context.user)
        thread = thread_from_global_id(info, thread_id)
        thread = services.move(
            user,
            thread,
            board=board_from_slug(thread.space, board),
            group=group_from_global_id(info, group_id),
            reason=reason or "",
        )
        return cls(thread=thread)


class BanAuthor(BaseMutation):
    """Moderators: stop the author of a thread or post from posting, in its group
    (inGroup: true, the group's moderators may) or in its whole space (forum moderators),
    until a time or for good."""

    class Input:
        item_id = graphene.ID(required=True)
        in_group = graphene.Boolean(default_value=False)
        until = graphene.DateTime()
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, root, info, *, item_id, reason, in_group=False, until=None):
        user = require_signed_in(info.context.user)
        item = item_from_global_id(info, item_id)
        thread = item.thread if isinstance(item, Post) else item
        if item.author is None or (in_group and thread.group is None):
            raise NotFound(field="itemId")
        services.ban(
            user,
            item.author,
            space=None if in_group else thread.space,
            group=thread.group if in_group else None,
            until=_until(until),
            reason=reason,
        )
        return cls()


class Mutation(graphene.ObjectType):
    create_group = CreateGroup.Field()
    edit_group = EditGroup.Field()
    join_group = JoinGroup.Field()
    leave_group = LeaveGroup.Field()
    approve_member = ApproveMember.Field()
    set_member_role = SetMemberRole.Field()
    create_thread = CreateThread.Field()
    edit_thread = EditThread.Field()
    delete_thread = DeleteThread.Field()
    reply = Reply.Field()
    edit_post = EditPost.Field()
    delete_post = DeletePost.Field()
    react = React.Field()
    follow_thread = FollowThread.Field()
    flag = Flag.Field()
    nominate_thread = NominateThread.Field()
    promote_nomination = PromoteNomination.Field()
    decline_nomination = DeclineNomination.Field()
    share_thread_down = ShareThreadDown.Field()
    mark_official_response = MarkOfficialResponse.Field()
    hide_content = HideContent.Field()
    restore_content = RestoreContent.Field()
    dismiss_flags = DismissFlags.Field()
    lock_thread = LockThread.Field()
    move_thread = MoveThread.Field()
    ban_author = BanAuthor.Field()
