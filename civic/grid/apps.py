from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "civic.grid"
    label = "grid"
    verbose_name = _("Grid workers")

    def ready(self):
        from . import receivers

        receivers.connect()
