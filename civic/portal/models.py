from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from civic.areas import queries as area_queries
from civic.areas.models import AreaKind
from civic.departments import queries as department_queries


class HomePage(Page):
    """The city portal's front page; district home pages sit beneath it."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["portal.DistrictPage"]
    max_count = 1

    class Meta:
        verbose_name = _("city home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pages = list(DistrictPage.objects.live().public().child_of(self).select_related("area"))
        context["district_pages"] = pages
        context["district_areas"] = [page.area for page in pages]
        context["pages_by_area"] = {page.area_id: page for page in pages}
        return context


class DistrictPage(Page):
    """A district's home page. Districts are sections of one site rather than separate Sites:
    residents move between districts on one address, and editors are kept to their own
    district by page permissions on this subtree."""

    area = models.OneToOneField(
        "areas.Area",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": AreaKind.DISTRICT},
    )
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("area"), FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("district home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        streets = area_queries.areas_in_tree(parent=self.area)
        context["streets"] = streets
        context["departments"] = department_queries.departments_serving(self.area)
        context["grid_cell_count"] = area_queries.areas_of_kind(
            AreaKind.GRID, within=self.area
        ).count()
        return context
