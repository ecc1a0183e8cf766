"""Report photos on an S3-compatible object store (a real server: moto's server mode):
uploaded, decoded, served (public reports: a cacheable redirect to a signed URL), refused
(a hidden report, to anyone who may not see it), and a hidden report's photo reaches its
reporter through a link that stops working after a few seconds."""

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import time_machine
from django.urls import reverse
from django.utils import timezone

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
    # Time stands still from a whole second on (signatures count whole seconds), then moves.
    with time_machine.travel(timezone.now().replace(microsecond=0), tick=False) as traveller:
        own = Api(world.resident).http.get(url)
        assert own.status_code == 302
        assert "no-store" in own["Cache-Control"]
        # Not the store's URL (moto, unlike S3, enforces neither the expiry nor the signature
        # of its signed URLs) but our own link, signed for S3_PRIVATE_URL_SECONDS, which
        # streams the photo from the store while it is valid and refuses it after.
        link = own["Location"]
        assert link.startswith("/files/")
        stranger = Api().http  # the link is the permission: whoever holds it, until it expires
        served = stranger.get(link)
        assert served.status_code == 200
        assert "no-store" in served["Cache-Control"]
        assert b"".join(served.streaming_content)[:3] == b"\xff\xd8\xff"
        traveller.shift(2)
        assert stranger.get(link).status_code == 200
        traveller.shift(1)
        expired = stranger.get(link)
        assert (expired.status_code, expired.content) == (403, b"")
    token = link.removeprefix("/files/").removesuffix("/")
    payload, _, signature = token.rpartition(":")
    for forged in (f"x{payload}:{signature}", f"{payload}:{signature[::-1]}"):
        assert stranger.get(f"/files/{forged}/").status_code == 403
    assert parse_qs(urlsplit(response["Location"]).query)["X-Amz-Expires"] == ["3600"]
