"""The portal's report pages through Django's test client: the form, a report's public page,
its photos, the map's GeoJSON and list, "my reports", and the reporter's and supporters'
buttons."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from reports import services
from reports.models import Channel, RejectReason, Report, State
from tests.reports.conftest import BAD_IMAGES, MADRID, MISSOURI, NIKON_A, PHOTOS, photo_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

NEW = "/reports/new/"
EN = {"accept-language": "en"}
ZH = {"accept-language": "zh-hans"}


def upload(path_or_name, content_type="image/jpeg"):
    path = path_or_name if hasattr(path_or_name, "read_bytes") else PHOTOS / path_or_name
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type=content_type)


def tiny_jpeg(colour=(200, 40, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def form_data(**fields):
    data = {
        "category": "pothole",
        "description": "路面有个大坑",
        "location": "point",
        "lat": "40.45",
        "lon": "-3.7",
        "q__pothole__size": "large",
        "client_request_id": "web-1",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def resident_client(client, world):
    client.force_login(world.resident)
    return client


def signed_in(client, user):
    client.force_login(user)
    return client


def errors_of(response):
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


# --- Report a problem ----------------------------------------------------------------------------


def test_reporting_needs_a_signed_in_user(client, world):
    response = client.get(NEW)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/reports/new/"
    client.post(NEW, form_data())
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("headers", "lang", "category", "question"),
    [(EN, "en", "Pothole", "How big is it?"), (ZH, "zh-hans", "道路坑洼", "坑有多大？")],
)
def test_the_form_offers_the_categories_their_questions_and_photo_inputs(
    resident_client, headers, lang, category, question
):
    response = resident_client.get(NEW, headers=headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert category in html
    assert question in html
    photos = re.search(r'<input type="file" name="photos"[^>]*id="id_photos">', html).group(0)
    assert 'accept="image/*"' in photos
    assert " multiple" in photos
    assert 'capture="environment"' in html
    assert re.search(r'name="client_request_id" value="[0-9a-f]{32}"', html)
    assert 'name="is_anonymous"' in html
    assert 'name="location" value="photo"' in html
    assert "reports/vendor/leaflet/leaflet.js" in html


def test_the_photo_location_is_used_when_the_point_is_left_empty(resident_client, world):
    response = resident_client.post(
        NEW,
        form_data(location="photo", lat="", lon="", photos=upload("iphone6_gps_madrid.jpg")),
    )
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{report.pk}/"
    assert round(report.lat, 4) == round(MADRID[0], 4)
    assert round(report.lon, 4) == round(MADRID[1], 4)
    assert report.location_source == "photo"
    assert report.channel == Channel.WEB
    assert report.reporter == world.resident
    assert report.answers == {"size": "large"}
    assert report.photos.count() == 1

    page = resident_client.get(response["Location"]).content.decode()
    photo = report.photos.get()
    assert f"/reports/photos/{photo.pk}/thumbnail.jpg" in page
    assert "路面有个大坑" in page


def test_typed_coordinates_are_used_and_the_photo_location_ignored(resident_client):
    resident_client.post(
        NEW, form_data(lat="40.5", lon="-2.5", photos=upload("iphone6_gps_madrid.jpg"))
    )
    report = Report.objects.get()
    assert (report.lat, report.lon, report.location_source) == (40.5, -2.5, "given")


def test_sending_the_form_twice_makes_one_report(resident_client):
    first = resident_client.post(NEW, form_data(client_request_id="same-form"))
    second = resident_client.post(NEW, form_data(client_request_id="same-form"))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Report.objects.count() == 1
    resident_client.post(NEW, form_data(client_request_id="another-form"))
    assert Report.objects.count() == 2


@pytest.mark.parametrize("name", ["not_an_image.jpg", "truncated_jpeg.jpg", "empty.jpg"])
def test_a_broken_image_is_a_form_error_not_a_crash(resident_client, name):
    response = resident_client.post(NEW, form_data(photos=upload(BAD_IMAGES / name)))
    errors = errors_of(response)
    assert "photos" in errors
    assert not Report.objects.exists()
    html = response.content.decode()
    assert "errorlist" in html
    # The reporter's other answers are kept.
    assert "路面有个大坑" in html


def test_a_point_outside_the_city_is_refused_beside_the_location(resident_client):
    response = resident_client.post(NEW, form_data(lat=str(MISSOURI[0]), lon=str(MISSOURI[1])))
    assert "location" in errors_of(response)
    assert not Report.objects.exists()


def test_a_photo_taken_outside_the_city_is_refused(resident_client):
    response = resident_client.post(
        NEW, form_data(location="photo", photos=upload("iphone11_gps.heic", "image/heic"))
    )
    assert "location" in errors_of(response)
    assert not Report.objects.exists()


def test_a_photo_without_gps_and_no_point_asks_for_the_location(resident_client):
    response = resident_client.post(
        NEW, form_data(location="photo", lat="", lon="", photos=upload("sample.png", "image/png"))
    )
    errors = errors_of(response)
    assert "location" in errors
    assert "GPS" in " ".join(errors["location"])


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"lat": "95"}, "lat"),
        ({"lat": "nan"}, "lat"),
        ({"lat": "", "lon": ""}, "location"),
        ({"category": "no-such-thing"}, "category"),
        ({"q__pothole__size": None}, "q__pothole__size"),
        ({"q__pothole__depth_cm": "deep"}, "q__pothole__depth_cm"),
        # Graffiti is handled in the western district only.
        ({"category": "graffiti", "lat": str(NIKON_A[0]), "lon": str(NIKON_A[1])}, "category"),
        ({"category": "dumping", "is_anonymous": "on"}, "is_anonymous"),
        ({"description": "", "photos": None}, "description"),
        ({"description": "x" * 2001}, "description"),
    ],
)
def test_bad_input_is_shown_beside_its_field(resident_client, fields, field):
    response = resident_client.post(NEW, form_data(**fields))
    assert field in errors_of(response), errors_of(response)
    assert not Report.objects.exists()


def test_too_many_photos_are_refused_beside_the_photos(resident_client, settings):
    settings.REPORTS_MAX_PHOTOS = 1
    photos = [SimpleUploadedFile(f"{n}.jpg", tiny_jpeg(), "image/jpeg") for n in range(2)]
    response = resident_client.post(NEW, form_data(photos=photos))
    assert "photos" in errors_of(response)
    assert not Report.objects.exists()


def test_another_categorys_questions_do_not_block_the_form(resident_client):
    response = resident_client.post(
        NEW, form_data(category="graffiti", **{"q__pothole__size": "not-an-option"})
    )
    assert response.status_code == 302
    assert Report.objects.get().answers == {}


def test_anonymous_and_show_name_choices_reach_the_report(resident_client, world):
    resident_client.post(NEW, form_data(is_anonymous="on", client_request_id="a"))
    resident_client.post(NEW, form_data(show_name="on", client_request_id="b"))
    anonymous, named = Report.objects.order_by("pk")
    assert anonymous.is_anonymous
    assert not anonymous.show_name
    assert named.show_name
    assert not named.is_anonymous


# --- categories.json -----------------------------------------------------------------------------


def test_categories_json_follows_the_point(client, world):
    west = client.get("/reports/categories.json", {"lat": MADRID[0], "lon": MADRID[1]}).json()
    east = client.get("/reports/categories.json", {"lat": NIKON_A[0], "lon": NIKON_A[1]}).json()
    outside = client.get("/reports/categories.json", {"lat": MISSOURI[0], "lon": MISSOURI[1]})
    everything = client.get("/reports/categories.json", headers=EN).json()
    west_codes = {c["code"] for c in west["categories"]}
    east_codes = {c["code"] for c in east["categories"]}
    assert west["inside_city"] is True
    assert {"pothole", "graffiti", "fallen-tree", "noise", "dumping"} == west_codes
    assert "graffiti" not in east_codes
    assert "fallen-tree" in east_codes
    assert outside.json() == {"inside_city": False, "categories": []}
    assert len(everything["categories"]) == 5
    pothole = next(c for c in everything["categories"] if c["code"] == "pothole")
    assert pothole["name"] == "Pothole"
    size = pothole["questions"][0]
    assert size["code"] == "size"
    assert size["required"] is True
    assert size["datatype"] == "singlevaluelist"
    assert size["options"] == [{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}]
    dumping = next(c for c in everything["categories"] if c["code"] == "dumping")
    assert dumping["allows_anonymous"] is False
    bad = client.get("/reports/categories.json", {"lat": "north", "lon": "1"})
    assert bad.status_code == 400
    assert "error" in bad.json()


# --- A report's public page ----------------------------------------------------------------------


def test_internal_notes_never_reach_the_public_page_even_for_staff(client, world, submit):
    report = submit()
    services.accept(world.dispatcher, report)
    services.post_update(world.dispatcher, report, message="INTERNAL-NOTE-42", public=False)
    services.post_update(world.dispatcher, report, message="PUBLIC-UPDATE-7")
    for viewer in (None, world.neighbour, world.resident, world.dispatcher, world.admin):
        if viewer is None:
            client.logout()
        else:
            client.force_login(viewer)
        html = client.get(f"/reports/{report.pk}/").content.decode()
        assert "PUBLIC-UPDATE-7" in html
        assert "INTERNAL-NOTE-42" not in html


def test_an_anonymous_reporters_name_is_never_shown(client, world, submit):
    report = submit(is_anonymous=True, show_name=True)
    for viewer in (None, world.neighbour, world.dispatcher):
        if viewer is None:
            client.logout()
        else:
            client.force_login(viewer)
        html = client.get(f"/reports/{report.pk}/", headers=EN).content.decode()
        assert "Alice Resident" not in html
        assert "A resident" in html
    named = submit(show_name=True, client_request_id="named")
    client.logout()
    assert "Alice Resident" in client.get(f"/reports/{named.pk}/").content.decode()
    quiet = submit(client_request_id="quiet")
    assert "Alice Resident" not in client.get(f"/reports/{quiet.pk}/").content.decode()


def exact_strings(lat, lon):
    return {f"{lat}", f"{lon}", f"{lat:.6f}", f"{lon:.6f}", f"{lat:.5f}", f"{lon:.5f}"}


def test_a_sensitive_reports_exact_place_is_not_published(client, world, submit):
    lat, lon = 40.446972, -3.724753
    report = submit(category=world.noise, lat=lat, lon=lon, address="12 Calle Secreta")
    html = client.get(f"/reports/{report.pk}/").content.decode()
    for text in exact_strings(lat, lon) | {"12 Calle Secreta"}:
        assert text not in html
    assert 'data-exact="false"' in html

    geojson = client.get("/reports/reports.geojson").json()
    (feature,) = geojson["features"]
    shown_lon, shown_lat = feature["geometry"]["coordinates"]
    assert feature["properties"]["exact"] is False
    assert (shown_lat, shown_lon) != (lat, lon)
    assert abs(shown_lat - lat) < 0.005
    assert abs(shown_lon - lon) < 0.005
    body = json.dumps(geojson)
    for text in exact_strings(lat, lon):
        assert text not in body

    # A small box around the exact spot that leaves out the coarse point finds nothing, so
    # boxes cannot be used to search for the exact spot.
    box = f"{lon - 0.0001},{lat - 0.0001},{lon + 0.0001},{lat + 0.0001}"
    assert not (shown_lon - 0.0001 <= lon <= shown_lon + 0.0001)
    probe = client.get("/reports/reports.geojson", {"bbox": box}).json()
    assert probe["features"] == []
    around = f"{shown_lon - 0.0001},{shown_lat - 0.0001},{shown_lon + 0.0001},{shown_lat + 0.0001}"
    assert len(client.get("/reports/reports.geojson", {"bbox": around}).json()["features"]) == 1

    # The reporter sees their own report's exact place.
    client.force_login(world.resident)
    own = client.get(f"/reports/{report.pk}/").content.decode()
    assert f"{lat:.6f}" in own
    assert "12 Calle Secreta" in own


def test_a_hidden_report_is_not_found_by_others(client, world, submit):
    report = submit(photos=[tiny_jpeg()])
    services.reject(world.dispatcher, report, reason=RejectReason.ABUSIVE)
    photo = report.photos.get()
    for viewer in (None, world.neighbour):
        if viewer is None:
            client.logout()
        else:
            client.force_login(viewer)
        assert client.get(f"/reports/{report.pk}/").status_code == 404
        assert client.get(f"/reports/photos/{photo.pk}/display.jpg").status_code == 404
        assert client.get(f"/reports/photos/{photo.pk}/thumbnail.jpg").status_code == 404
        assert client.get("/reports/reports.geojson").json()["features"] == []
        assert f"/reports/{report.pk}/" not in client.get("/reports/map/").content.decode()
    client.force_login(world.resident)
    assert client.get(f"/reports/{report.pk}/").status_code == 200
    response = client.get(f"/reports/photos/{photo.pk}/display.jpg")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert client.get("/reports/999999/").status_code == 404


def test_the_photo_view_serves_a_jpeg_without_metadata(client, world, submit):
    report = submit(photos=[photo_bytes("iphone6_gps_madrid.jpg")])
    photo = report.photos.get()
    for size in ("display", "thumbnail"):
        response = client.get(f"/reports/photos/{photo.pk}/{size}.jpg")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "public" in response["Cache-Control"]
        data = b"".join(response.streaming_content)
        assert data[:2] == b"\xff\xd8"
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG"
        assert not image.getexif()
        assert b"Exif" not in data
        assert b"Apple" not in data
        again = client.get(
            f"/reports/photos/{photo.pk}/{size}.jpg", headers={"if-none-match": response["ETag"]}
        )
        assert again.status_code == 304
    assert client.get(f"/reports/photos/{photo.pk}/original.jpg").status_code == 404
    assert client.get("/reports/photos/999999/display.jpg").status_code == 404


def test_support_through_the_button(client, world, submit):
    report = submit()
    url = f"/reports/{report.pk}/support/"
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

    client.force_login(world.neighbour)
    page = client.get(f"/reports/{report.pk}/", headers=EN).content.decode()
    assert f'action="{url}"' in page
    assert client.get(url).status_code == 405
    response = client.post(url, headers=EN)
    assert response.status_code == 302
    client.post(url)
    report.refresh_from_db()
    assert report.support_count == 1
    page = client.get(f"/reports/{report.pk}/", headers=EN).content.decode()
    assert "You support this report." in page

    # The reporter cannot support their own report; the refusal is a message, not an error.
    client.force_login(world.resident)
    assert f'action="{url}"' not in client.get(f"/reports/{report.pk}/").content.decode()
    response = client.post(url, follow=True, headers=EN)
    assert response.status_code == 200
    assert "This is your own report." in response.content.decode()
    report.refresh_from_db()
    assert report.support_count == 1


def resolved(world, report):
    services.accept(world.dispatcher, report)
    services.assign(world.dispatcher, report, handler=world.handler)
    services.start(world.handler, report)
    return services.resolve(world.handler, report, message="已修补", photos=[tiny_jpeg()])


def test_the_reporter_rates_a_resolved_report(client, world, submit):
    report = resolved(world, submit())
    rate_url = f"/reports/{report.pk}/rate/"
    client.force_login(world.neighbour)
    assert rate_url not in client.get(f"/reports/{report.pk}/").content.decode()
    assert client.post(rate_url, {"rating": "5"}).status_code == 403

    client.force_login(world.resident)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert f'action="{rate_url}"' in page
    # The rating is offered in words: 满意 / 基本满意 / 不满意.
    assert all(word in page for word in ("满意", "基本满意", "不满意"))
    after = report.photos.get(kind="after")
    assert f"/reports/photos/{after.pk}/thumbnail.jpg" in page
    response = client.post(rate_url, {"rating": "9", "comment": "?"})
    assert response.status_code == 200
    assert "rating" in response.context["rate_form"].errors
    response = client.post(rate_url, {"rating": "3", "comment": "修得不错"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.rating, report.rating_comment, report.state) == (3, "修得不错", State.CLOSED)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert f'action="{rate_url}"' not in page
    assert "修得不错" in page


def test_the_reporter_reopens_within_the_window(client, world, submit, settings):
    report = resolved(world, submit())
    reopen_url = f"/reports/{report.pk}/reopen/"
    client.force_login(world.resident)
    assert f'action="{reopen_url}"' in client.get(f"/reports/{report.pk}/").content.decode()
    response = client.post(reopen_url, {"reason": ""})
    assert "reason" in response.context["reopen_form"].errors
    response = client.post(reopen_url, {"reason": "还是有坑"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == State.IN_PROGRESS
    assert "还是有坑" in client.get(f"/reports/{report.pk}/").content.decode()

    other = resolved(world, submit(client_request_id="late"))
    Report.objects.filter(pk=other.pk).update(resolved_at=timezone.now() - timedelta(days=30))
    page = client.get(f"/reports/{other.pk}/").content.decode()
    assert f'action="/reports/{other.pk}/reopen/"' not in page
    response = client.post(f"/reports/{other.pk}/reopen/", {"reason": "late"}, headers=EN)
    assert response.status_code == 200
    assert "too late" in response.content.decode()
    other.refresh_from_db()
    assert other.state == State.RESOLVED


# --- Map, GeoJSON and list -----------------------------------------------------------------------


def make_reports(world, submit, count, start=0):
    reports = []
    for n in range(start, start + count):
        reports.append(
            submit(
                lat=40.0 + n * 0.01,
                lon=-3.0,
                category=world.noise if n % 3 == 0 else world.pothole,
                photos=[tiny_jpeg()] if n % 2 == 0 else (),
                client_request_id=f"bulk-{n}",
            )
        )
    return reports


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("signed_in_as", [None, "dispatcher"])
def test_geojson_queries_do_not_grow_with_the_reports(client, world, submit, signed_in_as):
    if signed_in_as:
        client.force_login(getattr(world, signed_in_as))
    make_reports(world, submit, 5)
    few, response = count_queries(client, "/reports/reports.geojson", {"bbox": "-5,38,15,45"})
    assert len(response.json()["features"]) == 5
    make_reports(world, submit, 35, start=5)
    many, response = count_queries(client, "/reports/reports.geojson", {"bbox": "-5,38,15,45"})
    assert len(response.json()["features"]) == 40
    assert few == many


def test_geojson_features_carry_what_the_map_shows(client, world, submit):
    report = submit(photos=[tiny_jpeg()], lat=40.45, lon=-3.7)
    response = client.get("/reports/reports.geojson", headers=EN)
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["truncated"] is False
    (feature,) = body["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-3.7, 40.45]}
    properties = feature["properties"]
    photo = report.photos.get()
    assert properties["id"] == report.pk
    assert properties["category"] == "Pothole"
    assert properties["state"] == "submitted"
    assert properties["family"] == "open"
    assert properties["url"] == f"/reports/{report.pk}/"
    assert properties["thumbnail"] == f"/reports/photos/{photo.pk}/thumbnail.jpg"
    assert properties["exact"] is True
    assert "reporter" not in json.dumps(properties).lower()


def test_geojson_is_capped_and_filtered(client, world, submit, settings):
    settings.REPORTS_MAP_MAX_FEATURES = 3
    reports = make_reports(world, submit, 5)
    body = client.get("/reports/reports.geojson").json()
    assert len(body["features"]) == 3
    assert body["truncated"] is True
    assert [f["id"] for f in body["features"]] == [r.pk for r in reversed(reports)][:3]

    settings.REPORTS_MAP_MAX_FEATURES = 100
    noise = client.get("/reports/reports.geojson", {"category": "noise"}).json()["features"]
    assert {f["properties"]["category"] for f in noise} == {"噪音扰民"}
    assert len(noise) == 2
    services.accept(world.dispatcher, reports[1])
    services.reject(world.dispatcher, reports[2], reason=RejectReason.NOT_OURS)
    not_fixed = client.get("/reports/reports.geojson", {"family": "closed_not_fixed"}).json()
    assert [f["id"] for f in not_fixed["features"]] == [reports[2].pk]
    boxed = client.get("/reports/reports.geojson", {"bbox": "-3.5,40.005,-2.5,40.025"}).json()
    assert sorted(f["id"] for f in boxed["features"]) == [reports[1].pk, reports[2].pk]

    for params in (
        {"bbox": "1,2,3"},
        {"bbox": "a,b,c,d"},
        {"bbox": "5,5,1,1"},
        {"bbox": "nan,1,2,3"},
        {"category": "no-such"},
        {"family": "broken"},
    ):
        response = client.get("/reports/reports.geojson", params)
        assert response.status_code == 400, params
        assert "error" in response.json()


def test_areas_geojson_draws_the_districts(client, world):
    body = client.get("/reports/areas.geojson", headers=EN).json()
    assert {f["properties"]["code"] for f in body["features"]} == {"DW", "DE"}
    assert all(f["geometry"]["type"] == "Polygon" for f in body["features"])


def test_the_map_page_lists_reports_with_filters(client, world, submit):
    reports = make_reports(world, submit, 4)
    pothole = next(r for r in reports if r.category == world.pothole)
    html = client.get("/reports/map/", headers=EN).content.decode()
    assert 'id="reports-map"' in html
    assert "/reports/reports.geojson" in html
    assert "/reports/areas.geojson" in html
    for report in reports:
        assert f'href="/reports/{report.pk}/"' in html
    filtered = client.get("/reports/map/", {"category": "pothole"}).content.decode()
    assert f'href="/reports/{pothole.pk}/"' in filtered
    assert all(
        f'href="/reports/{r.pk}/"' not in filtered for r in reports if r.category == world.noise
    )
    east = client.get("/reports/map/", {"district": "DE"}).content.decode()
    assert not any(f'href="/reports/{r.pk}/"' in east for r in reports)
    # A bad filter is ignored, not an error.
    assert client.get("/reports/map/", {"family": "nope", "page": "x"}).status_code == 200


def test_the_list_queries_do_not_grow_with_the_page(client, world, submit):
    make_reports(world, submit, 5)
    few, _response = count_queries(client, "/reports/map/")
    make_reports(world, submit, 35, start=5)
    many, response = count_queries(client, "/reports/map/")
    assert len(response.context["rows"]) == 20
    assert few == many
    second = client.get("/reports/map/", {"page": 2})
    assert len(second.context["rows"]) == 20


def test_my_reports_shows_mine_with_their_latest_public_event(client, world, submit):
    mine = submit()
    services.accept(world.dispatcher, mine, message="ACCEPTED-MESSAGE")
    services.post_update(world.dispatcher, mine, message="SECRET-NOTE", public=False)
    theirs = submit(world.neighbour, client_request_id="other")
    assert client.get("/reports/mine/").status_code == 302
    client.force_login(world.resident)
    html = client.get("/reports/mine/", headers=EN).content.decode()
    assert f'href="/reports/{mine.pk}/"' in html
    assert f'href="/reports/{theirs.pk}/"' not in html
    assert "ACCEPTED-MESSAGE" in html
    assert "SECRET-NOTE" not in html
    few, _response = count_queries(client, "/reports/mine/")
    for n in range(10):
        submit(client_request_id=f"more-{n}")
    many, _response = count_queries(client, "/reports/mine/")
    assert few == many


@pytest.mark.parametrize(("headers", "lang"), [(EN, "en"), (ZH, "zh-hans")])
def test_the_pages_render_in_both_languages(client, world, submit, headers, lang):
    report = submit(photos=[tiny_jpeg()])
    client.force_login(world.neighbour)
    name = "Pothole" if lang == "en" else "道路坑洼"
    for url in (NEW, "/reports/map/", "/reports/mine/", f"/reports/{report.pk}/"):
        response = client.get(url, headers=headers)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert f'<html lang="{lang}">' in html
        assert 'href="/reports/new/"' in html  # the portal's nav
        if url != "/reports/mine/":
            assert name in html, url
