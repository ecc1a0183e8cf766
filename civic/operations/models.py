"""The operations centre's figures: counts kept per day, leaf area, department, category and
channel as reports move, so that dashboards, rankings and open data read a small table instead
of scanning reports; and the same counts per week and per month, so that a long range reads a
row a period instead of one a day.

A report counts where it is now (its current area, department, category, channel), on the
day each thing happened to it (``figures.contribution`` says exactly what). ``ReportTally``
remembers what each report has added, so that a change to the report moves its counts instead
of adding them twice: replaying an event, or rebuilding from the reports, gives the same table.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Upper bounds (hours) of the histogram buckets for time to accept and time to resolve; the
# last bucket is open-ended. Medians and 90th percentiles are read from these.
HOUR_BUCKETS = (1, 2, 4, 8, 12, 24, 36, 48, 72, 96, 120, 168, 240, 336, 720)
BUCKET_COUNT = len(HOUR_BUCKETS) + 1

COUNTERS = (
    "received",
    "accepted",
    "accepted_on_time",
    "resolved",
    "resolved_on_time",
    "closed",
    "reopened",
    "rejected",
    "duplicates",
    "escalated_1",
    "escalated_2",
    "escalated_3",
    "ratings",
    "rating_sum",
    "ratings_low",
    "ratings_high",
    # Follow-up calls (回访) to dissatisfied reporters: opened, made, and what came of them.
    "follow_ups",
    "callbacks",
    "callbacks_redo",
    "callbacks_escalated",
)
ACCEPT_BUCKETS = tuple(f"accept_h{i}" for i in range(BUCKET_COUNT))
RESOLVE_BUCKETS = tuple(f"resolve_h{i}" for i in range(BUCKET_COUNT))
FIGURE_FIELDS = COUNTERS + ACCEPT_BUCKETS + RESOLVE_BUCKETS


class Figure(models.Model):
    """Counts for one leaf area, department, category and channel over a stretch of days."""

    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    # The area's tree path, so that "in this district" is an indexed prefix match.
    area_path = models.CharField(max_length=255)
    department = models.ForeignKey(
        "departments.Department", null=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey("reports.Category", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8)

    class Meta:
        abstract = True


for _name in FIGURE_FIELDS:
    Figure.add_to_class(_name, models.IntegerField(default=0))


class DailyFigure(Figure):
    """What happened on one day to the reports of one leaf area, department, category and
    channel."""

    day = models.DateField()

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "area", "department", "category", "channel"],
                name="one_figure_per_day_and_key",
            )
        ]
        indexes = [
            models.Index(fields=["day", "area_path"], name="figure_day_area"),
            models.Index(fields=["department", "day"], name="figure_department_day"),
            models.Index(fields=["area_path", "day"], name="figure_area_day"),
        ]

    def __str__(self):
        return f"{self.day} {self.area_id} {self.department_id} {self.category_id} {self.channel}"


class Period(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")


def period_start(day, period):
    """The first day of the week (Monday) or the month that ``day`` falls in."""
    if period == Period.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


class PeriodFigure(Figure):
    """The daily figures of a week (from Monday) or a calendar month, summed and kept with
    them, so that a year's dashboard reads a row a month (or a week for a weekly trend) for
    each key instead of one a day: its cost stays the same as the reports pile up."""

    period = models.CharField(max_length=5, choices=Period.choices)
    start = models.DateField()

    class Meta:
        verbose_name = _("weekly or monthly figure")
        verbose_name_plural = _("weekly and monthly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "start", "area", "department", "category", "channel"],
                name="one_figure_per_period_and_key",
            )
        ]
        indexes = [
            models.Index(fields=["period", "start", "area_path"], name="figure_period_area"),
            models.Index(fields=["period", "department", "start"], name="figure_period_department"),
        ]

    def __str__(self):
        return f"{self.period} {self.start} {self.area_id} {self.department_id}"


class ReportTally(models.Model):
    """What one report has added to the figures: ``{key: {field: count}}`` where a key names
    the day, area, department, category and channel."""

    report = models.OneToOneField(
        "reports.Report", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("report tally")
        verbose_name_plural = _("report tallies")

    def __str__(self):
        return f"#{self.report_id}"


class RequestState(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")


class DatasetRequest(models.Model):
    """Someone asks for a dataset the open data page does not offer; staff answer it."""

    subject = models.CharField(_("dataset wanted"), max_length=200)
    description = models.TextField(_("what it should hold, and what for"), max_length=2000)
    email = models.EmailField(_("email for the answer"), blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RequestState.choices, default=RequestState.OPEN
    )
    response = models.TextField(_("answer"), blank=True, max_length=2000)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dataset request")
        verbose_name_plural = _("dataset requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject
