from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    label = "forums"
    verbose_name = _("Forums")

    def ready(self):
        from . import receivers  # noqa: F401
