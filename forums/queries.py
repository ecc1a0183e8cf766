"""Read helpers: what a viewer may see, as querysets with what their pages show loaded in a
fixed number of queries.

Every list filters on the thread's own columns (``is_leadership``, ``is_private``, ``hidden``,
``deleted``) so that leadership and private content never reaches a viewer who may not read it,
whichever list or search they use, and so that listings are scans of the partial indexes on
``Thread`` in the order asked for.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.core.errors import DomainError
from civic.core.permissions import require
from civic.core.text import search_text

from .models import (
    Flag,
    FlagStatus,
    Follow,
    Group,
    GroupMembership,
    MemberStatus,
    Nomination,
    NominationStatus,
    Post,
    Reaction,
    Space,
    SpaceKind,
    Thread,
    Visibility,
)
from .permissions import (
    can_curate,
    can_enter_leadership,
    can_moderate,
    can_moderate_group,
    can_read_space,
    can_see_group,
    can_see_post,
    can_see_thread,
    is_forum_moderator,
    member_group_ids,
    memberships,
)

# Keyset orderings (each ends in the primary key), for civic.core.api.pagination.paginate.
THREAD_ORDERINGS = {
    "new": ("-created_at", "-id"),
    "hot": ("-hot", "-id"),
    "top_week": ("-engagement", "-id"),
}
POST_ORDERING = ("created_at", "id")
TOP_WEEK = timedelta(days=7)


class OrderInvalid(DomainError):
    code = "order_invalid"
    default_message = _("Order by new, hot or top_week.")


def space_of_kind(kind):
    return Space.objects.filter(kind=kind).order_by("sort_order", "pk").first()


def visible_spaces(viewer):
    spaces = Space.objects.order_by("sort_order", "pk")
    if not can_enter_leadership(viewer):
        spaces = spaces.filter(kind=SpaceKind.PUBLIC)
    return spaces


def space_by_slug(viewer, slug):
    return visible_spaces(viewer).filter(slug=slug).first()


def visible_threads(viewer):
    """Every thread the viewer may read in lists: not deleted nor hidden, outside the
    leadership space and private groups unless they belong there."""
    queryset = Thread.objects.filter(deleted=False, hidden=False)
    if not can_enter_leadership(viewer):
        queryset = queryset.filter(is_leadership=False)
    if not is_forum_moderator(viewer):
        queryset = queryset.filter(Q(is_private=False) | Q(group_id__in=member_group_ids(viewer)))
    return queryset


def with_listing_data(queryset):
    """What a thread list shows, in a fixed number of queries whatever the page size.

    The rarely set links (origin, shared_from, case study) are prefetched rather than joined:
    three more self- and page-joins made PostgreSQL spend 15-20 ms planning a query that runs
    in 0.3 ms (tests/bench/bench_forums.py)."""
    return queryset.select_related("author", "space", "board", "group").prefetch_related(
        "tags", "origin", "shared_from", "case_study"
    )


def threads(viewer, *, space, board=None, group=None, tag=None, order="new"):
    """A space's threads (or a board's or a group's within it), ordered by
    ``THREAD_ORDERINGS[order]``: "new", "hot" or "top_week" (the last 7 days by engagement)."""
    if order not in THREAD_ORDERINGS:
        raise OrderInvalid(field="order")
    if not can_read_space(viewer, space) or (
        group is not None and not can_see_group(viewer, group)
    ):
        return Thread.objects.none()
    queryset = visible_threads(viewer).filter(space=space)
    if board is not None:
        queryset = queryset.filter(board=board)
    if group is not None:
        queryset = queryset.filter(group=group)
    if tag:
        queryset = queryset.filter(tagged_items__tag__name=tag.strip().lower())
    if order == "top_week":
        queryset = queryset.filter(created_at__gte=timezone.now() - TOP_WEEK)
    return with_listing_data(queryset).order_by(*THREAD_ORDERINGS[order])


def thread_for(viewer, pk):
    """The thread if the viewer may see it; None otherwise.

    Every thread page, reply, like, follow and flag starts here, so it joins only what the
    permission check and every page need (author, space, board, group): joining the rarely set
    links too (origin, shared_from, report, case study: eight relations) made PostgreSQL spend
    longer planning the query than running it. A link that is set loads when read; tags load
    where they are shown."""
    try:
        thread = Thread.objects.select_related("author", "space", "board", "group").get(pk=int(pk))
    except (Thread.DoesNotExist, TypeError, ValueError):
        return None
    return thread if can_see_thread(viewer, thread) else None


def provenance_visible(viewer, thread):
    """The thread's linked threads the viewer may open: ``{"origin": …, "shared_from": …,
    "promoted_as": …, "shared_as": …}`` (None where there is none or it is out of reach)."""
    links = {
        "origin": thread.origin,
        "shared_from": thread.shared_from,
        "promoted_as": Thread.objects.filter(origin=thread).first() if thread.promoted_at else None,
        "shared_as": Thread.objects.filter(shared_from=thread).first()
        if thread.is_leadership
        else None,
    }
    return {
        name: linked if linked is not None and can_see_thread(viewer, linked) else None
        for name, linked in links.items()
    }


def posts_of(viewer, thread):
    """The replies the viewer may see, oldest first (POST_ORDERING). Hidden replies are shown
    to their authors and moderators only."""
    if not can_see_thread(viewer, thread):
        return Post.objects.none()
    queryset = Post.objects.filter(thread=thread, deleted=False)
    if not can_moderate(viewer, thread):
        mine = Q(author=viewer) if getattr(viewer, "is_authenticated", False) else Q(pk__in=[])
        queryset = queryset.filter(Q(hidden=False) | mine)
    return queryset.select_related("author").order_by(*POST_ORDERING)


def official_responses(thread):
    """The leaders' official responses to a public thread promoted to the leadership space,
    shown on the public thread to everyone who may read it."""
    attach_official_responses([thread])
    return thread.official_list


def groups_for(viewer):
    """Groups the viewer may see: open and closed ones, and private ones they belong to."""
    queryset = Group.objects.select_related("area", "owner")
    if not is_forum_moderator(viewer):
        queryset = queryset.filter(
            Q(visibility__in=(Visibility.OPEN, Visibility.CLOSED))
            | Q(pk__in=member_group_ids(viewer))
        )
    return queryset.order_by("name", "id")


def group_by_slug(viewer, slug):
    return groups_for(viewer).filter(slug=slug).first()


def membership_of(viewer, group):
    """The viewer's membership of ``group`` (pending or active), or None."""
    return memberships(viewer).get(group.pk)


def pending_members(actor, group):
    require(can_moderate_group(actor, group))
    return (
        GroupMembership.objects.filter(group=group, status=MemberStatus.PENDING)
        .select_related("user")
        .order_by("created_at", "id")
    )


def attach_pending_members(actor, groups):
    """Set ``pending_list`` on each group: its requests to join (as ``pending_members``) for
    the groups ``actor`` moderates, None on the others; in at most one query."""
    moderated = [group.pk for group in groups if can_moderate_group(actor, group)]
    found = {pk: [] for pk in moderated}
    if moderated:
        for membership in (
            GroupMembership.objects.filter(group_id__in=moderated, status=MemberStatus.PENDING)
            .select_related("user")
            .order_by("created_at", "id")
        ):
            found[membership.group_id].append(membership)
    for group in groups:
        group.pending_list = found.get(group.pk)


def members_of(viewer, group):
    if not can_see_group(viewer, group):
        return GroupMembership.objects.none()
    return (
        GroupMembership.objects.filter(group=group, status=MemberStatus.ACTIVE)
        .select_related("user")
        .order_by("created_at", "id")
    )


@dataclass
class ModerationQueue:
    """What waits for ``actor``'s review: flagged or flag-hidden threads and posts, most
    flagged first, each with ``open_flags``."""

    threads: QuerySet
    posts: QuerySet


def moderation_queue(actor):
    waiting = Q(flag_count__gt=0) | Q(hidden_by_flags=True)
    thread_items = Thread.objects.filter(waiting, deleted=False)
    post_items = Post.objects.filter(waiting, deleted=False)
    if not is_forum_moderator(actor):
        groups = [pk for pk, m in memberships(actor).items() if m.moderates]
        thread_items = thread_items.filter(group_id__in=groups)
        post_items = post_items.filter(thread__group_id__in=groups)
    return ModerationQueue(
        threads=thread_items.select_related("author", "space", "group")
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.filter(status=FlagStatus.OPEN, post__isnull=True),
                to_attr="open_flags",
            )
        )
        .order_by("-flag_count", "-id"),
        posts=post_items.select_related("author", "thread", "thread__space", "thread__group")
        .prefetch_related(
            Prefetch(
                "flags", queryset=Flag.objects.filter(status=FlagStatus.OPEN), to_attr="open_flags"
            )
        )
        .order_by("-flag_count", "-id"),
    )


def nomination_queue(actor, *, status=NominationStatus.PENDING):
    """Nominations for editors to decide, oldest first (decided ones with ``status``)."""
    require(can_curate(actor))
    return (
        Nomination.objects.filter(status=status)
        .select_related("thread", "thread__author", "nominated_by", "decided_by")
        .order_by("created_at", "id")
    )


def attach_nominations(threads):
    """Set ``nomination_found`` (the thread's nomination, or None) on each thread in one
    query."""
    found = {}
    for nomination in Nomination.objects.filter(thread__in=threads).order_by("id"):
        found.setdefault(nomination.thread_id, nomination)
    for thread in threads:
        thread.nomination_found = found.get(thread.pk)


def search_threads(viewer, text):
    """Threads whose title or body contains ``text``, newest first, among those the viewer may
    read. A substring match: a city's forum is small enough, and it finds Chinese words,
    which a word-based full-text index would need a segmenter for. SearchTooLong beyond
    ``SEARCH_MAX_LENGTH``."""
    text = search_text(text, field="text")
    if not text:
        return Thread.objects.none()
    return with_listing_data(
        visible_threads(viewer).filter(Q(title__icontains=text) | Q(body__icontains=text))
    ).order_by(*THREAD_ORDERINGS["new"])


def attach_viewer_state(viewer, threads=(), posts=()):
    """Set ``viewer_liked`` (and on threads ``viewer_follows``) on each item, in at most
    three queries."""
    signed_in = getattr(viewer, "is_authenticated", False)
    thread_ids = [thread.pk for thread in threads]
    post_ids = [post.pk for post in posts]
    liked_threads = liked_posts = follows = set()
    if signed_in and thread_ids:
        liked_threads = set(
            Reaction.objects.filter(
                user=viewer, thread_id__in=thread_ids, post__isnull=True
            ).values_list("thread_id", flat=True)
        )
        follows = set(
            Follow.objects.filter(user=viewer, thread_id__in=thread_ids).values_list(
                "thread_id", flat=True
            )
        )
    if signed_in and post_ids:
        liked_posts = set(
            Reaction.objects.filter(user=viewer, post_id__in=post_ids).values_list(
                "post_id", flat=True
            )
        )
    for thread in threads:
        thread.viewer_liked = thread.pk in liked_threads
        thread.viewer_follows = thread.pk in follows
    for post in posts:
        post.viewer_liked = post.pk in liked_posts


def author_name(user):
    """How the forums name a person: their public name (``User.public_name``)."""
    if user is None:
        return _("Deleted account")
    return user.public_name


def attach_links(threads):
    """Set ``linked_promoted_to`` and ``linked_shared_to`` (the threads that point back at
    each one, or None) in at most two queries."""
    promoted = [thread.pk for thread in threads if thread.promoted_at]
    leadership = [thread.pk for thread in threads if thread.is_leadership]
    by_origin = (
        {t.origin_id: t for t in Thread.objects.filter(origin_id__in=promoted)} if promoted else {}
    )
    by_source = (
        {t.shared_from_id: t for t in Thread.objects.filter(shared_from_id__in=leadership)}
        if leadership
        else {}
    )
    for thread in threads:
        thread.linked_promoted_to = by_origin.get(thread.pk)
        thread.linked_shared_to = by_source.get(thread.pk)


def attach_official_responses(threads):
    """Set ``official_list`` (see ``official_responses``) on each thread in at most one query."""
    wanted = [thread.pk for thread in threads if thread.has_official_response]
    found = {pk: [] for pk in wanted}
    if wanted:
        posts = (
            Post.objects.filter(
                thread__origin_id__in=wanted, official_response=True, deleted=False, hidden=False
            )
            .select_related("author", "thread")
            .order_by(*POST_ORDERING)
        )
        for post in posts:
            found[post.thread.origin_id].append(post)
    for thread in threads:
        thread.official_list = found.get(thread.pk, [])


def post_for(viewer, pk):
    """The post, with its thread, if the viewer may see both; None otherwise."""
    try:
        post = Post.objects.select_related("thread", "thread__space", "thread__group").get(
            pk=int(pk)
        )
    except (Post.DoesNotExist, TypeError, ValueError):
        return None
    if not can_see_thread(viewer, post.thread) or not can_see_post(viewer, post):
        return None
    return post
