"""The portal's inbox and notification settings, under /notifications/. Thin over ``services``
and ``queries``, like the GraphQL schema."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civic.accounts.services import update_profile
from civic.core.errors import DomainError
from civic.core.tiles import tile_settings

from . import queries, services
from .forms import AreaAlertForm, PreferencesForm

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


def _add_alert(user, form):
    data = form.cleaned_data
    if data["where"] == "community":
        if user.home_area is None:
            raise services.AreaAlertInvalid(
                _("Choose your community in your profile first, or watch a point."),
                field="where",
            )
        return services.create_area_alert(user, area=user.home_area, delivery=data["delivery"])
    return services.create_area_alert(
        user,
        lat=data["lat"],
        lon=data["lon"],
        radius_m=data["radius_m"],
        delivery=data["delivery"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def alerts(request):
    """The resident's area alerts: the list, adding one (my community or a circle on the map,
    pushed, in the inbox or in a daily email) and deleting one."""
    form = AreaAlertForm(request.POST if "add" in request.POST else None)
    if request.method == "POST" and "delete" in request.POST:
        services.delete_area_alert(request.user, request.POST.get("delete"))
        messages.success(request, _("You no longer watch that place."))
        return redirect("notifications:alerts")
    if form.is_bound and form.is_valid():
        try:
            _add_alert(request.user, form)
        except DomainError as exc:
            for error in exc.errors:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("You now watch this place."))
            return redirect("notifications:alerts")
    return TemplateResponse(
        request,
        "notifications/alerts.html",
        {
            "form": form,
            "alerts": queries.area_alerts_of(request.user),
            "map": tile_settings(),
        },
    )
