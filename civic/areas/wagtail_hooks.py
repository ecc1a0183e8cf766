"""Admin screens for the area tree, under the "City" menu (departments add theirs to it).

Every change goes through ``services``: the forms call them on save, and their refusals come
back as form errors or messages, never as server errors.
"""

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from civic.core.admin_search import LimitedSearchMixin
from civic.core.admin_views import ServiceDeleteView, ServiceErrorsMixin
from civic.core.permissions import core_model_policy

from .admin_forms import AreaCreateForm, AreaEditForm
from .fields import tree_label
from .maps import svg_map
from .menus import CITY_MENU_HOOK
from .models import Area
from .services import delete_area


class AreaIndexView(LimitedSearchMixin, generic.IndexView):
    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column(
                "name",
                label=_("Name"),
                accessor=lambda area: tree_label(area, area.localized_name),
                get_url=self.get_edit_url,
                sort_key="path",
            ),
            Column("code", label=_("Code"), sort_key="code"),
            Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
            Column("numchild", label=_("Areas inside"), sort_key="numchild"),
        ]


class AreaCreateView(ServiceErrorsMixin, generic.CreateView):
    pass


class AreaEditView(ServiceErrorsMixin, generic.EditView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Drawn from the database: after a refused save the form's instance holds the
        # refused boundary, which may not even be a polygon.
        saved = Area.objects.get(pk=self.object.pk)
        children = list(saved.get_children())
        shapes = [{"geometry": saved.boundary, "title": str(saved), "named": False}]
        shapes += [
            {
                "geometry": child.boundary,
                "title": child.localized_name,
                "href": reverse(self.edit_url_name, args=[child.pk]),
                "css_class": "area area--child",
            }
            for child in children
        ]
        context["boundary_map"] = svg_map(shapes, label=str(saved))
        context["area_kind"] = saved.get_kind_display()
        context["area_parent"] = saved.get_parent()
        context["area_children"] = children
        return context


class AreaDeleteView(ServiceDeleteView):
    delete_service = staticmethod(delete_area)


register_permission_policy(Area, core_model_policy(Area))


class AreaViewSet(ModelViewSet):
    model = Area

    icon = "site"
    menu_label = _("Areas")
    menu_name = "areas"
    index_view_class = AreaIndexView
    add_view_class = AreaCreateView
    edit_view_class = AreaEditView
    delete_view_class = AreaDeleteView
    edit_template_name = "areas/admin/edit.html"
    ordering = "path"
    list_filter = ["kind"]
    search_fields = ["code", "name", "name_en"]
    search_backend_name = None  # plain database lookups: areas are not in the search index
    list_per_page = 50
    # A copy would clash on code and boundary; a new area starts from the create form.
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return AreaEditForm if for_update else AreaCreateForm


class CityViewSetGroup(ViewSetGroup):
    menu_label = _("City")
    menu_name = "city"
    menu_icon = "globe"
    menu_order = 150
    items = (AreaViewSet("area_admin", url_prefix="areas"),)
    submenu_hook = CITY_MENU_HOOK


@hooks.register("register_admin_viewset")
def register_city_group():
    return CityViewSetGroup()
