"""Wagtail permission policies that ask the same rules the services enforce."""

from wagtail.permission_policies import ModelPermissionPolicy

from .permissions import can_manage_core

CHANGING_ACTIONS = {"add", "change", "delete"}


class CoreModelPermissionPolicy(ModelPermissionPolicy):
    """Areas, departments and memberships: anyone with the view permission may look, only
    those ``can_manage_core`` allows may change — the rule the services check — so the admin's
    buttons and views never offer what the service would refuse, nor allow what it would not
    (a model permission granted by hand grants nothing here)."""

    def user_has_permission(self, user, action):
        if action in CHANGING_ACTIONS:
            return can_manage_core(user)
        return super().user_has_permission(user, action)
