"""Evaluating the indicators: each one's value for every area of its scope, stored as its time
series, and the warnings opened, raised, lowered or closed to match."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Avg, Min
from django.db.models.functions import TruncHour
from django.utils import timezone

from civic.areas.models import Area

from ..models import Indicator, IndicatorValue, Warning, WarningState
from . import sources, warnings
from .grading import grade


@dataclass
class Outcome:
    values: int = 0
    opened: list = field(default_factory=list)
    changed: int = 0
    closed: int = 0
    escalated: int = 0


def evaluate_indicator(indicator, now, *, areas=None, outcome=None):
    outcome = outcome or Outcome()
    areas = list(areas if areas is not None else Area.objects.filter(kind=indicator.scope))
    by_pk = {area.pk: area for area in areas}
    found = sources.values(indicator, areas, now)
    live = {
        w.area_id: w
        for w in Warning.objects.filter(indicator=indicator).exclude(state=WarningState.CLOSED)
    }
    # The evaluation's minute names it: a second evaluator in the same minute stores nothing new.
    at = now.replace(second=0, microsecond=0)
    rows = []
    for area_pk, (value, evidence) in found.items():
        current = live.get(area_pk)
        level, threshold = grade(indicator, value, current.level if current else None)
        rows.append(
            IndicatorValue(indicator=indicator, area_id=area_pk, time=at, value=value, level=level)
        )
        if current is None and level is not None:
            opened = warnings.open_warning(
                indicator,
                by_pk[area_pk],
                level=level,
                value=value,
                threshold=threshold,
                evidence=evidence,
                now=now,
            )
            if opened:
                outcome.opened.append(opened)
        elif current is not None and (level != current.level or value != current.value):
            warnings.regrade(
                current, level=level, value=value, threshold=threshold, evidence=evidence, now=now
            )
            if level is None:
                outcome.closed += 1
            elif level != current.level:
                outcome.changed += 1
    # An area with a live warning and nothing counted now (no reports in the window, no
    # readings) is back to normal only if nothing is the normal state for its source.
    for area_pk, current in live.items():
        if area_pk not in found and indicator.source == "spike":
            warnings.regrade(current, level=None, value=0.0, threshold=None, evidence={}, now=now)
            outcome.closed += 1
    IndicatorValue.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    outcome.values += len(rows)
    return outcome


def evaluate_indicators(now=None, indicators=None):
    """Evaluate every active indicator (or those given), then escalate the warnings nobody
    acknowledged in time. Safe to run twice at once: one warning opens per indicator and area."""
    now = now or timezone.now()
    outcome = Outcome()
    indicators = indicators if indicators is not None else Indicator.objects.filter(is_active=True)
    areas_by_kind = {}
    for indicator in indicators:
        if indicator.scope not in areas_by_kind:
            areas_by_kind[indicator.scope] = list(Area.objects.filter(kind=indicator.scope))
        evaluate_indicator(indicator, now, areas=areas_by_kind[indicator.scope], outcome=outcome)
    outcome.escalated = warnings.escalate_overdue(now)
    return outcome


RAW_DAYS = 7
RETENTION_DAYS = 400


@transaction.atomic
def prune_values(now=None):
    """Values older than a week become one per hour (their mean; the worst level kept); values
    older than ``RETENTION_DAYS`` go. Returns ``(downsampled, deleted)`` row counts."""
    now = now or timezone.now()
    old = IndicatorValue.objects.filter(time__lt=now - timedelta(days=RAW_DAYS), downsampled=False)
    hours = (
        old.annotate(hour=TruncHour("time"))
        .values("indicator_id", "area_id", "hour")
        .annotate(mean=Avg("value"), worst=Min("level"))
    )
    merged = [
        IndicatorValue(
            indicator_id=row["indicator_id"],
            area_id=row["area_id"],
            time=row["hour"],
            value=round(row["mean"], 4),
            level=row["worst"],
            downsampled=True,
        )
        for row in hours
    ]
    downsampled, _ = old.delete()
    IndicatorValue.objects.bulk_create(
        merged,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["indicator", "area", "time"],
        update_fields=["value", "level", "downsampled"],
    )
    deleted, _ = IndicatorValue.objects.filter(
        time__lt=now - timedelta(days=RETENTION_DAYS)
    ).delete()
    return downsampled, deleted
