"""GeoJSON boundaries: parsing and the checks an area's boundary must pass."""

import math

import shapely
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.geometry import shape
from shapely.validation import explain_validity

from civic.core.errors import DomainError

ALLOWED_TYPES = ("Polygon", "MultiPolygon")
# Children are drawn from their parent's vertices, but floating point noise from other tools
# should not fail an import: about a centimetre.
CONTAINMENT_TOLERANCE_DEG = 1e-7


class InvalidCoordinates(DomainError):
    code = "invalid_coordinates"
    default_message = gettext_lazy("Latitude must be within ±90 and longitude within ±180 degrees.")


def check_coordinates(lat, lon, *, lat_field="lat", lon_field="lon"):
    """Refuse a point that is not on Earth (NaN included)."""
    if not (isinstance(lat, int | float) and math.isfinite(lat) and -90 <= lat <= 90):
        raise InvalidCoordinates(field=lat_field)
    if not (isinstance(lon, int | float) and math.isfinite(lon) and -180 <= lon <= 180):
        raise InvalidCoordinates(field=lon_field)


class BoundaryError(ValueError):
    """The boundary cannot be used; the message says why, for a person."""


def parse_boundary(geojson):
    """Return a valid shapely (Multi)Polygon for a GeoJSON geometry, or raise BoundaryError."""
    if not isinstance(geojson, dict):
        raise BoundaryError(_("the boundary must be a GeoJSON geometry object"))
    kind = geojson.get("type")
    if kind not in ALLOWED_TYPES:
        raise BoundaryError(
            _("the boundary must be a Polygon or MultiPolygon, not %(kind)s") % {"kind": kind}
        )
    try:
        geometry = shape(geojson)
    except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.ShapelyError):
        raise BoundaryError(_("the boundary's coordinates are malformed")) from None
    if geometry.is_empty:
        raise BoundaryError(_("the boundary is empty"))
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise BoundaryError(
            _("the boundary's coordinates are not longitude, latitude pairs in degrees")
        )
    if not geometry.is_valid:
        raise BoundaryError(
            _("the boundary is not a valid polygon: %(reason)s")
            % {"reason": explain_validity(geometry)}
        )
    return geometry


def contains(parent_geometry, child_geometry) -> bool:
    return parent_geometry.buffer(CONTAINMENT_TOLERANCE_DEG).covers(child_geometry)
