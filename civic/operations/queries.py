"""Reading the figures: totals, trends and breakdowns for a filter (a ``Q`` on the figure
rows), and the percentiles read from the hour histograms. No permission checks here: the
services decide the filter.

A range of days is read as the whole weeks or months inside it from the period rows and the
days left at either end from the daily rows (``pieces``): a year costs a few hundred days' worth
of rows less, and the same however long the history behind it. A period that reaches past today
counts as whole when the range reaches today, since no figure is dated after today.
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, F, IntegerField, Q, Sum
from django.db.models.functions import Coalesce, Length, Substr, TruncMonth, TruncWeek
from django.utils import timezone

from civic.areas.models import Area
from reports.models import OPEN_STATES, Report
from reports.queries import overdue_filter

from .models import (
    ACCEPT_BUCKETS,
    FIGURE_FIELDS,
    HOUR_BUCKETS,
    RESOLVE_BUCKETS,
    DailyFigure,
    Period,
    PeriodFigure,
    period_start,
)

TRUNC = {"week": TruncWeek, "month": TruncMonth}


def summed(fields=FIGURE_FIELDS):
    return {field: Coalesce(Sum(field), 0, output_field=IntegerField()) for field in fields}


def figures(q, date_from=None, date_to=None):
    rows = DailyFigure.objects.filter(q)
    if date_from is not None:
        rows = rows.filter(day__gte=date_from)
    if date_to is not None:
        rows = rows.filter(day__lte=date_to)
    return rows


def pieces(q, date_from, date_to, period=Period.MONTH):
    """``(period rows, daily rows)`` that together cover ``date_from`` … ``date_to`` once:
    the whole periods inside the range, and the days at its ends outside them."""
    days = figures(q, date_from, date_to)
    if date_from is None or date_to is None or date_from > date_to:
        return PeriodFigure.objects.none(), days
    first = period_start(date_from, period)
    if first < date_from:
        first = period_start(first + timedelta(days=31), period)
    # Whole periods end before ``after``; every period is whole up to today.
    if date_to >= timezone.localdate():
        after = None
    else:
        after = period_start(date_to + timedelta(days=1), period)
    if after is not None and first >= after:
        return PeriodFigure.objects.none(), days
    periods = PeriodFigure.objects.filter(q, period=period, start__gte=first)
    ends = Q(day__lt=first)
    if after is not None:
        periods = periods.filter(start__lt=after)
        ends |= Q(day__gte=after)
    return periods, days.filter(ends)


def _merged(groups, key):
    """Rows of sums from the pieces, added up by ``key``."""
    merged = defaultdict(lambda: dict.fromkeys(FIGURE_FIELDS, 0))
    for rows in groups:
        for row in rows:
            sums = merged[row.pop(key)]
            for field, value in row.items():
                sums[field] += value
    return merged


def totals(q, date_from=None, date_to=None):
    """Every counter summed over the filter and dates."""
    parts = [rows.aggregate(**summed()) for rows in pieces(q, date_from, date_to)]
    return {field: sum(part[field] for part in parts) for field in FIGURE_FIELDS}


def _open_reports(q):
    """Reports open now, read from the reports' state index: the backlog, whose size does not
    grow with the years of history as a sum over every day's figures would."""
    return Report.objects.filter(q, state__in=OPEN_STATES)


def open_now(q):
    return _open_reports(q).count()


def overdue_now(q, now=None):
    """Open reports past their deadline now (read from the reports' deadline indexes: being
    overdue depends on the clock, not on an event)."""
    return Report.objects.filter(q).filter(overdue_filter(now or timezone.now())).count()


def percentile(counts, share):
    """The ``share`` quantile (0.5 the median) in hours of a histogram over ``HOUR_BUCKETS``,
    interpolated within its bucket; None for an empty one."""
    total = sum(counts)
    if not total:
        return None
    target = share * total
    seen = 0
    lower = 0
    for index, count in enumerate(counts):
        upper = HOUR_BUCKETS[index] if index < len(HOUR_BUCKETS) else None
        if count and seen + count >= target:
            if upper is None:
                return float(lower)
            return round(lower + (upper - lower) * (target - seen) / count, 1)
        seen += count
        lower = upper if upper is not None else lower
    return float(lower)


def rate(part, whole):
    return round(part / whole, 4) if whole else None


def headline(sums):
    """The derived figures of a set of sums."""
    resolve = [sums[field] for field in RESOLVE_BUCKETS]
    accept = [sums[field] for field in ACCEPT_BUCKETS]
    return {
        "received": sums["received"],
        "accepted": sums["accepted"],
        "resolved": sums["resolved"],
        "closed": sums["closed"],
        "rejected": sums["rejected"],
        "duplicates": sums["duplicates"],
        "reopened": sums["reopened"],
        "escalated": sums["escalated_1"] + sums["escalated_2"] + sums["escalated_3"],
        "ratings": sums["ratings"],
        "follow_ups": sums["follow_ups"],
        "callbacks": sums["callbacks"],
        "callbacks_redo": sums["callbacks_redo"],
        "callbacks_escalated": sums["callbacks_escalated"],
        "accept_on_time_rate": rate(sums["accepted_on_time"], sums["accepted"]),
        "on_time_rate": rate(sums["resolved_on_time"], sums["resolved"]),
        "median_hours_to_accept": percentile(accept, 0.5),
        "median_hours_to_resolve": percentile(resolve, 0.5),
        "p90_hours_to_resolve": percentile(resolve, 0.9),
        "satisfaction": rate(sums["ratings_high"], sums["ratings"]),
        "mean_rating": round(sums["rating_sum"] / sums["ratings"], 2) if sums["ratings"] else None,
        "reopen_rate": rate(sums["reopened"], sums["resolved"]),
    }


def trend(q, date_from, date_to, period="week"):
    """``[(first day of the period, sums), …]`` in order."""
    if period == "day":
        rows = figures(q, date_from, date_to).values(start=F("day")).annotate(**summed())
        return [(row.pop("start"), row) for row in rows.order_by("start")]
    periods, days = pieces(q, date_from, date_to, period)
    merged = _merged(
        [
            periods.values("start").annotate(**summed()).order_by(),
            days.annotate(start=TRUNC[period]("day"))
            .values("start")
            .annotate(**summed())
            .order_by(),
        ],
        "start",
    )
    return sorted(merged.items())


def breakdown(q, date_from, date_to, by):
    """``{key: sums}`` grouped by ``category_id``, ``department_id`` or ``channel``."""
    merged = _merged(
        [rows.values(by).annotate(**summed()).order_by() for rows in pieces(q, date_from, date_to)],
        by,
    )
    return dict(sorted(merged.items(), key=_nulls_last))


def _nulls_last(item):
    key = item[0]
    return (key is None, key if key is not None else 0)


def open_by(q, by):
    return dict(_open_reports(q).values_list(by).annotate(n=Count("pk")).order_by())


def child_areas(area):
    """The areas one level below ``area`` (the districts below the city when None)."""
    if area is None:
        return list(Area.get_root_nodes())
    return list(area.get_children())


def _by_branch(rows, areas, **annotations):
    """``{area: {annotation: value}}`` for each of ``areas`` (siblings: one depth) over the
    ``rows`` (figures or reports) anywhere inside it."""
    if not areas:
        return {}
    length = len(areas[0].path)
    by_path = {area.path: area for area in areas}
    grouped = (
        rows.annotate(branch=Substr("area_path", 1, length), path_length=Length("area_path"))
        .filter(path_length__gte=length, branch__in=list(by_path))
        .values("branch")
        .annotate(**annotations)
        .order_by()
    )
    return {by_path[row.pop("branch")]: row for row in grouped}


def by_areas(q, date_from, date_to, areas):
    """``{area: sums}`` for each of ``areas``, everything inside each."""
    return dict(
        _merged(
            [
                [
                    {"area": area, **sums}
                    for area, sums in _by_branch(rows, areas, **summed()).items()
                ]
                for rows in pieces(q, date_from, date_to)
            ],
            "area",
        )
    )


def open_by_areas(q, areas):
    """``{area: open now}`` for each of ``areas``, everything inside each."""
    counts = _by_branch(_open_reports(q), areas, n=Count("pk"))
    return {area: row["n"] for area, row in counts.items()}


def open_and_overdue_by_area(q, now=None):
    """``[(area, open, overdue), …]`` for every leaf area with open reports: the map."""
    open_counts = {key: n for key, n in open_by(q, "area_id").items() if n}
    overdue = dict(
        Report.objects.filter(q)
        .filter(overdue_filter(now or timezone.now()))
        .values_list("area_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    areas = Area.objects.in_bulk(open_counts.keys() | overdue.keys())
    return sorted(
        ((areas[pk], open_counts.get(pk, 0), overdue.get(pk, 0)) for pk in areas),
        key=lambda row: row[0].path,
    )
