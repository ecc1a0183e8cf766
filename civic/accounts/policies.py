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


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Screens of what the platform writes itself (the notification outbox): the view
    permission as granted, and nobody — a superuser neither — adds, changes or deletes by hand.
    Their viewsets register no such views, so the admin must offer no button for them."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)
