"""The city drawn under every map from its own areas, and the address search over the maps."""

import pytest
from django.test import override_settings

from civic.areas.services import update_area
from civic.core.permissions import SYSTEM

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


def _codes(response):
    return {f["properties"]["code"] for f in response.json()["features"]}


def test_each_level_of_the_city_with_names_and_where_to_write_them(client, city):
    assert _codes(client.get("/reports/areas.geojson")) == {"D1", "D2"}
    assert _codes(client.get("/reports/areas.geojson", {"kind": "street"})) == {"S1", "S2"}
    assert _codes(client.get("/reports/areas.geojson", {"kind": "community"})) == {"M1", "M2"}
    grid = client.get("/reports/areas.geojson", {"kind": "grid"}).json()
    assert len(grid["features"]) == 8
    d1 = client.get("/reports/areas.geojson", headers=EN).json()["features"][0]
    assert d1["properties"]["name"] == "District 1"
    lat, lon = d1["properties"]["label"]
    assert 0 < lat < 2
    assert 0 < lon < 2
    assert client.get("/reports/areas.geojson", {"kind": "planet"}).status_code == 400


def test_the_layers_are_cached_and_revalidated_until_an_area_changes(client, city):
    first = client.get("/reports/areas.geojson", {"kind": "grid"})
    assert "max-age=" in first["Cache-Control"]
    assert "public" in first["Cache-Control"]
    etag = first["ETag"]
    again = client.get("/reports/areas.geojson", {"kind": "grid"}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    cell = city.G1a
    update_area(
        SYSTEM, cell, name="新网格", name_en=cell.name_en, code=cell.code, boundary=cell.boundary
    )
    changed = client.get(
        "/reports/areas.geojson", {"kind": "grid"}, headers={"If-None-Match": etag}
    )
    assert changed.status_code == 200
    assert "新网格" in {f["properties"]["name"] for f in changed.json()["features"]}
    # The other languages and levels are cached apart.
    assert client.get("/reports/areas.geojson", {"kind": "grid"}, headers=EN)["ETag"] != etag


def test_the_maps_carry_the_configured_tiles_and_datum(client, city):
    with override_settings(MAP_TILE_PRESET="amap"):
        html = client.get("/reports/map/").content.decode()
    assert 'data-tile-datum="gcj02"' in html
    assert "autonavi.com" in html
    assert "reports/js/coords.js" in html
    html = client.get("/reports/map/").content.decode()
    assert 'data-tile-url=""' in html
    assert 'data-tile-datum="wgs84"' in html
    assert 'id="place-search"' in html


def test_the_address_search_finds_areas_and_recent_reports_but_never_a_sensitive_one(
    client, world, submit
):
    submit(address="中山路 12 号", lat=40.45, lon=-3.7)
    world.noise.sensitive = True
    world.noise.save()
    submit(category=world.noise, address="中山路 99 号", lat=40.46, lon=-3.71)
    places = client.get("/reports/places.json", {"q": "中山路"}).json()["places"]
    assert [p["name"] for p in places] == ["中山路 12 号"]
    assert places[0]["lat"] == pytest.approx(40.45)
    districts = client.get("/reports/places.json", {"q": "DW"}).json()["places"]
    assert [p["name"] for p in districts] == ["DW区", "DW-G1", "DW-G2"]  # coarse first
    assert [p["zoom"] for p in districts] == [12, 16, 16]
    assert client.get("/reports/places.json", {"q": ""}).json() == {"places": []}
    too_long = client.get("/reports/places.json", {"q": "x" * 500})
    assert too_long.status_code == 400


def test_nearby_open_reports_of_the_category_offer_a_support(as_user, client, world, submit):
    mine = submit(lat=40.45, lon=-3.7)
    theirs = submit(world.neighbour, lat=40.4505, lon=-3.7)
    submit(world.neighbour, lat=40.47, lon=-3.7)  # two kilometres away
    submit(world.neighbour, category=world.graffiti, lat=40.45, lon=-3.7)  # another category
    query = {"lat": "40.4501", "lon": "-3.7", "category": "pothole"}
    found = as_user(world.resident).get("/reports/nearby.json", query).json()["reports"]
    assert [(r["id"], r["can_support"]) for r in found] == [(mine.pk, False), (theirs.pk, True)]
    assert found[1]["support_url"] == f"/reports/{theirs.pk}/support/"
    assert (
        client.get("/reports/nearby.json", {"lat": "x", "category": "pothole"}).status_code == 400
    )
    assert client.get("/reports/nearby.json", {"lat": "40.45", "lon": "-3.7"}).status_code == 400


def test_one_list_ranked_by_similarity_then_the_category_nearest(as_user, world, submit):
    """The form's two lists are one: smart intake's alike reports first (any category until
    one is chosen), then the chosen category's nearest, each once."""
    near = submit(world.neighbour, lat=40.4505, lon=-3.7, description="人行道上有一个大坑")
    graffiti = submit(
        world.neighbour, category=world.graffiti, lat=40.4502, lon=-3.7, description="墙上涂鸦"
    )
    browser = as_user(world.resident)
    point = {"lat": "40.4501", "lon": "-3.7"}
    typed = browser.get("/reports/nearby.json", {**point, "text": "墙上被人涂鸦了"}).json()
    ids = [r["id"] for r in typed["reports"]]
    assert ids[0] == graffiti.pk  # the likeliest by meaning and words
    assert set(ids) == {graffiti.pk, near.pk}
    assert all(r["similarity"] is not None for r in typed["reports"])
    chosen = browser.get(
        "/reports/nearby.json", {**point, "text": "墙上被人涂鸦了", "category": "pothole"}
    ).json()["reports"]
    assert [r["id"] for r in chosen] == [near.pk]  # only the chosen category's, once


def test_the_confirmation_says_what_happens_next_and_when(as_user, world):
    world.pothole.accept_sla_hours, world.pothole.resolve_sla_hours = 8, 48
    world.pothole.save()
    browser = as_user(world.resident, language="en")
    form = browser.get("/reports/new/").context["form"]
    response = browser.post(
        "/reports/new/",
        {
            "client_request_id": form.initial["client_request_id"],
            "category": "pothole",
            "q__pothole__size": "small",
            "description": "A hole",
            "location": "point",
            "lat": "40.45",
            "lon": "-3.7",
        },
        follow=True,
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert "within 8 hours" in text
    assert "aims to fix it" in text
