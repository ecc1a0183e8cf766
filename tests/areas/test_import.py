"""The area import: through the management command, as an operator runs it."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from civic.areas.models import Area
from civic.areas.queries import area_at
from tests.geo import collection, feature, rect

pytestmark = pytest.mark.django_db


def run_import(tmp_path, data, name="areas.geojson", language="en"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    with translation.override(language):
        call_command("import_areas", str(path))


def small_city():
    return collection(
        feature("X", "city", rect(10, 10, 12, 12), name="新城", name_en="New Town"),
        feature("X-D", "district", rect(10, 10, 11, 12), parent="X"),
        feature("X-D-G", "grid", rect(10, 10, 11, 11), parent="X-D"),
    )


def test_import_creates_the_tree_and_area_at_finds_it(tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_import(tmp_path, small_city())
    grid = Area.objects.get(code="X-D-G")
    assert [a.code for a in grid.get_ancestors()] == ["X", "X-D"]
    assert (grid.min_lon, grid.min_lat, grid.max_lon, grid.max_lat) == (10, 10, 11, 11)
    assert [a.code for a in area_at(10.5, 10.5)] == ["X", "X-D", "X-D-G"]


def test_children_before_parents_in_the_file_still_import(tmp_path):
    data = small_city()
    data["features"].reverse()
    run_import(tmp_path, data)
    assert Area.objects.get(code="X-D-G").get_parent().code == "X-D"


def test_reimport_updates_in_place_and_touches_only_what_changed(
    tmp_path, capsys, django_capture_on_commit_callbacks
):
    run_import(tmp_path, small_city())
    data = small_city()
    data["features"][1]["properties"]["name_en"] = "Renamed"
    with django_capture_on_commit_callbacks(execute=True):
        run_import(tmp_path, data)
    assert Area.objects.count() == 3
    assert Area.objects.get(code="X-D").name_en == "Renamed"
    assert "0 created, 1 updated, 2 unchanged" in capsys.readouterr().out
    with django_capture_on_commit_callbacks() as announced:
        run_import(tmp_path, data)
    assert announced == []  # nothing changed, so no index is rebuilt


BOWTIE = {"type": "Polygon", "coordinates": [[[10, 10], [11, 11], [11, 10], [10, 11], [10, 10]]]}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("{not json", "is not JSON"),
        ({"type": "Feature"}, "not a GeoJSON FeatureCollection"),
        (
            collection(feature("X", "city", BOWTIE)),
            "feature 1 (X): the boundary is not a valid polygon: Self-intersection",
        ),
        (
            collection(feature("X", "city", {"type": "Point", "coordinates": [10, 10]})),
            "feature 1 (X): the boundary must be a Polygon or MultiPolygon, not Point",
        ),
        (
            collection(
                feature("X", "city", {"type": "Polygon", "coordinates": [[[10, 10], [11]]]})
            ),
            "feature 1 (X): the boundary's coordinates are malformed",
        ),
        (
            collection(
                feature("X", "city", rect(10, 10, 12, 12)),
                feature("X-Q", "quarter", rect(10, 10, 11, 11), parent="X"),
            ),
            "feature 2 (X-Q): unknown kind 'quarter'",
        ),
        (
            collection(
                feature("X", "city", rect(10, 10, 12, 12)),
                feature("X-Q", "quarter", rect(10, 10, 11, 11), parent="X"),
                feature("X-Q-G", "grid", rect(10, 10, 11, 11), parent="X-Q"),
            ),
            "feature 2 (X-Q): unknown kind 'quarter'",
        ),
        (
            collection(feature("X-D", "district", rect(10, 10, 11, 11), parent="NOWHERE")),
            "feature 1 (X-D): its parent 'NOWHERE' is neither in the file nor in the database",
        ),
        (
            collection(
                feature("X", "city", rect(10, 10, 12, 12)),
                feature("X-D", "district", rect(11, 11, 13, 13), parent="X"),
            ),
            "feature 2 (X-D): its boundary is not inside its parent 'X'",
        ),
        (
            collection(
                feature("X", "city", rect(10, 10, 12, 12)),
                feature("X-G", "grid", rect(10, 10, 11, 11), parent="X"),
                feature("X-G-D", "district", rect(10, 10, 11, 11), parent="X-G"),
            ),
            "feature 3 (X-G-D): a district cannot be inside a grid cell",
        ),
        (
            collection(feature("X-D", "district", rect(10, 10, 11, 11))),
            "feature 1 (X-D): only a city can be at the top of the tree",
        ),
        (
            collection(
                feature("X", "city", rect(10, 10, 12, 12)),
                feature("X", "city", rect(10, 10, 12, 12)),
            ),
            "feature 2 (X): the code appears twice in the file",
        ),
    ],
    ids=[
        "not-json",
        "not-a-collection",
        "self-intersecting",
        "not-a-polygon",
        "malformed",
        "unknown-kind",
        "child-of-unknown-kind",
        "missing-parent",
        "child-outside-parent",
        "kind-order",
        "root-not-city",
        "duplicate-code",
    ],
)
def test_bad_input_is_refused_naming_the_feature_and_nothing_is_written(tmp_path, data, expected):
    with pytest.raises(CommandError) as refused:
        run_import(tmp_path, data)
    assert expected in str(refused.value)
    assert Area.objects.count() == 0


def test_one_bad_feature_among_good_ones_leaves_the_database_unchanged(tmp_path):
    run_import(tmp_path, small_city())
    before = list(Area.objects.order_by("code").values_list("code", "name_en", "boundary"))
    data = small_city()
    data["features"][0]["properties"]["name_en"] = "Would be renamed"
    data["features"].append(feature("X-D-H", "grid", rect(11.5, 11.5, 13, 13), parent="X-D"))
    with pytest.raises(CommandError, match="X-D-H"):
        run_import(tmp_path, data)
    assert list(Area.objects.order_by("code").values_list("code", "name_en", "boundary")) == before


def test_every_problem_is_reported_at_once(tmp_path):
    data = collection(
        feature("X", "city", BOWTIE),
        feature("X-D", "district", rect(10, 10, 11, 11), parent="GONE"),
        feature("X-Q", "quarter", rect(10, 10, 11, 11), parent="X"),
    )
    with pytest.raises(CommandError) as refused:
        run_import(tmp_path, data)
    message = str(refused.value)
    assert "feature 1 (X)" in message
    assert "feature 2 (X-D)" in message
    assert "feature 3 (X-Q)" in message


def test_redrawing_a_parent_that_would_leave_a_child_outside_is_refused(tmp_path):
    run_import(tmp_path, small_city())
    shrunk = collection(feature("X-D", "district", rect(10, 11, 11, 12), parent="X"))
    with pytest.raises(CommandError, match="the area 'X-D-G' inside it would be left outside"):
        run_import(tmp_path, shrunk)
    assert Area.objects.get(code="X-D").min_lat == 10


def test_problems_are_reported_in_the_operators_language(tmp_path):
    data = collection(feature("X-D", "district", rect(10, 10, 11, 11), parent="NOWHERE"))
    with pytest.raises(CommandError) as refused:
        run_import(tmp_path, data, language="zh-hans")
    assert "第 1 个要素（X-D）" in str(refused.value)
    assert "NOWHERE" in str(refused.value)
