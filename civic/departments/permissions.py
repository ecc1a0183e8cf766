"""Department-scoped checks: who may act for which department."""

from civic.core.permissions import is_platform_admin

from .models import MemberRole


def department_roles(user):
    """``{department_id: {role, ...}}`` for the user, read once per user object."""
    if not user or not user.is_authenticated or user.pk is None:
        return {}
    cached = getattr(user, "_civic_department_roles", None)
    if cached is None:
        cached = {}
        for department_id, role in user.department_memberships.values_list("department_id", "role"):
            cached.setdefault(department_id, set()).add(role)
        user._civic_department_roles = cached
    return cached


def is_member(user, department, roles=None) -> bool:
    held = department_roles(user).get(department.pk, set())
    return bool(held if roles is None else held & set(roles))


def can_act_for(user, department) -> bool:
    """Staff of the department, or a platform admin."""
    return is_platform_admin(user) or is_member(user, department)


def can_supervise(user, department) -> bool:
    return is_platform_admin(user) or is_member(user, department, [MemberRole.SUPERVISOR])
