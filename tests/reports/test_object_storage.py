"""Report photos on an S3-compatible object store (a real server: moto's server mode):
uploaded, decoded, served (public reports: a cacheable redirect to a signed URL), refused
(a hidden report, to anyone who may not see it), and the signed URLs are short-lived."""

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from reports.models import Report, ReportPhoto
from tests.reports.test_reports_api import Api, submit_with_photos


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_photos_are_stored_served_and_refused_through_the_object_store(world, s3_media, settings):
    settings.S3_PUBLIC_URL_SECONDS = 3600
    settings.S3_PRIVATE_URL_SECONDS = 2
    result = submit_with_photos(
        Api(world.resident), ["iphone13_nogps.heic"], location={"lat": 40.45, "lon": -3.7}
    )["data"]["submitReport"]
    assert result["errors"] == []
    photo = ReportPhoto.objects.get()
    assert photo.is_processed
    assert not photo.source
    keys = s3_media.keys()
    assert sorted(keys) == sorted([photo.display.name, photo.thumbnail.name])  # no upload left

    url = reverse("reports:photo", args=[photo.pk, "display"])
    anonymous = Api().http
    response = anonymous.get(url)
    assert response.status_code == 302
    assert "public" in response["Cache-Control"]
    status, body = fetch(response["Location"])
    assert status == 200
    assert body[:3] == b"\xff\xd8\xff"
    assert fetch(s3_media.endpoint + f"/civic-media/{photo.display.name}")[0] == 403  # unsigned

    Report.objects.filter(pk=photo.report_id).update(is_public=False)
    assert anonymous.get(url).status_code == 404
    assert Api(world.neighbour).http.get(url).status_code == 404
    own = Api(world.resident).http.get(url)
    assert own.status_code == 302
    assert "no-store" in own["Cache-Control"]
    assert fetch(own["Location"])[0] == 200
    # Signed for S3_PRIVATE_URL_SECONDS. moto checks neither the expiry nor the signature of a
    # signed URL (S3 does), so the test checks what the URL asks of the store.
    query = parse_qs(urlsplit(own["Location"]).query)
    assert query["X-Amz-Expires"] == ["2"]
    assert "X-Amz-Signature" in query
    assert parse_qs(urlsplit(response["Location"]).query)["X-Amz-Expires"] == ["3600"]
