"""Reading the figures: totals, trends and breakdowns for a filter (a ``Q`` on the figure
rows), and the percentiles read from the hour histograms. No permission checks here: the
services decide the filter."""

from django.db.models import Count, F, IntegerField, Sum
from django.db.models.functions import Coalesce, Length, Substr, TruncMonth, TruncWeek
from django.utils import timezone

from civic.areas.models import Area
from reports.models import OPEN_STATES, Report
from reports.queries import overdue_filter

from .models import ACCEPT_BUCKETS, FIGURE_FIELDS, HOUR_BUCKETS, RESOLVE_BUCKETS, DailyFigure

TRUNC = {"week": TruncWeek, "month": TruncMonth}


def _sums(fields=FIGURE_FIELDS):
    return {field: Coalesce(Sum(field), 0, output_field=IntegerField()) for field in fields}


def figures(q, date_from=None, date_to=None):
    rows = DailyFigure.objects.filter(q)
    if date_from is not None:
        rows = rows.filter(day__gte=date_from)
    if date_to is not None:
        rows = rows.filter(day__lte=date_to)
    return rows


def totals(q, date_from=None, date_to=None):
    """Every counter summed over the filter and dates."""
    return figures(q, date_from, date_to).aggregate(**_sums())


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
    rows = figures(q, date_from, date_to)
    if period == "day":
        grouped = rows.values(start=F("day"))
    else:
        grouped = rows.annotate(start=TRUNC[period]("day")).values("start")
    result = grouped.annotate(**_sums()).order_by("start")
    return [(row.pop("start"), row) for row in result]


def breakdown(q, date_from, date_to, by):
    """``{key: sums}`` grouped by ``category_id``, ``department_id`` or ``channel``."""
    rows = figures(q, date_from, date_to).values(by).annotate(**_sums()).order_by(by)
    return {row.pop(by): row for row in rows}


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
    return _by_branch(figures(q, date_from, date_to), areas, **_sums())


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
