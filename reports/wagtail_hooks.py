"""The reports app in the Wagtail admin: one "Resident reports" menu holding the staff's work
queue and the platform admins' configuration (categories with their questions, routing rules,
response templates).

Why one menu rather than the "City" menu for categories and routing: the City menu holds the
city's structure (areas, departments) that every app builds on; categories, their routing and
the replies staff send are how the reports app works, so they sit with the queue they shape,
where an admin tuning them also sees their effect.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.admin_url_finder import register_admin_url_finder
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from civic.areas.fields import AreaChoiceField, areas_of_kinds
from civic.areas.models import Area, AreaKind
from civic.core.admin_search import LimitedSearchMixin
from civic.core.admin_views import ServiceDeleteView, ServiceErrorsMixin, ServiceModelForm
from civic.core.permissions import can_manage_core, core_model_policy
from civic.core.roles import Role

from . import queries, services
from .admin_views import (
    QUEUE,
    AcceptBulkAction,
    AssignBulkAction,
    CommentActionView,
    HotlineCallView,
    ReportActionView,
    ReportDetailView,
    ReportQueueView,
)
from .admin_views.follow_ups import FOLLOW_UPS, FollowUpIndexView
from .admin_views.smart_intake import SMART_INTAKE, SmartIntakeView
from .models import Category, FollowUp, Report, ResponseTemplate, RoutingRule
from .permissions import can_open_follow_ups, can_open_queue, can_see_staff_details

# --- Permissions ---------------------------------------------------------------------------------


class ReportQueuePolicy(BasePermissionPolicy):
    """Staff of any department (and platform admins) open the queue; a report's page opens for
    those ``can_see_staff_details`` allows. Nobody adds, edits or deletes reports here: they
    change only through the services' actions."""

    def user_has_permission(self, user, action):
        return action == "view" and can_open_queue(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return action == "view" and can_see_staff_details(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if "view" not in actions:
            return Report.objects.none()
        return queries.staff_queue(user)

    def users_with_any_permission(self, actions):
        User = get_user_model()
        if "view" not in actions:
            return User.objects.none()
        return User.objects.filter(
            Q(department_memberships__isnull=False)
            | Q(groups__name=Role.ADMIN.value)
            | Q(is_superuser=True),
            is_active=True,
        ).distinct()


register_permission_policy(Report, ReportQueuePolicy(Report))


class FollowUpPolicy(BasePermissionPolicy):
    """Supervisors list the calls their departments owe (``queries.follow_ups_for`` narrows
    the list); the calls are recorded on the report's page, through the services."""

    def user_has_permission(self, user, action):
        return action == "view" and can_open_follow_ups(user)

    def instances_user_has_any_permission_for(self, user, actions):
        if "view" not in actions:
            return FollowUp.objects.none()
        return queries.follow_ups_for(user)


register_permission_policy(FollowUp, FollowUpPolicy(FollowUp))
for _model in (Category, RoutingRule, ResponseTemplate):
    # Anyone with the view permission may look; only platform admins change them.
    register_permission_policy(_model, core_model_policy(_model))


class ReportURLFinder:
    """Where the admin links a report to (its page in the queue), for those who may open it."""

    def __init__(self, user=None):
        self.user = user

    def get_edit_url(self, instance):
        if self.user is None or can_see_staff_details(self.user, instance):
            return reverse(f"{QUEUE}:inspect", args=[instance.pk])
        return None


# --- The work queue ------------------------------------------------------------------------------


class ReportQueueViewSet(ModelViewSet):
    model = Report
    icon = "tasks"
    menu_label = _("Work queue")
    menu_name = "work-queue"
    menu_order = 1
    index_view_class = ReportQueueView
    inspect_view_class = ReportDetailView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    list_per_page = 50

    def get_urlpatterns(self):
        # Only the queue, a report's page, its actions and comments, and the hotline form:
        # reports are never added, edited or deleted through generic forms.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/act/<slug:action>/", ReportActionView.as_view(), name="act"),
            path(
                "<int:pk>/comments/<int:comment_id>/<slug:action>/",
                CommentActionView.as_view(),
                name="comment",
            ),
            path("hotline/", HotlineCallView.as_view(), name="hotline"),
        ]

    def get_permissions_to_register(self):
        # The policy asks permissions.py, not model permissions: none to grant to groups (a
        # queryset: Wagtail's group form unions every viewset's).
        return Permission.objects.none()

    def register_admin_url_finder(self):
        register_admin_url_finder(Report, ReportURLFinder)


# --- Configuration: platform admins edit, staff may look -----------------------------------------


class CategoryIndexView(LimitedSearchMixin, generic.IndexView):
    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column(
                "name",
                label=_("Name"),
                accessor="localized_name",
                get_url=lambda obj: self.get_edit_url(obj) or self.get_inspect_url(obj),
                sort_key="name",
            ),
            Column("service_code", label=_("Service code"), sort_key="service_code"),
            Column("group", label=_("Group"), accessor="localized_group", sort_key="group"),
            Column("default_department", label=_("Default department")),
            Column("accept_sla_hours", label=_("Hours to accept"), sort_key="accept_sla_hours"),
            Column("resolve_sla_hours", label=_("Hours to resolve"), sort_key="resolve_sla_hours"),
            BooleanColumn("is_active", label=_("Active"), sort_key="is_active"),
        ]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("default_department")


class CategoryForm(WagtailAdminModelForm):
    def save(self, commit=True):
        # The category with its questions, in memory: the service checks and saves them.
        self.instance = services.save_category(self.for_user, super().save(commit=False))
        return self.instance


class CategoryCreateView(ServiceErrorsMixin, generic.CreateView):
    pass


class CategoryEditView(ServiceErrorsMixin, generic.EditView):
    pass


class CategoryDeleteView(ServiceDeleteView):
    delete_service = staticmethod(services.delete_category)


class CategoryViewSet(ModelViewSet):
    model = Category
    icon = "list-ul"
    menu_label = _("Categories")
    menu_name = "report-categories"
    menu_order = 10
    index_view_class = CategoryIndexView
    add_view_class = CategoryCreateView
    edit_view_class = CategoryEditView
    delete_view_class = CategoryDeleteView
    inspect_view_enabled = True
    inspect_view_fields = [
        "service_code",
        "name",
        "name_en",
        "group",
        "group_en",
        "description",
        "description_en",
        "keywords",
        "default_department",
        "accept_sla_hours",
        "resolve_sla_hours",
        "allows_anonymous",
        "sensitive",
        "needs_verification",
        "verification_photo_required",
        "is_active",
    ]
    copy_view_enabled = False  # a copy would clash on the service code
    sort_order_field = "sort_order"
    list_filter = ["is_active", "default_department"]
    search_fields = ["service_code", "name", "name_en", "keywords"]
    search_backend_name = None
    ordering = "sort_order"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("service_code"), FieldPanel("is_active")]),
            FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
            FieldRowPanel([FieldPanel("group"), FieldPanel("group_en")]),
            FieldPanel("description"),
            FieldPanel("description_en"),
            FieldPanel("keywords"),
            FieldPanel("default_department"),
            FieldRowPanel([FieldPanel("accept_sla_hours"), FieldPanel("resolve_sla_hours")]),
            FieldRowPanel([FieldPanel("allows_anonymous"), FieldPanel("sensitive")]),
            FieldRowPanel(
                [FieldPanel("needs_verification"), FieldPanel("verification_photo_required")]
            ),
            InlinePanel(
                "questions",
                heading=_("Questions"),
                label=_("Question"),
                help_text=_("Extra questions the reporter answers (Open311 attributes)."),
                panels=[
                    FieldRowPanel([FieldPanel("code"), FieldPanel("datatype")]),
                    FieldRowPanel([FieldPanel("label"), FieldPanel("label_en")]),
                    FieldPanel("options"),
                    FieldRowPanel([FieldPanel("required"), FieldPanel("sort_order")]),
                ],
            ),
        ],
        base_form_class=CategoryForm,
    )


class RoutingRuleIndexView(generic.IndexView):
    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column(
                "category",
                label=_("Category"),
                accessor="category.localized_name",
                get_url=self.get_edit_url,
                sort_key="category__sort_order",
            ),
            Column("area", label=_("Area"), sort_key="area__path"),
            Column("department", label=_("Department"), sort_key="department__code"),
        ]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("category", "area", "department")


# Routing is per administrative area; grid cells are inside these.
ROUTED_KINDS = [AreaKind.CITY, AreaKind.DISTRICT, AreaKind.STREET, AreaKind.COMMUNITY]


class RoutingRuleForm(ServiceModelForm):
    create_service = staticmethod(services.create_routing_rule)
    update_service = staticmethod(services.update_routing_rule)

    area = AreaChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        help_text=_("The rule covers everything inside this area."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = [self.instance.area_id] if self.instance.area_id else None
        self.fields["area"].queryset = areas_of_kinds(ROUTED_KINDS, also=chosen)


class RoutingRuleCreateView(ServiceErrorsMixin, generic.CreateView):
    pass


class RoutingRuleEditView(ServiceErrorsMixin, generic.EditView):
    pass


class RoutingRuleDeleteView(ServiceDeleteView):
    delete_service = staticmethod(services.delete_routing_rule)


class RoutingRuleViewSet(ModelViewSet):
    model = RoutingRule
    icon = "redirect"
    menu_label = _("Routing rules")
    menu_name = "report-routing"
    menu_order = 20
    index_view_class = RoutingRuleIndexView
    add_view_class = RoutingRuleCreateView
    edit_view_class = RoutingRuleEditView
    delete_view_class = RoutingRuleDeleteView
    list_filter = ["category", "department"]
    copy_view_enabled = False
    ordering = ["category__sort_order", "area__path"]

    edit_handler = ObjectList(
        [FieldPanel("category"), FieldPanel("area"), FieldPanel("department")],
        base_form_class=RoutingRuleForm,
    )


class ResponseTemplateIndexView(LimitedSearchMixin, generic.IndexView):
    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column(
                "title",
                label=_("Title"),
                get_url=lambda obj: self.get_edit_url(obj) or self.get_inspect_url(obj),
                sort_key="title",
            ),
            Column("for_action", label=_("For"), accessor="get_for_action_display"),
            BooleanColumn("is_active", label=_("Active"), sort_key="is_active"),
        ]


class ResponseTemplateForm(ServiceModelForm):
    create_service = staticmethod(services.create_response_template)
    update_service = staticmethod(services.update_response_template)


class ResponseTemplateCreateView(ServiceErrorsMixin, generic.CreateView):
    pass


class ResponseTemplateEditView(ServiceErrorsMixin, generic.EditView):
    pass


class ResponseTemplateCopyView(ServiceErrorsMixin, generic.CopyView):
    pass


class ResponseTemplateDeleteView(ServiceDeleteView):
    delete_service = staticmethod(services.delete_response_template)


class ResponseTemplateViewSet(ModelViewSet):
    model = ResponseTemplate
    icon = "openquote"
    menu_label = _("Response templates")
    menu_name = "response-templates"
    menu_order = 30
    index_view_class = ResponseTemplateIndexView
    add_view_class = ResponseTemplateCreateView
    edit_view_class = ResponseTemplateEditView
    copy_view_class = ResponseTemplateCopyView
    delete_view_class = ResponseTemplateDeleteView
    inspect_view_enabled = True
    inspect_view_fields = ["title", "text", "text_en", "for_action", "categories", "is_active"]
    list_filter = ["for_action", "is_active"]
    search_fields = ["title", "text", "text_en"]
    search_backend_name = None
    ordering = "title"

    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("text"),
            FieldPanel("text_en"),
            FieldPanel("for_action"),
            FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
            FieldPanel("is_active"),
        ],
        base_form_class=ResponseTemplateForm,
    )


class AdminsOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_core(request.user)


class SmartIntakeViewSet(ViewSet):
    """The classifier's accuracy, its re-routings and its training: platform admins only."""

    icon = "cogs"
    menu_label = _("Smart intake")
    menu_name = "smart-intake"
    menu_order = 40

    def get_urlpatterns(self):
        return [path("", SmartIntakeView.as_view(), name="index")]

    menu_item_class = AdminsOnlyMenuItem


class FollowUpViewSet(ModelViewSet):
    model = FollowUp
    icon = "mail"
    menu_label = _("Follow-up calls")
    menu_name = "follow-up-calls"
    menu_order = 5
    index_view_class = FollowUpIndexView
    add_to_reference_index = False

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]

    def get_permissions_to_register(self):
        return Permission.objects.none()


class ReportsViewSetGroup(ViewSetGroup):
    # Not labelled plain "Reports": Wagtail's own "Reports" menu (site history, locked pages…)
    # sits in the same sidebar.
    menu_label = _("Resident reports")
    menu_name = "resident-reports"
    menu_icon = "tasks"
    menu_order = 120
    items = (
        ReportQueueViewSet(QUEUE, url_prefix="report-queue"),
        FollowUpViewSet(FOLLOW_UPS, url_prefix="follow-up-calls"),
        CategoryViewSet("report_category_admin", url_prefix="report-categories"),
        RoutingRuleViewSet("routing_rule_admin", url_prefix="report-routing"),
        ResponseTemplateViewSet("response_template_admin", url_prefix="response-templates"),
        SmartIntakeViewSet(SMART_INTAKE, url_prefix="smart-intake"),
    )


@hooks.register("register_admin_viewset")
def register_reports_group():
    return ReportsViewSetGroup()


# Wagtail's bulk action registry takes the classes themselves.
hooks.register("register_bulk_action", AcceptBulkAction)
hooks.register("register_bulk_action", AssignBulkAction)
