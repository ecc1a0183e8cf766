"""Admin forms for the area tree. They collect input; the services validate and save it."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from civic.core.roles import Role

from .fields import NON_GRID_KINDS, AreaChoiceField, areas_of_kinds
from .models import Area, AreaKind
from .services import create_area, set_grid_workers, update_area


class AreaCreateForm(WagtailAdminModelForm):
    parent = AreaChoiceField(
        label=_("Parent area"),
        queryset=areas_of_kinds(NON_GRID_KINDS),
        required=False,
        empty_label=_("(none: a new city)"),
        help_text=_("Grid cells cannot contain other areas."),
    )
    field_order = ["parent", "kind", "code", "name", "name_en", "boundary"]

    class Meta:
        model = Area
        fields = ["kind", "code", "name", "name_en", "boundary"]
        help_texts = {
            "boundary": _("A GeoJSON Polygon or MultiPolygon in longitude, latitude (WGS84)."),
        }

    def save(self, commit=True):
        data = self.cleaned_data
        self.instance = create_area(
            self.for_user,
            parent=data["parent"],
            kind=data["kind"],
            code=data["code"],
            name=data["name"],
            name_en=data["name_en"],
            boundary=data["boundary"],
        )
        return self.instance


class AreaEditForm(WagtailAdminModelForm):
    """Kind and place in the tree are fixed once created; workers only exist on grid cells."""

    workers = forms.ModelMultipleChoiceField(
        label=_("Responsible workers"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Department staff only: add a worker to their department's members first."),
    )

    class Meta:
        model = Area
        fields = ["code", "name", "name_en", "boundary", "workers"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.kind == AreaKind.GRID:
            # Listing every resident would make the page unusable; current workers stay listed
            # even if they have since left the staff.
            self.fields["workers"].queryset = (
                get_user_model()
                .objects.filter(
                    Q(is_active=True, groups__name=Role.STAFF.value)
                    | Q(pk__in=self.instance.workers.all())
                )
                .distinct()
                .order_by("display_name", "username")
            )
        else:
            del self.fields["workers"]

    def save(self, commit=True):
        data = self.cleaned_data
        area = update_area(
            self.for_user,
            self.instance,
            name=data["name"],
            name_en=data["name_en"],
            code=data["code"],
            boundary=data["boundary"],
        )
        if "workers" in self.fields:
            set_grid_workers(self.for_user, area, data["workers"])
        return area
