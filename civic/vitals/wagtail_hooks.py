"""The vital signs in the Wagtail admin: the leadership screen for leaders, staff and admins;
indicators, sensors and API keys for platform admins; the warnings for whoever may see them."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from civic.admin_menu import PermittedMenuItem
from civic.core.permissions import RulePermissionPolicy

from . import admin_views
from .models import Indicator, Sensor, Warning
from .permissions import can_manage_vitals, can_see_vitals, vitals_scope


class ManagedPolicy(RulePermissionPolicy):
    """Platform admins only, looking as well as changing."""

    def __init__(self, model):
        super().__init__(model, may_change=can_manage_vitals)

    def user_has_permission(self, user, action):
        return can_manage_vitals(user)


for _model in (Indicator, Sensor):
    register_permission_policy(_model, ManagedPolicy(_model))


class WarningPolicy(BasePermissionPolicy):
    """Those with a scope look (at their warnings only: the viewset's queryset); nobody edits
    a warning by hand — its services do."""

    def user_has_permission(self, user, action):
        return action == "view" and can_see_vitals(user)


register_permission_policy(Warning, WarningPolicy(Warning))


class NoGroupPermissions:
    def get_permissions_to_register(self):
        # The policies ask permissions.py, not model permissions: none to grant to groups.
        return Permission.objects.none()


class IndicatorViewSet(NoGroupPermissions, ModelViewSet):
    model = Indicator
    icon = "pick"
    menu_label = _("Indicators")
    list_display = ["__str__", "domain", "scope", "source", "is_active"]
    list_filter = ["domain", "source", "is_active"]
    search_fields = ["name", "name_en", "code"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel(name) for name in ("code", "name", "name_en", "domain", "unit")],
                heading=_("Indicator"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel(name)
                    for name in (
                        "scope",
                        "departments",
                        "source",
                        "figure",
                        "category",
                        "measure",
                        "window_minutes",
                    )
                ],
                heading=_("What it reads"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel(name)
                    for name in (
                        "direction",
                        "threshold_4",
                        "threshold_3",
                        "threshold_2",
                        "threshold_1",
                        "hysteresis",
                        "escalate_after_minutes",
                        "is_active",
                    )
                ],
                heading=_("Thresholds"),
            ),
        ]
    )


class SensorViewSet(NoGroupPermissions, ModelViewSet):
    model = Sensor
    icon = "site"
    menu_label = _("Sensors")
    list_display = ["__str__", "measure", "unit", "area", "is_active"]
    list_filter = ["measure", "is_active"]
    search_fields = ["code", "name"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = [
        "code",
        "name",
        "measure",
        "unit",
        "area",
        "lat",
        "lon",
        "source_key",
        "is_active",
    ]


class WarningViewSet(NoGroupPermissions, ModelViewSet):
    model = Warning
    icon = "warning"
    menu_label = _("Warnings")
    list_display = [
        TitleColumn(
            "indicator",
            label=_("Warning"),
            get_url=lambda warning: reverse("vitals_admin:warning", args=[warning.pk]),
        ),
        "area",
        "state",
        "level",
        "value",
        "opened_at",
    ]
    list_filter = ["state", "level"]
    add_view_enabled = False
    edit_view_enabled = False
    copy_view_enabled = False
    delete_view_enabled = False
    inspect_view_enabled = False
    ordering = ["state", "level", "-opened_at"]
    form_fields = []  # no form: the warning's services change it (admin_views.WarningView)

    def get_queryset(self, request):
        scope = vitals_scope(request.user)
        if scope is None:
            return Warning.objects.none()
        return Warning.objects.filter(scope.q()).distinct().select_related("indicator")


VIEWSETS = [
    IndicatorViewSet("vitals_indicators", url_prefix="vitals/indicators"),
    SensorViewSet("vitals_sensors", url_prefix="vitals/sensors"),
    WarningViewSet("vitals_warnings", url_prefix="vitals/warnings"),
]


@hooks.register("register_admin_viewset")
def register_vitals_viewsets():
    return VIEWSETS


@hooks.register("register_admin_urls")
def register_vitals_urls():
    urls = [
        path("", admin_views.ScreenView.as_view(), name="screen"),
        path("screen.json", admin_views.screen_json, name="screen_json"),
        path("warning/<int:pk>/", admin_views.WarningView.as_view(), name="warning"),
        path("import/", admin_views.CsvImportView.as_view(), name="import"),
        path("keys/", admin_views.KeysView.as_view(), name="keys"),
        path("keys/<int:pk>/revoke/", admin_views.RevokeKeyView.as_view(), name="revoke_key"),
    ]
    return [path("vital-signs/", include((urls, "vitals_admin"), namespace="vitals_admin"))]


@hooks.register("register_admin_menu_item")
def register_vitals_menu():
    items = [
        PermittedMenuItem(
            _("Vital signs screen"),
            reverse("vitals_admin:screen"),
            icon_name="pick",
            order=100,
            check=can_see_vitals,
        ),
        PermittedMenuItem(
            _("Warnings"),
            reverse("vitals_warnings:index"),
            icon_name="warning",
            order=200,
            check=can_see_vitals,
        ),
        PermittedMenuItem(
            _("Indicators"),
            reverse("vitals_indicators:index"),
            icon_name="list-ul",
            order=300,
            check=can_manage_vitals,
        ),
        PermittedMenuItem(
            _("Sensors"),
            reverse("vitals_sensors:index"),
            icon_name="site",
            order=400,
            check=can_manage_vitals,
        ),
        PermittedMenuItem(
            _("Sensor API keys"),
            reverse("vitals_admin:keys"),
            icon_name="key",
            order=500,
            check=can_manage_vitals,
        ),
        PermittedMenuItem(
            _("Import readings"),
            reverse("vitals_admin:import"),
            icon_name="upload",
            order=600,
            check=can_manage_vitals,
        ),
    ]
    return SubmenuMenuItem(
        _("City vital signs"),
        Menu(items=items),
        icon_name="pick",
        order=155,
        classname="vitals-menu",
    )
