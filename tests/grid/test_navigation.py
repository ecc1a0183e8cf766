"""The navigation deep links convert WGS-84 to what each map app expects, checked against the
published reference points of wandergis/coordtransform (test/app.js), the conversion most
Chinese map code is checked against:

    wgs84togcj02(116.404, 39.915) → [116.41024449916938, 39.91640428150164]
    gcj02tobd09(116.404, 39.915)  → [116.41036949371029, 39.92133699351021]
    gcj02towgs84(116.404, 39.915) → [116.39775550083061, 39.91359571849836]
"""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from civic.grid.navigation import links


def query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_the_geo_uri_keeps_wgs84():
    assert links(39.915, 116.404).geo == "geo:39.915000,116.404000?q=39.915000,116.404000"
    labelled = links(39.915, 116.404, "天安门 东").geo
    assert unquote(labelled).endswith("(天安门 东)")


def test_amap_gets_gcj02():
    amap = links(39.915, 116.404, "天安门").amap
    assert amap.startswith("amapuri://route/plan/?")
    q = query(amap)
    assert float(q["dlat"]) == pytest.approx(39.91640428150164, abs=1e-6)
    assert float(q["dlon"]) == pytest.approx(116.41024449916938, abs=1e-6)
    assert q["dev"] == "0"  # "the coordinates are GCJ-02 already"
    assert q["dname"] == "天安门"


def test_baidu_gets_bd09():
    # The WGS-84 point whose GCJ-02 position is (39.915, 116.404), per the reference inverse
    # (itself approximate to about 1e-6 degrees), lands on the published BD-09 position.
    baidu = links(39.91359571849836, 116.39775550083061, "天安门").baidu
    assert baidu.startswith("baidumap://map/direction?")
    q = query(baidu)
    assert q["coord_type"] == "bd09ll"
    destination, name = q["destination"].split("|")
    lat, lon = map(float, destination.removeprefix("latlng:").split(","))
    assert lat == pytest.approx(39.92133699351021, abs=2e-6)
    assert lon == pytest.approx(116.41036949371029, abs=2e-6)
    assert name == "name:天安门"


def test_outside_china_nothing_is_shifted():
    madrid = links(40.4168, -3.7038)
    assert query(madrid.amap)["dlat"] == "40.416800"
    assert query(madrid.baidu)["destination"] == "latlng:40.416800,-3.703800"
