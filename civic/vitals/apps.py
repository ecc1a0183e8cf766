from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VitalsConfig(AppConfig):
    name = "civic.vitals"
    label = "vitals"
    verbose_name = _("City vital signs")
    default_auto_field = "django.db.models.BigAutoField"
