"""What each kind of indicator reads: ``values(indicator, areas, now)`` gives
``{area_id: (value, evidence)}`` for the areas with something to say, read in a few grouped
queries whatever the number of areas (leaf rows are added up into each area they lie in)."""

import math
from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Q, Sum

from civic.areas.queries import ancestor_paths
from civic.operations import queries as figures
from reports.models import OPEN_STATES, Report
from reports.queries import overdue_filter

from ..models import Figure, Reading, Source
from .grading import BASELINE_WEEKS, spike_score

EVIDENCE_LIMIT = 20


def _roll_up(rows, by_path):
    """``{area_id: [row, …]}``: each ``(path, row)`` under every area of ``by_path`` holding it."""
    found = defaultdict(list)
    for path, row in rows:
        for ancestor in ancestor_paths(path):
            area = by_path.get(ancestor)
            if area is not None:
                found[area.pk].append(row)
    return found


def _sum(rows, field):
    return sum(row[field] for row in rows)


def _figure_values(indicator, by_path, now):
    q = Q(category_id=indicator.category_id) if indicator.category_id else Q()
    figure = indicator.figure
    if figure in (Figure.OVERDUE_REPORTS, Figure.OPEN_REPORTS):
        # Read from the reports' state and deadline indexes: the backlog now, not a sum over
        # every day's figures (the operations centre reads "open now" the same way).
        now_filter = (
            overdue_filter(now) if figure == Figure.OVERDUE_REPORTS else Q(state__in=OPEN_STATES)
        )
        rows = (
            Report.objects.filter(q).filter(now_filter).values("area_path").annotate(n=Count("pk"))
        )
        grouped = _roll_up(((row["area_path"], row) for row in rows), by_path)
        return {pk: (float(_sum(rows, "n")), {}) for pk, rows in grouped.items()}
    days = max(1, math.ceil(indicator.window_minutes / 1440))
    date_to = now.date()
    fields = ("received", "resolved", "resolved_on_time", "reopened", "ratings", "ratings_high")
    rows = (
        figures.figures(q, date_to - timedelta(days=days - 1), date_to)
        .values("area_path")
        .annotate(**{field: Sum(field) for field in fields})
    )
    grouped = _roll_up(((row["area_path"], row) for row in rows), by_path)
    ratios = {
        Figure.RECEIVED: ("received", None),
        Figure.REOPEN_RATE: ("reopened", "resolved"),
        Figure.SATISFACTION: ("ratings_high", "ratings"),
        Figure.ON_TIME_RATE: ("resolved_on_time", "resolved"),
    }
    part, whole = ratios[figure]
    result = {}
    for pk, area_rows in grouped.items():
        numerator = _sum(area_rows, part)
        if whole is None:
            result[pk] = (float(numerator), {})
        elif _sum(area_rows, whole):
            result[pk] = (round(numerator / _sum(area_rows, whole), 4), {})
    return result


def _counts(category_id, since, until):
    return Report.objects.filter(
        category_id=category_id, created_at__gt=since, created_at__lte=until
    ).values_list("area_path", "pk")


def _spike_values(indicator, by_path, now):
    window = timedelta(minutes=indicator.window_minutes)
    current = _roll_up(_counts(indicator.category_id, now - window, now), by_path)
    if not current:
        return {}
    # The same window of the week in each of the past weeks: one query for them all.
    past = Q()
    for week in range(1, BASELINE_WEEKS + 1):
        end = now - timedelta(weeks=week)
        past |= Q(created_at__gt=end - window, created_at__lte=end)
    baseline = _roll_up(
        Report.objects.filter(past, category_id=indicator.category_id).values_list(
            "area_path", "pk"
        ),
        by_path,
    )
    return {
        pk: (
            spike_score(len(ids), len(baseline.get(pk, ()))),
            {"reports": sorted(ids)[-EVIDENCE_LIMIT:], "count": len(ids)},
        )
        for pk, ids in current.items()
    }


def _sensor_values(indicator, by_path, now):
    rows = Reading.objects.filter(
        sensor__measure=indicator.measure,
        sensor__is_active=True,
        time__gt=now - timedelta(minutes=indicator.window_minutes),
        time__lte=now,
    ).values_list("sensor__area_path", "pk", "value")
    grouped = _roll_up(((path, (pk, value)) for path, pk, value in rows), by_path)
    worst = max if indicator.direction == "above" else min
    result = {}
    for area_pk, readings in grouped.items():
        readings.sort(key=lambda reading: reading[1], reverse=worst is max)
        result[area_pk] = (
            readings[0][1],
            {"readings": [pk for pk, _value in readings[:EVIDENCE_LIMIT]]},
        )
    return result


READERS = {
    Source.FIGURE: _figure_values,
    Source.SPIKE: _spike_values,
    Source.SENSOR: _sensor_values,
}


def values(indicator, areas, now):
    by_path = {area.path: area for area in areas}
    return READERS[indicator.source](indicator, by_path, now)
