"""The background tiles under the portal's maps: a provider chosen by settings.

By default there is none: the maps draw the city from the platform's own areas (districts,
streets, communities, grid cells), which works offline and in the demo. A city with a tile
server sets ``MAP_TILE_PRESET`` to one of ``PRESETS`` (with ``MAP_TILE_KEY`` where the provider
needs one), or ``MAP_TILE_URL`` and the other ``MAP_TILE_*`` settings for any XYZ server; the
explicit settings override a preset's values.

``datum`` says which datum the tiles are drawn in, so the maps convert our WGS-84 positions to
it before drawing and a tapped point back from it (``civic.core.coords`` and its JavaScript
twin ``reports/js/coords.js``):

- ``wgs84``: OpenStreetMap-style tiles, and 天地图 Tianditu (CGCS2000, within centimetres);
- ``gcj02``: AMap (高德) and Tencent, whose tiles are shifted by law;
- ``bd09``: Baidu's datum. Baidu's own tiles are numbered in its own projection, not the XYZ
  scheme Leaflet draws, so there is no preset for them; the datum serves a proxy or mirror that
  re-serves BD-09 positions as XYZ tiles.
"""

from dataclasses import asdict, dataclass, replace

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DATUMS = ("wgs84", "gcj02", "bd09")

_TIANDITU = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
)


@dataclass(frozen=True)
class TileProvider:
    url: str
    attribution: str = ""
    datum: str = "wgs84"
    subdomains: str = ""
    max_zoom: int = 18
    # A second, transparent layer drawn over the first (Tianditu serves the names apart).
    labels_url: str = ""


PRESETS = {
    "osm": TileProvider(
        url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        attribution="© OpenStreetMap contributors",
        max_zoom=19,
    ),
    "tianditu": TileProvider(
        url=_TIANDITU.replace("{layer}", "vec"),
        labels_url=_TIANDITU.replace("{layer}", "cva"),
        attribution="© 天地图 Tianditu",
        subdomains="01234567",
    ),
    "amap": TileProvider(
        url=(
            "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
            "&x={x}&y={y}&z={z}"
        ),
        attribution="© 高德地图 AMap",
        datum="gcj02",
        subdomains="1234",
    ),
}


def tile_provider():
    """The configured provider, or None (the maps then draw the platform's own areas only)."""
    preset_name = settings.MAP_TILE_PRESET
    if preset_name and preset_name not in PRESETS:
        raise ImproperlyConfigured(
            f"MAP_TILE_PRESET must be one of {', '.join(PRESETS)}, not {preset_name!r}."
        )
    provider = PRESETS.get(preset_name) or TileProvider(url="")
    overrides = {
        field: value
        for field, value in (
            ("url", settings.MAP_TILE_URL),
            ("attribution", settings.MAP_TILE_ATTRIBUTION),
            ("datum", settings.MAP_TILE_DATUM),
            ("subdomains", settings.MAP_TILE_SUBDOMAINS),
            ("labels_url", settings.MAP_TILE_LABELS_URL),
        )
        if value
    }
    provider = replace(provider, **overrides)
    if provider.datum not in DATUMS:
        raise ImproperlyConfigured(f"MAP_TILE_DATUM must be one of {', '.join(DATUMS)}.")
    if not provider.url:
        return None
    key = settings.MAP_TILE_KEY
    return replace(
        provider,
        url=provider.url.replace("{key}", key),
        labels_url=provider.labels_url.replace("{key}", key),
    )


def tile_settings():
    """The provider as the maps' templates use it (empty strings without one)."""
    provider = tile_provider()
    if provider is None:
        return {**asdict(TileProvider(url="")), "max_zoom": 19}
    return asdict(provider)
