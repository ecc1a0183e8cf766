from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from civic.admin_menu import PermittedMenuItem

from . import admin_views
from .permissions import can_see_statistics


@hooks.register("register_admin_urls")
def register_operations_urls():
    urls = [
        path("", admin_views.DashboardView.as_view(), name="dashboard"),
        path("export/<slug:name>.<slug:fmt>", admin_views.export_table, name="export"),
        path("monthly/", admin_views.MonthlyReportView.as_view(), name="monthly"),
    ]
    return [path("operations/", include((urls, "operations_admin"), namespace="operations_admin"))]


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return PermittedMenuItem(
        _("Operations centre"),
        reverse("operations_admin:dashboard"),
        icon_name="table",
        order=150,
        check=can_see_statistics,
    )
