"""Admin views beside the catalogue viewset: thin, like every interface, over ``services``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic.core.errors import DomainError
from civic.core.text import SearchTooLong

from . import permissions, queries, services
from .admin_forms import AdjustForm, CancelForm, ImportCodesForm
from .models import LedgerEntry, Redemption, RedemptionStatus, RewardItem


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def queue(request):
    _require(permissions.can_fulfil(request.user))
    status = request.GET.get("status", RedemptionStatus.PENDING)
    redemptions = (
        Redemption.objects.filter(status=status)
        .select_related("user", "item", "voucher_code")
        .order_by("created_at", "id")
    )
    page = Paginator(redemptions, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "rewards/admin/queue.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": RedemptionStatus.choices,
            "cancel_form": CancelForm(),
        },
    )


@require_POST
def fulfil(request, pk):
    _require(permissions.can_fulfil(request.user))
    redemption = get_object_or_404(Redemption, pk=pk)
    try:
        services.fulfil(request.user, redemption, note=request.POST.get("note", ""))
        messages.success(request, _("Marked as fulfilled."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("rewards_admin:queue")


@require_POST
def cancel(request, pk):
    _require(permissions.can_fulfil(request.user))
    redemption = get_object_or_404(Redemption, pk=pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for cancelling."))
        return redirect("rewards_admin:queue")
    try:
        services.cancel(request.user, redemption, reason=form.cleaned_data["reason"])
        messages.success(request, _("Cancelled; the points were refunded."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("rewards_admin:queue")


def ledger(request):
    _require(permissions.can_view_ledger(request.user))
    try:
        entries = queries.ledger_for_staff(request.GET.get("q", ""))
    except SearchTooLong as exc:
        messages.error(request, exc.message)
        entries = LedgerEntry.objects.none()
    page = Paginator(entries, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "rewards/admin/ledger.html",
        {
            "page_obj": page,
            "q": request.GET.get("q", ""),
            "can_adjust": permissions.can_adjust(request.user),
        },
    )


def adjust(request):
    _require(permissions.can_adjust(request.user))
    form = AdjustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.adjust(
                request.user,
                form.user,
                form.cleaned_data["amount"],
                form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The adjustment was recorded."))
            return redirect("rewards_admin:ledger")
    return TemplateResponse(request, "rewards/admin/adjust.html", {"form": form})


def import_codes(request, pk):
    _require(permissions.can_manage_catalogue(request.user))
    item = get_object_or_404(RewardItem, pk=pk)
    form = ImportCodesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        added, skipped = services.import_codes(request.user, item, form.text())
        messages.success(
            request,
            _("%(added)s codes added, %(skipped)s skipped.") % {"added": added, "skipped": skipped},
        )
        return redirect("rewards_admin:import_codes", pk=item.pk)
    free = item.codes.filter(redemption__isnull=True).count()
    return TemplateResponse(
        request,
        "rewards/admin/import_codes.html",
        {"form": form, "item": item, "free": free, "total": item.codes.count()},
    )
