"""What the forums' services share: the errors several of them raise, the settings and
spaces, the locks, the checks and the moderation log."""

from django.utils.translation import gettext_lazy as _

from civic.core.errors import DomainError, NotFound

# Shared with comments on reports; the forums' services name them from here.
from civic.core.moderation import OwnContent, ReasonRequired, required_reason  # noqa: F401
from civic.core.permissions import SYSTEM, person

from .. import queries
from ..models import Follow, ForumSettings, ModerationAction, Post, Thread
from ..permissions import can_see_thread


class SpaceMissing(DomainError):
    code = "space_missing"
    default_message = _("The forum has no space of this kind.")


class TitleRequired(DomainError):
    code = "title_required"
    default_message = _("Give the thread a title.")


class TitleTooLong(DomainError):
    code = "title_too_long"
    default_message = _("The title is too long (at most 200 characters).")


class WrongPlace(DomainError):
    code = "wrong_place"
    default_message = _("That board or group is not in this space.")


def forum_settings():
    return ForumSettings.load()


def space_of_kind(kind):
    space = queries.space_of_kind(kind)
    if space is None:
        raise SpaceMissing()
    return space


def clean_title(title):
    title = " ".join((title or "").split())
    if not title:
        raise TitleRequired(field="title")
    if len(title) > 200:
        raise TitleTooLong(field="title")
    return title


def locked_thread(thread):
    return Thread.objects.select_for_update(of=("self",)).select_related("group").get(pk=thread.pk)


def locked_post(post):
    return Post.objects.select_for_update(of=("self",)).get(pk=post.pk)


def item_thread(item):
    """``(thread, post)`` for an item that is a thread or a post."""
    if isinstance(item, Post):
        return item.thread, item
    return item, None


def log_action(kind, actor, *, thread=None, post=None, target_user=None, reason="", **data):
    return ModerationAction.objects.create(
        kind=kind,
        actor=person(actor),
        thread=thread,
        post=post,
        target_user=target_user,
        reason=reason,
        data=data,
    )


def visible_or_not_found(actor, thread):
    if not can_see_thread(actor, thread):
        raise NotFound()


def check_place(space, board, group):
    if board is not None and board.space_id != space.pk:
        raise WrongPlace(field="board")
    if group is not None and group.space_id != space.pk:
        raise WrongPlace(field="group")


def saved(row):
    """``row`` once saved: what ``create_or_existing`` wants back from a create."""
    row.save()
    return row


def add_follower(user, thread):
    if user is not SYSTEM:
        Follow.objects.get_or_create(user=user, thread=thread)
