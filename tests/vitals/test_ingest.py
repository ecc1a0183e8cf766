"""Readings pushed over HTTP: refusals with reasons, retries stored once, keys, the limit."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civic.core.permissions import SYSTEM
from civic.vitals import services
from civic.vitals.models import Reading

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(vitals):
    return services.issue_key(SYSTEM, name="水务 SCADA", rate_limit=5)


def _post(client, raw, readings, **extra):
    return client.post(
        reverse("vitals:ingest"),
        {"readings": readings},
        content_type="application/json",
        headers={"X-Api-Key": raw} if raw is not None else {},
        **extra,
    )


def test_every_bad_reading_is_refused_with_its_reason_and_the_good_ones_stored(client, key):
    now = timezone.now()
    readings = [
        {"sensor": "wl-1", "time": now.isoformat(), "value": 1.5, "unit": "m"},
        {"sensor": "nope", "time": now.isoformat(), "value": 1.5},
        {"sensor": "wl-1", "time": now.isoformat(), "value": 1.5, "unit": "cm"},
        {"sensor": "wl-1", "time": (now + timedelta(hours=1)).isoformat(), "value": 1.5},
        {"sensor": "wl-1", "time": now.isoformat(), "value": "high"},
        {"sensor": "wl-1", "time": now.isoformat(), "value": "NaN"},
        {"sensor": "wl-1", "time": "yesterday", "value": 1.0},
        # Late and out of order: an hour ago, after the one of now.
        {"sensor": "wl-2", "time": (now - timedelta(hours=1)).isoformat(), "value": 0.9},
    ]
    response = _post(client, key.raw, readings)
    assert response.status_code == 200
    assert response.json() == {
        "stored": 2,
        "duplicates": 0,
        "refused": [
            {"index": 1, "sensor": "nope", "reason": "unknown_sensor"},
            {"index": 2, "sensor": "wl-1", "reason": "wrong_unit"},
            {"index": 3, "sensor": "wl-1", "reason": "future_time"},
            {"index": 4, "sensor": "wl-1", "reason": "not_a_number"},
            {"index": 5, "sensor": "wl-1", "reason": "not_a_number"},
            {"index": 6, "sensor": "wl-1", "reason": "bad_time"},
        ],
    }
    assert Reading.objects.count() == 2


def test_a_retried_batch_is_stored_once(client, key):
    batch = [
        {"sensor": "wl-1", "time": f"2026-03-01T0{n}:00:00+08:00", "value": 1.0 + n}
        for n in range(5)
    ]
    assert _post(client, key.raw, batch).json()["stored"] == 5
    again = _post(client, key.raw, batch).json()
    assert (again["stored"], again["duplicates"]) == (0, 5)
    assert Reading.objects.count() == 5


def test_wrong_missing_and_revoked_keys_are_refused(client, key):
    good = [{"sensor": "wl-1", "time": timezone.now().isoformat(), "value": 1.0}]
    for raw in (None, "", "not-a-key"):
        response = _post(client, raw, good)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "api_key_invalid"
    services.revoke_key(SYSTEM, key.key)
    assert _post(client, key.raw, good).status_code == 401
    assert not Reading.objects.exists()


def test_a_key_past_its_limit_is_answered_429(client, key):
    good = [{"sensor": "wl-1", "time": "2026-03-01T00:00:00+08:00", "value": 1.0}]
    statuses = [_post(client, key.raw, good).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    refused = _post(client, key.raw, good)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["error"]["code"] == "rate_limited"


def test_malformed_bodies_are_400_never_500(client, key):
    for body in ("{", "[]", '{"readings": 3}', '{"readings": [' + ",".join(["{}"] * 1001) + "]}"):
        response = client.post(
            reverse("vitals:ingest"),
            body,
            content_type="application/json",
            headers={"X-Api-Key": key.raw},
        )
        assert response.status_code == 400, body
        assert response.json()["error"]["code"] == "batch_invalid"
    response = _post(client, key.raw, [None, 3, "x"])
    assert [r["reason"] for r in response.json()["refused"]] == ["unknown_sensor"] * 3


def test_a_sensor_bound_to_a_system_takes_only_its_key(client, key, as_user, world):
    from civic.vitals.models import Sensor

    other = services.issue_key(SYSTEM, name="空气质量监测网")
    sensor = Sensor.objects.get(code="wl-1")
    # A platform admin binds the river gauge to the water SCADA's key in the admin.
    form = {
        "code": sensor.code,
        "name": sensor.name,
        "measure": sensor.measure,
        "unit": sensor.unit,
        "area": sensor.area_id,
        "source_key": key.key.pk,
        "is_active": "on",
    }
    edit = reverse("vitals_sensors:edit", args=[sensor.pk])
    assert as_user(world.admin).post(edit, form).status_code == 302
    sensor.refresh_from_db()
    assert sensor.source_key_id == key.key.pk
    now = timezone.now()
    readings = [
        {"sensor": "wl-1", "time": now.isoformat(), "value": 9.9},
        {"sensor": "wl-2", "time": now.isoformat(), "value": 1.1},
    ]
    answer = _post(client, other.raw, readings).json()
    assert answer["stored"] == 1  # wl-2 is bound to no system
    assert answer["refused"] == [{"index": 0, "sensor": "wl-1", "reason": "not_your_sensor"}]
    assert not Reading.objects.filter(sensor=sensor).exists()
    assert _post(client, key.raw, readings[:1]).json()["stored"] == 1
    assert Reading.objects.get(sensor=sensor).value == 9.9
