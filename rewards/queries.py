"""Reads for rewards: the ledger, the catalogue a resident sees, levels and leaderboards."""

import bisect

from django.db.models import Q
from django.utils import timezone

from civic.core.text import search_text

from .models import Account, LedgerEntry, Redemption, RewardItem, Tally


def account_or_empty(user):
    return Account.objects.filter(user=user).first() or Account(user=user)


def ledger_of(user):
    return LedgerEntry.objects.filter(account__user=user)


def ledger_for_staff(q=""):
    """The ledger, newest first, of accounts whose email contains ``q`` (SearchTooLong beyond
    ``SEARCH_MAX_LENGTH``)."""
    entries = LedgerEntry.objects.select_related("account__user", "created_by").order_by(
        "-created_at", "-id"
    )
    q = search_text(q)
    if q:
        entries = entries.filter(account__user__email__icontains=q)
    return entries


def redemptions_of(user):
    return Redemption.objects.filter(user=user).select_related("item", "voucher_code")


def catalogue_for(user, now=None):
    """Active items in their window, for everyone or for the user's district."""
    now = now or timezone.now()
    items = RewardItem.objects.filter(is_active=True).filter(
        Q(available_from__isnull=True) | Q(available_from__lte=now),
        Q(available_until__isnull=True) | Q(available_until__gt=now),
    )
    home = getattr(user, "home_area", None) if getattr(user, "home_area_id", None) else None
    if home is None:
        return items.filter(district__isnull=True)
    ancestors = [home.path[:i] for i in range(home.steplen, len(home.path) + 1, home.steplen)]
    return items.filter(Q(district__isnull=True) | Q(district__path__in=ancestors))


def public_name(user, viewer=None):
    """How a leaderboard names someone: their own name to themselves; to others the first
    character of their display name and stars (a display name is shown only where its owner
    chose), or a neutral label."""
    if viewer is not None and viewer.pk == user.pk:
        return str(user)
    if user.chosen_name:
        return f"{user.chosen_name[0]}**"
    return user.public_name


def level_of(lifetime, thresholds):
    """(level, points needed for the next level or None, progress 0..1 towards it)."""
    level = bisect.bisect_right(thresholds, max(lifetime, 0))
    if level >= len(thresholds):
        return level, None, 1.0
    low, high = thresholds[level - 1], thresholds[level]
    return level, high, (max(lifetime, 0) - low) / (high - low)


def leaderboard(district, period, *, limit=20, now=None):
    """The top tallies of a period, in a district or (``district=None``) the whole city: a read
    of the top rows of one index."""
    from .services import period_start

    tallies = Tally.objects.filter(
        period=period, starts=period_start(period, now), points__gt=0
    ).select_related("account__user")
    if district is not None:
        tallies = tallies.filter(district=district)
    return list(tallies.order_by("-points", "account")[:limit])
