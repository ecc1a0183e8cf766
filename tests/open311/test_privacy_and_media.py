"""What Open311 reads never show, where address_string places a request, and media_url."""

import functools
import http.server
import io
import threading

import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from reports import services as report_services
from reports.models import Category, CategoryQuestion, Report
from tests.reports.conftest import PHOTOS

from .conftest import FORMATS

pytestmark = pytest.mark.django_db(transaction=True)

EXACT = {"lat": "40.451234", "long": "-3.703456"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_sensitive_categorys_exact_place_and_the_reporter_never_leak(open311, world, fmt):
    [created] = open311.post(
        fmt,
        service_code="noise",
        description="Loud music every night",
        address_string="12 Quiet Street",
        first_name="Dana",
        last_name="Neighbour",
        email="dana@example.net",
        phone="555-0100",
        **EXACT,
    ).data
    report = Report.objects.get(pk=int(created["service_request_id"]))
    assert (report.lat, report.lon) == (40.451234, -3.703456)  # staff keep the exact place
    app_report = report_services.submit_report(
        world.resident,
        category=world.pothole,
        description="hole",
        lat=40.45,
        lon=-3.7,
        answers={"size": "small"},
        address="By the school gate",
    )
    report_services.post_update(world.dispatcher, app_report, message="secret", public=False)

    for resource in (f"requests/{report.pk}", "requests"):
        answer = open311.get(resource, fmt)
        assert answer.status == 200
        noise = next(r for r in answer.data if int(r["service_request_id"]) == report.pk)
        assert (float(noise["lat"]), float(noise["long"])) != (40.451234, -3.703456)
        assert abs(float(noise["lat"]) - 40.451234) < 0.005
        assert noise["address"] is None  # a written address would give the place away
        private = (b"Dana", b"dana@", b"555-0100", b"Quiet", b"Alice", b"resident@", b"secret")
        for text in private:
            assert text not in answer.raw, text


@pytest.mark.parametrize("fmt", FORMATS)
def test_reports_hidden_from_the_public_are_not_served(open311, world, submit, fmt):
    spam = submit(description="buy things")
    report_services.reject(world.dispatcher, spam, reason="abusive")
    assert open311.get(f"requests/{spam.pk}", fmt).status == 404
    assert open311.get("requests", fmt).data == []


@pytest.mark.parametrize(
    "address", ["Corner of Main Street, DW区, 测试城", "next to the bakery, dw", "DW-G2"]
)
def test_address_string_places_the_request_in_the_area_it_names(open311, world, address):
    answer = open311.post(
        service_code="graffiti", description="Tags on a wall", address_string=address
    )
    assert answer.status == 200, answer.raw
    report = Report.objects.get(pk=answer.data[0]["service_request_id"])
    assert report.address == address
    assert report.area.path.startswith(world.areas["DW"].path)
    assert -5 <= report.lon <= 5
    assert report.department == world.sanitation


@pytest.fixture
def photo_server(tmp_path):
    """A photo host on this machine: the test photos, and a folder that redirects."""
    folder = tmp_path / "host"
    folder.mkdir()
    (folder / "phone.jpg").write_bytes((PHOTOS / "iphone6_gps_madrid.jpg").read_bytes())
    (folder / "elsewhere").mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("fmt", FORMATS)
def test_media_url_is_fetched_from_allowed_hosts_only_and_served_clean(
    open311, world, settings, photo_server, fmt
):
    def post(media_url):
        return open311.post(
            fmt,
            service_code="graffiti",
            lat="40.45",
            long="-3.7",
            description="Tags",
            media_url=media_url,
        )

    assert post(photo_server + "phone.jpg").status == 400  # nothing is allowed by default
    settings.OPEN311_MEDIA_URL_PREFIXES = [photo_server]
    assert post(photo_server + "elsewhere").status == 400  # a redirect is not followed
    assert post(photo_server + "missing.jpg").status == 400
    assert Report.objects.count() == 0

    answer = post(photo_server + "phone.jpg")
    assert answer.status == 200, answer.raw
    report_id = int(answer.data[0]["service_request_id"])
    [request] = open311.get(f"requests/{report_id}", fmt).data
    assert request["media_url"].endswith(
        f"/reports/photos/{Report.objects.get(pk=report_id).photos.get().pk}/display.jpg"
    )
    photo = requests.get(request["media_url"], timeout=30)
    assert photo.status_code == 200
    assert photo.headers["Content-Type"] == "image/jpeg"
    assert not Image.open(io.BytesIO(photo.content)).getexif()  # no GPS, no camera


def test_listing_requests_costs_the_same_queries_whatever_the_page_size(world, client, submit):
    for n in range(6):
        report = submit(description=f"hole {n}")
        report_services.accept(world.dispatcher, report, message=f"on it {n}")

    def count(page_size):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/open311/v2/requests.json?page_size={page_size}")
        assert response.status_code == 200
        assert len(response.json()) == page_size
        return len(queries)

    assert count(2) == count(6)


def test_listing_services_costs_the_same_queries_whatever_their_number(world, client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/open311/v2/services.xml")
        assert response.status_code == 200
        return len(queries)

    before = count()
    for n in range(3):
        extra = Category.objects.create(service_code=f"extra-{n}", name=f"其他{n}")
        CategoryQuestion.objects.create(category=extra, code="q", label="问题")
    assert count() == before
