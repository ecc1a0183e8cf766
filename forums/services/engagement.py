"""Likes, follows and views."""

from django.db import transaction
from django.db.models import F

from civic.core.db import create_or_existing
from civic.core.permissions import require, require_signed_in

from ..models import Follow, Reaction, Thread
from ..permissions import is_banned
from ._common import (
    OwnContent,
    add_follower,
    item_thread,
    locked_post,
    locked_thread,
    visible_or_not_found,
)
from .promotion import check_nomination


@transaction.atomic
def react(actor, item, *, on=True):
    """Like (``on``) or unlike a thread or a post; once per person. Returns the item."""
    require_signed_in(actor)
    thread, post = item_thread(item)
    thread = locked_thread(thread)
    visible_or_not_found(actor, thread)
    target = locked_post(post) if post is not None else thread
    if target.author_id == actor.pk:
        raise OwnContent()
    require(not is_banned(actor, space=thread.space, group=thread.group))
    if on:
        _reaction, created = create_or_existing(
            lambda: Reaction.objects.create(user=actor, thread=thread, post=post),
            lambda: Reaction.objects.filter(user=actor, thread=thread, post=post).first(),
        )
        change = int(created)
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
    visible_or_not_found(actor, thread)
    if on:
        add_follower(actor, thread)
    else:
        Follow.objects.filter(user=actor, thread=thread).delete()
    return thread


def record_view(thread):
    """One UPDATE, no lock held beyond it and no read: views are counted, not ranked."""
    Thread.objects.filter(pk=thread.pk).update(view_count=F("view_count") + 1)
