"""The staff screens: the leadership screen and its data, a warning's actions, the CSV
import, keys, and who is let in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civic.vitals.models import Indicator, Reading, SourceKey, Warning
from reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def accept_language():
    return "en"


@pytest.fixture
def orange(vitals, reading):
    reading(3.1)
    return Warning.objects.get()


def test_the_screen_and_its_data_follow_the_viewers_scope(as_user, vitals, world, orange):
    page = as_user(vitals.leader_dw).get(reverse("vitals_admin:screen"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "River level" in html
    assert "#f46036" in html
    data = as_user(vitals.leader_de).get(reverse("vitals_admin:screen_json")).json()
    assert data["warnings"] == []
    assert data["domains"][0]["signs"][0]["level"] is None
    data = as_user(world.admin).get(reverse("vitals_admin:screen_json")).json()
    assert [w["level"] for w in data["warnings"]] == [2]
    # Sanitation answers for no indicator: an empty screen.
    data = as_user(world.other_staff).get(reverse("vitals_admin:screen_json")).json()
    assert (data["domains"], data["warnings"]) == ([], [])
    assert as_user(world.resident).get(reverse("vitals_admin:screen_json")).status_code in (
        302,
        403,
    )


def test_the_screen_is_in_chinese_for_chinese_readers(as_user, vitals, orange):
    html = as_user(vitals.leader_dw, language="zh-hans").get(reverse("vitals_admin:screen"))
    assert "城市生命体征" in html.content.decode()
    assert "河道水位" in html.content.decode()


def test_a_warning_is_acknowledged_worked_and_closed_in_the_admin(as_user, world, orange, submit):
    url = reverse("vitals_admin:warning", args=[orange.pk])
    client = as_user(world.dispatcher)
    assert client.get(url).status_code == 200
    client.post(url, {"action": "acknowledge"})
    report = submit()
    client.post(url, {"action": "work", "note": "已派抢修队", "report": report.pk})
    refused = client.post(url, {"action": "work", "note": ""}, follow=True)
    assert "Write a note or link a report." in refused.content.decode()
    client.post(url, {"action": "close", "cause": "handled", "note": "修好了"})
    orange.refresh_from_db()
    assert (orange.state, orange.cause) == ("closed", "handled")
    assert list(orange.entries.values_list("kind", flat=True)) == [
        "opened",
        "acknowledged",
        "report_linked",
        "closed",
    ]
    assert as_user(world.other_staff).get(url).status_code in (302, 403)
    listing = as_user(world.dispatcher).get(reverse("vitals_warnings:index"))
    assert listing.status_code == 200
    assert url in listing.content.decode()


def test_csv_import_stores_readings_and_lists_refusals(as_user, world, vitals):
    csv = (
        "sensor,time,value,unit\n"
        "wl-1,2026-03-01T08:00:00+08:00,1.2,m\n"
        "wl-1,2026-03-01T08:05:00+08:00,abc,m\n"
        "ghost,2026-03-01T08:05:00+08:00,1.0,m\n"
    )
    upload = SimpleUploadedFile("readings.csv", csv.encode(), content_type="text/csv")
    response = as_user(world.admin).post(reverse("vitals_admin:import"), {"file": upload})
    html = response.content.decode()
    assert "Stored 1, already there 0, refused 2." in html
    assert "not_a_number" in html
    assert "unknown_sensor" in html
    assert Reading.objects.count() == 1
    assert as_user(world.dispatcher).get(reverse("vitals_admin:import")).status_code in (302, 403)


def test_keys_are_issued_once_and_revoked(as_user, world):
    client = as_user(world.admin)
    response = client.post(reverse("vitals_admin:keys"), {"name": "空气站", "rate_limit": 60})
    key = SourceKey.objects.get()
    raw = (
        response.content.decode().split("data-vitals-key")[0].rsplit('value="', 1)[1].split('"')[0]
    )
    assert raw.startswith(key.prefix)
    assert key.key_hash not in response.content.decode()
    assert raw not in client.get(reverse("vitals_admin:keys")).content.decode()
    client.post(reverse("vitals_admin:revoke_key", args=[key.pk]))
    key.refresh_from_db()
    assert not key.is_active


def test_only_platform_admins_manage_indicators_and_sensors(as_user, world, vitals):
    for name in ("vitals_indicators:index", "vitals_sensors:index", "vitals_admin:keys"):
        assert as_user(world.admin).get(reverse(name)).status_code == 200
        assert as_user(vitals.leader_dw).get(reverse(name)).status_code in (302, 403)
    edit = reverse("vitals_indicators:edit", args=[vitals.indicator.pk])
    assert as_user(world.admin).get(edit).status_code == 200


def test_metrics_count_the_live_warnings_by_level(client, settings, orange):
    settings.METRICS_TOKEN = "scraper-token-0123456789"
    page = client.get(
        "/metrics", HTTP_AUTHORIZATION="Bearer scraper-token-0123456789"
    ).content.decode()
    assert 'civic_vitals_open_warnings{level="2"} 1.0' in page
    assert 'civic_vitals_open_warnings{level="1"} 0.0' in page


def test_a_report_is_dispatched_from_a_warning_once_and_linked(as_user, world, vitals, orange):
    url = reverse("vitals_admin:warning", args=[orange.pk])
    client = as_user(world.dispatcher)
    assert "Dispatch a report for it" in client.get(url).content.decode()
    form = {
        "action": "dispatch",
        "category": world.dumping.pk,
        "description": "水位超警，清理河道垃圾",
        "client_request_id": "warning-form-1",
    }
    client.post(url, form)
    client.post(url, form)  # a double click
    [report] = Report.objects.filter(channel="warning")
    # Filed for the city, like a hotline call: nobody's report, nobody's points; then triaged.
    assert (report.reporter, report.submitted_by) == (None, world.dispatcher)
    assert report.state == "submitted"
    assert report.area_path.startswith(orange.area.path)
    assert list(orange.linked_reports.all()) == [report]
    assert list(orange.entries.values_list("kind", "report")) == [
        ("opened", None),
        ("dispatched", report.pk),
    ]
    # A leader sees the warning but files no reports: told so, and nothing is filed.
    refused = as_user(vitals.leader_dw).post(
        url, {**form, "client_request_id": "warning-form-2"}, follow=True
    )
    assert refused.status_code == 200
    assert "Only staff" in refused.content.decode()
    assert Report.objects.filter(channel="warning").count() == 1


def test_the_admin_refuses_thresholds_out_of_order(as_user, world, vitals):
    url = reverse("vitals_indicators:add")
    form = {
        "code": "aqi",
        "name": "空气质量指数",
        "name_en": "Air quality index",
        "domain": "environment",
        "unit": "AQI",
        "scope": "district",
        "source": "sensor",
        "measure": "aqi",
        "window_minutes": 60,
        "direction": "above",
        "threshold_4": 100,
        "threshold_3": 150,
        "threshold_2": 140,  # milder than level III: refused
        "threshold_1": 300,
        "hysteresis": 5,
        "escalate_after_minutes": 30,
        "is_active": "on",
    }
    client = as_user(world.admin)
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "A more severe level needs a threshold further past the milder" in (
        refused.content.decode()
    )
    # Watched going down (e.g. reservoir level), the order turns round.
    client.post(
        url,
        {
            **form,
            "direction": "below",
            "threshold_4": 300,
            "threshold_3": 150,
            "threshold_2": 140,
            "threshold_1": 100,
        },
    )
    assert Indicator.objects.filter(code="aqi", direction="below").exists()
