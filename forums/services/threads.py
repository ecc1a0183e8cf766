"""Threads and their replies: starting, replying (idempotent per ``client_request_id``),
editing (the old version kept) and soft deleting."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.core.db import create_or_existing
from civic.core.errors import DomainError
from civic.core.permissions import person, require, require_signed_in
from civic.core.sanitise import clean_body

from .. import events
from ..models import (
    ModerationKind,
    Post,
    PostRevision,
    SpaceKind,
    Thread,
    ThreadRevision,
    Visibility,
)
from ..permissions import can_edit, can_post_in
from ._common import (
    add_follower,
    check_place,
    clean_title,
    locked_post,
    locked_thread,
    log_action,
    saved,
    visible_or_not_found,
)
from .promotion import check_nomination

MAX_TAGS = 5
MAX_TAG_LENGTH = 30


class TooManyTags(DomainError):
    code = "too_many_tags"
    default_message = _("At most 5 tags, of at most 30 characters each.")


class ThreadLocked(DomainError):
    code = "thread_locked"
    default_message = _("This thread is locked: no new replies.")


def _tags(tags):
    names = []
    for tag in tags or ():
        name = " ".join(str(tag).split()).lower()
        if name and name not in names:
            names.append(name)
    if len(names) > MAX_TAGS or any(len(name) > MAX_TAG_LENGTH for name in names):
        raise TooManyTags(field="tags")
    return names


def _retried(model, actor, client_request_id):
    if not client_request_id:
        return None
    return model.objects.filter(author=actor, client_request_id=client_request_id).first()


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
    check_place(space, board, group)
    require(can_post_in(actor, space, group))
    if report is not None:
        from reports.permissions import can_see as can_see_report

        require(can_see_report(actor, report))
    title = clean_title(title)
    body = clean_body(body)
    tags = _tags(tags)
    now = timezone.now()
    thread = Thread(
        space=space,
        board=board,
        group=group,
        author=person(actor),
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
    thread, created = create_or_existing(
        lambda: saved(thread), lambda: _retried(Thread, actor, client_request_id)
    )
    if not created:
        return thread
    if tags:
        thread.tags.set(tags)
    add_follower(actor, thread)
    events.send_on_commit(events.thread_created, thread=thread, actor=actor)
    return thread


@transaction.atomic
def edit_thread(actor, thread, *, title=None, body=None, tags=None):
    """Change what is given; the previous version is kept as a revision."""
    require_signed_in(actor)
    thread = locked_thread(thread)
    visible_or_not_found(actor, thread)
    require(can_edit(actor, thread, thread))
    new_title = clean_title(title) if title is not None else thread.title
    new_body = clean_body(body) if body is not None else thread.body
    if (new_title, new_body) != (thread.title, thread.body):
        ThreadRevision.objects.create(
            thread=thread, title=thread.title, body=thread.body, editor=person(actor)
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
    thread = locked_thread(thread)
    visible_or_not_found(actor, thread)
    require(can_edit(actor, thread, thread))
    if thread.deleted:
        return thread
    thread.deleted, thread.deleted_at = True, timezone.now()
    thread.save(update_fields=["deleted", "deleted_at"])
    if thread.author_id != getattr(actor, "pk", None):
        log_action(
            ModerationKind.DELETE, actor, thread=thread, target_user=thread.author, reason=reason
        )
    return thread


@transaction.atomic
def reply(actor, thread, *, body, client_request_id=None):
    require_signed_in(actor)
    retried = _retried(Post, actor, client_request_id)
    if retried is not None:
        return retried
    thread = locked_thread(thread)
    visible_or_not_found(actor, thread)
    require(can_post_in(actor, thread.space, thread.group))
    if thread.locked:
        raise ThreadLocked()
    body = clean_body(body)
    author = person(actor)
    by_other = author is not None and author.pk != thread.author_id
    new_participant = by_other and not Post.objects.filter(thread=thread, author=author).exists()
    now = timezone.now()
    post, created = create_or_existing(
        lambda: Post.objects.create(
            thread=thread,
            author=author,
            body=body,
            created_at=now,
            client_request_id=client_request_id or "",
        ),
        lambda: _retried(Post, actor, client_request_id),
    )
    if not created:
        return post
    thread.reply_count += 1
    thread.participant_count += int(new_participant)
    thread.engagement += 2 if by_other else 0
    thread.last_activity_at = now
    thread.rank()
    thread.save(
        update_fields=["reply_count", "participant_count", "engagement", "hot", "last_activity_at"]
    )
    add_follower(actor, thread)
    check_nomination(thread)
    post.thread = thread
    events.send_on_commit(events.post_created, thread=thread, post=post, actor=actor)
    return post


@transaction.atomic
def edit_post(actor, post, *, body):
    require_signed_in(actor)
    post = locked_post(post)
    thread = post.thread
    visible_or_not_found(actor, thread)
    require(not post.deleted and can_edit(actor, post, thread))
    body = clean_body(body)
    if body != post.body:
        PostRevision.objects.create(post=post, body=post.body, editor=person(actor))
        post.body, post.edited_at = body, timezone.now()
        post.save(update_fields=["body", "edited_at"])
    return post


@transaction.atomic
def delete_post(actor, post, *, reason=""):
    require_signed_in(actor)
    thread = locked_thread(post.thread)
    post = locked_post(post)
    visible_or_not_found(actor, thread)
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
        log_action(
            ModerationKind.DELETE,
            actor,
            thread=thread,
            post=post,
            target_user=post.author,
            reason=reason,
        )
    post.thread = thread
    return post
