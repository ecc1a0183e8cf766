"""Open data: the datasets hold the figures and nothing personal; downloads stream, take any
date range, refuse bad input with a 400 and are rate-limited per IP."""

import csv
import io
import json

import pytest
from django.core.cache import cache

from civic.accounts.services import update_profile

pytestmark = pytest.mark.django_db

RANGE = "date_from=2026-03-01&date_to=2026-03-31"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def body(response):
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_no_dataset_names_a_person_or_a_sensitive_place(world, story, client):
    # The reporter's name is on her profile and she chose to show it; the noise report is in a
    # sensitive category, with an address and a description.
    assert "Alice Resident" in str(world.resident)
    secret_address, secret_text = "平安里3号", "车行道上有个坑"
    downloads = {
        path: body(client.get(f"/open-data/{path}?{RANGE}"))
        for path in ("reports.csv", "reports.geojson", "daily-figures.csv")
    }
    for path, text in downloads.items():
        for secret in ("Alice", world.resident.email, secret_address):
            assert secret not in text, (path, secret)
    rows = list(csv.DictReader(io.StringIO(downloads["reports.csv"])))
    assert len(rows) == 4
    noisy = next(row for row in rows if row["id"] == str(story.noisy.pk))
    assert noisy["description"] == ""
    assert noisy["location_exact"] == "False"
    assert (float(noisy["lat"]), float(noisy["lon"])) != (story.noisy.lat, story.noisy.lon)
    quick = next(row for row in rows if row["id"] == str(story.quick.pk))
    assert quick["description"] == secret_text  # not sensitive: as on the public map
    assert quick["state"] == "closed"
    assert quick["district"] == "DW"
    geojson = json.loads(downloads["reports.geojson"])
    assert len(geojson["features"]) == 4
    assert geojson["licence"] == "https://creativecommons.org/licenses/by/4.0/"


def test_hidden_reports_are_left_out(world, story, client, committed):
    from reports import services

    with committed():
        services.reject(world.admin, story.waiting, reason="abusive")
    rows = list(csv.DictReader(io.StringIO(body(client.get(f"/open-data/reports.csv?{RANGE}")))))
    assert str(story.waiting.pk) not in {row["id"] for row in rows}


def test_daily_figures_per_district_and_category(world, story, client):
    rows = list(
        csv.DictReader(io.StringIO(body(client.get(f"/open-data/daily-figures.csv?{RANGE}"))))
    )
    monday = [row for row in rows if row["day"] == "2026-03-02"]
    received = {(row["district"], row["category"]): row["received"] for row in monday}
    assert received == {("DW", "pothole"): "2", ("DW", "graffiti"): "1", ("DE", "noise"): "1"}
    assert sum(int(row["resolved"]) for row in rows) == 2


def test_bad_ranges_are_refused_with_400(world, client):
    for query in ("date_from=yesterday", "date_from=2026-03-31&date_to=2026-03-01"):
        assert client.get(f"/open-data/reports.csv?{query}").status_code == 400


def test_downloads_are_rate_limited_per_ip(world, client, settings):
    settings.OPEN_DATA_RATE_PER_IP = "2/m"
    assert client.get("/open-data/daily-figures.csv").status_code == 200
    assert client.get("/open-data/reports.csv").status_code == 200
    refused = client.get("/open-data/reports.geojson")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    other = client.get("/open-data/reports.csv", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_pages_in_both_languages(world, story, client, language):
    page = client.get("/open-data/", headers={"accept-language": language}).content.decode()
    assert ("Data dictionary" if language == "en" else "数据字典") in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert "submitted_at" in page
    rankings = client.get(
        "/open-data/rankings/?month=2026-03", headers={"accept-language": language}
    )
    assert rankings.status_code == 200
    text = rankings.content.decode()
    assert "Alice" not in text
    assert "平安里" not in text
    assert "61.2" in text  # roads' score
    assert client.get("/open-data/rankings/?month=nope").status_code == 400


def test_a_reporter_who_shows_her_name_is_still_not_named(world, story, client):
    update_profile(world.resident, display_name="Alice Resident")
    text = body(client.get(f"/open-data/reports.geojson?{RANGE}"))
    assert "Alice" not in text
