from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "civic.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from . import image_library, receivers  # noqa: F401

        image_library.connect()
