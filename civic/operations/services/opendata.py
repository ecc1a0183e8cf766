"""The open datasets: public reports (privacy-safe fields only) and daily figures per district
and category. Rows are produced one at a time from a database cursor, so a download of any
size runs in constant memory.

What a public report row holds, and why nothing else: the category, the states and times,
the location the public sees (a sensitive category's is the coarse square, as on the map), the
district, and the description only where the category is not sensitive. Never the reporter or
anyone's name, the written address, the contact details, the answers, or hidden reports.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import IntegerField, Q, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.areas.models import Area, AreaKind
from reports.models import Category, Report, State
from reports.privacy import with_public_coordinates

from .. import queries
from ..models import DailyFigure
from .statistics import InvalidDateRange

MAX_RANGE_DAYS = 366 * 10
CHUNK = 2000


@dataclass(frozen=True)
class Field:
    name: str
    description: str


REPORT_FIELDS = [
    Field("id", _("The report's number on the portal.")),
    Field("category", _("The category's service code (Open311).")),
    Field("category_name", _("The category's name.")),
    Field(
        "state",
        _("submitted, accepted, assigned, in_progress, resolved, closed, rejected or duplicate."),
    ),
    Field("channel", _("How it came in: app, web, hotline or open311.")),
    Field("submitted_at", _("When it was submitted (ISO 8601, local time).")),
    Field("accepted_at", _("When it was accepted, if it was.")),
    Field("resolved_at", _("When it was resolved, if it stands resolved.")),
    Field("closed_at", _("When it was closed, rejected or merged, if it was.")),
    Field("district", _("The code of the district it lies in.")),
    Field("lat", _("Latitude (WGS-84). For sensitive categories the centre of a coarse square.")),
    Field("lon", _("Longitude (WGS-84). For sensitive categories the centre of a coarse square.")),
    Field("location_exact", _("false where the location is the coarse square.")),
    Field("description", _("What the resident wrote; empty for sensitive categories.")),
]

FIGURE_FIELDS = [
    Field("day", _("The day (local time).")),
    Field("district", _("The district's code.")),
    Field("category", _("The category's service code.")),
    Field("received", _("Reports submitted that day.")),
    Field("accepted", _("Reports accepted that day.")),
    Field("resolved", _("Reports resolved that day (and still standing resolved).")),
    Field("resolved_on_time", _("Of those, resolved by their deadline.")),
    Field("rejected", _("Reports rejected that day.")),
    Field("duplicates", _("Reports merged into another that day.")),
    Field("reopened", _("Reports reopened by their reporter that day.")),
    Field("ratings", _("Ratings given that day.")),
    Field("rating_sum", _("The sum of those ratings (1 to 5 stars each).")),
]


def date_range(date_from, date_to):
    """Checked dates (default: the last 30 days) and the aware datetimes bounding them."""
    date_to = date_to or timezone.localdate()
    date_from = date_from or date_to - timedelta(days=29)
    if date_from > date_to or (date_to - date_from).days > MAX_RANGE_DAYS:
        raise InvalidDateRange(field="date_from")
    start = timezone.make_aware(datetime.combine(date_from, time.min))
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min))
    return date_from, date_to, start, end


def _districts():
    """``{path: code}`` of every district: looked up by the prefixes of a report's path."""
    return dict(Area.objects.filter(kind=AreaKind.DISTRICT).values_list("path", "code"))


def _district_of(path, districts, step=Area.steplen):
    for end in range(step, len(path) + 1, step):
        code = districts.get(path[:end])
        if code is not None:
            return code
    return ""


def _iso(moment):
    return timezone.localtime(moment).isoformat() if moment else ""


def public_reports(date_from=None, date_to=None):
    """``(header, rows)``: the public reports submitted in the date range, oldest first, as
    dicts of ``REPORT_FIELDS``; ``rows`` is a generator reading the database in chunks."""
    _from, _to, start, end = date_range(date_from, date_to)
    categories = {c.pk: c for c in Category.objects.all()}
    districts = _districts()
    rows = (
        with_public_coordinates(
            Report.objects.filter(is_public=True, created_at__gte=start, created_at__lt=end)
        )
        .order_by("created_at", "pk")
        .values_list(
            "pk",
            "category_id",
            "state",
            "channel",
            "created_at",
            "accepted_at",
            "resolved_at",
            "closed_at",
            "area_path",
            "public_lat",
            "public_lon",
            "description",
        )
    )

    def generate():
        for (
            pk,
            category_id,
            state,
            channel,
            created_at,
            accepted_at,
            resolved_at,
            closed_at,
            area_path,
            lat,
            lon,
            description,
        ) in rows.iterator(chunk_size=CHUNK):
            category = categories[category_id]
            fixed = state in (State.RESOLVED, State.CLOSED)
            yield {
                "id": pk,
                "category": category.service_code,
                "category_name": category.localized_name,
                "state": state,
                "channel": channel,
                "submitted_at": _iso(created_at),
                "accepted_at": _iso(accepted_at),
                "resolved_at": _iso(resolved_at) if fixed else "",
                "closed_at": _iso(closed_at),
                "district": _district_of(area_path, districts),
                "lat": round(lat, 6),
                "lon": round(lon, 6),
                "location_exact": not category.sensitive,
                "description": "" if category.sensitive else description,
            }

    return [field.name for field in REPORT_FIELDS], generate()


def daily_figures(date_from=None, date_to=None):
    """``(header, rows)``: per day, district and category, the counts of ``FIGURE_FIELDS``."""
    date_from, date_to, _start, _end = date_range(date_from, date_to)
    districts = list(Area.objects.filter(kind=AreaKind.DISTRICT).values_list("path", "code"))
    codes = dict(Category.objects.values_list("pk", "service_code"))
    counters = [field.name for field in FIGURE_FIELDS[3:]]
    lengths = sorted({len(path) for path, _code in districts})
    by_path = dict(districts)
    header = [field.name for field in FIGURE_FIELDS]

    def generate():
        for length in lengths:
            rows = (
                DailyFigure.objects.filter(day__gte=date_from, day__lte=date_to)
                .annotate(district=Substr("area_path", 1, length))
                .filter(district__in=[p for p in by_path if len(p) == length])
                .values("day", "district", "category_id")
                .annotate(
                    **{
                        name: Coalesce(Sum(name), 0, output_field=IntegerField())
                        for name in counters
                    }
                )
                .order_by("day", "district", "category_id")
            )
            for row in rows.iterator(chunk_size=CHUNK):
                if not any(row[name] for name in counters):
                    continue
                yield {
                    "day": row["day"].isoformat()
                    if isinstance(row["day"], date)
                    else str(row["day"]),
                    "district": by_path[row["district"]],
                    "category": codes.get(row["category_id"], ""),
                    **{name: row[name] for name in counters},
                }

    return header, generate()


def month_trend(date_from, date_to):
    """The city's received and resolved per day of a period (for the public rankings page)."""
    return [
        {"day": start, "received": sums["received"], "resolved": sums["resolved"]}
        for start, sums in queries.trend(Q(), date_from, date_to, "day")
    ]
