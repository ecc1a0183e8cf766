"""Admin forms for the area tree. They collect input; the services validate and save it."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .fields import NON_GRID_KINDS, AreaChoiceField, areas_of_kinds
from .models import Area
from .services import create_area, update_area


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
    """Kind and place in the tree are fixed once created (the grid app assigns workers)."""

    class Meta:
        model = Area
        fields = ["code", "name", "name_en", "boundary"]

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
        return area
