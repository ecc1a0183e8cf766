from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from civic.admin_menu import PermittedMenuItem
from civic.core.admin_views import ServiceErrorsMixin, ServiceModelForm
from civic.core.permissions import RulePermissionPolicy

from . import admin_views, services
from .models import DatasetRequest
from .permissions import can_handle_dataset_requests, can_see_statistics


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


register_permission_policy(
    DatasetRequest, RulePermissionPolicy(DatasetRequest, may_change=can_handle_dataset_requests)
)


class DatasetRequestForm(ServiceModelForm):
    update_service = staticmethod(services.answer_dataset_request)


class DatasetRequestEditView(ServiceErrorsMixin, generic.EditView):
    pass


class DatasetRequestViewSet(ModelViewSet):
    """Requests for datasets, answered by platform admins (staff track them like reports)."""

    model = DatasetRequest
    icon = "help"
    menu_label = _("Dataset requests")
    menu_order = 160
    add_to_admin_menu = True
    add_view_enabled = False
    edit_view_class = DatasetRequestEditView
    inspect_view_enabled = True
    inspect_view_fields = ["subject", "description", "email", "state", "response", "created_at"]
    list_display = ["subject", "state", "created_at"]
    list_filter = ["state"]
    search_fields = ["subject", "description"]
    search_backend_name = None
    ordering = ["-created_at"]
    edit_handler = ObjectList(
        [FieldPanel("state"), FieldPanel("response")], base_form_class=DatasetRequestForm
    )


@hooks.register("register_admin_viewset")
def register_dataset_requests():
    return DatasetRequestViewSet("dataset_request_admin", url_prefix="dataset-requests")
