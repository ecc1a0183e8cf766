"""Open311 clients: their API keys, and which reports they filed.

The reports themselves stay the reports app's; this app only remembers which key filed one
(the report's channel is ``open311``) and the token a client may look it up by.
"""

import hashlib

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def hash_key(raw):
    """Keys are long random strings, so a plain SHA-256 cannot be reversed or guessed; a slow
    password hash would only cost time on every request."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKey(models.Model):
    name = models.CharField(_("owner"), max_length=120, help_text=_("Who uses this key."))
    contact = models.CharField(
        _("contact"),
        max_length=255,
        blank=True,
        help_text=_("How to reach the owner: an email address or a phone number."),
    )
    # The first characters of the key, so an admin can tell keys apart without the key.
    prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    rate_limit = models.PositiveIntegerField(
        _("requests per minute"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("Submissions beyond this in one minute are refused until the next minute."),
    )
    is_active = models.BooleanField(_("active"), default=True, editable=False)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class Submission(models.Model):
    """A report filed through Open311: by which key, and the token it can be looked up by."""

    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, related_name="open311_submission"
    )
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="submissions")
    token = models.CharField(max_length=32, unique=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 submission")
        verbose_name_plural = _("Open311 submissions")

    def __str__(self):
        return f"#{self.report_id} ← {self.api_key}"
