"""Deep links that open a task's place in the phone's map apps.

We store WGS-84. A ``geo:`` URI (RFC 5870) is WGS-84 by definition; AMap draws in GCJ-02 and
Baidu in BD-09, so their links carry converted positions (and say so: AMap's ``dev=0`` means
"already GCJ-02", Baidu's ``coord_type=bd09ll``). Outside China the conversions leave the
position as it is, as the apps do.
"""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from civic.core.coords import wgs84_to_bd09, wgs84_to_gcj02

APP_NAME = "civic"


def _fixed(value):
    # Six decimals: about 0.1 m, more than any phone's GPS gives.
    return f"{value:.6f}"


@dataclass(frozen=True)
class NavigationLinks:
    geo: str
    amap: str
    baidu: str


def links(lat, lon, label=""):
    label = (label or "").strip()[:60]
    geo = f"geo:{_fixed(lat)},{_fixed(lon)}?q={_fixed(lat)},{_fixed(lon)}"
    if label:
        geo += f"({quote(label)})"
    gcj_lat, gcj_lon = wgs84_to_gcj02(lat, lon)
    amap = "amapuri://route/plan/?" + urlencode(
        {
            "sourceApplication": APP_NAME,
            "dlat": _fixed(gcj_lat),
            "dlon": _fixed(gcj_lon),
            "dname": label,
            "dev": "0",
            "t": "2",
        },
        quote_via=quote,
    )
    bd_lat, bd_lon = wgs84_to_bd09(lat, lon)
    destination = f"latlng:{_fixed(bd_lat)},{_fixed(bd_lon)}"
    if label:
        destination += f"|name:{label}"
    baidu = "baidumap://map/direction?" + urlencode(
        {
            "destination": destination,
            "coord_type": "bd09ll",
            "mode": "walking",
            "src": APP_NAME,
        },
        quote_via=quote,
    )
    return NavigationLinks(geo=geo, amap=amap, baidu=baidu)
