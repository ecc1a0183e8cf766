"""What each viewer may learn about a report. Every interface presents reports through these,
so the GraphQL API, the portal, the map's GeoJSON and Open311 cannot disagree."""

from django.conf import settings
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Floor
from django.utils.translation import gettext as _

from civic.areas.models import KIND_RANK, AreaKind

from .permissions import can_see_staff_details, is_own


def shown_location(report, viewer):
    """``(lat, lon, exact)``: exact for the reporter and staff, and for everyone unless the
    category is sensitive; otherwise snapped to a coarse grid, which cannot be undone."""
    if not report.category.sensitive or is_own(viewer, report):
        return report.lat, report.lon, True
    if can_see_staff_details(viewer, report):
        return report.lat, report.lon, True
    step = settings.REPORTS_COARSE_DEGREES

    def snap(value):
        # The centre of the grid square the point is in, rounded to what the step resolves.
        return round((value // step) * step + step / 2, 6)

    return snap(report.lat), snap(report.lon), False


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
    if can_see_reporter(viewer, report) or (report.show_name and not report.is_anonymous):
        return str(report.reporter)
    return None


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
