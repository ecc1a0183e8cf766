from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "civic.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from . import receivers  # noqa: F401
