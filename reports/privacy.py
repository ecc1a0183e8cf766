"""What each viewer may learn about a report. Every interface presents reports through these,
so the GraphQL API, the portal (pages, feeds, the map's GeoJSON), Open311 and notifications
cannot disagree: none of them reads a report's address, coordinates, area or reporter itself.

A sensitive category's report shows everyone but its reporter and staff a coarse point, no
written address, and no area finer than the street: a grid cell (100-300 m) or a community
would undo the coarse square.
"""

from django.conf import settings
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Floor
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from civic.areas.models import KIND_RANK, AreaKind
from civic.areas.queries import attach_ancestors

from .permissions import can_see_staff_details, is_own, staff_department_ids

# The finest area a sensitive report's public page, feed or filter may name.
COARSEST_PRIVATE_RANK = KIND_RANK[AreaKind.STREET]


class PublicView:
    """A report's place and person as one viewer may see them, for templates and serialisers;
    each part is worked out when first read."""

    def __init__(self, report, viewer):
        self.report, self.viewer = report, viewer

    @cached_property
    def location(self):
        return shown_location(self.report, self.viewer)

    @property
    def lat(self):
        return self.location[0]

    @property
    def lon(self):
        return self.location[1]

    @property
    def exact(self):
        return self.location[2]

    @cached_property
    def address(self):
        return shown_address(self.report, self.viewer)

    @cached_property
    def area(self):
        return shown_area(self.report, self.viewer)

    @cached_property
    def reporter_name(self):
        return reporter_name(self.report, self.viewer) or anonymous_label()


def public_view(report, viewer):
    """Everything about a report's place and person that ``viewer`` may see."""
    return PublicView(report, viewer)


def is_exact_for(report, viewer) -> bool:
    """Whether ``viewer`` sees the report's exact place (point, address, grid cell)."""
    return (
        not report.category.sensitive
        or is_own(viewer, report)
        or can_see_staff_details(viewer, report)
    )


def shown_location(report, viewer):
    """``(lat, lon, exact)``: exact for the reporter and staff, and for everyone unless the
    category is sensitive; otherwise snapped to a coarse grid, which cannot be undone."""
    if is_exact_for(report, viewer):
        return report.lat, report.lon, True
    step = settings.REPORTS_COARSE_DEGREES

    def snap(value):
        # The centre of the grid square the point is in, rounded to what the step resolves.
        return round((value // step) * step + step / 2, 6)

    return snap(report.lat), snap(report.lon), False


def shown_address(report, viewer):
    """The written address, or "" where it would give away what a coarse location hides."""
    return report.address if is_exact_for(report, viewer) else ""


def shown_area(report, viewer):
    """The report's grid cell, or for a sensitive report seen by the public its street (the
    deepest area no finer than one). The ancestors it is given come from the report's area,
    so lists cost no query per report."""
    area = report.area
    if is_exact_for(report, viewer) or KIND_RANK[area.kind] <= COARSEST_PRIVATE_RANK:
        return area
    if not hasattr(area, "prefetched_ancestors"):
        attach_ancestors([area])
    ancestors = area.prefetched_ancestors
    coarse = [i for i, a in enumerate(ancestors) if KIND_RANK[a.kind] <= COARSEST_PRIVATE_RANK]
    if not coarse:
        return ancestors[0] if ancestors else area
    shown = ancestors[coarse[-1]]
    shown.prefetched_ancestors = ancestors[: coarse[-1]]
    return shown


def within_area(area, viewer):
    """A filter for reports inside ``area`` that does not tell which sensitive reports lie in
    an area finer than a street: those match only for their reporter and staff."""
    inside = Q(area_path__startswith=area.path)
    if KIND_RANK[area.kind] <= COARSEST_PRIVATE_RANK:
        return inside
    departments = staff_department_ids(viewer) if viewer is not None else set()
    if departments is None:
        return inside
    revealed = Q(category__sensitive=False) | Q(department_id__in=departments)
    if getattr(viewer, "is_authenticated", False):
        revealed |= Q(reporter_id=viewer.pk)
    return inside & revealed


def can_see_reporter(viewer, report) -> bool:
    """Staff see who reported (unless they chose to be anonymous); the reporter sees
    themself."""
    if is_own(viewer, report):
        return True
    return not report.is_anonymous and can_see_staff_details(viewer, report)


def reporter_name(report, viewer):
    """The name to show beside the report, or None for "a resident"."""
    if report.reporter is None:
        if can_see_staff_details(viewer, report) and report.contact.get("name"):
            return report.contact["name"]
        return None
    if can_see_reporter(viewer, report):
        return str(report.reporter)
    if report.show_name and not report.is_anonymous:
        return report.reporter.chosen_name or None
    return None


def comment_author_name(comment, report, viewer):
    """A commenter's public name, as the forums show it; the reporter commenting on their own
    report is "the reporter", named only as the report itself names them (so an anonymous
    report's comments never tell who reported it)."""
    if comment.author_id is None:
        return _("Deleted account")
    if comment.author_id == report.reporter_id:
        return reporter_name(report, viewer) or _("The reporter")
    return comment.author.public_name


def anonymous_label():
    return _("A resident")


def _coarse_sql(column):
    """The same grid as ``shown_location``'s snap, in SQL."""
    step = Value(settings.REPORTS_COARSE_DEGREES, output_field=FloatField())
    return Floor(F(column) / step) * step + step / Value(2.0, output_field=FloatField())


def with_public_coordinates(queryset):
    """Annotate ``public_lat``/``public_lon``: exact, or the coarse grid square's centre for
    sensitive categories. Searching by place (a map's bounding box) must filter on these, never
    on the exact columns, or a series of small boxes would find a sensitive report's spot."""
    sensitive = Q(category__sensitive=True)
    return queryset.annotate(
        public_lat=Case(
            When(sensitive, then=_coarse_sql("lat")), default=F("lat"), output_field=FloatField()
        ),
        public_lon=Case(
            When(sensitive, then=_coarse_sql("lon")), default=F("lon"), output_field=FloatField()
        ),
    )


# --- what a public artefact made from a report may name (case-study drafts) -----------------


def public_place(report):
    """The most precise place a public artefact made from ``report`` may name: its street, or
    its district when the tree has no street above it; None when it lies straight in the city.
    Never the address, the coordinates, the community or the grid cell: the public may see the
    page for good, whatever the report's category."""
    street = KIND_RANK[AreaKind.STREET]
    city = KIND_RANK[AreaKind.CITY]
    areas = [*report.area.get_ancestors(), report.area]
    named = [area for area in areas if city < KIND_RANK.get(area.kind, city) <= street]
    return named[-1] if named else None
