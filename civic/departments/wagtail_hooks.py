"""Admin screens for departments and their members, in the areas app's "City" menu.

Members are edited inline. Saves and deletes go through ``services`` (which check the
platform-admin rule and keep the "Department staff" group in step with the memberships); their
refusals come back as form errors or messages.
"""

from django import forms
from django.db.models import Count
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from civic.areas.fields import AreaMultipleChoiceField, areas_of_kinds
from civic.areas.menus import CITY_MENU_HOOK
from civic.areas.models import Area, AreaKind
from civic.core.admin_search import LimitedSearchMixin
from civic.core.admin_views import ServiceDeleteView, ServiceErrorsMixin
from civic.core.permissions import core_model_policy

from .models import Department
from .services import create_department, delete_department, set_members, update_department

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
