"""Who may read, post and moderate where in the forums (DESIGN §7). Every interface asks here.

* The public space: everyone reads; signed-in users who are not banned post.
* The leadership space: only leaders, editors and platform admins read or post.
* Community groups: open and closed groups are listed and their threads are public (they are
  part of the public space, like a Discourse category that anyone reads); anyone signed in
  posts in an open group, only members in a closed one. A private group and everything in it
  exists only for its members. Editors and platform admins moderate the whole forum, private
  groups included.
* A group's owner and moderators moderate their group. Editors nominate, promote and decline;
  leaders and editors share leadership threads down and mark official responses.
"""

from django.db.models import Q
from django.utils import timezone

from civic.core.permissions import SYSTEM, is_editor, is_leader

from .models import Ban, GroupMembership, MemberStatus, Space, SpaceKind, Visibility


def _signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


def is_forum_moderator(user) -> bool:
    """Moderates everything: editors and platform admins."""
    return _signed_in(user) and is_editor(user)


def can_enter_leadership(user) -> bool:
    return _signed_in(user) and (is_leader(user) or is_editor(user))


def memberships(user):
    """``{group id: membership}`` of the user's memberships (pending included), read once per
    user object."""
    if not _signed_in(user) or user is SYSTEM:
        return {}
    cached = getattr(user, "_forum_memberships", None)
    if cached is None:
        cached = {m.group_id: m for m in GroupMembership.objects.filter(user=user)}
        user._forum_memberships = cached
    return cached


def forget_memberships(user):
    """After a membership changed: the next check reads them again."""
    if user is not None and hasattr(user, "_forum_memberships"):
        del user._forum_memberships


def is_member(user, group) -> bool:
    membership = memberships(user).get(group.pk)
    return membership is not None and membership.status == MemberStatus.ACTIVE


def member_group_ids(user):
    return {pk for pk, m in memberships(user).items() if m.status == MemberStatus.ACTIVE}


def can_read_space(user, space) -> bool:
    if space.kind == SpaceKind.LEADERSHIP:
        return can_enter_leadership(user)
    return True


def can_see_group(user, group) -> bool:
    if group.visibility != Visibility.PRIVATE:
        return True
    return is_forum_moderator(user) or is_member(user, group)


def can_moderate_group(user, group) -> bool:
    if is_forum_moderator(user):
        return True
    membership = memberships(user).get(group.pk)
    return membership is not None and membership.moderates


def can_moderate(user, thread) -> bool:
    """Hide, restore, lock, move, dismiss flags on a thread and its posts."""
    if is_forum_moderator(user):
        return True
    return thread.group_id is not None and can_moderate_group(user, thread.group)


def is_banned(user, *, space=None, group=None) -> bool:
    if not _signed_in(user) or user is SYSTEM:
        return False
    where = Q()
    if space is not None:
        where |= Q(space=space)
    if group is not None:
        where |= Q(group=group)
    if not where:
        return False
    return (
        Ban.objects.filter(where, user=user)
        .filter(Q(until__isnull=True) | Q(until__gt=timezone.now()))
        .exists()
    )


def may_write_in_public(user) -> bool:
    """Not banned from the public space: what writing elsewhere in public (comments on reports)
    asks of the forums."""
    space = Space.objects.filter(kind=SpaceKind.PUBLIC).first()
    return space is None or not is_banned(user, space=space)


def can_post_in(user, space, group=None) -> bool:
    """Start a thread here (a reply also needs the thread unlocked)."""
    if not _signed_in(user) or not can_read_space(user, space):
        return False
    if group is not None:
        if not can_see_group(user, group):
            return False
        if group.visibility != Visibility.OPEN and not (
            is_member(user, group) or is_forum_moderator(user)
        ):
            return False
    return user is SYSTEM or not is_banned(user, space=space, group=group)


def is_own(user, item) -> bool:
    return _signed_in(user) and item.author_id is not None and item.author_id == user.pk


def can_see_thread(user, thread) -> bool:
    if thread.is_leadership and not can_enter_leadership(user):
        return False
    if thread.is_private and not (
        is_forum_moderator(user) or thread.group_id in member_group_ids(user)
    ):
        return False
    if thread.deleted:
        return can_moderate(user, thread)
    if thread.hidden:
        return is_own(user, thread) or can_moderate(user, thread)
    return True


def can_see_post(user, post) -> bool:
    """Within a thread the user may see."""
    if post.deleted:
        return False
    if post.hidden:
        return is_own(user, post) or can_moderate(user, post.thread)
    return True


def can_edit(user, item, thread) -> bool:
    """Authors edit and delete their own threads and posts while the thread is open;
    moderators always."""
    if can_moderate(user, thread):
        return True
    return is_own(user, item) and not thread.locked


def can_curate(user) -> bool:
    """Nominate, promote, decline: editors (and platform admins)."""
    return _signed_in(user) and is_editor(user)


def can_share_down(user) -> bool:
    return can_enter_leadership(user)
