"""Who looks after each grid cell, the reports they verify on site, and their patrols."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PostRole(models.TextChoices):
    WORKER = "worker", _("Grid worker")
    SUPERVISOR = "supervisor", _("Supervisor")


class Post(models.Model):
    """A person's responsibility for an area: a worker for a grid cell, a supervisor for a grid
    cell or a whole community or street (every cell beneath it)."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="grid_posts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="grid_posts",
    )
    role = models.CharField(_("role"), max_length=16, choices=PostRole.choices)
    work_phone = models.CharField(_("work phone"), max_length=32, blank=True)
    show_to_residents = models.BooleanField(
        _("residents may see the name and work phone"),
        default=False,
        help_text=_("Only with the person's agreement."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grid post")
        verbose_name_plural = _("grid posts")
        constraints = [
            models.UniqueConstraint(fields=["area", "user", "role"], name="grid_post_once")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.area}"


class TaskState(models.TextChoices):
    OPEN = "open", _("To verify")
    CHECKED_IN = "checked_in", _("Checked in")
    CONFIRMED = "confirmed", _("Confirmed")
    RESOLVED = "resolved", _("Resolved on site")
    INVALID = "invalid", _("Invalid")
    WITHDRAWN = "withdrawn", _("Handled elsewhere")


DONE_STATES = (TaskState.CONFIRMED, TaskState.RESOLVED, TaskState.INVALID, TaskState.WITHDRAWN)


class Task(models.Model):
    """A report to verify on site, for one worker of its cell, with its own deadline."""

    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, related_name="grid_task"
    )
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grid_tasks"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=TaskState.choices, default=TaskState.OPEN
    )
    deadline = models.DateTimeField(_("verify by"))
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("verification task")
        verbose_name_plural = _("verification tasks")
        indexes = [models.Index(fields=["worker", "state", "deadline"])]

    def __str__(self):
        return f"#{self.report_id} → {self.worker}"

    @property
    def on_time(self):
        return self.done_at is not None and self.done_at <= self.deadline


class CheckIn(models.Model):
    """The worker on site for a task: where, when, how far from the report."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="check_ins")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lat = models.FloatField()
    lon = models.FloatField()
    distance_m = models.FloatField(_("distance from the report (m)"))
    inside_cell = models.BooleanField(_("inside the cell"))
    client_request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("checked in at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "client_request_id"],
                condition=~models.Q(client_request_id=""),
                name="grid_check_in_once",
            )
        ]

    def __str__(self):
        return f"{self.worker} @ #{self.task_id} {self.created_at:%Y-%m-%d %H:%M}"


class Patrol(models.Model):
    """A walk through a cell. Length, duration and coverage are computed when it ends."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grid_patrols"
    )
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    client_request_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(_("started at"), db_index=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    length_m = models.FloatField(_("length (m)"), default=0)
    duration_s = models.PositiveIntegerField(_("duration (s)"), default=0)
    coverage = models.FloatField(_("share of the cell covered"), default=0)
    # Set when the old track is deleted (retention): the figures stay.
    track_deleted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "client_request_id"],
                condition=~models.Q(client_request_id=""),
                name="grid_patrol_once",
            )
        ]

    def __str__(self):
        return f"{self.worker} · {self.area} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self):
        return self.ended_at is None


class PatrolPoint(models.Model):
    """One GPS fix of a patrol; the phone's ``client_id`` makes a resent one a no-op."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="points")
    client_id = models.CharField(max_length=64)
    lat = models.FloatField()
    lon = models.FloatField()
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patrol", "client_id"], name="grid_point_once")
        ]
        indexes = [models.Index(fields=["patrol", "recorded_at"])]

    def __str__(self):
        return f"{self.patrol_id}:{self.client_id}"
