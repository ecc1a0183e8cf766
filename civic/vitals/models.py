"""City vital signs (城市生命体征): indicators with graded thresholds, the sensors and keys that
feed readings in, each indicator's values over time, and the warnings they raise.

A warning's level is numbered as the Chinese grading is: I (red) is the most severe, IV (blue)
the least, so a smaller number is worse.
"""

import hashlib
import itertools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civic.areas.models import AreaKind
from civic.core.i18n import LocalizedName


class Domain(models.TextChoices):
    PUBLIC_SERVICES = "public_services", _("Public services")
    GOVERNANCE = "governance", _("City governance")
    DIGITAL_ECONOMY = "digital_economy", _("Digital economy")
    ENVIRONMENT = "environment", _("Environment")
    SAFETY = "safety", _("Safety and resilience")


class Level(models.IntegerChoices):
    RED = 1, _("Level I (red)")
    ORANGE = 2, _("Level II (orange)")
    YELLOW = 3, _("Level III (yellow)")
    BLUE = 4, _("Level IV (blue)")


LEVEL_COLOURS = {1: "#d7263d", 2: "#f46036", 3: "#f2c14e", 4: "#2e86de", None: "#2a9d8f"}


class Source(models.TextChoices):
    FIGURE = "figure", _("Operations centre figure")
    SPIKE = "spike", _("Spike in reports")
    SENSOR = "sensor", _("Sensor readings")


class Figure(models.TextChoices):
    """What an operations-figure indicator reads (``services.sources``)."""

    OPEN_REPORTS = "open_reports", _("Open reports")
    OVERDUE_REPORTS = "overdue_reports", _("Overdue reports")
    RECEIVED = "received", _("Reports received in the window")
    REOPEN_RATE = "reopen_rate", _("Reopen rate")
    SATISFACTION = "satisfaction", _("Satisfaction")
    ON_TIME_RATE = "on_time_rate", _("Resolved on time")


class Direction(models.TextChoices):
    ABOVE = "above", _("Warn above the threshold")
    BELOW = "below", _("Warn below the threshold")


class Indicator(LocalizedName):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    scope = models.CharField(
        _("evaluated for each"),
        max_length=16,
        choices=AreaKind.choices,
        default=AreaKind.DISTRICT,
        help_text=_("The indicator is computed for every area of this kind."),
    )
    departments = models.ManyToManyField(
        "departments.Department",
        verbose_name=_("responsible departments"),
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    figure = models.CharField(
        _("figure"),
        max_length=20,
        choices=Figure.choices,
        blank=True,
        help_text=_("For an operations centre figure."),
    )
    category = models.ForeignKey(
        "reports.Category",
        verbose_name=_("report category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a spike: the category counted. For a figure: only this category."),
    )
    measure = models.CharField(
        _("sensor measure"),
        max_length=40,
        blank=True,
        help_text=_("For sensor readings: the measure of the sensors read (water_level, aqi…)."),
    )
    window_minutes = models.PositiveIntegerField(
        _("window (minutes)"), default=120, validators=[MinValueValidator(1)]
    )
    direction = models.CharField(
        _("direction"), max_length=5, choices=Direction.choices, default=Direction.ABOVE
    )
    threshold_4 = models.FloatField(_("level IV (blue) threshold"), null=True, blank=True)
    threshold_3 = models.FloatField(_("level III (yellow) threshold"), null=True, blank=True)
    threshold_2 = models.FloatField(_("level II (orange) threshold"), null=True, blank=True)
    threshold_1 = models.FloatField(_("level I (red) threshold"), null=True, blank=True)
    hysteresis = models.FloatField(
        _("hysteresis"),
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("A level holds until the value is this far back past its threshold."),
    )
    escalate_after_minutes = models.PositiveIntegerField(
        _("escalate when unacknowledged after (minutes)"), default=30
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["domain", "code"]

    def __str__(self):
        return self.localized_name

    def threshold(self, level):
        return getattr(self, f"threshold_{level}")

    def clean(self):
        """Thresholds must grow more severe from IV to I: higher for a value watched going up,
        lower for one watched going down; at least one is needed. A figure or sensor source
        needs the figure or measure it reads."""
        super().clean()
        set_levels = [
            (level, self.threshold(level))
            for level in (4, 3, 2, 1)
            if self.threshold(level) is not None
        ]
        if not set_levels:
            raise ValidationError({"threshold_4": _("Set at least one level's threshold.")})
        rising = self.direction == Direction.ABOVE
        for (_less, milder), (level, severer) in itertools.pairwise(set_levels):
            if (severer <= milder) if rising else (severer >= milder):
                raise ValidationError(
                    {
                        f"threshold_{level}": _(
                            "A more severe level needs a threshold further past the milder one's."
                        )
                    }
                )
        field = {Source.FIGURE: "figure", Source.SENSOR: "measure"}.get(self.source)
        if field and not getattr(self, field):
            raise ValidationError({field: _("This source needs it.")})


def hash_key(raw):
    """Keys are long random strings: a plain SHA-256 cannot be reversed or guessed."""
    return hashlib.sha256(raw.encode()).hexdigest()


class SourceKey(models.Model):
    """An API key a system (a SCADA, an air-quality network) pushes readings with."""

    name = models.CharField(_("system"), max_length=120)
    prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    rate_limit = models.PositiveIntegerField(
        _("requests per minute"), default=120, validators=[MinValueValidator(1)]
    )
    is_active = models.BooleanField(_("active"), default=True, editable=False)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("sensor API key")
        verbose_name_plural = _("sensor API keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class Sensor(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=120)
    measure = models.CharField(_("measure"), max_length=40, db_index=True)
    unit = models.CharField(_("unit"), max_length=20)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    # The area's tree path, so an indicator for a district reads every sensor inside it.
    area_path = models.CharField(max_length=255, editable=False)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # A bound sensor takes readings only with its system's key, so that one system's key
    # cannot write another's sensors (a false flood warning, say); unbound, any active key.
    source_key = models.ForeignKey(
        SourceKey,
        verbose_name=_("only from the system"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sensors",
        limit_choices_to={"is_active": True},
        help_text=_("Readings with any other key are refused. Empty: any active key."),
    )

    class Meta:
        verbose_name = _("sensor")
        verbose_name_plural = _("sensors")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.area_path = self.area.path
        super().save(*args, **kwargs)


class Reading(models.Model):
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="readings")
    time = models.DateTimeField(_("time"))
    value = models.FloatField(_("value"))
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        constraints = [
            models.UniqueConstraint(fields=["sensor", "time"], name="one_reading_per_sensor_time")
        ]

    def __str__(self):
        return f"{self.sensor_id} {self.time:%Y-%m-%d %H:%M} {self.value}"


class IndicatorValue(models.Model):
    """One evaluation of an indicator for an area; old ones are averaged into hours
    (``downsampled``) and the oldest deleted (``services.prune_values``)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    time = models.DateTimeField()
    value = models.FloatField()
    level = models.PositiveSmallIntegerField(null=True, choices=Level.choices)
    downsampled = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "time"], name="one_value_per_indicator_area_time"
            )
        ]
        indexes = [models.Index(fields=["time"], name="vital_value_time")]

    def __str__(self):
        return f"{self.indicator_id} {self.area_id} {self.time:%Y-%m-%d %H:%M} {self.value}"


class WarningState(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class CloseCause(models.TextChoices):
    RECOVERED = "recovered", _("The value returned to normal")
    HANDLED = "handled", _("Handled")
    FALSE_ALARM = "false_alarm", _("False alarm")
    OTHER = "other", _("Other")


class Warning(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="warnings")
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="+"
    )
    area_path = models.CharField(max_length=255, editable=False)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    value = models.FloatField(_("value"))
    threshold = models.FloatField(_("threshold"))
    # What the evaluator saw: {"reports": [ids], "readings": [ids]}.
    evidence = models.JSONField(default=dict, blank=True)
    linked_reports = models.ManyToManyField(
        "reports.Report", verbose_name=_("linked reports"), blank=True, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=WarningState.choices, default=WarningState.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cause = models.CharField(_("cause"), max_length=12, choices=CloseCause.choices, blank=True)

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        constraints = [
            # Two evaluators at once open one warning: the second insert fails here.
            models.UniqueConstraint(
                fields=["indicator", "area"],
                condition=~Q(state="closed"),
                name="one_live_warning_per_indicator_area",
            )
        ]
        indexes = [models.Index(fields=["state", "level"], name="vital_warning_state")]

    def __str__(self):
        return f"{self.indicator} · {self.area_id} · {self.get_level_display()}"

    @property
    def is_live(self):
        return self.state != WarningState.CLOSED

    @property
    def colour(self):
        return LEVEL_COLOURS[self.level]


class EntryKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    RAISED = "raised", _("Raised")
    LOWERED = "lowered", _("Lowered")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    NOTE = "note", _("Note")
    REPORT_LINKED = "report_linked", _("Report linked")
    REPORT_DISPATCHED = "dispatched", _("Report dispatched")
    ESCALATED = "escalated", _("Escalated")
    CLOSED = "closed", _("Closed")


class WarningEntry(models.Model):
    """The warning's timeline."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("what"), max_length=16, choices=EntryKind.choices)
    level = models.PositiveSmallIntegerField(null=True, choices=Level.choices)
    value = models.FloatField(null=True)
    text = models.TextField(_("note"), blank=True, max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("warning entry")
        verbose_name_plural = _("warning entries")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.warning_id} · {self.kind}"
