"""area_at against the geometry itself, for arbitrary points."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from civic.areas.queries import area_at

pytestmark = pytest.mark.django_db

coordinates = st.floats(min_value=-1, max_value=5, allow_nan=False)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lon=coordinates, lat=coordinates)
def test_the_answer_covers_the_point_and_is_a_chain_from_the_city_down(city, lon, lat):
    found = area_at(lat, lon)
    inside_city = shape(city.C.boundary).covers(Point(lon, lat))
    if not inside_city:
        assert found == []
        return
    assert [a.depth for a in found] == list(range(1, len(found) + 1))
    assert found[0].code == "C"
    assert found[-1].kind == "grid"  # the test city's grid tiles it completely
    for parent, child in itertools.pairwise(found):
        assert child.path.startswith(parent.path)
    assert all(shape(a.boundary).covers(Point(lon, lat)) for a in found)
