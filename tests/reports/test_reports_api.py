"""The reports API from the phone app's side: real HTTP to /graphql/, multipart uploads of the
real test photos, every viewer's view of the same report."""

import io
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id
from PIL import Image

from reports import services
from reports.models import Report, State
from reports.photos import process_photo
from tests.reports.conftest import BAD_IMAGES, MADRID, photo_bytes

REPORT_FIELDS = """
  id number state family description address supportCount rating reporterName isMine isFollowing
  location { lat lon exact }
  category { serviceCode name questions { code label options { key name } } }
  area { code ancestors { code } }
  department { code name areas { code } }
  photos { kind width height url thumbnailUrl }
  answers { code question values }
  timeline { kind fromState toState message isPublic actorRole actorName photos { url } }
  staff { reporter { name email } handlerName escalationLevel isOverdue }
"""

SUBMIT = (
    """
mutation Submit($input: SubmitReportInput!) {
  submitReport(input: $input) { errors { field code message } report { %s } }
}"""
    % REPORT_FIELDS
)

REPORT = "query R($id: ID!) { report(id: $id) { %s } }" % REPORT_FIELDS


class Api:
    """A phone, signed in as ``user`` (or not), speaking GraphQL over HTTP."""

    def __init__(self, user=None):
        self.http = Client()
        if user is not None:
            self.http.force_login(user)

    def __call__(self, query, variables=None, **files):
        if files:
            # The GraphQL multipart request spec: operations, map, then the files.
            names = list(files)
            data = {
                "operations": json.dumps({"query": query, "variables": variables}),
                "map": json.dumps({str(i): [files[n][0]] for i, n in enumerate(names)}),
            }
            for i, name in enumerate(names):
                path, content = files[name][1], files[name][2]
                upload = io.BytesIO(content)
                upload.name = path
                data[str(i)] = upload
            response = self.http.post("/graphql/", data=data)
        else:
            response = self.http.post(
                "/graphql/",
                data=json.dumps({"query": query, "variables": variables or {}}),
                content_type="application/json",
            )
        assert response.status_code in (200, 400), response.content[:500]
        body = response.json()
        body["status"] = response.status_code
        return body


def submit_with_photos(api, photo_names, **input_fields):
    variables = {
        "input": {
            "category": "pothole",
            "description": "路面坑洼",
            "answers": [{"code": "size", "value": "large"}],
            "clientRequestId": "req-1",
            "photos": [None] * len(photo_names),
            **input_fields,
        }
    }
    files = {
        f"f{i}": (f"variables.input.photos.{i}", name, photo_bytes(name))
        for i, name in enumerate(photo_names)
    }
    return api(SUBMIT, variables, **files)


def mutate(api, name, input_type, report_id, **fields):
    result = api(
        f"mutation M($input: {input_type}!) {{ {name}(input: $input) "
        "{ errors { field code message } report { id state } } }",
        {"input": {"reportId": report_id, **fields}},
    )
    return result


@pytest.fixture
def phones(world):
    return {
        name: Api(getattr(world, name))
        for name in ("resident", "neighbour", "dispatcher", "handler", "other_staff", "admin")
    } | {"anonymous": Api()}


def test_the_whole_loop_through_graphql(world, phones):
    result = submit_with_photos(phones["resident"], ["iphone6_gps_madrid.jpg"])
    payload = result["data"]["submitReport"]
    assert payload["errors"] == []
    report = payload["report"]
    # The location came from the photo's EXIF, to 5 decimals.
    assert round(report["location"]["lat"], 5) == round(MADRID[0], 5)
    assert round(report["location"]["lon"], 5) == round(MADRID[1], 5)
    assert report["area"]["code"] == "DW-G1"
    assert [a["code"] for a in report["area"]["ancestors"]] == ["W", "DW"]
    assert report["department"]["code"] == "roads"
    assert report["answers"] == [{"code": "size", "question": "坑有多大？", "values": ["large"]}]
    assert report["state"] == "SUBMITTED"
    assert report["photos"][0]["width"] == 1600

    rid = report["id"]
    steps = [
        ("dispatcher", "acceptReport", "AcceptReportInput", {}, "ACCEPTED"),
        (
            "dispatcher",
            "assignReport",
            "AssignReportInput",
            {"handlerId": str(world.handler.pk)},
            "ASSIGNED",
        ),
        ("handler", "startReport", "StartReportInput", {}, "IN_PROGRESS"),
    ]
    for phone, name, input_type, fields, state in steps:
        result = mutate(phones[phone], name, input_type, rid, **fields)
        assert result["data"][name] == {"errors": [], "report": {"id": rid, "state": state}}

    resolve = phones["handler"](
        "mutation M($input: ResolveReportInput!) { resolveReport(input: $input) "
        "{ errors { code } report { state timeline { kind photos { url } } } } }",
        {"input": {"reportId": rid, "message": "已修补", "photos": [None]}},
        f0=("variables.input.photos.0", "after.jpg", photo_bytes("portrait_orientation6.jpg")),
    )
    resolved = resolve["data"]["resolveReport"]
    assert resolved["errors"] == []
    assert resolved["report"]["state"] == "RESOLVED"
    assert len(resolved["report"]["timeline"][-1]["photos"]) == 1

    rated = mutate(phones["resident"], "rateReport", "RateReportInput", rid, rating=4)
    assert rated["data"]["rateReport"]["report"]["state"] == "CLOSED"

    seen = phones["anonymous"](REPORT, {"id": rid})["data"]["report"]
    assert [event["kind"] for event in seen["timeline"]] == [
        "SUBMITTED",
        "ACCEPTED",
        "ASSIGNED",
        "STARTED",
        "RESOLVED",
        "RATED",
    ]
    assert seen["rating"] == 4


def test_a_retried_submission_makes_one_report(world, phones):
    first = submit_with_photos(phones["resident"], ["nikon_gps_a.jpg"], clientRequestId="x-7")
    again = submit_with_photos(phones["resident"], ["nikon_gps_a.jpg"], clientRequestId="x-7")
    assert (
        first["data"]["submitReport"]["report"]["id"]
        == (again["data"]["submitReport"]["report"]["id"])
    )
    assert Report.objects.count() == 1
    # Another resident's request id is theirs alone.
    other = submit_with_photos(phones["neighbour"], ["nikon_gps_a.jpg"], clientRequestId="x-7")
    assert other["data"]["submitReport"]["errors"] == []
    assert Report.objects.count() == 2


def test_nikon_photos_find_each_other_and_staff_merge_them(world, phones):
    # nikon_gps_a and _b show one problem, about 60 m and ten minutes apart.
    first = submit_with_photos(
        phones["resident"], ["nikon_gps_a.jpg"], category="fallen-tree", answers=[]
    )
    original = first["data"]["submitReport"]["report"]
    lat_b, lon_b = process_photo(photo_bytes("nikon_gps_b.jpg")).gps
    nearby = phones["neighbour"](
        "query N($lat: Float!, $lon: Float!) { nearbyReports(lat: $lat, lon: $lon, radius: 100, "
        'category: "fallen-tree") { distance report { id number isMine } } }',
        {"lat": lat_b, "lon": lon_b},
    )["data"]["nearbyReports"]
    assert [hit["report"]["id"] for hit in nearby] == [original["id"]]
    assert 40 < nearby[0]["distance"] < 80
    assert nearby[0]["report"]["isMine"] is False

    second = submit_with_photos(
        phones["neighbour"], ["nikon_gps_b.jpg"], category="fallen-tree", answers=[]
    )
    duplicate = second["data"]["submitReport"]["report"]
    # Fallen trees in DE go to parks by a routing rule; parks has no staff here, so an admin.
    merged = phones["admin"](
        "mutation M($input: MergeReportInput!) { mergeReport(input: $input) "
        "{ errors { code } report { state } } }",
        {"input": {"reportId": duplicate["id"], "originalId": original["id"]}},
    )
    assert merged["data"]["mergeReport"] == {"errors": [], "report": {"state": "DUPLICATE"}}
    assert Report.objects.get(pk=original["number"]).support_count == 1


def test_residents_and_other_departments_cannot_move_a_report(world, phones, submit):
    report = submit()
    rid = to_global_id("Report", report.pk)
    for phone in ("resident", "neighbour", "other_staff", "anonymous"):
        result = mutate(phones[phone], "acceptReport", "AcceptReportInput", rid)
        code = result["errors"][0]["extensions"]["code"]
        assert code == ("unauthenticated" if phone == "anonymous" else "forbidden")
        assert result["data"]["acceptReport"] is None
    assert Report.objects.get().state == State.SUBMITTED
    assert mutate(phones["dispatcher"], "acceptReport", "AcceptReportInput", rid)["data"][
        "acceptReport"
    ]["report"]["state"] == ("ACCEPTED")


def test_internal_notes_and_anonymous_reporters_never_reach_the_public(world, phones, submit):
    report = submit(
        category=world.noise, is_anonymous=True, description="深夜施工", address="幸福路 12 号 3 楼"
    )
    named = submit(description="有名字的", show_name=True, lat=40.5)
    services.post_update(world.dispatcher, report, message="SECRET staff note", public=False)
    services.post_update(world.dispatcher, report, message="我们已联系施工方")
    rid = to_global_id("Report", report.pk)

    feed_query = "query { reports(first: 10) { edges { node { %s } } } }" % REPORT_FIELDS
    for phone in ("anonymous", "neighbour", "resident", "other_staff"):
        api = phones[phone]
        single = api(REPORT, {"id": rid})
        feed = api(feed_query)
        nearby = api(
            "query { nearbyReports(lat: 40.45, lon: -3.7, radius: 2000) { report { %s } } }"
            % REPORT_FIELDS
        )
        text = json.dumps([single, feed, nearby], ensure_ascii=False)
        assert "SECRET" not in text, phone
        if phone != "resident":
            assert "Alice" not in json.dumps(single, ensure_ascii=False), phone
            # The typed address would give away what the coarse location hides.
            assert "幸福路" not in text, phone
        assert single["data"]["report"]["staff"] is None
        assert "我们已联系施工方" in text
        # The sensitive report's public location is approximate for all but its reporter.
        location = single["data"]["report"]["location"]
        assert location["exact"] is (phone == "resident")
        if phone != "resident":
            assert (location["lat"], location["lon"]) != (report.lat, report.lon)
            assert single["data"]["report"]["reporterName"] is None
    # The named report shows its reporter's name to everyone.
    named_view = phones["anonymous"](REPORT, {"id": to_global_id("Report", named.pk)})
    assert named_view["data"]["report"]["reporterName"] == "Alice Resident"

    staff_view = phones["dispatcher"](REPORT, {"id": rid})["data"]["report"]
    assert "SECRET staff note" in [event["message"] for event in staff_view["timeline"]]
    # Anonymous means anonymous to staff too.
    assert staff_view["staff"]["reporter"] is None
    assert staff_view["reporterName"] is None
    named_staff = phones["dispatcher"](REPORT, {"id": to_global_id("Report", named.pk)})
    assert named_staff["data"]["report"]["staff"]["reporter"]["email"] == "resident@example.org"


def test_hidden_reports_are_not_found_by_others(world, phones, submit):
    report = submit()
    services.reject(world.dispatcher, report, reason="abusive")
    rid = to_global_id("Report", report.pk)
    assert phones["neighbour"](REPORT, {"id": rid})["data"]["report"] is None
    assert phones["anonymous"]("query { reports { edges { node { id } } } }")["data"]["reports"][
        "edges"
    ] == ([])
    assert phones["resident"](REPORT, {"id": rid})["data"]["report"]["state"] == "REJECTED"
    support = mutate(phones["neighbour"], "supportReport", "SupportReportInput", rid)
    assert support["data"]["supportReport"]["errors"][0]["code"] == "not_found"


@pytest.mark.parametrize("query_name", ["reports", "myReports"])
def test_queries_do_not_grow_with_page_size(world, phones, submit, query_name, settings):
    # Every field of a full page is far over the cost limit, which is not what this measures.
    settings.GRAPHQL_MAX_COST = 1_000_000
    for n in range(50):
        report = submit(lat=40 + n / 100, client_request_id=f"n{n}")
        services.post_update(world.dispatcher, report, message=f"update {n}")
        if n % 5 == 0:
            services.post_update(world.dispatcher, report, message="note", public=False)
    query = "query Q($first: Int) { %s(first: $first) { edges { node { %s } } } }" % (
        query_name,
        REPORT_FIELDS,
    )
    counts = {}
    for size in (10, 50):
        with CaptureQueriesContext(connection) as queries:
            result = phones["resident"](query, {"first": size})
        assert len(result["data"][query_name]["edges"]) == size
        counts[size] = len(queries)
    assert counts[10] == counts[50], counts


def test_submit_refusals_have_stable_codes(world, phones):
    missouri = submit_with_photos(phones["resident"], ["iphone11_gps.heic"])
    assert missouri["data"]["submitReport"]["errors"][0]["code"] == "outside_city"
    no_gps = submit_with_photos(phones["resident"], ["sample.png"], clientRequestId="r2")
    assert no_gps["data"]["submitReport"]["errors"][0]["code"] == "location_required"
    wrong_place = submit_with_photos(
        phones["resident"],
        ["nikon_gps_a.jpg"],
        category="graffiti",
        answers=[],
        clientRequestId="r3",
    )
    assert wrong_place["data"]["submitReport"]["errors"][0]["field"] == "category"
    assert wrong_place["data"]["submitReport"]["errors"][0]["code"] == "category_not_offered"
    missing = phones["resident"](
        SUBMIT,
        {
            "input": {
                "category": "pothole",
                "description": "x" * 3000,
                "location": {"lat": 40.45, "lon": -3.7},
                "clientRequestId": "r4",
            }
        },
    )
    errors = {(e["field"], e["code"]) for e in missing["data"]["submitReport"]["errors"]}
    assert errors == {("description", "max_length"), ("answers.size", "answer_required")}
    assert Report.objects.count() == 0


@pytest.mark.parametrize("path", sorted(BAD_IMAGES.iterdir()), ids=lambda p: p.name)
def test_every_bad_image_is_refused_or_accepted_never_a_500(world, phones, path):
    result = phones["resident"](
        SUBMIT,
        {
            "input": {
                "category": "pothole",
                "description": "坏图片",
                "answers": [{"code": "size", "value": "small"}],
                "location": {"lat": 40.45, "lon": -3.7},
                "clientRequestId": path.name,
                "photos": [None],
            }
        },
        f0=("variables.input.photos.0", path.name, path.read_bytes()),
    )
    payload = result["data"]["submitReport"]
    if payload["errors"]:
        assert payload["errors"][0]["field"] == "photos"
        assert payload["errors"][0]["code"].startswith("photo_")
        assert payload["report"] is None
    else:
        stored = Report.objects.get().photos.get()
        with Image.open(stored.display) as image:
            assert not image.getexif()


def test_malformed_multipart_requests_are_a_clear_400(world):
    http = Client()
    for data in (
        {"operations": "not json", "map": "{}"},
        {"operations": json.dumps({"query": "{ reportCategories { name } }"}), "map": "[]"},
        {
            "operations": json.dumps({"query": "{ reportCategories { name } }"}),
            "map": json.dumps({"0": ["variables.nothing.here"]}),
            "0": io.BytesIO(b"x"),
        },
        {
            "operations": json.dumps({"query": "{ reportCategories { name } }"}),
            "map": json.dumps({"missing": ["variables.x"]}),
        },
    ):
        response = http.post("/graphql/", data=data)
        assert response.status_code == 400, data
        assert response.json()["errors"][0]["extensions"]["code"] == "bad_request"


def test_categories_at_offers_only_what_some_department_handles(world, phones):
    query = (
        "query C($lat: Float!, $lon: Float!) { categoriesAt(lat: $lat, lon: $lon) { serviceCode } }"
    )
    west = phones["anonymous"](query, {"lat": 40.45, "lon": -3.7})["data"]["categoriesAt"]
    east = phones["anonymous"](query, {"lat": 43.46, "lon": 11.88})["data"]["categoriesAt"]
    outside = phones["anonymous"](query, {"lat": 39.05, "lon": -94.29})["data"]["categoriesAt"]
    assert {c["serviceCode"] for c in west} == {
        "pothole",
        "graffiti",
        "fallen-tree",
        "noise",
        "dumping",
    }
    assert {c["serviceCode"] for c in east} == {"pothole", "fallen-tree", "noise", "dumping"}
    assert outside == []


def test_photos_are_stored_upright_and_without_metadata(world, phones):
    result = submit_with_photos(
        phones["resident"],
        ["portrait_orientation6.jpg"],
        location={"lat": 40.45, "lon": -3.7},
    )
    photo = result["data"]["submitReport"]["report"]["photos"][0]
    assert photo["height"] > photo["width"]
    response = Client().get(photo["url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert image.height > image.width
    assert not image.getexif()


def test_feed_filters_by_family_area_category_and_box(world, phones, submit):
    west = submit(client_request_id="w")
    east = submit(lat=43.46, lon=11.88, client_request_id="e")
    services.reject(world.dispatcher, east, reason="not_ours")
    query = (
        "query F($family: ReportFamily, $area: ID, $bbox: BoundingBoxInput) "
        "{ reports(family: $family, areaId: $area, bbox: $bbox) { edges { node { number } } } }"
    )

    def numbers(**variables):
        result = phones["anonymous"](query, variables)
        return [edge["node"]["number"] for edge in result["data"]["reports"]["edges"]]

    assert numbers() == [east.pk, west.pk]
    assert numbers(family="OPEN") == [west.pk]
    assert numbers(family="CLOSED_NOT_FIXED") == [east.pk]
    assert numbers(area=to_global_id("Area", world.areas["DE"].pk)) == [east.pk]
    box = {"minLat": 40, "minLon": -4, "maxLat": 41, "maxLon": -3}
    assert numbers(bbox=box) == [west.pk]
    bad = phones["anonymous"](query, {"bbox": {**box, "minLat": 42}})
    assert bad["errors"][0]["extensions"]["code"] == "invalid_bbox"


def test_small_boxes_and_nearby_searches_cannot_pin_down_a_sensitive_report(world, phones, submit):
    # 40.4512, -3.7013 lies well inside its ~500 m square, away from the square's centre.
    report = submit(category=world.noise, lat=40.4512, lon=-3.7013)
    tight = {"minLat": 40.4511, "minLon": -3.7014, "maxLat": 40.4513, "maxLon": -3.7012}
    feed = phones["neighbour"](
        "query F($bbox: BoundingBoxInput) { reports(bbox: $bbox) { edges { node { number } } } }",
        {"bbox": tight},
    )
    assert feed["data"]["reports"]["edges"] == []
    near = phones["neighbour"](
        "{ nearbyReports(lat: 40.4512, lon: -3.7013, radius: 50) { report { number } } }"
    )
    assert near["data"]["nearbyReports"] == []
    # Around the public (coarse) point, it is found, and the distance is to that point.
    coarse = phones["neighbour"](
        "query R($id: ID!) { report(id: $id) { location { lat lon exact } } }",
        {"id": to_global_id("Report", report.pk)},
    )["data"]["report"]["location"]
    assert coarse["exact"] is False
    found = phones["neighbour"](
        "query N($lat: Float!, $lon: Float!) { nearbyReports(lat: $lat, lon: $lon, radius: 50) "
        "{ distance report { number } } }",
        {"lat": coarse["lat"], "lon": coarse["lon"]},
    )["data"]["nearbyReports"]
    assert found == [{"distance": 0.0, "report": {"number": report.pk}}]
