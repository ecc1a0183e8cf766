from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civic.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import backends
        from .roles import sync_role_groups

        backends.connect()
        post_migrate.connect(sync_role_groups, dispatch_uid="civic.accounts.sync_roles")
