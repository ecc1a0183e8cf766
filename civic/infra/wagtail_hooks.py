from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from civic.admin_menu import PermittedMenuItem
from civic.core.permissions import is_platform_admin

from . import admin_views


@hooks.register("register_admin_urls")
def register_infra_urls():
    urls = [
        path("", admin_views.failed_jobs, name="failed_jobs"),
        path("<str:job_id>/", admin_views.act_on_failed_job, name="act_on_failed_job"),
    ]
    return [path("failed-jobs/", include((urls, "infra_admin"), namespace="infra_admin"))]


@hooks.register("register_settings_menu_item")
def register_failed_jobs_menu_item():
    return PermittedMenuItem(
        _("Failed jobs"),
        reverse("infra_admin:failed_jobs"),
        icon_name="warning",
        order=900,
        check=is_platform_admin,
    )
