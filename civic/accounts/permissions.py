"""Who may do what, by role. Every interface (GraphQL, portal, admin) asks here.

Checks on a scope (a department's reports, a district's pages) live in the app owning the scope
and build on these.
"""

from civic.errors import Forbidden, NotAuthenticated

from .roles import ACCESS_ADMIN, Role


class _System:
    """The platform itself acting: management commands, scheduled jobs, demo data.

    Passed explicitly as the actor so that a forgotten actor (None) is never mistaken for it.
    """

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None

    def has_perm(self, perm, obj=None):
        return True

    def __str__(self):
        return "system"


SYSTEM = _System()


def role_names(user) -> frozenset[str]:
    """The user's role groups, read once per user object."""
    if user is SYSTEM:
        return frozenset(Role.values)
    if not user or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_civic_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._civic_role_names = cached
    return cached


def has_role(user, role: Role) -> bool:
    return role.value in role_names(user)


def is_platform_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active) and (
        user.is_superuser or has_role(user, Role.ADMIN)
    )


def is_staff_member(user) -> bool:
    return has_role(user, Role.STAFF) or is_platform_admin(user)


def is_editor(user) -> bool:
    return has_role(user, Role.EDITOR) or is_platform_admin(user)


def is_leader(user) -> bool:
    return has_role(user, Role.LEADER)


def can_access_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active) and user.has_perm(ACCESS_ADMIN)


def can_manage_core(user) -> bool:
    """Areas, departments and memberships: platform admins only."""
    return is_platform_admin(user)


def require_signed_in(user):
    if not user or not user.is_authenticated or not user.is_active:
        raise NotAuthenticated()
    return user


def require(allowed: bool, message=None):
    if not allowed:
        raise Forbidden(message)
