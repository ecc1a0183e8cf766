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
  ``ratings_high`` for 4-5) on the day it was given.

So the number still open is received - resolved - rejected - duplicates over all days.
"""

from collections import defaultdict
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from reports.models import FAMILY_STATES, EventKind, Family, Report, ReportEvent, State

from ..models import ACCEPT_BUCKETS, HOUR_BUCKETS, RESOLVE_BUCKETS, DailyFigure, ReportTally

# The timeline events a contribution reads (the rest comes from the report's row).
COUNTED_EVENTS = (EventKind.REOPENED, EventKind.ESCALATED, EventKind.RATED)
FIXED = FAMILY_STATES[Family.FIXED]


def bucket_of(duration):
    hours = max(duration, timedelta(0)) / timedelta(hours=1)
    for index, bound in enumerate(HOUR_BUCKETS):
        if hours < bound:
            return index
    return len(HOUR_BUCKETS)


def _key(day, report):
    return "|".join(
        [
            day.isoformat(),
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

    def add(moment, field, amount=1):
        counts[_key(timezone.localdate(moment), report)][field] += amount

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


def _apply(key, changes):
    where = _parse_key(key)
    lookup = {name: value for name, value in where.items() if name != "area_path"}
    updated = DailyFigure.objects.filter(**lookup).update(
        **{field: F(field) + change for field, change in changes.items()}
    )
    if updated:
        return
    try:
        with transaction.atomic():
            DailyFigure.objects.create(**where, **changes)
    except IntegrityError:
        # Another transaction created the row a moment before: add to it.
        DailyFigure.objects.filter(**lookup).update(
            **{field: F(field) + change for field, change in changes.items()}
        )


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


def rebuild(*, progress=None, chunk=2000):
    """Recompute every figure from the reports, replacing what is there. ``progress`` wraps
    the chunks (a progress bar); returns the number of reports counted."""
    report_ids = list(Report.objects.order_by("pk").values_list("pk", flat=True))
    chunks = [report_ids[i : i + chunk] for i in range(0, len(report_ids), chunk)]
    totals = defaultdict(lambda: defaultdict(int))
    with transaction.atomic():
        DailyFigure.objects.all().delete()
        ReportTally.objects.all().delete()
        for ids in progress(chunks) if progress else chunks:
            events = _events_by_report(ids)
            tallies = []
            for report in Report.objects.filter(pk__in=ids).order_by("pk"):
                counts = contribution(report, events[report.pk])
                tallies.append(ReportTally(report_id=report.pk, counts=counts))
                for key, fields in counts.items():
                    for field, amount in fields.items():
                        totals[key][field] += amount
            ReportTally.objects.bulk_create(tallies)
        DailyFigure.objects.bulk_create(
            (DailyFigure(**_parse_key(key), **fields) for key, fields in totals.items()),
            batch_size=2000,
        )
    return len(report_ids)
