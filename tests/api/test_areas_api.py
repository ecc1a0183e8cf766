"""Areas and departments through /graphql/, as the app calls them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from civic.core.permissions import SYSTEM
from civic.departments.services import create_department

AREA_AT = """query($lat: Float!, $lon: Float!) {
  areaAt(lat: $lat, lon: $lon) { code kind name ancestors { code kind } parent { code } }
}"""


def area_at(gql, lat, lon, **kwargs):
    return gql(AREA_AT, {"lat": lat, "lon": lon}, **kwargs)


def test_area_at_inside_a_grid_cell_gives_the_cell_and_its_ancestors(city, gql):
    found = area_at(gql, 1.5, 2.5)["data"]["areaAt"]
    assert found["code"] == "G2c"
    assert found["kind"] == "GRID"
    assert [a["code"] for a in found["ancestors"]] == ["C", "D2", "S2", "M2"]
    assert found["parent"] == {"code": "M2"}


def test_area_at_outside_the_city_is_null(city, gql):
    assert area_at(gql, 5.0, 5.0)["data"]["areaAt"] is None
    assert area_at(gql, -0.0001, 1.0)["data"]["areaAt"] is None


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (0.5, 1.0, "G1a"),  # border of two cells in one community
        (0.5, 2.0, "G1b"),  # border of two districts
        (1.0, 1.0, "G1a"),  # corner shared by four cells
        (2.0, 4.0, "G2d"),  # the city's outer corner still belongs to it
    ],
)
def test_a_point_on_a_shared_border_has_exactly_one_stable_answer(city, gql, lat, lon, expected):
    answers = {area_at(gql, lat, lon)["data"]["areaAt"]["code"] for _ in range(3)}
    assert answers == {expected}


def test_area_at_refuses_impossible_coordinates_with_a_code(city, gql):
    body = area_at(gql, 91.0, 0.0, expect_errors=True)
    assert body["errors"][0]["extensions"] == {"code": "invalid_coordinates", "field": "lat"}
    assert body["data"] == {"areaAt": None}


def test_area_at_sees_areas_imported_after_the_index_was_built(
    city, gql, django_capture_on_commit_callbacks
):
    from civic.areas.services import create_area
    from tests.geo import rect

    assert area_at(gql, 10.5, 10.5)["data"]["areaAt"] is None
    with django_capture_on_commit_callbacks(execute=True):
        create_area(
            SYSTEM, parent=None, kind="city", code="N", name="N", boundary=rect(10, 10, 11, 11)
        )
    assert area_at(gql, 10.5, 10.5)["data"]["areaAt"]["code"] == "N"


TREE = """query($parent: ID, $kind: AreaKind, $first: Int, $after: String) {
  areas(parentId: $parent, kind: $kind, first: $first, after: $after) {
    edges { cursor node { id code name numChildren parent { code } ancestors { code } } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}"""


def test_the_tree_from_the_city_down_with_names_in_the_request_language(city, gql):
    roots = gql(TREE, headers={"accept-language": "en"})["data"]["areas"]
    assert [e["node"]["name"] for e in roots["edges"]] == ["Test City"]
    city_id = roots["edges"][0]["node"]["id"]
    districts = gql(TREE, {"parent": city_id}, headers={"accept-language": "zh-hans"})
    nodes = [e["node"] for e in districts["data"]["areas"]["edges"]]
    assert [(n["code"], n["name"], n["numChildren"]) for n in nodes] == [
        ("D1", "第1区", 1),
        ("D2", "第2区", 1),
    ]
    assert all(n["parent"] == {"code": "C"} for n in nodes)


def test_keyset_pages_walk_the_whole_list_once(city, gql):
    seen, after = [], None
    while True:
        page = gql(TREE, {"kind": "GRID", "first": 3, "after": after})["data"]["areas"]
        seen += [e["node"]["code"] for e in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is bool(after)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == ["G1a", "G1b", "G1c", "G1d", "G2a", "G2b", "G2c", "G2d"]


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"first": 0}, "invalid_page_size", "first"),
        ({"first": 51}, "invalid_page_size", "first"),
        ({"after": "not-a-cursor"}, "invalid_cursor", "after"),
        ({"after": "WzEsMl0="}, "invalid_cursor", "after"),  # a cursor of the wrong shape
    ],
)
def test_bad_paging_arguments_are_refused_with_a_code(city, gql, variables, code, field):
    body = gql(TREE, variables, expect_errors=True)
    assert body["errors"][0]["extensions"] == {"code": code, "field": field}
    assert body["status"] == 200


def test_an_unknown_parent_id_is_an_error_not_a_crash(city, gql):
    body = gql(TREE, {"parent": "garbage"}, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "not_found"
    body = gql(TREE, {"parent": to_global_id("Area", 999999)})
    assert body["data"]["areas"]["edges"] == []


def test_node_resolves_an_area_by_global_id(city, gql):
    body = gql(
        "query($id: ID!) { node(id: $id) { ... on Area { code kind } } }",
        {"id": to_global_id("Area", city.G1b.pk)},
    )
    assert body["data"]["node"] == {"code": "G1b", "kind": "GRID"}


def count_queries(gql, query, variables):
    with CaptureQueriesContext(connection) as captured:
        gql(query, variables)
    return len(captured)


def test_queries_per_area_page_do_not_grow_with_page_size(city, gql):
    small = count_queries(gql, TREE, {"kind": "GRID", "first": 2})
    large = count_queries(gql, TREE, {"kind": "GRID", "first": 8})
    assert small == large


DEPARTMENTS = """query($area: ID, $first: Int) {
  departments(servingAreaId: $area, first: $first) {
    edges { node { code name areas { code } } }
  }
}"""


@pytest.fixture
def departments(city):
    made = [
        create_department(
            SYSTEM,
            code=f"dept-{n}",
            name=f"部门{n}",
            name_en=f"Dept {n}",
            areas=[city.D1 if n % 2 else city.C],
        )
        for n in range(6)
    ]
    create_department(SYSTEM, code="dept-d2", name="二区", areas=[city.D2])
    return made


def test_departments_serving_an_area_include_those_serving_its_ancestors(city, departments, gql):
    body = gql(DEPARTMENTS, {"area": to_global_id("Area", city.G2a.pk), "first": 50})
    codes = [e["node"]["code"] for e in body["data"]["departments"]["edges"]]
    assert codes == ["dept-0", "dept-2", "dept-4", "dept-d2"]


def test_queries_per_department_page_do_not_grow_with_page_size(city, departments, gql):
    assert count_queries(gql, DEPARTMENTS, {"first": 2}) == count_queries(
        gql, DEPARTMENTS, {"first": 7}
    )
