"""The portal's inbox and notification settings, under /notifications/. Thin over ``services``
and ``queries``, like the GraphQL schema."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic.accounts.services import update_profile
from civic.core.errors import DomainError

from . import queries, services
from .forms import PreferencesForm

PAGE_SIZE = 30


@login_required
def inbox(request):
    page = Paginator(
        queries.inbox_of(request.user).order_by(*queries.INBOX_ORDER), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "notifications/inbox.html",
        {"page": page, "unread": queries.unread_count(request.user)},
    )


@login_required
def open_notification(request, pk):
    """Mark one read and go where it points."""
    notification = get_object_or_404(queries.inbox_of(request.user), pk=pk)
    services.mark_read(request.user, [notification.pk])
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request):
    ids = [value for value in request.POST.getlist("id") if value.isdigit()]
    services.mark_read(request.user, ids)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(request.user)
    messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    form = PreferencesForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_preferences(
                request.user, kinds=form.kinds(), quiet_hours=form.quiet_hours()
            )
            update_profile(request.user, language=form.cleaned_data["language"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    return TemplateResponse(request, "notifications/preferences.html", {"form": form})
