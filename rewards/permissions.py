"""Who may run the rewards programme: platform admins, and anyone given the model permissions
(``rewards.adjust_points``, ``rewards.fulfil_redemption``, ``rewards.change_rewarditem``)."""

from civic.core.permissions import is_platform_admin


def _has(user, perm):
    return bool(user and user.is_authenticated and user.is_active) and (
        is_platform_admin(user) or user.has_perm(perm)
    )


def can_adjust(user):
    return _has(user, "rewards.adjust_points")


def can_fulfil(user):
    return _has(user, "rewards.fulfil_redemption")


def can_manage_catalogue(user):
    return _has(user, "rewards.change_rewarditem")


def can_view_ledger(user):
    return _has(user, "rewards.view_ledgerentry") or can_adjust(user)
