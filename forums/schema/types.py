"""GraphQL types for the forums. What a viewer may see is decided by ``forums.queries`` and
``forums.permissions``; the types only ask."""

import graphene
from graphene import relay
from graphene_django import DjangoObjectType

from civic.areas.schema.types import AreaType
from civic.core.api.enums import FlagReasonEnum, choices_enum, enum_value
from civic.core.api.pagination import connection_args, paginate

from .. import queries
from ..models import (
    Board,
    Group,
    GroupMembership,
    MemberRole,
    MemberStatus,
    Nomination,
    NominationKind,
    NominationStatus,
    Post,
    Space,
    SpaceKind,
    Thread,
    Visibility,
)
from ..permissions import (
    can_curate,
    can_edit,
    can_moderate,
    can_moderate_group,
    can_see_group,
    can_see_thread,
    is_own,
)

SpaceKindEnum = choices_enum("ForumSpaceKind", SpaceKind, "public or leadership.")
VisibilityEnum = choices_enum(
    "ForumGroupVisibility",
    Visibility,
    "open: anyone joins and posts; closed: anyone reads, members post, joining needs approval; "
    "private: only members see it.",
)
MemberRoleEnum = choices_enum("ForumMemberRole", MemberRole, "owner, moderator or member.")
MemberStatusEnum = choices_enum("ForumMemberStatus", MemberStatus, "pending or active.")
NominationKindEnum = choices_enum("NominationKind", NominationKind, "auto or manual.")
NominationStatusEnum = choices_enum(
    "NominationStatus", NominationStatus, "pending, promoted or declined."
)
ThreadOrderEnum = graphene.Enum(
    "ThreadOrder",
    [("NEW", "new"), ("HOT", "hot"), ("TOP_WEEK", "top_week")],
    description="new: newest first; hot: the DESIGN §7 rank; top_week: the last 7 days by "
    "engagement.",
)


class ForumBoardType(DjangoObjectType):
    name = graphene.String(required=True, description="In the request's language.")

    class Meta:
        model = Board
        name = "ForumBoard"
        interfaces = (relay.Node,)
        fields = ("slug", "description")

    @classmethod
    def get_node(cls, info, id):
        board = Board.objects.select_related("space").filter(pk=id).first()
        if board is None or board.space not in queries.visible_spaces(info.context.user):
            return None
        return board

    def resolve_name(board, info):
        return board.localized_name


class ForumSpaceType(DjangoObjectType):
    kind = graphene.Field(SpaceKindEnum, required=True)
    name = graphene.String(required=True, description="In the request's language.")
    boards = graphene.List(graphene.NonNull(ForumBoardType), required=True)

    class Meta:
        model = Space
        name = "ForumSpace"
        interfaces = (relay.Node,)
        fields = ("slug", "description")

    @classmethod
    def get_node(cls, info, id):
        return queries.visible_spaces(info.context.user).filter(pk=id).first()

    def resolve_kind(space, info):
        return enum_value(space.kind)

    def resolve_name(space, info):
        return space.localized_name

    def resolve_boards(space, info):
        return space.boards.all()


class ForumMembershipType(DjangoObjectType):
    role = graphene.Field(MemberRoleEnum, required=True)
    status = graphene.Field(MemberStatusEnum, required=True)
    member_name = graphene.String(required=True)

    class Meta:
        model = GroupMembership
        name = "ForumMembership"
        interfaces = (relay.Node,)
        fields = ("created_at",)

    @classmethod
    def get_node(cls, info, id):
        membership = GroupMembership.objects.select_related("group", "user").filter(pk=id).first()
        user = info.context.user
        if membership is None or not (
            membership.user_id == getattr(user, "pk", None)
            or can_moderate_group(user, membership.group)
        ):
            return None
        return membership

    def resolve_role(membership, info):
        return enum_value(membership.role)

    def resolve_status(membership, info):
        return enum_value(membership.status)

    def resolve_member_name(membership, info):
        return queries.author_name(membership.user)


class ForumGroupType(DjangoObjectType):
    visibility = graphene.Field(VisibilityEnum, required=True)
    area = graphene.Field(AreaType)
    viewer_membership = graphene.Field(
        ForumMembershipType, description="Yours (pending or active), or null."
    )
    can_moderate = graphene.Boolean(required=True)
    pending_members = graphene.List(
        graphene.NonNull(ForumMembershipType),
        description="Requests to join, for the group's moderators; null for everyone else.",
    )

    class Meta:
        model = Group
        name = "ForumGroup"
        interfaces = (relay.Node,)
        fields = ("slug", "name", "description", "member_count", "created_at")

    @classmethod
    def get_node(cls, info, id):
        return queries.groups_for(info.context.user).filter(pk=id).first()

    def resolve_visibility(group, info):
        return enum_value(group.visibility)

    def resolve_viewer_membership(group, info):
        return queries.membership_of(info.context.user, group)

    def resolve_can_moderate(group, info):
        return can_moderate_group(info.context.user, group)

    def resolve_pending_members(group, info):
        if not hasattr(group, "pending_list"):
            queries.attach_pending_members(info.context.user, [group])
        return group.pending_list


class ForumGroupConnection(relay.Connection):
    class Meta:
        node = ForumGroupType


# Described here: descriptions taken from model help texts would be in whatever language the
# schema happened to be built in.
BODY_DESCRIPTION = (
    "Sanitised HTML: p, br, strong, em, a (http, https, mailto), ul, ol, li, blockquote, code, pre."
)


class ForumPostType(DjangoObjectType):
    body = graphene.String(required=True, description=BODY_DESCRIPTION)
    author_name = graphene.String(required=True)
    is_mine = graphene.Boolean(required=True)
    viewer_liked = graphene.Boolean(required=True)
    can_edit = graphene.Boolean(required=True)
    official_response = graphene.Boolean(
        required=True, description="A leader's answer, shown on the public thread too."
    )
    hidden = graphene.Boolean(required=True, description="Shown only to its author and moderators.")

    class Meta:
        model = Post
        name = "ForumPost"
        interfaces = (relay.Node,)
        fields = ("body", "like_count", "created_at", "edited_at")

    @classmethod
    def get_node(cls, info, id):
        return queries.post_for(info.context.user, id)

    def resolve_author_name(post, info):
        return queries.author_name(post.author)

    def resolve_is_mine(post, info):
        return is_own(info.context.user, post)

    def resolve_viewer_liked(post, info):
        if not hasattr(post, "viewer_liked"):
            queries.attach_viewer_state(info.context.user, posts=[post])
        return post.viewer_liked

    def resolve_can_edit(post, info):
        return can_edit(info.context.user, post, post.thread)


class ForumPostConnection(relay.Connection):
    class Meta:
        node = ForumPostType


def _viewer_state(info, thread):
    if not hasattr(thread, "viewer_liked"):
        queries.attach_viewer_state(info.context.user, threads=[thread])
    return thread


class ForumThreadType(DjangoObjectType):
    body = graphene.String(required=True, description=BODY_DESCRIPTION)
    space = graphene.Field(ForumSpaceType, required=True)
    board = graphene.Field(ForumBoardType)
    group = graphene.Field(ForumGroupType)
    author_name = graphene.String(required=True)
    tags = graphene.List(graphene.NonNull(graphene.String), required=True)
    badges = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="promoted, from_leadership, official_response, locked, hidden.",
    )
    is_mine = graphene.Boolean(required=True)
    viewer_liked = graphene.Boolean(required=True)
    viewer_follows = graphene.Boolean(required=True)
    can_edit = graphene.Boolean(required=True)
    can_moderate = graphene.Boolean(required=True)
    hidden = graphene.Boolean(required=True, description="Shown only to its author and moderators.")
    locked = graphene.Boolean(required=True, description="No new replies.")
    origin = graphene.Field(
        lambda: ForumThreadType,
        description="For a promoted leadership thread: the public thread it came from.",
    )
    promoted_to = graphene.Field(
        lambda: ForumThreadType,
        description="For a promoted public thread: its leadership thread, if you may read it.",
    )
    shared_from = graphene.Field(
        lambda: ForumThreadType,
        description="For a thread from the leadership forum: the original, if you may read it.",
    )
    shared_to = graphene.Field(
        lambda: ForumThreadType,
        description="For a leadership thread shared to the public: the public copy.",
    )
    official_responses = graphene.List(
        graphene.NonNull(ForumPostType),
        required=True,
        description="Leaders' official answers from the leadership space, oldest first.",
    )
    posts = graphene.Field(
        ForumPostConnection,
        required=True,
        **connection_args(),
        description="Replies, oldest first.",
    )
    nomination = graphene.Field(
        lambda: NominationType, description="For editors: its nomination, if any."
    )
    report_id = graphene.ID(description="The linked report's global ID (a Report node).")
    case_study_url = graphene.String(description="The linked case study page.")

    class Meta:
        model = Thread
        name = "ForumThread"
        interfaces = (relay.Node,)
        fields = (
            "title",
            "body",
            "reply_count",
            "like_count",
            "participant_count",
            "view_count",
            "hot",
            "created_at",
            "edited_at",
            "last_activity_at",
            "promoted_at",
        )

    @classmethod
    def get_node(cls, info, id):
        return queries.thread_for(info.context.user, id)

    def resolve_author_name(thread, info):
        return queries.author_name(thread.author)

    def resolve_group(thread, info):
        if thread.group is None or not can_see_group(info.context.user, thread.group):
            return None
        return thread.group

    def resolve_tags(thread, info):
        return [tag.name for tag in thread.tags.all()]

    def resolve_badges(thread, info):
        return thread.badges

    def resolve_is_mine(thread, info):
        return is_own(info.context.user, thread)

    def resolve_viewer_liked(thread, info):
        return _viewer_state(info, thread).viewer_liked

    def resolve_viewer_follows(thread, info):
        return _viewer_state(info, thread).viewer_follows

    def resolve_can_edit(thread, info):
        return can_edit(info.context.user, thread, thread)

    def resolve_can_moderate(thread, info):
        return can_moderate(info.context.user, thread)

    def resolve_origin(thread, info):
        return _visible(info, thread.origin)

    def resolve_shared_from(thread, info):
        return _visible(info, thread.shared_from)

    def resolve_promoted_to(thread, info):
        if not hasattr(thread, "linked_promoted_to"):
            queries.attach_links([thread])
        return _visible(info, thread.linked_promoted_to)

    def resolve_shared_to(thread, info):
        if not hasattr(thread, "linked_shared_to"):
            queries.attach_links([thread])
        return _visible(info, thread.linked_shared_to)

    def resolve_official_responses(thread, info):
        if not hasattr(thread, "official_list"):
            queries.attach_official_responses([thread])
        return thread.official_list

    def resolve_posts(thread, info, first=None, after=None):
        user = info.context.user
        return paginate(
            ForumPostConnection,
            queries.posts_of(user, thread),
            ordering=queries.POST_ORDERING,
            first=first,
            after=after,
            prepare=lambda posts: _attach_posts(user, thread, posts),
        )

    def resolve_nomination(thread, info):
        if not can_curate(info.context.user):
            return None
        if not hasattr(thread, "nomination_found"):
            queries.attach_nominations([thread])
        return thread.nomination_found

    def resolve_report_id(thread, info):
        if thread.report_id is None:
            return None
        return relay.Node.to_global_id("Report", thread.report_id)

    def resolve_case_study_url(thread, info):
        if thread.case_study is None:
            return None
        return thread.case_study.get_url(request=info.context)


def _visible(info, thread):
    if thread is None or not can_see_thread(info.context.user, thread):
        return None
    return thread


def _attach_posts(user, thread, posts):
    for post in posts:
        post.thread = thread
    queries.attach_viewer_state(user, posts=posts)


class ForumThreadConnection(relay.Connection):
    class Meta:
        node = ForumThreadType


class NominationType(DjangoObjectType):
    thread = graphene.Field(ForumThreadType, required=True)
    kind = graphene.Field(NominationKindEnum, required=True)
    status = graphene.Field(NominationStatusEnum, required=True)
    nominated_by_name = graphene.String(description="Null for automatic nominations.")
    decided_by_name = graphene.String()
    leadership_thread = graphene.Field(ForumThreadType)

    class Meta:
        model = Nomination
        name = "ForumNomination"
        interfaces = (relay.Node,)
        fields = (
            "reason",
            "participants_at_nomination",
            "likes_at_nomination",
            "score_at_nomination",
            "created_at",
            "decided_at",
            "decision_reason",
            "score_at_decision",
            "participants_at_decision",
            "likes_at_decision",
        )

    @classmethod
    def get_node(cls, info, id):
        if not can_curate(info.context.user):
            return None
        return Nomination.objects.select_related("thread").filter(pk=id).first()

    def resolve_kind(nomination, info):
        return enum_value(nomination.kind)

    def resolve_status(nomination, info):
        return enum_value(nomination.status)

    def resolve_nominated_by_name(nomination, info):
        return queries.author_name(nomination.nominated_by) if nomination.nominated_by else None

    def resolve_decided_by_name(nomination, info):
        return queries.author_name(nomination.decided_by) if nomination.decided_by else None


class NominationConnection(relay.Connection):
    class Meta:
        node = NominationType


class FlagType(graphene.ObjectType):
    reason = graphene.Field(FlagReasonEnum, required=True)
    note = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    class Meta:
        name = "ForumFlag"

    def resolve_reason(flag, info):
        return enum_value(flag.reason)


class ModerationItemType(graphene.ObjectType):
    """A flagged thread or post waiting for review."""

    thread = graphene.Field(ForumThreadType, required=True)
    post = graphene.Field(ForumPostType, description="Null when the thread itself is flagged.")
    flag_count = graphene.Int(required=True, description="Open flags.")
    hidden_by_flags = graphene.Boolean(required=True)
    flags = graphene.List(graphene.NonNull(FlagType), required=True)

    class Meta:
        name = "ForumModerationItem"
