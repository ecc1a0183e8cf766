"""Readings in: the API keys systems push with, and storing a batch of readings.

A batch is ``[{"sensor": code, "time": ISO 8601, "value": number, "unit": optional}, …]``.
Each reading is stored or refused on its own, with a reason; a reading already stored for its
sensor and time is a retry and is not stored twice. Late and out-of-order readings are welcome:
the evaluator reads them by their time, whenever they arrive.
"""

import csv
import io
import math
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from civic.core.errors import DomainError
from civic.core.permissions import require

from ..models import Reading, Sensor, SourceKey, hash_key
from ..permissions import can_manage_vitals

MAX_BATCH = 1000
# A sensor's clock may run a little ahead of ours.
CLOCK_SKEW = timedelta(minutes=2)


class ApiKeyInvalid(DomainError):
    code = "api_key_invalid"
    default_message = _("A valid X-Api-Key header is required.")


class BatchInvalid(DomainError):
    code = "batch_invalid"
    default_message = _('Send {"readings": [...]} with at most 1000 readings.')


class Refusal:
    UNKNOWN_SENSOR = "unknown_sensor"
    NOT_YOUR_SENSOR = "not_your_sensor"
    WRONG_UNIT = "wrong_unit"
    FUTURE_TIME = "future_time"
    NOT_A_NUMBER = "not_a_number"
    BAD_TIME = "bad_time"


@dataclass(frozen=True)
class IssuedKey:
    key: SourceKey
    raw: str  # shown once, never stored


def issue_key(actor, *, name, rate_limit=None):
    require(can_manage_vitals(actor))
    # Hex, so a key never starts with "-" and is passed to a command line as it is.
    raw = secrets.token_hex(24)
    key = SourceKey.objects.create(
        name=name.strip(), prefix=raw[:8], key_hash=hash_key(raw), rate_limit=rate_limit or 120
    )
    return IssuedKey(key, raw)


@transaction.atomic
def revoke_key(actor, key):
    require(can_manage_vitals(actor))
    key = SourceKey.objects.select_for_update().get(pk=key.pk)
    if key.is_active:
        key.is_active = False
        key.revoked_at = timezone.now()
        key.save(update_fields=["is_active", "revoked_at"])
    return key


def authenticate(raw):
    """The active key for ``raw``; missing, unknown and revoked keys are refused alike."""
    key = SourceKey.objects.filter(key_hash=hash_key(raw), is_active=True).first() if raw else None
    if key is None:
        raise ApiKeyInvalid(field="api_key")
    return key


@dataclass
class IngestResult:
    stored: int = 0
    duplicates: int = 0
    refused: list = field(default_factory=list)

    def as_json(self):
        return {"stored": self.stored, "duplicates": self.duplicates, "refused": self.refused}


def _number(value):
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _time(value):
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is not None and timezone.is_naive(parsed):
        return None
    return parsed


def ingest(readings, *, key=None, now=None):
    """Store a batch sent with ``key`` (None: staff importing a file); returns what was stored,
    what was already there, and each refusal as ``{"index", "sensor", "reason"}``. A sensor
    bound to another system's key refuses the reading."""
    if not isinstance(readings, list) or len(readings) > MAX_BATCH:
        raise BatchInvalid(field="readings")
    now = now or timezone.now()
    codes = {r.get("sensor") for r in readings if isinstance(r, dict)}
    sensors = {
        s.code: s
        for s in Sensor.objects.filter(code__in=[c for c in codes if isinstance(c, str)])
        if s.is_active
    }
    result = IngestResult()
    rows = {}
    for index, reading in enumerate(readings):
        reading = reading if isinstance(reading, dict) else {}
        code = reading.get("sensor")
        sensor = sensors.get(code) if isinstance(code, str) else None
        value = _number(reading.get("value"))
        time = _time(reading.get("time"))
        reason = None
        if sensor is None:
            reason = Refusal.UNKNOWN_SENSOR
        elif key is not None and sensor.source_key_id not in (None, key.pk):
            reason = Refusal.NOT_YOUR_SENSOR
        elif reading.get("unit") not in (None, sensor.unit):
            reason = Refusal.WRONG_UNIT
        elif value is None:
            reason = Refusal.NOT_A_NUMBER
        elif time is None:
            reason = Refusal.BAD_TIME
        elif time > now + CLOCK_SKEW:
            reason = Refusal.FUTURE_TIME
        if reason:
            result.refused.append({"index": index, "sensor": code, "reason": reason})
            continue
        rows[(sensor.pk, time)] = Reading(sensor=sensor, time=time, value=value)
    if rows:
        existing = set(
            Reading.objects.filter(
                sensor_id__in={pk for pk, _t in rows}, time__in={t for _pk, t in rows}
            ).values_list("sensor_id", "time")
        )
        fresh = [row for key, row in rows.items() if key not in existing]
        # A concurrent retry of the same batch may store a row between the read and the insert:
        # the unique constraint keeps it once.
        Reading.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=1000)
        result.stored = len(fresh)
    result.duplicates = len(readings) - len(result.refused) - result.stored
    return result


def readings_from_csv(text):
    """The readings of a CSV with the header ``sensor,time,value[,unit]``."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"sensor", "time", "value"} <= set(reader.fieldnames):
        raise BatchInvalid(_("The CSV needs the columns sensor, time and value."), field="file")
    return [
        {key: row[key] for key in ("sensor", "time", "value", "unit") if row.get(key)}
        for row in reader
    ]
