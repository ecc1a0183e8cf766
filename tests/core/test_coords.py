from math import cos, radians

import pytest

from civic.core import coords

METRES_PER_DEGREE = 111_320


def _metres_apart(a, b):
    dlat = (a[0] - b[0]) * METRES_PER_DEGREE
    dlon = (a[1] - b[1]) * METRES_PER_DEGREE * cos(radians(a[0]))
    return (dlat**2 + dlon**2) ** 0.5


CITIES = [(39.9087, 116.3975), (31.2304, 121.4737), (22.5431, 114.0579), (45.8038, 126.5349)]


@pytest.mark.parametrize("point", CITIES)
def test_gcj02_shifts_chinese_positions_by_hundreds_of_metres_and_comes_back(point):
    shifted = coords.wgs84_to_gcj02(*point)
    assert 50 < _metres_apart(point, shifted) < 1000
    assert _metres_apart(point, coords.gcj02_to_wgs84(*shifted)) < 0.001


@pytest.mark.parametrize("point", CITIES)
def test_bd09_round_trips_to_the_millimetre(point):
    shifted = coords.wgs84_to_bd09(*point)
    assert _metres_apart(coords.wgs84_to_gcj02(*point), shifted) > 100
    assert _metres_apart(point, coords.bd09_to_wgs84(*shifted)) < 0.001


def test_positions_outside_china_are_not_shifted():
    assert coords.wgs84_to_gcj02(48.8566, 2.3522) == (48.8566, 2.3522)
    assert coords.wgs84_to_bd09(40.4168, -3.7038) == (40.4168, -3.7038)
