"""The forum moderators' screens in the Wagtail admin: the moderation queue (flagged and hidden
threads and replies) and the promotion review queue (nominations for the leadership forum).

Thin like every interface: each button is an entry in an actions table (its form, one service
call, its message); the service checks permission and writes the moderation log, and a refusal
(``DomainError``) comes back as a message.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from civic.core.admin_actions import Action, ActionTable, take_action
from reports import queries as report_queries
from reports import services as report_services
from reports.models import Comment

from . import queries, services
from .admin_forms import BanForm, MoveForm, ReasonForm
from .models import (
    Board,
    Group,
    ModerationAction,
    Nomination,
    NominationStatus,
    Post,
    SpaceKind,
    Thread,
)
from .permissions import can_curate, is_forum_moderator

PAGE_SIZE = 50


def _require(allowed):
    if not allowed:
        raise PermissionDenied


# --- Moderation queue ------------------------------------------------------------------------


def moderation_queue(request):
    _require(is_forum_moderator(request.user))
    queue = queries.moderation_queue(request.user)
    comments = report_queries.flagged_comments()
    return TemplateResponse(
        request,
        "forums/admin/moderation_queue.html",
        {
            "threads": Paginator(queue.threads, PAGE_SIZE).get_page(request.GET.get("p")),
            "posts": Paginator(queue.posts, PAGE_SIZE).get_page(request.GET.get("pp")),
            "comments": Paginator(comments, PAGE_SIZE).get_page(request.GET.get("pc")),
            "boards": Board.objects.select_related("space").order_by("space", "sort_order"),
            "groups": Group.objects.order_by("name"),
            "log": ModerationAction.objects.select_related("actor", "target_user")[:20],
        },
    )


def _item(kind, pk):
    models = {
        "thread": Thread.objects,
        "post": Post.objects.select_related("thread"),
        "comment": Comment.objects.select_related("author"),
    }
    item = models[kind].filter(pk=pk).first() if kind in models else None
    if item is None:
        raise Http404
    return item


def _thread_of(item):
    return item if isinstance(item, Thread) else item.thread


def _moderator(user, item):
    return is_forum_moderator(user)


def _curator(user, item):
    return can_curate(user)


def _action(name, form_class, run, success, allowed=_moderator):
    """An action of these screens: offered in any state, checked again by its service."""
    return Action(name, name, form_class, allowed, (), run, success)


def _with_reason(name, service, success, allowed=_moderator):
    """An action whose form is a reason alone: ``service(user, target, reason=...)``."""
    return _action(
        name,
        ReasonForm,
        lambda user, target, data: service(user, target, reason=data["reason"]),
        success,
        allowed,
    )


def _perform(request, action, target):
    if not action.allowed(request.user, target):
        raise PermissionDenied
    take_action(request, action, target, action.form_class(request.POST))


def _ban(user, item, data):
    """Ban the item's author from the item's group (when asked and it has one) or its space."""
    if item.author is None:
        raise Http404
    if isinstance(item, Comment):  # a comment on a report: barred from the public space
        where = {"space": services.space_of_kind(SpaceKind.PUBLIC)}
    elif data["where"] == "group" and _thread_of(item).group_id:
        where = {"group": _thread_of(item).group}
    else:
        where = {"space": _thread_of(item).space}
    until = timezone.now() + timedelta(days=data["days"]) if data["days"] is not None else None
    return services.ban(user, item.author, until=until, reason=data["reason"], **where)


MODERATION_ACTIONS = ActionTable(
    _with_reason("hide", services.hide, _("Hidden.")),
    _with_reason("restore", services.restore, _("Restored.")),
    _with_reason("dismiss", services.dismiss_flags, _("Flags dismissed.")),
    _action(
        "lock",
        ReasonForm,
        lambda user, item, data: services.lock(
            user, _thread_of(item), locked=True, reason=data["reason"]
        ),
        _("Locked."),
    ),
    _action(
        "unlock",
        ReasonForm,
        lambda user, item, data: services.lock(
            user, _thread_of(item), locked=False, reason=data["reason"]
        ),
        _("Unlocked."),
    ),
    _action(
        "move",
        MoveForm,
        lambda user, item, data: services.move(
            user, _thread_of(item), board=data["board"], group=data["group"], reason=data["reason"]
        ),
        _("Moved."),
    ),
    _action("ban", BanForm, _ban, _("The author was banned.")),
)


# Comments on reports, moderated here by the reports' services (the forums' rules, shared
# through civic.core.moderation).
COMMENT_ACTIONS = ActionTable(
    _with_reason(
        "hide",
        lambda user, item, reason: report_services.hide_comment(user, item.pk, reason=reason),
        _("Hidden."),
    ),
    _action(
        "restore",
        ReasonForm,
        lambda user, item, data: report_services.restore_comment(user, item.pk),
        _("Restored."),
    ),
    _action(
        "dismiss",
        ReasonForm,
        lambda user, item, data: report_services.restore_comment(user, item.pk),
        _("Flags dismissed."),
    ),
    _action("ban", BanForm, _ban, _("The author was banned.")),
)


@require_POST
def moderate(request, kind, pk):
    """One moderation action on a thread, a reply or a comment on a report, named by
    ``action``: a key of ``MODERATION_ACTIONS`` (``COMMENT_ACTIONS`` for a comment)."""
    _require(is_forum_moderator(request.user))
    item = _item(kind, pk)
    table = COMMENT_ACTIONS if kind == "comment" else MODERATION_ACTIONS
    action = table.get(request.POST.get("action"))
    if action is None:
        messages.error(request, _("Unknown action."))
    else:
        _perform(request, action, item)
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


DECISIONS = ActionTable(
    _with_reason("promote", services.promote, _("Promoted to the leadership forum."), _curator),
    _with_reason("decline", services.decline, _("Nomination declined."), _curator),
)
NOMINATE = _with_reason(
    "nominate",
    services.nominate,
    _("The thread was nominated for the leadership forum."),
    _curator,
)


@require_POST
def decide(request, pk):
    """Promote the nomination (``decision=promote``) or decline it (any other decision)."""
    _require(can_curate(request.user))
    nomination = Nomination.objects.filter(pk=pk).first()
    if nomination is None:
        raise Http404
    decision = "promote" if request.POST.get("decision") == "promote" else "decline"
    _perform(request, DECISIONS.get(decision), nomination)
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
        _perform(request, NOMINATE, thread)
    return redirect("forums_admin:review")
