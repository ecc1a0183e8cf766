from wagtail.users.apps import WagtailUsersAppConfig


class CivicUsersAppConfig(WagtailUsersAppConfig):
    """Installed in place of ``wagtail.users`` so that its user admin edits profile fields."""

    user_viewset = "civic.accounts.viewsets.UserViewSet"
