"""The portal's forum pages, under /forums/. Thin: they parse, ask ``queries`` what the viewer
may see and call ``services`` for every change. Whatever the viewer may not read (the
leadership space for residents, a private group for non-members) is a 404, never a 403, so its
existence does not leak either."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from civic.core.api.pagination import InvalidCursor, after_cursor, cursor_for
from civic.core.errors import AccessError, DomainError
from civic.core.text import SearchTooLong

from . import queries, services
from .forms import FlagForm, PostEditForm, ReasonForm, ReplyForm, ShareForm, ThreadForm, add_errors
from .models import MemberStatus, SpaceKind, Visibility
from .permissions import (
    can_curate,
    can_edit,
    can_enter_leadership,
    can_moderate_group,
    can_post_in,
    can_share_down,
)

PAGE_SIZE = 20
POSTS_PER_PAGE = 30
TABS = (
    ("new", gettext_lazy("New")),
    ("hot", gettext_lazy("Hot")),
    ("top_week", gettext_lazy("Top this week")),
)


def _keyset_page(queryset, ordering, cursor, size):
    """``(rows, next_cursor)``: the rows after ``cursor`` in ``ordering`` (the same keyset
    cursors as the API, so the "more" link stays an index range scan however deep)."""
    if cursor:
        try:
            queryset = after_cursor(queryset, ordering, cursor)
        except InvalidCursor as exc:
            raise BadRequest(exc.message) from None
    rows = list(queryset[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (cursor_for(rows[-1], ordering) if more else None)


def _attach_links(viewer, rows):
    """The promoted threads' links up, for those who may follow them (everyone sees the
    marker)."""
    queries.attach_links(rows)
    if not can_enter_leadership(viewer):
        for row in rows:
            row.linked_promoted_to = None


def _call(action):
    """Run a service call for a view: AccessError → 403; DomainError is re-raised for the view
    to show beside its form."""
    try:
        return action()
    except AccessError as exc:
        raise PermissionDenied(exc.message) from exc


def _space(request, slug):
    space = queries.space_by_slug(request.user, slug)
    if space is None:
        raise Http404
    return space


def _thread(request, pk):
    thread = queries.thread_for(request.user, pk)
    if thread is None:
        raise Http404
    return thread


def _post(request, pk):
    post = queries.post_for(request.user, pk)
    if post is None:
        raise Http404
    return post


def _group(request, slug):
    group = queries.group_by_slug(request.user, slug)
    if group is None:
        raise Http404
    return group


# --- Lists ---------------------------------------------------------------------------------


@require_GET
def index(request):
    spaces = list(queries.visible_spaces(request.user).prefetch_related("boards"))
    public = next((s for s in spaces if s.kind == SpaceKind.PUBLIC), None)
    hot = []
    if public is not None:
        hot = list(queries.threads(request.user, space=public, order="hot")[:10])
        _attach_links(request.user, hot)
    return render(
        request,
        "forums/index.html",
        {"spaces": spaces, "hot": hot, "groups": queries.groups_for(request.user)[:12]},
    )


def _list_page(request, *, space, board=None, group=None, extra=None):
    order = request.GET.get("order", "new")
    if order not in queries.THREAD_ORDERINGS:
        order = "new"
    tag = request.GET.get("tag", "").strip()
    rows, next_cursor = _keyset_page(
        queries.threads(request.user, space=space, board=board, group=group, tag=tag, order=order),
        queries.THREAD_ORDERINGS[order],
        request.GET.get("cursor"),
        PAGE_SIZE,
    )
    _attach_links(request.user, rows)
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "space": space,
        "board": board,
        "group": group,
        "threads": rows,
        "next_cursor": next_cursor,
        "query": query.urlencode(),
        "order": order,
        "tag": tag,
        "tabs": TABS,
        "boards": list(space.boards.all()),
        "can_post": can_post_in(request.user, space, group),
        **(extra or {}),
    }
    return render(request, "forums/group_detail.html" if group else "forums/threads.html", context)


@require_GET
def space_threads(request, slug):
    return _list_page(request, space=_space(request, slug))


@require_GET
def board_threads(request, slug, board):
    space = _space(request, slug)
    found = space.boards.filter(slug=board).first()
    if found is None:
        raise Http404
    return _list_page(request, space=space, board=found)


@require_GET
def search(request):
    text = request.GET.get("q", "").strip()
    try:
        found = queries.search_threads(request.user, text)
    except SearchTooLong as exc:
        # The form comes back with the text as typed and what is wrong with it.
        return render(
            request, "forums/search.html", {"q": text, "search_error": exc.message}, status=400
        )
    rows, next_cursor = _keyset_page(
        found, queries.THREAD_ORDERINGS["new"], request.GET.get("cursor"), PAGE_SIZE
    )
    _attach_links(request.user, rows)
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "forums/search.html",
        {"q": text, "threads": rows, "next_cursor": next_cursor, "query": query.urlencode()},
    )


# --- Threads -------------------------------------------------------------------------------


def _render_thread(request, thread, *, reply_form=None, status=200):
    user = request.user
    page = Paginator(queries.posts_of(user, thread), POSTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    posts = list(page.object_list)
    queries.attach_viewer_state(user, threads=[thread], posts=posts)
    for post in posts:
        post.can_edit = can_edit(user, post, thread)
        post.can_mark_official = (
            thread.is_leadership
            and thread.origin_id is not None
            and not post.official_response
            and can_enter_leadership(user)
            # Leaders mark their own replies; editors any leader's (the service checks whose).
            and (post.author_id == getattr(user, "pk", None) or can_curate(user))
        )
    can_reply = not thread.locked and can_post_in(user, thread.space, thread.group)
    nomination = thread.nominations.first() if can_curate(user) else None
    context = {
        "thread": thread,
        "page": page,
        "posts": posts,
        "links": queries.provenance_visible(user, thread),
        "official": queries.official_responses(thread) if thread.has_official_response else [],
        "can_edit": can_edit(user, thread, thread),
        "can_reply": can_reply,
        "reply_form": reply_form
        or (ReplyForm(initial={"client_request_id": uuid.uuid4().hex}) if can_reply else None),
        "can_nominate": can_curate(user) and not thread.is_leadership and nomination is None,
        "nomination": nomination,
        "can_share": can_share_down(user) and thread.is_leadership,
        "reason_form": ReasonForm(),
    }
    return render(request, "forums/thread.html", context, status=status)


@require_GET
def thread_detail(request, pk):
    thread = _thread(request, pk)
    if not request.GET.get("page"):  # a later page of replies is the same visit
        services.record_view(thread)
    return _render_thread(request, thread)


@login_required
def new_thread(request, slug):
    space = _space(request, slug)
    group = _group(request, request.GET["group"]) if request.GET.get("group") else None
    if not can_post_in(request.user, space, group):
        raise PermissionDenied
    boards = [] if group else list(space.boards.all())
    form = ThreadForm(
        request.POST or None,
        boards=boards,
        initial={"client_request_id": uuid.uuid4().hex, "board": request.GET.get("board")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = _report(request.user, data.get("report"))
            board = next((b for b in boards if b.pk == data.get("board")), None)
            thread = _call(
                lambda: services.create_thread(
                    request.user,
                    space=space,
                    board=board,
                    group=group,
                    title=data["title"],
                    body=data["body"],
                    tags=form.tag_list(),
                    report=report,
                    client_request_id=data["client_request_id"] or None,
                )
            )
        except DomainError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your thread was posted."))
            return redirect("forums:thread", pk=thread.pk)
    return render(
        request, "forums/thread_form.html", {"form": form, "space": space, "group": group}
    )


def _report(user, number):
    """The report to link, if the person may see it; a number they may not see reads as
    missing (it says nothing about reports they cannot see)."""
    if not number:
        return None
    from reports.permissions import can_see
    from reports.queries import report_by_id

    report = report_by_id(number)
    if report is None or not can_see(user, report):
        raise DomainError(_("There is no report with this number."), field="report")
    return report


@login_required
def edit_thread(request, pk):
    thread = _thread(request, pk)
    if not can_edit(request.user, thread, thread):
        raise PermissionDenied
    initial = {
        "title": thread.title,
        "body": thread.body,
        "tags": ", ".join(tag.name for tag in thread.tags.all()),
    }
    form = ThreadForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            _call(
                lambda: services.edit_thread(
                    request.user,
                    thread,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    tags=form.tag_list(),
                )
            )
        except DomainError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("forums:thread", pk=thread.pk)
    return render(
        request,
        "forums/thread_form.html",
        {"form": form, "space": thread.space, "group": thread.group, "thread": thread},
    )


def _act(request, thread, action, success):
    """A button's action on the thread page; refusals come back as messages."""
    try:
        _call(action)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if success:
            messages.success(request, success)
    return redirect("forums:thread", pk=thread.pk)


@login_required
@require_POST
def delete_thread(request, pk):
    thread = _thread(request, pk)
    try:
        _call(lambda: services.delete_thread(request.user, thread))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("forums:thread", pk=thread.pk)
    messages.success(request, _("The thread was deleted."))
    if thread.group_id:
        return redirect("forums:group", slug=thread.group.slug)
    return redirect("forums:space", slug=thread.space.slug)


@login_required
@require_POST
def reply(request, pk):
    thread = _thread(request, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            post = _call(
                lambda: services.reply(
                    request.user,
                    thread,
                    body=form.cleaned_data["body"],
                    client_request_id=form.cleaned_data["client_request_id"] or None,
                )
            )
        except DomainError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your reply was posted."))
            last = Paginator(queries.posts_of(request.user, thread), POSTS_PER_PAGE).num_pages
            return redirect(
                f"{reverse('forums:thread', args=[thread.pk])}?page={last}#post-{post.pk}"
            )
    return _render_thread(request, thread, reply_form=form, status=400)


@login_required
@require_POST
def like_thread(request, pk):
    thread = _thread(request, pk)
    on = request.POST.get("on") != "0"
    return _act(request, thread, lambda: services.react(request.user, thread, on=on), None)


@login_required
@require_POST
def like_post(request, pk):
    post = _post(request, pk)
    on = request.POST.get("on") != "0"
    return _act(request, post.thread, lambda: services.react(request.user, post, on=on), None)


@login_required
@require_POST
def follow(request, pk):
    thread = _thread(request, pk)
    on = request.POST.get("on") != "0"
    return _act(
        request,
        thread,
        lambda: services.follow(request.user, thread, on=on),
        _("You follow this thread.") if on else _("You no longer follow this thread."),
    )


def _flag(request, item, thread):
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _call(
                lambda: services.flag(
                    request.user,
                    item,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            )
        except DomainError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Thank you: the moderators will look at it."))
            return redirect("forums:thread", pk=thread.pk)
    return render(request, "forums/flag_form.html", {"form": form, "thread": thread, "item": item})


@login_required
def flag_thread(request, pk):
    thread = _thread(request, pk)
    return _flag(request, thread, thread)


@login_required
def flag_post(request, pk):
    post = _post(request, pk)
    return _flag(request, post, post.thread)


@login_required
def edit_post(request, pk):
    post = _post(request, pk)
    if not can_edit(request.user, post, post.thread):
        raise PermissionDenied
    form = PostEditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            _call(lambda: services.edit_post(request.user, post, body=form.cleaned_data["body"]))
        except DomainError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("forums:thread", pk=post.thread_id)
    return render(request, "forums/post_form.html", {"form": form, "post": post})


@login_required
@require_POST
def delete_post(request, pk):
    post = _post(request, pk)
    return _act(
        request,
        post.thread,
        lambda: services.delete_post(request.user, post),
        _("The reply was deleted."),
    )


@login_required
@require_POST
def nominate(request, pk):
    thread = _thread(request, pk)
    return _act(
        request,
        thread,
        lambda: services.nominate(request.user, thread, reason=request.POST.get("reason", "")),
        _("The thread was nominated for the leadership forum."),
    )


@login_required
@require_POST
def mark_official(request, pk):
    post = _post(request, pk)
    return _act(
        request,
        post.thread,
        lambda: services.mark_official_response(request.user, post),
        _("This reply is now the official response, shown on the public thread."),
    )


@login_required
def share_down(request, pk):
    thread = _thread(request, pk)
    if not (can_share_down(request.user) and thread.is_leadership):
        raise PermissionDenied
    form = ShareForm(request.POST or None, initial={"title": thread.title, "body": thread.body})
    if request.method == "POST" and form.is_valid():
        try:
            public = _call(
                lambda: services.share_down(
                    request.user,
                    thread,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            )
        except DomainError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The thread was shared to the public forum."))
            return redirect("forums:thread", pk=public.pk)
    return render(request, "forums/share_form.html", {"form": form, "thread": thread})


# --- Groups --------------------------------------------------------------------------------


@require_GET
def groups(request):
    page = Paginator(queries.groups_for(request.user), 50).get_page(request.GET.get("page"))
    mine = queries.memberships(request.user)
    rows = [(group, mine.get(group.pk)) for group in page.object_list]
    return render(request, "forums/groups.html", {"page": page, "rows": rows})


@require_GET
def group_detail(request, slug):
    group = _group(request, slug)
    user = request.user
    membership = queries.membership_of(user, group)
    moderates = can_moderate_group(user, group)
    return _list_page(
        request,
        space=group.space,
        group=group,
        extra={
            "membership": membership,
            "is_active_member": membership is not None and membership.status == MemberStatus.ACTIVE,
            "pending": list(queries.pending_members(user, group)) if moderates else [],
            "can_join": user.is_authenticated
            and membership is None
            and group.visibility != Visibility.PRIVATE,
        },
    )


def _group_act(request, group, action, success):
    try:
        _call(action)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("forums:group", slug=group.slug)


@login_required
@require_POST
def join_group(request, slug):
    group = _group(request, slug)
    closed = group.visibility == Visibility.CLOSED
    return _group_act(
        request,
        group,
        lambda: services.join_group(request.user, group),
        _("Your request was sent to the group's moderators.") if closed else _("You joined."),
    )


@login_required
@require_POST
def leave_group(request, slug):
    group = _group(request, slug)
    return _group_act(
        request, group, lambda: services.leave_group(request.user, group), _("You left the group.")
    )


@login_required
@require_POST
def decide_member(request, slug, pk):
    group = _group(request, slug)
    if not can_moderate_group(request.user, group):
        raise PermissionDenied
    membership = queries.pending_members(request.user, group).filter(pk=pk).first()
    if membership is None:
        raise Http404
    if request.POST.get("decision") == "approve":
        action, success = services.approve_member, _("The member was approved.")
    else:
        action, success = services.decline_member, _("The request was declined.")
    return _group_act(request, group, lambda: action(request.user, membership), success)
