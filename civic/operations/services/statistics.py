"""Reading the figures for one viewer: the dashboard's statistics and the 好差评 rankings, within
what the viewer may see (``permissions.statistics_scope``); anything else is refused."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from civic.areas.models import Area, AreaKind
from civic.core.errors import DomainError
from civic.core.permissions import require, require_signed_in
from civic.departments.models import Department
from reports.models import Category, Channel

from .. import queries
from ..permissions import Scope, statistics_scope

DEFAULT_DAYS = 91
MAX_DAYS = 366 * 5
TREND_PERIODS = ("day", "week", "month")


class InvalidDateRange(DomainError):
    code = "invalid_date_range"
    default_message = _("The dates must be in order and at most five years apart.")


class InvalidPeriod(DomainError):
    code = "invalid_period"
    default_message = _("Give a month as YYYY-MM.")


@dataclass(frozen=True)
class StatisticsFilter:
    """What to count: days (both included), and optionally an area (everything inside it), a
    department, a category and a channel."""

    date_from: date | None = None
    date_to: date | None = None
    area: Area | None = None
    department: Department | None = None
    category: Category | None = None
    channel: str = ""

    def resolved(self):
        """The filter with its dates filled in (the last ``DEFAULT_DAYS`` days by default) and
        checked."""
        date_to = self.date_to or timezone.localdate()
        date_from = self.date_from or date_to - timedelta(days=DEFAULT_DAYS - 1)
        if date_from > date_to or (date_to - date_from).days > MAX_DAYS:
            raise InvalidDateRange(field="date_from")
        if self.channel and self.channel not in Channel.values:
            raise DomainError(field="channel", code="invalid_choice")
        return StatisticsFilter(
            date_from, date_to, self.area, self.department, self.category, self.channel
        )

    @property
    def q(self):
        q = Q()
        if self.area is not None:
            q &= Q(area_path__startswith=self.area.path)
        if self.department is not None:
            q &= Q(department_id=self.department.pk)
        if self.category is not None:
            q &= Q(category_id=self.category.pk)
        if self.channel:
            q &= Q(channel=self.channel)
        return q


def _scope_for(actor, flt):
    require_signed_in(actor)
    scope = statistics_scope(actor)
    require(scope is not None)
    if flt.department is not None:
        require(scope.covers_department(flt.department))
    if flt.area is not None:
        require(scope.covers_area(flt.area))
    return scope


def _row(key, label, sums, open_count=None):
    row = {"key": key, "label": label, **queries.headline(sums)}
    if open_count is not None:
        row["open"] = open_count
    return row


class Statistics:
    """The figures one viewer may see for a filter; each part is read when first asked for."""

    def __init__(self, scope: Scope, flt: StatisticsFilter, trend_by="week"):
        self.scope, self.filter, self.trend_by = scope, flt, trend_by
        self.q = scope.q & flt.q
        self.date_from, self.date_to = flt.date_from, flt.date_to

    @cached_property
    def headline(self):
        sums = queries.totals(self.q, self.date_from, self.date_to)
        return {
            "open": queries.open_now(self.q),
            "overdue": queries.overdue_now(self.q),
            **queries.headline(sums),
        }

    @cached_property
    def trend(self):
        return [
            {"start": start, **queries.headline(sums)}
            for start, sums in queries.trend(self.q, self.date_from, self.date_to, self.trend_by)
        ]

    def _by(self, field, describe):
        """Rows grouped by ``field``; ``describe(value)`` gives a row's key and label."""
        sums = queries.breakdown(self.q, self.date_from, self.date_to, field)
        open_counts = queries.open_by(self.q, field)
        values = sorted(sums.keys() | {k for k, n in open_counts.items() if n}, key=str)
        return [
            _row(*describe(value), sums.get(value) or _zero(), open_counts.get(value, 0))
            for value in values
        ]

    def _by_object(self, field, model, key):
        objects = model.objects.in_bulk()

        def describe(pk):
            found = objects.get(pk)
            return (getattr(found, key), str(found)) if found else ("", "-")

        return self._by(field, describe)

    @cached_property
    def by_category(self):
        return self._by_object("category_id", Category, "service_code")

    @cached_property
    def by_department(self):
        return self._by_object("department_id", Department, "code")

    @cached_property
    def by_channel(self):
        return self._by("channel", lambda value: (value, str(Channel(value).label)))

    @cached_property
    def area_level(self):
        """The areas the area breakdown lists: those one level below the filter's area (or the
        viewer's home area), or that area itself when nothing lies below it."""
        base = self.filter.area
        if base is None and not self.scope.everything and self.scope.area_paths:
            base = Area.objects.filter(path=self.scope.area_paths[0]).first()
        if base is None:
            roots = list(Area.get_root_nodes())
            base = roots[0] if len(roots) == 1 else None
        children = queries.child_areas(base)
        return children or ([base] if base else [])

    @cached_property
    def by_area(self):
        sums = queries.by_areas(self.q, self.date_from, self.date_to, self.area_level)
        opened = queries.open_by_areas(self.q, self.area_level)
        return [
            _row(area.code, area.localized_name, sums.get(area) or _zero(), opened.get(area, 0))
            for area in self.area_level
        ]

    @cached_property
    def grid(self):
        return [
            {"area": area, "open": open_count, "overdue": overdue}
            for area, open_count, overdue in queries.open_and_overdue_by_area(self.q)
        ]


def _zero():
    return dict.fromkeys(queries.FIGURE_FIELDS, 0)


def statistics(actor, flt: StatisticsFilter, *, trend_by="week"):
    """The figures ``actor`` may see for ``flt``. Refused (``Forbidden``) for someone with no
    figures to see, and for a department or area outside the viewer's scope."""
    if trend_by not in TREND_PERIODS:
        raise DomainError(field="trend_by", code="invalid_choice")
    flt = flt.resolved()
    return Statistics(_scope_for(actor, flt), flt, trend_by)


# --- 好差评 rankings --------------------------------------------------------------------------

# (component, weight): satisfaction share, on-time rate, 1 - reopen rate, the mean rating
# scaled to 0..1. A component without data is left out and the others' weights rescaled.
SCORE_WEIGHTS = (("satisfaction", 40), ("on_time", 30), ("not_reopened", 20), ("mean", 10))
SCORE_FORMULA = _(
    "Score = (40 x share of 4-5 star ratings + 30 x on-time rate + 20 x (1 - reopen rate) "
    "+ 10 x (mean rating - 1) / 4) / (the weights of the parts with data) x 100"
)


def score(figures):
    parts = {
        "satisfaction": figures["satisfaction"],
        "on_time": figures["on_time_rate"],
        "not_reopened": (
            None if figures["reopen_rate"] is None else 1 - min(figures["reopen_rate"], 1)
        ),
        "mean": None if figures["mean_rating"] is None else (figures["mean_rating"] - 1) / 4,
    }
    weights = [(parts[name], weight) for name, weight in SCORE_WEIGHTS if parts[name] is not None]
    if not weights:
        return None
    return round(100 * sum(v * w for v, w in weights) / sum(w for _v, w in weights), 1)


def parse_month(text):
    """The first and last day of the month ``YYYY-MM``."""
    try:
        year, month = (int(part) for part in str(text).split("-"))
        first = date(year, month, 1)
    except (TypeError, ValueError):
        raise InvalidPeriod(field="period") from None
    return first, first.replace(day=calendar.monthrange(year, month)[1])


@dataclass
class Rankings:
    period: str
    date_from: date
    date_to: date
    headline: dict
    departments: list
    districts: list
    formula: str


def _ranked(rows):
    rows = sorted(rows, key=lambda row: (row["score"] is None, -(row["score"] or 0), row["key"]))
    for position, row in enumerate(rows, start=1):
        row["rank"] = position if row["score"] is not None else None
    return rows


def _rankings(scope, period, area):
    date_from, date_to = parse_month(period)
    q = scope.q & (Q(area_path__startswith=area.path) if area is not None else Q())
    departments = {d.pk: d for d in Department.objects.all()}
    by_department = queries.breakdown(q, date_from, date_to, "department_id")
    department_rows = []
    for pk, sums in by_department.items():
        if pk in departments and sums["received"] + sums["resolved"] + sums["ratings"]:
            row = _row(departments[pk].code, departments[pk].localized_name, sums)
            department_rows.append({**row, "score": score(row)})
    districts = Area.objects.filter(kind=AreaKind.DISTRICT).order_by("path")
    if area is not None:
        districts = districts.filter(
            Q(path__startswith=area.path) | Q(path__in=_ancestor_paths(area))
        )
    district_rows = []
    by_depth = {}
    for district in districts:
        by_depth.setdefault(len(district.path), []).append(district)
    for level in by_depth.values():
        for district, sums in queries.by_areas(q, date_from, date_to, level).items():
            row = _row(district.code, district.localized_name, sums)
            district_rows.append({**row, "score": score(row)})
    total = queries.totals(q, date_from, date_to)
    return Rankings(
        period=f"{date_from:%Y-%m}",
        date_from=date_from,
        date_to=date_to,
        headline=queries.headline(total),
        departments=_ranked(department_rows),
        districts=_ranked(district_rows),
        formula=str(SCORE_FORMULA),
    )


def _ancestor_paths(area):
    step = area.steplen
    return [area.path[:i] for i in range(step, len(area.path) + 1, step)]


def rankings(actor, period, *, area=None):
    """The month's 好差评 rankings of departments and districts, counting only the reports the
    actor may see (and inside ``area`` when given)."""
    flt = StatisticsFilter(area=area)
    return _rankings(_scope_for(actor, flt), period, area)


def public_rankings(period):
    """The city-wide rankings the public page publishes: aggregate figures only."""
    return _rankings(Scope(everything=True), period, None)
