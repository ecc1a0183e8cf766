"""The portal's rewards pages: my points, the catalogue with a redeem button, the leaderboard.
Thin over ``services`` and ``queries``, like the GraphQL schema."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from civic.areas.models import Area, AreaKind
from civic.core.errors import DomainError

from . import queries, services
from .badges import BADGES_BY_CODE
from .models import BadgeAward, Period, RewardItem


@login_required
def my_points(request):
    account = queries.account_or_empty(request.user)
    level, next_at, progress = queries.level_of(
        account.lifetime_earned, services.rules().thresholds()
    )
    badges = [
        (BADGES_BY_CODE[award.code], award.awarded_at)
        for award in BadgeAward.objects.filter(user=request.user).order_by("awarded_at")
        if award.code in BADGES_BY_CODE
    ]
    return TemplateResponse(
        request,
        "rewards/my_points.html",
        {
            "account": account,
            "level": level,
            "next_at": next_at,
            "progress_percent": round(progress * 100),
            "entries": queries.ledger_of(request.user).order_by("-created_at", "-id")[:50],
            "redemptions": queries.redemptions_of(request.user).order_by("-created_at")[:20],
            "badges": badges,
        },
    )


@login_required
def catalogue(request):
    return TemplateResponse(
        request,
        "rewards/catalogue.html",
        {
            "items": queries.catalogue_for(request.user).select_related("image"),
            "balance": queries.account_or_empty(request.user).balance,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def redeem(request, pk):
    """GET asks to confirm (what it costs, what is left after); POST redeems."""
    item = get_object_or_404(RewardItem, pk=pk)
    if request.method == "GET":
        balance = queries.account_or_empty(request.user).balance
        return TemplateResponse(
            request,
            "rewards/redeem_confirm.html",
            {
                "item": item,
                "balance": balance,
                "balance_after": balance - item.cost,
                "affordable": item.cost <= balance and item.stock != 0,
                # One ID per confirmation: a double click or a resent form redeems once.
                "client_request_id": uuid.uuid4(),
            },
        )
    try:
        redemption = services.redeem(request.user, item, request.POST.get("client_request_id", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("rewards:catalogue")
    if redemption.voucher:
        messages.success(
            request,
            _("Redeemed. Your code: %(code)s") % {"code": redemption.voucher.code},
        )
    else:
        messages.success(request, _("Redeemed. We will let you know when it is ready."))
    return redirect("rewards:my_points")


def leaderboard(request):
    districts = list(Area.objects.filter(kind=AreaKind.DISTRICT).order_by("code"))
    chosen = next((d for d in districts if d.code == request.GET.get("district")), None)
    period = request.GET.get("period")
    period = period if period in Period.values else Period.MONTH
    return TemplateResponse(
        request,
        "rewards/leaderboard.html",
        {
            "districts": districts,
            "chosen": chosen,
            "period": period,
            "periods": Period.choices,
            "rows": [
                (queries.public_name(t.account.user, request.user), t.points)
                for t in queries.leaderboard(chosen, period, limit=50)
            ],
        },
    )
