"""Converting positions between the datums Chinese map providers use.

We store WGS-84 (what a phone's GPS and Tianditu's CGCS2000 give, within centimetres). AMap and
Tencent draw in GCJ-02, the obfuscated datum Chinese law requires, and Baidu in BD-09, a further
shift of GCJ-02. Outside China the providers use WGS-84 and nothing is shifted. The GCJ-02
formula is the published one; the inverses have no closed form, so they are solved by iteration
to well under a millimetre.
"""

from math import atan2, cos, pi, sin, sqrt

_AXIS = 6378245.0  # Krasovsky 1940 ellipsoid, as GCJ-02 uses
_ECCENTRICITY_SQUARED = 0.00669342162296594323
_BD_FACTOR = pi * 3000.0 / 180.0


def in_china(lat, lon):
    """The rough box inside which GCJ-02 shifts positions (the providers' own test)."""
    return 72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271


def _shift_lat(x, y):
    shift = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x))
    shift += (20.0 * sin(6.0 * x * pi) + 20.0 * sin(2.0 * x * pi)) * 2.0 / 3.0
    shift += (20.0 * sin(y * pi) + 40.0 * sin(y / 3.0 * pi)) * 2.0 / 3.0
    shift += (160.0 * sin(y / 12.0 * pi) + 320.0 * sin(y * pi / 30.0)) * 2.0 / 3.0
    return shift


def _shift_lon(x, y):
    shift = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x))
    shift += (20.0 * sin(6.0 * x * pi) + 20.0 * sin(2.0 * x * pi)) * 2.0 / 3.0
    shift += (20.0 * sin(x * pi) + 40.0 * sin(x / 3.0 * pi)) * 2.0 / 3.0
    shift += (150.0 * sin(x / 12.0 * pi) + 300.0 * sin(x / 30.0 * pi)) * 2.0 / 3.0
    return shift


def wgs84_to_gcj02(lat, lon):
    if not in_china(lat, lon):
        return lat, lon
    dlat = _shift_lat(lon - 105.0, lat - 35.0)
    dlon = _shift_lon(lon - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * pi
    magic = 1 - _ECCENTRICITY_SQUARED * sin(rad_lat) ** 2
    sqrt_magic = sqrt(magic)
    dlat = (dlat * 180.0) / ((_AXIS * (1 - _ECCENTRICITY_SQUARED)) / (magic * sqrt_magic) * pi)
    dlon = (dlon * 180.0) / (_AXIS / sqrt_magic * cos(rad_lat) * pi)
    return lat + dlat, lon + dlon


def _invert(forward, lat, lon, guess):
    """Solves forward(x) = (lat, lon) by fixed-point iteration from a close first guess."""
    guess_lat, guess_lon = guess
    for _ in range(30):
        shifted_lat, shifted_lon = forward(guess_lat, guess_lon)
        error_lat, error_lon = shifted_lat - lat, shifted_lon - lon
        guess_lat, guess_lon = guess_lat - error_lat, guess_lon - error_lon
        if abs(error_lat) < 1e-10 and abs(error_lon) < 1e-10:
            break
    return guess_lat, guess_lon


def gcj02_to_wgs84(lat, lon):
    if not in_china(lat, lon):
        return lat, lon
    return _invert(wgs84_to_gcj02, lat, lon, (lat, lon))


def gcj02_to_bd09(lat, lon):
    z = sqrt(lon * lon + lat * lat) + 0.00002 * sin(lat * _BD_FACTOR)
    theta = atan2(lat, lon) + 0.000003 * cos(lon * _BD_FACTOR)
    return z * sin(theta) + 0.006, z * cos(theta) + 0.0065


def bd09_to_gcj02(lat, lon):
    # Baidu's published inverse is approximate (about 10 cm); refined by iteration.
    x, y = lon - 0.0065, lat - 0.006
    z = sqrt(x * x + y * y) - 0.00002 * sin(y * _BD_FACTOR)
    theta = atan2(y, x) - 0.000003 * cos(x * _BD_FACTOR)
    return _invert(gcj02_to_bd09, lat, lon, (z * sin(theta), z * cos(theta)))


def wgs84_to_bd09(lat, lon):
    if not in_china(lat, lon):
        return lat, lon
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lon))


def bd09_to_wgs84(lat, lon):
    if not in_china(lat, lon):
        return lat, lon
    return gcj02_to_wgs84(*bd09_to_gcj02(lat, lon))
