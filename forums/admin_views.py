"""The forum moderators' screens in the Wagtail admin: the moderation queue (flagged and hidden
threads and replies) and the promotion review queue (nominations for the leadership forum).

Thin like every interface: each button is one service call, which checks permission and writes
the moderation log; a refusal (``DomainError``) comes back as a message.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from civic.core.errors import AccessError, DomainError

from . import queries, services
from .models import Board, Group, ModerationAction, Nomination, NominationStatus, Post, Thread
from .permissions import can_curate, is_forum_moderator

PAGE_SIZE = 50


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _run(request, action, success):
    try:
        action()
    except AccessError as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)


# --- Moderation queue ------------------------------------------------------------------------


def moderation_queue(request):
    _require(is_forum_moderator(request.user))
    queue = queries.moderation_queue(request.user)
    return TemplateResponse(
        request,
        "forums/admin/moderation_queue.html",
        {
            "threads": Paginator(queue.threads, PAGE_SIZE).get_page(request.GET.get("p")),
            "posts": Paginator(queue.posts, PAGE_SIZE).get_page(request.GET.get("pp")),
            "boards": Board.objects.select_related("space").order_by("space", "sort_order"),
            "groups": Group.objects.order_by("name"),
            "log": ModerationAction.objects.select_related("actor", "target_user")[:20],
        },
    )


def _item(kind, pk):
    models = {"thread": Thread.objects, "post": Post.objects.select_related("thread")}
    item = models[kind].filter(pk=pk).first() if kind in models else None
    if item is None:
        raise Http404
    return item


def _thread_of(item):
    return item if isinstance(item, Thread) else item.thread


@require_POST
def moderate(request, kind, pk):
    """One moderation action on a thread or a reply: ``action`` is hide, restore, dismiss,
    lock, unlock, move or ban (the author, from the space or the item's group)."""
    _require(is_forum_moderator(request.user))
    item = _item(kind, pk)
    user, data = request.user, request.POST
    action, reason = data.get("action"), data.get("reason", "")
    thread = _thread_of(item)
    if action == "hide":
        _run(request, lambda: services.hide(user, item, reason=reason), _("Hidden."))
    elif action == "restore":
        _run(request, lambda: services.restore(user, item, reason=reason), _("Restored."))
    elif action == "dismiss":
        _run(
            request,
            lambda: services.dismiss_flags(user, item, reason=reason),
            _("Flags dismissed."),
        )
    elif action in ("lock", "unlock"):
        _run(
            request,
            lambda: services.lock(user, thread, locked=action == "lock", reason=reason),
            _("Locked.") if action == "lock" else _("Unlocked."),
        )
    elif action == "move":
        board = Board.objects.filter(pk=data.get("board") or None).first()
        group = Group.objects.filter(pk=data.get("group") or None).first()
        _run(
            request,
            lambda: services.move(user, thread, board=board, group=group, reason=reason),
            _("Moved."),
        )
    elif action == "ban":
        if item.author is None:
            raise Http404
        if data.get("where") == "group" and thread.group_id:
            where = {"group": thread.group}
        else:
            where = {"space": thread.space}
        days = data.get("days", "")
        until = timezone.now() + timedelta(days=int(days)) if days.isdigit() else None
        _run(
            request,
            lambda: services.ban(user, item.author, until=until, reason=reason, **where),
            _("The author was banned."),
        )
    else:
        messages.error(request, _("Unknown action."))
    return redirect("forums_admin:moderation")


# --- Promotion review ------------------------------------------------------------------------


def review_queue(request):
    _require(can_curate(request.user))
    status = request.GET.get("status", NominationStatus.PENDING)
    if status not in NominationStatus.values:
        status = NominationStatus.PENDING
    page = Paginator(queries.nomination_queue(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("p")
    )
    return TemplateResponse(
        request,
        "forums/admin/review_queue.html",
        {"page_obj": page, "status": status, "statuses": NominationStatus.choices},
    )


@require_POST
def decide(request, pk):
    _require(can_curate(request.user))
    nomination = Nomination.objects.filter(pk=pk).first()
    if nomination is None:
        raise Http404
    reason = request.POST.get("reason", "")
    if request.POST.get("decision") == "promote":
        _run(
            request,
            lambda: services.promote(request.user, nomination, reason=reason),
            _("Promoted to the leadership forum."),
        )
    else:
        _run(
            request,
            lambda: services.decline(request.user, nomination, reason=reason),
            _("Nomination declined."),
        )
    return redirect("forums_admin:review")


@require_POST
def nominate(request):
    """An editor nominates a thread by its number (or its page address)."""
    _require(can_curate(request.user))
    number = request.POST.get("thread", "").rstrip("/").rsplit("/", 1)[-1]
    thread = queries.thread_for(request.user, number) if number.isdigit() else None
    if thread is None:
        messages.error(request, _("There is no thread with this number."))
    else:
        _run(
            request,
            lambda: services.nominate(request.user, thread, reason=request.POST.get("reason", "")),
            _("The thread was nominated for the leadership forum."),
        )
    return redirect("forums_admin:review")
