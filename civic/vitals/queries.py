"""Reads for the screen, the API and the admin: the vital signs within a scope, the warnings
one may see. A fixed number of queries however many indicators or warnings."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import TruncHour
from django.utils import timezone

from .models import Indicator, IndicatorValue, Level, Warning, WarningState

SPARKLINE_DAYS = 7


def visible_warnings(scope, *, state=None, level=None, area=None):
    warnings = Warning.objects.filter(scope.q())
    if state:
        warnings = warnings.filter(state=state)
    if level:
        warnings = warnings.filter(level=level)
    if area is not None:
        warnings = warnings.filter(area_path__startswith=area.path)
    return (
        warnings.distinct()
        .select_related("indicator", "area")
        .order_by("state", "level", "-opened_at", "-pk")
    )


def open_warnings_by_level():
    """``{level: count}`` of the warnings not closed, every level listed (for /metrics)."""
    counts = dict.fromkeys(Level.values, 0)
    live = (
        Warning.objects.exclude(state=WarningState.CLOSED).values("level").annotate(n=Count("pk"))
    )
    counts.update((row["level"], row["n"]) for row in live.order_by())
    return counts


def visible_indicators(scope, domain=None):
    indicators = Indicator.objects.filter(is_active=True)
    if not scope.everything and not scope.area_path:
        indicators = indicators.filter(departments__in=sorted(scope.department_ids)).distinct()
    if domain:
        indicators = indicators.filter(domain=domain)
    return indicators.order_by("domain", "code")


@dataclass
class VitalSign:
    indicator: Indicator
    value: float | None
    level: int | None
    trend: list  # [(hour, worst value)], oldest first
    open_warnings: int

    @property
    def direction_of_trend(self):
        """-1, 0 or 1: the last value against the one a day before."""
        if len(self.trend) < 2:
            return 0
        last, before = self.trend[-1][1], self.trend[max(0, len(self.trend) - 25)][1]
        return (last > before) - (last < before)


def vital_signs(scope, *, area=None, domain=None, now=None):
    """Each visible indicator's state within ``area`` (the viewer's home area for a leader,
    else the whole city): the worst level of its live warnings there, and its hourly trend —
    the worst value among the areas — over the last week."""
    now = now or timezone.now()
    path = area.path if area is not None else scope.area_path
    indicators = list(visible_indicators(scope, domain))
    within = Q(area__path__startswith=path) if path else Q()
    rows = (
        IndicatorValue.objects.filter(within, indicator__in=indicators)
        .filter(time__gte=now - timedelta(days=SPARKLINE_DAYS))
        .annotate(hour=TruncHour("time"))
        .values("indicator_id", "hour")
        .annotate(high=Max("value"), low=Min("value"))
        .order_by("indicator_id", "hour")
    )
    series = defaultdict(list)
    for row in rows:
        series[row["indicator_id"]].append(row)
    live = {
        row["indicator_id"]: row
        for row in Warning.objects.exclude(state=WarningState.CLOSED)
        .filter(Q(area_path__startswith=path) if path else Q(), indicator__in=indicators)
        .values("indicator_id")
        .annotate(worst=Min("level"), n=Count("pk"))
        .order_by()
    }
    signs = []
    for indicator in indicators:
        key = "high" if indicator.direction == "above" else "low"
        trend = [(row["hour"], row[key]) for row in series.get(indicator.pk, [])]
        signs.append(
            VitalSign(
                indicator=indicator,
                value=trend[-1][1] if trend else None,
                level=live.get(indicator.pk, {}).get("worst"),
                trend=trend,
                open_warnings=live.get(indicator.pk, {}).get("n", 0),
            )
        )
    return signs
