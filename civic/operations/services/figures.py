"""Keeping the figures: what a report contributes, moving a report's counts when it changes,
and rebuilding the whole table from the reports.

A report contributes, where it is now (area, department, category, channel):

* ``received`` on the day it was submitted;
* ``accepted`` on the day of its (latest) acceptance, ``accepted_on_time`` when that was by its
  accept deadline, and one count in the accept-hours bucket (from submission);
* ``resolved`` on the day of its resolution while it stands resolved or closed (a reopened
  report no longer counts until resolved again), ``resolved_on_time`` when that was by its
  resolve deadline, and one count in the resolve-hours bucket (from submission);
* ``closed``, ``rejected`` or ``duplicates`` on the day it reached that state;
* ``reopened`` and ``escalated_<level>`` once per reopening and escalation, on their days;
* its current rating (``ratings``, ``rating_sum``, ``ratings_low`` for 1-2 stars,
  ``ratings_high`` for 4-5) on the day it was given;
* ``follow_ups`` once per follow-up call (回访) opened, and ``callbacks`` once per call made,
  with ``callbacks_redo`` or ``callbacks_escalated`` by its outcome, on their days.

So the number still open is received - resolved - rejected - duplicates over all days.
"""

from collections import defaultdict
from datetime import date, timedelta
from itertools import islice

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from reports.models import (
    FAMILY_STATES,
    CallbackOutcome,
    EventKind,
    Family,
    Report,
    ReportEvent,
    State,
)

from ..models import (
    ACCEPT_BUCKETS,
    FIGURE_FIELDS,
    HOUR_BUCKETS,
    RESOLVE_BUCKETS,
    DailyFigure,
    Period,
    PeriodFigure,
    ReportTally,
    period_start,
)
from ..queries import summed

# The timeline events a contribution reads (the rest comes from the report's row).
COUNTED_EVENTS = (
    EventKind.REOPENED,
    EventKind.ESCALATED,
    EventKind.RATED,
    EventKind.FOLLOW_UP_OPENED,
    EventKind.CALLBACK,
)
CALLBACK_FIELDS = {
    CallbackOutcome.REDO: "callbacks_redo",
    CallbackOutcome.ESCALATE: "callbacks_escalated",
}
FIXED = FAMILY_STATES[Family.FIXED]


def bucket_of(duration):
    hours = max(duration, timedelta(0)) / timedelta(hours=1)
    for index, bound in enumerate(HOUR_BUCKETS):
        if hours < bound:
            return index
    return len(HOUR_BUCKETS)


def _where(report):
    """The key's part after the day: where the report is now."""
    return "|".join(
        [
            str(report.area_id),
            report.area_path,
            str(report.department_id or ""),
            str(report.category_id),
            report.channel,
        ]
    )


def _parse_key(key):
    day, area_id, area_path, department_id, category_id, channel = key.split("|")
    return {
        "day": day,
        "area_id": int(area_id),
        "area_path": area_path,
        "department_id": int(department_id) if department_id else None,
        "category_id": int(category_id),
        "channel": channel,
    }


def contribution(report, events):
    """``{key: {field: count}}``: what ``report`` adds to the figures, given its timeline
    events of the ``COUNTED_EVENTS`` kinds (in order)."""
    counts = defaultdict(lambda: defaultdict(int))
    # Looked up once: the rebuild calls this a million times, and each lookup of the current
    # zone goes through asgiref's context-local storage.
    zone = timezone.get_current_timezone()
    where = _where(report)

    def add(moment, field, amount=1):
        counts[f"{moment.astimezone(zone).date().isoformat()}|{where}"][field] += amount

    add(report.created_at, "received")
    if report.accepted_at is not None:
        add(report.accepted_at, "accepted")
        if report.accept_deadline is None or report.accepted_at <= report.accept_deadline:
            add(report.accepted_at, "accepted_on_time")
        bucket = bucket_of(report.accepted_at - report.created_at)
        add(report.accepted_at, ACCEPT_BUCKETS[bucket])
    if report.state in FIXED and report.resolved_at is not None:
        add(report.resolved_at, "resolved")
        if report.resolve_deadline is None or report.resolved_at <= report.resolve_deadline:
            add(report.resolved_at, "resolved_on_time")
        add(report.resolved_at, RESOLVE_BUCKETS[bucket_of(report.resolved_at - report.created_at)])
    ended = report.closed_at or report.updated_at
    if report.state == State.CLOSED:
        add(ended, "closed")
    elif report.state == State.REJECTED:
        add(ended, "rejected")
    elif report.state == State.DUPLICATE:
        add(ended, "duplicates")
    rated_at = None
    for event in events:
        if event.kind == EventKind.REOPENED:
            add(event.created_at, "reopened")
        elif event.kind == EventKind.ESCALATED:
            level = min(max(int(event.data.get("level") or 1), 1), 3)
            add(event.created_at, f"escalated_{level}")
        elif event.kind == EventKind.RATED:
            rated_at = event.created_at
        elif event.kind == EventKind.FOLLOW_UP_OPENED:
            add(event.created_at, "follow_ups")
        elif event.kind == EventKind.CALLBACK:
            add(event.created_at, "callbacks")
            if outcome := CALLBACK_FIELDS.get(event.data.get("outcome")):
                add(event.created_at, outcome)
    if report.rating is not None:
        moment = rated_at or ended
        add(moment, "ratings")
        add(moment, "rating_sum", report.rating)
        if report.rating <= 2:
            add(moment, "ratings_low")
        if report.rating >= 4:
            add(moment, "ratings_high")
    return {key: dict(fields) for key, fields in counts.items()}


def _events_by_report(report_ids):
    events = defaultdict(list)
    rows = ReportEvent.objects.filter(report_id__in=report_ids, kind__in=COUNTED_EVENTS).only(
        "report_id", "kind", "data", "created_at"
    )
    for event in rows.order_by("created_at", "pk"):
        events[event.report_id].append(event)
    return events


def _difference(new, old):
    delta = {}
    for key in new.keys() | old.keys():
        fields = {}
        for field in new.get(key, {}).keys() | old.get(key, {}).keys():
            change = new.get(key, {}).get(field, 0) - old.get(key, {}).get(field, 0)
            if change:
                fields[field] = change
        if fields:
            delta[key] = fields
    return delta


def _add(model, where, changes):
    lookup = {name: value for name, value in where.items() if name != "area_path"}
    updated = model.objects.filter(**lookup).update(
        **{field: F(field) + change for field, change in changes.items()}
    )
    if updated:
        return
    try:
        with transaction.atomic():
            model.objects.create(**where, **changes)
    except IntegrityError:
        # Another transaction created the row a moment before: add to it.
        model.objects.filter(**lookup).update(
            **{field: F(field) + change for field, change in changes.items()}
        )


def _apply(key, changes):
    """Add ``changes`` to the key's day and to its week and month."""
    where = _parse_key(key)
    day = date.fromisoformat(where.pop("day"))
    _add(DailyFigure, {"day": day, **where}, changes)
    for period in Period.values:
        _add(PeriodFigure, {"period": period, "start": period_start(day, period), **where}, changes)


@transaction.atomic
def refresh_report(report_id):
    """Bring the figures up to date with one report as it is now. Safe to repeat: a report
    already counted as it is changes nothing."""
    tally, _created = ReportTally.objects.select_for_update().get_or_create(report_id=report_id)
    report = Report.objects.filter(pk=report_id).first()
    new = {} if report is None else contribution(report, _events_by_report([report_id])[report_id])
    for key, changes in sorted(_difference(new, tally.counts).items()):
        _apply(key, changes)
    if report is None:
        tally.delete()
    elif new != tally.counts:
        tally.counts = new
        tally.save(update_fields=["counts"])


# The report columns ``contribution`` reads: the rebuild loads only these.
REPORT_COLUMNS = (
    "area_id",
    "area_path",
    "department_id",
    "category_id",
    "channel",
    "state",
    "rating",
    "created_at",
    "updated_at",
    "accepted_at",
    "accept_deadline",
    "resolved_at",
    "resolve_deadline",
    "closed_at",
)
KEY_COLUMNS = ("day", "area_id", "area_path", "department_id", "category_id", "channel")


class _Parts:
    """A temporary table of partial figures, one row per key per batch of reports, summed
    into the figures table at the end by one ``GROUP BY``: the database does the adding up,
    so the rebuild's memory does not grow with the number of reports or figure rows."""

    def __init__(self, cursor):
        self.cursor = cursor
        quote = connection.ops.quote_name
        self.table = quote("operations_figure_part")
        self.figures = quote(DailyFigure._meta.db_table)
        self.columns = KEY_COLUMNS + FIGURE_FIELDS
        self.names = ", ".join(quote(name) for name in self.columns)

    def __enter__(self):
        self.cursor.execute(
            f"CREATE TEMPORARY TABLE {self.table} AS "
            f"SELECT {self.names} FROM {self.figures} WHERE 1 = 0"
        )
        return self

    def __exit__(self, *exc):
        self.cursor.execute(f"DROP TABLE {self.table}")

    def add(self, totals):
        marks = ", ".join(["%s"] * len(self.columns))
        self.cursor.executemany(
            f"INSERT INTO {self.table} ({self.names}) VALUES ({marks})",
            [
                [*_parse_key(key).values(), *(fields.get(name, 0) for name in FIGURE_FIELDS)]
                for key, fields in totals.items()
            ],
        )

    def sum_into_figures(self):
        quote = connection.ops.quote_name
        keys = ", ".join(quote(name) for name in KEY_COLUMNS)
        sums = ", ".join(f"SUM({quote(name)})" for name in FIGURE_FIELDS)
        self.cursor.execute(
            f"INSERT INTO {self.figures} ({self.names}) "
            f"SELECT {keys}, {sums} FROM {self.table} GROUP BY {keys}"
        )


class _Reports:
    """Every report with its counted events, read in batches by id with only the columns a
    contribution reads; its length (the number of reports) gives a progress bar its total."""

    def __init__(self, batch):
        self.batch = batch
        self.total = Report.objects.count()

    def __len__(self):
        return self.total

    def __iter__(self):
        last = 0
        reports = Report.objects.order_by("pk").only(*REPORT_COLUMNS)
        while batch := list(reports.filter(pk__gt=last)[: self.batch]):
            events = _events_by_report([report.pk for report in batch])
            for report in batch:
                yield report, events[report.pk]
            last = batch[-1].pk


def rebuild(*, progress=iter, batch=5000):
    """Recompute every figure from the reports, replacing what is there, with the same
    ``contribution`` the kept figures use. ``progress`` wraps the reports (a progress bar);
    returns the number of reports counted."""
    reports = _Reports(batch)
    with transaction.atomic(), connection.cursor() as cursor, _Parts(cursor) as parts:
        DailyFigure.objects.all().delete()
        ReportTally.objects.all().delete()
        tallies, totals = [], defaultdict(lambda: defaultdict(int))

        def flush():
            ReportTally.objects.bulk_create(tallies)
            parts.add(totals)
            tallies.clear()
            totals.clear()

        for report, events in progress(reports):
            counts = contribution(report, events)
            tallies.append(ReportTally(report_id=report.pk, counts=counts))
            for key, fields in counts.items():
                for field, amount in fields.items():
                    totals[key][field] += amount
            if len(tallies) == batch:
                flush()
        flush()
        parts.sum_into_figures()
        PeriodFigure.objects.all().delete()
        roll_up(DailyFigure, PeriodFigure)
    return len(reports)


ROLL_UP_KEYS = ("area_id", "area_path", "department_id", "category_id", "channel")


def roll_up(daily_model, period_model, batch=5000):
    """Write the period rows summed from the daily rows (the rebuild, and the migration that
    added them, with its own historical models)."""
    truncations = {Period.WEEK: TruncWeek, Period.MONTH: TruncMonth}
    for period, trunc in truncations.items():
        rows = (
            daily_model.objects.annotate(period_start=trunc("day"))
            .values("period_start", *ROLL_UP_KEYS)
            .annotate(**summed())
            .order_by()
            .iterator(chunk_size=batch)
        )
        while chunk := list(islice(rows, batch)):
            period_model.objects.bulk_create(
                period_model(period=period, start=row.pop("period_start"), **row) for row in chunk
            )
