"""The permission basics every app's rules build on: the platform acting as itself, the
refusals, the role checks, and the Wagtail permission policies that ask the services' own rules.

Which model permissions each role's group holds is ``civic.accounts.roles``; checks on a scope
(a department's reports, a district's pages) live in the app owning the scope.
"""

from wagtail.permission_policies import ModelPermissionPolicy

from civic.core.roles import ACCESS_ADMIN, Role

from .errors import Forbidden, NotAuthenticated

CHANGING_ACTIONS = frozenset({"add", "change", "delete"})


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


def person(actor):
    """The user to record as having acted (an author, ``handled_by``): None for the platform."""
    return None if actor is SYSTEM else actor


def require_signed_in(user):
    if not user or not user.is_authenticated or not user.is_active:
        raise NotAuthenticated()
    return user


def require(allowed: bool, message=None):
    if not allowed:
        raise Forbidden(message)


class RulePermissionPolicy(ModelPermissionPolicy):
    """Anyone with the view permission may look; only those ``may_change`` allows add, change
    or delete — the rule the model's services check — so the admin's buttons and views never
    offer what the service would refuse (a model permission granted by hand grants nothing)."""

    def __init__(self, model, *, may_change, **kwargs):
        super().__init__(model, **kwargs)
        self.may_change = may_change

    def user_has_permission(self, user, action):
        if action in CHANGING_ACTIONS:
            return self.may_change(user)
        return super().user_has_permission(user, action)


def core_model_policy(model):
    """Areas, departments and their memberships: anyone with the view permission may look,
    platform admins change them."""
    return RulePermissionPolicy(model, may_change=can_manage_core)


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Screens of what the platform writes itself (the notification outbox): the view
    permission as granted, and nobody — a superuser neither — adds, changes or deletes by hand.
    Their viewsets register no such views, so the admin must offer no button for them."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)
