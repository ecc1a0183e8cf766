from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from civic.core.i18n import LocalizedName


class AreaKind(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid cell")


# A child is always of a later kind than its parent; levels may be skipped (a grid straight under
# a street) because not every city has every level.
KIND_RANK = {kind: rank for rank, kind in enumerate(AreaKind.values)}


class Area(LocalizedName, MP_Node):
    """One node of the city → district → street → community → grid tree.

    ``boundary`` is a GeoJSON Polygon or MultiPolygon in WGS84 (lon, lat); the bounding box is
    kept in columns so that SQL can filter by it without reading the geometry.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices, db_index=True)
    code = models.CharField(_("code"), max_length=64, unique=True)
    boundary = models.JSONField(_("boundary (GeoJSON)"))
    min_lon = models.FloatField(editable=False)
    min_lat = models.FloatField(editable=False)
    max_lon = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        indexes = [models.Index(fields=["min_lat", "max_lat", "min_lon", "max_lon"])]

    def __str__(self):
        return f"{self.localized_name} ({self.code})"

    @property
    def bbox(self):
        return (self.min_lon, self.min_lat, self.max_lon, self.max_lat)

    @property
    def centre(self):
        return ((self.min_lat + self.max_lat) / 2, (self.min_lon + self.max_lon) / 2)
