"""The inbox (the record), the devices the app registered, each user's choices, and the outbox.

A ``Notification`` is written once, in the user's language, and is what the inbox shows. Push and
email are ``Delivery`` rows of it — one per channel and target, never two (a unique constraint) —
that the outbox sends with retries until they are sent, refused for good, or given up.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPORT_ACCEPTED = "report_accepted", _("Report accepted")
    REPORT_REJECTED = "report_rejected", _("Report rejected")
    REPORT_ASSIGNED = "report_assigned", _("Report assigned to you")
    REPORT_RESOLVED = "report_resolved", _("Report resolved")
    REPORT_ESCALATED = "report_escalated", _("Overdue report escalated to you")
    REPORT_UPDATE = "report_update", _("Public update on a report")
    REPORT_STARTED = "report_started", _("Work started on a report")
    REPORT_CLOSED = "report_closed", _("Report closed")
    REPORT_MERGED = "report_merged", _("Report merged into another")
    REPORT_RECATEGORISED = "report_recategorised", _("Report moved to another category")
    REPORT_REOPENED = "report_reopened", _("Report reopened")
    REPORT_FIXED_PROMPT = "report_fixed_prompt", _("Is your resolved report fixed?")
    REPORT_COMMENT = "report_comment", _("Comment on a report you reported or follow")
    REPORT_URGENT = "report_urgent", _("Urgent report for the department on duty")
    VERIFICATION_TASK = "verification_task", _("A report to verify on site")
    INSTRUCTION = "instruction", _("Leaders' instruction on a report")
    FOLLOW_UP = "follow_up", _("Follow-up call to make")
    THREAD_REPLY = "thread_reply", _("Reply in a thread you follow")
    THREAD_PROMOTED = "thread_promoted", _("Your thread promoted to the leadership")
    OFFICIAL_RESPONSE = "official_response", _("Official response in a thread")
    CONTENT_HIDDEN = "content_hidden", _("Your post hidden by a moderator")
    MEMBERSHIP_APPROVED = "membership_approved", _("Request to join a group approved")
    REDEMPTION_FULFILLED = "redemption_fulfilled", _("Reward ready")
    BADGE_EARNED = "badge_earned", _("Badge earned")
    POINTS_WITHHELD = "points_withheld", _("Daily limit on points from reports reached")
    AREA_NEW_REPORT = "area_new_report", _("New report in an area you watch")
    AREA_REPORT_RESOLVED = "area_report_resolved", _("Report resolved in an area you watch")
    VITAL_WARNING = "vital_warning", _("City vital-sign warning")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # What the app opens (civic://reports/12) and the portal's page for the same thing.
    link = models.CharField(_("app link"), max_length=255, blank=True)
    url = models.CharField(_("web address"), max_length=255, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Names what the notification is about (report:12:event:40), so an event delivered twice
    # notifies once.
    key = models.CharField(max_length=120)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_key")
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notification_inbox"),
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.title}"

    @property
    def is_read(self):
        return self.read_at is not None


class Platform(models.TextChoices):
    ANDROID = "android", _("Android")
    IOS = "ios", _("iOS")
    WEB = "web", _("Web")


class Device(models.Model):
    """A phone (or browser) that receives push messages: an FCM registration token.

    A token belongs to one user at a time: signing in as someone else on the same phone moves
    it. Tokens FCM reports as no longer valid are deactivated, not deleted, so the app
    registering the same token again revives it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="devices",
    )
    token = models.CharField(_("FCM token"), max_length=512, unique=True)
    platform = models.CharField(_("platform"), max_length=8, choices=Platform.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"))
    deactivated_reason = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        indexes = [models.Index(fields=["user", "is_active"], name="device_of_user")]

    def __str__(self):
        return f"{self.get_platform_display()} · {self.token[:12]}…"


class Channel(models.TextChoices):
    PUSH = "push", _("Push")
    EMAIL = "email", _("Email")


class Preference(models.Model):
    """A user's choice for one kind; kinds without a row use ``DEFAULTS``. The inbox always
    gets every notification."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    push = models.BooleanField(_("push"))
    email = models.BooleanField(_("email"))

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self):
        return f"{self.user_id} · {self.kind}"


# Push for everything; email only where it matters when the app is not installed.
DEFAULTS = {
    kind: {
        "push": True,
        "email": kind
        in (
            Kind.REPORT_RESOLVED,
            Kind.REPORT_REJECTED,
            Kind.REPORT_FIXED_PROMPT,
            Kind.VITAL_WARNING,
        ),
    }
    for kind in Kind.values
}


class QuietHours(models.Model):
    """No push between ``start`` and ``end`` (the platform's TIME_ZONE, the city's clock); a
    window may run past midnight. Push messages due inside it wait until it ends."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="quiet_hours",
    )
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("quiet hours")
        verbose_name_plural = _("quiet hours")

    def __str__(self):
        return f"{self.user_id} · {self.start:%H:%M}-{self.end:%H:%M}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Refused")  # the target refused it for good (an invalid token)
    DEAD = "dead", _("Given up")  # still failing after the last attempt


class Delivery(models.Model):
    """One notification to one target (a device, an email address): the outbox."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    device = models.ForeignKey(
        Device, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The device's id or the email address: with the channel, unique per notification.
    target = models.CharField(max_length=254)
    state = models.CharField(
        max_length=8, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=500, blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel", "target"], name="one_delivery_per_target"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="delivery_due",
            )
        ]

    def __str__(self):
        return f"{self.notification_id} → {self.channel}:{self.target} ({self.state})"


class AlertDelivery(models.TextChoices):
    """How an area alert reaches its resident; with several alerts holding a report, the most
    immediate wins."""

    PUSH = "push", _("At once (push and inbox)")
    INBOX = "inbox", _("In my inbox only")
    DIGEST = "digest", _("A daily email digest")


ALERT_URGENCY = [AlertDelivery.PUSH, AlertDelivery.INBOX, AlertDelivery.DIGEST]


class AreaAlert(models.Model):
    """A resident's wish to hear of new and resolved public reports in a place: an area (their
    community, say) or a circle around a point. Told of each report once, however many of
    their alerts it falls in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="area_alerts",
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.CASCADE
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("radius (m)"), null=True, blank=True)
    delivery = models.CharField(
        _("how"), max_length=8, choices=AlertDelivery.choices, default=AlertDelivery.PUSH
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("area alert")
        verbose_name_plural = _("area alerts")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(area__isnull=False, lat__isnull=True, lon__isnull=True, radius_m__isnull=True)
                    | Q(area__isnull=True, lat__isnull=False, lon__isnull=False, radius_m__gt=0)
                ),
                name="area_alert_is_an_area_or_a_circle",
            )
        ]
        indexes = [models.Index(fields=["lat", "lon"], name="area_alert_point")]

    def __str__(self):
        return f"{self.user_id}: {self.area_id or (self.lat, self.lon, self.radius_m)}"


class DigestSent(models.Model):
    """A resident's daily digest of their area alerts, sent once per day (the city's date)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_a_day")]

    def __str__(self):
        return f"{self.user_id} · {self.day}"
