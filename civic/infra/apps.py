from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfraConfig(AppConfig):
    name = "civic.infra"
    label = "infra"
    verbose_name = _("Running the platform")
