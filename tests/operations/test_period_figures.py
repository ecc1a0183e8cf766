"""A range of days is read as whole weeks or months from the period rows and the days at its
ends from the daily rows: every total, breakdown, area and trend equals the same read from the
daily rows alone, whatever the range, and a year reads a row a month for each key."""

import random
from datetime import date, timedelta

import pytest
import time_machine
from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic.areas.models import Area, AreaKind
from civic.operations import queries
from civic.operations.models import FIGURE_FIELDS, DailyFigure, PeriodFigure
from civic.operations.services.figures import roll_up

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 17)
FIRST = TODAY - timedelta(days=420)


@pytest.fixture
def days(world):
    """A figure row for most days of the last 14 months, in two districts' cells, two
    departments, two categories and two channels, with random counts."""
    rng = random.Random(7)
    cells = list(Area.objects.filter(kind=AreaKind.GRID).order_by("path")[:4])
    assert {cell.get_parent().code for cell in cells} == {"DE", "DW"}
    keys = [
        (cell, department, category, channel)
        for cell in cells
        for department in (world.roads, world.sanitation)
        for category in (world.pothole, world.noise)
        for channel in ("app", "phone")
    ]
    rows = []
    for offset in range((TODAY - FIRST).days + 1):
        day = FIRST + timedelta(days=offset)
        for cell, department, category, channel in rng.sample(keys, 3):
            rows.append(
                DailyFigure(
                    day=day,
                    area=cell,
                    area_path=cell.path,
                    department=department,
                    category=category,
                    channel=channel,
                    **{field: rng.randint(0, 4) for field in FIGURE_FIELDS},
                )
            )
    DailyFigure.objects.bulk_create(rows)
    roll_up(DailyFigure, PeriodFigure)
    with time_machine.travel(f"{TODAY} 12:00 +08:00", tick=False):
        yield world


def from_days(q, date_from, date_to, by=None):
    rows = queries.figures(q, date_from, date_to)
    sums = {field: Sum(field) for field in FIGURE_FIELDS}
    if by is None:
        return rows.aggregate(**sums)
    return {row.pop(by): row for row in rows.values(by).annotate(**sums).order_by()}


dates = st.integers(0, (TODAY - FIRST).days + 20).map(lambda n: FIRST + timedelta(days=n))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ends=st.tuples(dates, dates), in_roads=st.booleans())
def test_every_read_equals_the_days_alone(days, ends, in_roads):
    date_from, date_to = sorted(ends)
    q = Q(department_id=days.roads.pk) if in_roads else Q()
    assert queries.totals(q, date_from, date_to) == {
        field: value or 0 for field, value in from_days(q, date_from, date_to).items()
    }
    for by in ("category_id", "department_id", "channel"):
        assert queries.breakdown(q, date_from, date_to, by) == from_days(q, date_from, date_to, by)
    districts = list(Area.objects.filter(kind=AreaKind.DISTRICT))
    by_area = queries.by_areas(q, date_from, date_to, districts)
    for district in districts:
        expected = from_days(q & Q(area_path__startswith=district.path), date_from, date_to)
        if expected["received"] is None:
            assert district not in by_area
        else:
            assert by_area[district] == expected
    for period, trunc in (("week", TruncWeek), ("month", TruncMonth)):
        expected = {
            row.pop("start"): row
            for row in queries.figures(q, date_from, date_to)
            .annotate(start=trunc("day"))
            .values("start")
            .annotate(**{field: Sum(field) for field in FIGURE_FIELDS})
            .order_by()
        }
        assert dict(queries.trend(q, date_from, date_to, period)) == expected


def test_a_year_reads_whole_months_and_the_days_before_the_first(days):
    periods, daily = queries.pieces(Q(), TODAY - timedelta(days=364), TODAY)
    months = sorted(set(periods.values_list("start", flat=True)))
    # June 2025 from the 18th is read day by day; July 2025 … this June (to date) as months.
    assert months[0] == date(2025, 7, 1)
    assert months[-1] == date(2026, 6, 1)
    assert len(months) == 12
    assert set(daily.values_list("day", flat=True)) == {
        date(2025, 6, 18) + timedelta(days=n) for n in range(13)
    }
