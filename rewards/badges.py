"""Badges for milestones, awarded once each (a unique row per user and badge)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .events import badge_earned
from .models import BadgeAward, Rule


@dataclass(frozen=True)
class Badge:
    code: str
    name: str
    description: str
    rule: str  # the ledger rule whose entries count
    needed: int


BADGES = [
    Badge(
        "first_report",
        _("First report"),
        _("A report of yours was accepted."),
        Rule.REPORT_ACCEPTED,
        1,
    ),
    Badge(
        "ten_resolved",
        _("Ten fixed"),
        _("Ten of your reports were resolved."),
        Rule.REPORT_RESOLVED,
        10,
    ),
    Badge(
        "first_supporter",
        _("Good neighbour"),
        _("A report you supported was accepted."),
        Rule.SUPPORT_ACCEPTED,
        1,
    ),
    Badge(
        "first_promoted_thread",
        _("Heard by leaders"),
        _("A thread of yours was promoted to the leadership space."),
        Rule.THREAD_PROMOTED,
        1,
    ),
    Badge(
        "first_redemption",
        _("First reward"),
        _("You redeemed your first reward."),
        Rule.REDEMPTION,
        1,
    ),
]
BADGES_BY_CODE = {badge.code: badge for badge in BADGES}


def award_badges(user):
    """Award every badge whose milestone the user has reached. Safe to call any number of
    times: each badge is one unique row."""
    from django.db.models import Count

    from .models import LedgerEntry

    have = set(BadgeAward.objects.filter(user=user).values_list("code", flat=True))
    missing = [badge for badge in BADGES if badge.code not in have]
    if not missing:
        return []
    counts = dict(
        LedgerEntry.objects.filter(account__user=user, rule__in={b.rule for b in missing})
        .values_list("rule")
        .annotate(n=Count("id"))
        .values_list("rule", "n")
    )
    earned = [badge for badge in missing if counts.get(badge.rule, 0) >= badge.needed]
    BadgeAward.objects.bulk_create(
        [BadgeAward(user=user, code=badge.code) for badge in earned], ignore_conflicts=True
    )
    for badge in earned:
        transaction.on_commit(
            lambda badge=badge: badge_earned.send(sender=BadgeAward, user=user, badge=badge)
        )
    return earned
