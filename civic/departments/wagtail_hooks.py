"""Admin screens for departments and their members, in the areas app's "City" menu.

Members are edited inline. Saves and deletes go through ``services`` (which check the
platform-admin rule and keep the "Department staff" group in step with the memberships); their
refusals come back as form errors or messages.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from civic.areas.fields import AreaMultipleChoiceField, areas_of_kinds
from civic.areas.menus import CITY_MENU_HOOK
from civic.areas.models import Area, AreaKind
from civic.core.admin_search import LimitedSearchMixin
from civic.core.admin_views import ServiceDeleteView, ServiceErrorsMixin, ServiceModelForm
from civic.core.permissions import core_model_policy, is_platform_admin

from .models import Department, DutyShift, MemberRole
from .permissions import can_supervise
from .services import (
    add_duty_shift,
    create_department,
    delete_department,
    delete_duty_shift,
    set_members,
    update_department,
    update_duty_shift,
)

# Departments serve whole administrative areas; communities and grid cells are inside these.
SERVED_KINDS = [AreaKind.CITY, AreaKind.DISTRICT, AreaKind.STREET]


class DepartmentForm(WagtailAdminModelForm):
    areas = AreaMultipleChoiceField(
        label=_("Areas served"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Serving an area means serving everything inside it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Areas chosen elsewhere (the services accept any kind) stay listed rather than lost.
        served = self.instance.areas.all() if self.instance.pk else None
        self.fields["areas"].queryset = areas_of_kinds(SERVED_KINDS, also=served)

    def save(self, commit=True):
        data = self.cleaned_data
        names = ("code", "name", "name_en", "areas", "email", "phone", "is_active")
        fields = {name: data[name] for name in names}
        if self.instance.pk is None:
            department = create_department(self.for_user, **fields)
        else:
            department = update_department(self.for_user, self.instance, **fields)
        rows = self.formsets["memberships"]
        kept = [row for row in rows.forms if row.cleaned_data and row not in rows.deleted_forms]
        members = [(row.cleaned_data["user"], row.cleaned_data["role"]) for row in kept]
        set_members(self.for_user, department, members)
        self.instance = department
        return department


class DepartmentIndexView(LimitedSearchMixin, generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(member_count=Count("memberships__user", distinct=True))
        )

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column(
                "name",
                label=_("Name"),
                accessor="localized_name",
                get_url=self.get_edit_url,
                sort_key="name",
            ),
            Column("code", label=_("Code"), sort_key="code"),
            Column("member_count", label=_("Members"), sort_key="member_count"),
            BooleanColumn("is_active", label=_("Active"), sort_key="is_active"),
        ]


class DepartmentCreateView(ServiceErrorsMixin, generic.CreateView):
    pass


class DepartmentEditView(ServiceErrorsMixin, generic.EditView):
    pass


class DepartmentCopyView(ServiceErrorsMixin, generic.CopyView):
    pass


class DepartmentDeleteView(ServiceDeleteView):
    delete_service = staticmethod(delete_department)


register_permission_policy(Department, core_model_policy(Department))


class DepartmentViewSet(ModelViewSet):
    model = Department

    icon = "group"
    menu_label = _("Departments")
    menu_name = "departments"
    menu_hook = CITY_MENU_HOOK
    menu_order = 2  # after the areas
    index_view_class = DepartmentIndexView
    add_view_class = DepartmentCreateView
    edit_view_class = DepartmentEditView
    copy_view_class = DepartmentCopyView
    delete_view_class = DepartmentDeleteView
    ordering = "code"
    list_filter = ["is_active"]
    search_fields = ["code", "name", "name_en"]
    search_backend_name = None  # plain database lookups: departments are not in the index
    edit_handler = ObjectList(
        [
            FieldPanel("code"),
            FieldPanel("name"),
            FieldPanel("name_en"),
            FieldPanel("areas"),
            FieldPanel("email"),
            FieldPanel("phone"),
            FieldPanel("is_active"),
            InlinePanel("memberships", heading=_("Members"), label=_("Member")),
        ],
        base_form_class=DepartmentForm,
    )


@hooks.register("register_admin_viewset")
def register_department_viewset():
    return DepartmentViewSet("department_admin", url_prefix="departments")


# --- The on-duty rota: supervisors keep their department's; platform admins every one -------


def _supervised(user):
    """The departments whose rota the user keeps (every one for platform admins)."""
    if is_platform_admin(user):
        return Department.objects.all()
    return Department.objects.filter(
        memberships__user=user, memberships__role=MemberRole.SUPERVISOR
    ).distinct()


class DutyShiftPolicy(BasePermissionPolicy):
    """Supervisors see and change their departments' shifts, as ``services`` allows."""

    def user_has_permission(self, user, action):
        return _supervised(user).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return can_supervise(user, instance.department)

    def instances_user_has_any_permission_for(self, user, actions):
        return DutyShift.objects.filter(department__in=_supervised(user))

    def users_with_any_permission(self, actions):
        return (
            get_user_model()
            .objects.filter(department_memberships__role=MemberRole.SUPERVISOR, is_active=True)
            .distinct()
        )


register_permission_policy(DutyShift, DutyShiftPolicy(DutyShift))


class DutyShiftForm(ServiceModelForm):
    create_service = staticmethod(add_duty_shift)
    update_service = staticmethod(update_duty_shift)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = _supervised(self.for_user)
        self.fields["department"].queryset = departments
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(department_memberships__department__in=departments, is_active=True)
            .distinct()
            .order_by("display_name", "pk")
        )


class DutyShiftCreateView(ServiceErrorsMixin, generic.CreateView):
    pass


class DutyShiftEditView(ServiceErrorsMixin, generic.EditView):
    pass


class DutyShiftDeleteView(ServiceDeleteView):
    delete_service = staticmethod(delete_duty_shift)


class DutyShiftViewSet(ModelViewSet):
    model = DutyShift
    icon = "time"
    menu_label = _("On-duty rota")
    menu_name = "duty-rota"
    menu_hook = CITY_MENU_HOOK
    menu_order = 3
    add_view_class = DutyShiftCreateView
    edit_view_class = DutyShiftEditView
    delete_view_class = DutyShiftDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    list_display = ["user", "department", "starts_at", "ends_at"]
    list_filter = ["department"]
    ordering = ["-starts_at"]
    form_fields = ["department", "user", "starts_at", "ends_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("department"),
            FieldPanel("user"),
            FieldPanel("starts_at"),
            FieldPanel("ends_at"),
        ],
        base_form_class=DutyShiftForm,
    )

    def get_permissions_to_register(self):
        # The policy asks the services' rule, not model permissions.
        return Permission.objects.none()


@hooks.register("register_admin_viewset")
def register_duty_shift_viewset():
    return DutyShiftViewSet("duty_rota", url_prefix="duty-rota")
