import graphene
from graphql_relay import from_global_id

from civic.core.api.enums import enum_value
from civic.core.api.ids import pk_from_global_id
from civic.core.api.pagination import connection_args, paginate
from civic.core.api.selection import selected_arguments, selected_fields
from civic.core.errors import NotFound
from civic.core.permissions import require, require_signed_in
from reports import queries as report_queries

from .. import queries, services
from ..models import Board, NominationStatus
from ..permissions import can_curate, is_forum_moderator, memberships
from .types import (
    ForumGroupConnection,
    ForumGroupType,
    ForumSpaceType,
    ForumThreadConnection,
    ForumThreadType,
    ModerationItemType,
    NominationConnection,
    NominationStatusEnum,
    ThreadOrderEnum,
)


def space_from_slug(info, slug, field="space"):
    space = queries.space_by_slug(info.context.user, slug)
    if space is None:
        raise NotFound(field=field)
    return space


def board_from_slug(space, slug, field="board"):
    if not slug:
        return None
    board = Board.objects.filter(space=space, slug=slug).first()
    if board is None:
        raise NotFound(field=field)
    return board


def group_from_global_id(info, global_id, field="groupId"):
    # Only a null is "no group": an empty ID is one that names nothing (not_found).
    if global_id is None:
        return None
    group = queries.groups_for(info.context.user).filter(
        pk=pk_from_global_id(global_id, "ForumGroup", field=field)
    )
    group = group.select_related("space").first()
    if group is None:
        raise NotFound(field=field)
    return group


def thread_from_global_id(info, global_id, field="threadId"):
    thread = queries.thread_for(
        info.context.user, pk_from_global_id(global_id, "ForumThread", field=field)
    )
    if thread is None:
        raise NotFound(field=field)
    return thread


def report_from_global_id(info, global_id, field="reportId"):
    """A report a thread may be about: one the viewer may see, else NotFound."""
    report = report_queries.report_visible_to(
        info.context.user, pk_from_global_id(global_id, "Report", field=field)
    )
    if report is None:
        raise NotFound(field=field)
    return report


def item_from_global_id(info, global_id, field="itemId"):
    """A thread or a post the viewer may see, from either kind of global ID."""
    try:
        type_name, _pk = from_global_id(global_id)
    except (ValueError, TypeError, UnicodeError):
        raise NotFound(field=field) from None
    if type_name == "ForumThread":
        return thread_from_global_id(info, global_id, field)
    if type_name != "ForumPost":
        raise NotFound(field=field)
    post = queries.post_for(
        info.context.user, pk_from_global_id(global_id, "ForumPost", field=field)
    )
    if post is None:
        raise NotFound(field=field)
    return post


def prepare_threads(info, *path):
    """A ``prepare`` for ``paginate``: what the query selected, for the whole page at once."""
    wanted = selected_fields(info, *path)
    group_wanted = selected_fields(info, *path, "group")
    user = info.context.user

    def prepare(threads):
        if wanted & {"viewerLiked", "viewerFollows"}:
            queries.attach_viewer_state(user, threads=threads)
        if wanted & {"promotedTo", "sharedTo"}:
            queries.attach_links(threads)
        if "officialResponses" in wanted:
            queries.attach_official_responses(threads)
        if "nomination" in wanted and can_curate(user):
            queries.attach_nominations(threads)
        if "pendingMembers" in group_wanted:
            queries.attach_pending_members(user, [t.group for t in threads if t.group_id])

    return prepare


def prepare_groups(info, *path):
    """A ``prepare`` for ``paginate`` over groups."""
    wanted = selected_fields(info, *path)
    user = info.context.user

    def prepare(groups):
        memberships(user)  # read once for every group's viewerMembership and canModerate
        if "pendingMembers" in wanted:
            queries.attach_pending_members(user, groups)

    return prepare


def _more_posts(info):
    """Whether the query loads a further page of the thread's replies (``posts`` with an
    ``after`` cursor): the thread is already open, so that is not another view."""
    return any(arguments.get("after") for arguments in selected_arguments(info, "posts"))


def _thread_page(info, queryset, order, first, after):
    return paginate(
        ForumThreadConnection,
        queryset,
        ordering=queries.THREAD_ORDERINGS[order],
        first=first,
        after=after,
        prepare=prepare_threads(info, "edges", "node"),
    )


class Query(graphene.ObjectType):
    forum_spaces = graphene.List(
        graphene.NonNull(ForumSpaceType),
        required=True,
        description="The spaces you may read: the public one, and the leadership one for "
        "leaders and editors.",
    )
    forum_groups = graphene.Field(
        ForumGroupConnection,
        required=True,
        **connection_args(),
        description="Community groups you may see, by name.",
    )
    forum_group = graphene.Field(ForumGroupType, slug=graphene.String(required=True))
    threads = graphene.Field(
        ForumThreadConnection,
        required=True,
        space=graphene.String(required=True, description="The space's slug."),
        board=graphene.String(description="A board's slug in that space."),
        group_id=graphene.ID(),
        tag=graphene.String(),
        order=ThreadOrderEnum(default_value="new"),
        **connection_args(),
        description="A space's threads (or a board's, a group's, a tag's).",
    )
    thread = graphene.Field(
        ForumThreadType,
        id=graphene.ID(required=True),
        description="A thread you may read, or null. Counts a view, except when it loads a "
        "further page of replies (posts with an after cursor).",
    )
    search_threads = graphene.Field(
        ForumThreadConnection,
        required=True,
        text=graphene.String(required=True),
        **connection_args(),
        description="Threads you may read whose title or text contains the words, newest first.",
    )
    moderation_queue = graphene.List(
        graphene.NonNull(ModerationItemType),
        required=True,
        description="Moderators: flagged threads and posts in what you moderate, most flagged "
        "first (at most 100).",
    )
    nominations = graphene.Field(
        NominationConnection,
        required=True,
        status=NominationStatusEnum(default_value="pending"),
        **connection_args(),
        description="Editors: nominations for the leadership space, oldest first.",
    )

    def resolve_forum_spaces(root, info):
        return queries.visible_spaces(info.context.user).prefetch_related("boards")

    def resolve_forum_groups(root, info, first=None, after=None):
        return paginate(
            ForumGroupConnection,
            queries.groups_for(info.context.user),
            ordering=("name", "id"),
            first=first,
            after=after,
            prepare=prepare_groups(info, "edges", "node"),
        )

    def resolve_forum_group(root, info, slug):
        return queries.group_by_slug(info.context.user, slug)

    def resolve_threads(
        root, info, space, board=None, group_id=None, tag=None, order="new", first=None, after=None
    ):
        space = space_from_slug(info, space)
        order = enum_value(order)
        queryset = queries.threads(
            info.context.user,
            space=space,
            board=board_from_slug(space, board),
            group=group_from_global_id(info, group_id),
            tag=tag,
            order=order,
        )
        return _thread_page(info, queryset, order, first, after)

    def resolve_thread(root, info, id):
        thread = ForumThreadType.get_node(info, pk_from_global_id(id, "ForumThread", field="id"))
        if thread is not None and not _more_posts(info):
            services.record_view(thread)
        return thread

    def resolve_search_threads(root, info, text, first=None, after=None):
        return _thread_page(
            info, queries.search_threads(info.context.user, text), "new", first, after
        )

    def resolve_moderation_queue(root, info):
        user = require_signed_in(info.context.user)
        require(is_forum_moderator(user) or any(m.moderates for m in memberships(user).values()))
        queue = queries.moderation_queue(user)
        items = [
            ModerationItemType(
                thread=thread,
                post=None,
                flag_count=thread.flag_count,
                hidden_by_flags=thread.hidden_by_flags,
                flags=thread.open_flags,
            )
            for thread in queue.threads[:100]
        ] + [
            ModerationItemType(
                thread=post.thread,
                post=post,
                flag_count=post.flag_count,
                hidden_by_flags=post.hidden_by_flags,
                flags=post.open_flags,
            )
            for post in queue.posts[:100]
        ]
        items.sort(key=lambda item: -item.flag_count)
        items = items[:100]
        if items:
            prepare_threads(info, "thread")([item.thread for item in items])
        return items

    def resolve_nominations(root, info, status="pending", first=None, after=None):
        user = require_signed_in(info.context.user)
        return paginate(
            NominationConnection,
            queries.nomination_queue(user, status=enum_value(status) or NominationStatus.PENDING),
            ordering=("created_at", "id"),
            first=first,
            after=after,
            prepare=lambda nominations: prepare_threads(info, "edges", "node", "thread")(
                [nomination.thread for nomination in nominations]
            ),
        )
