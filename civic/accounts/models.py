from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from civic.errors import register_code

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 -]{4,18}[0-9]$",
    _("Enter a phone number of digits, optionally starting with +."),
    code=register_code("invalid_phone", _("The phone number is not valid.")),
)


class User(AbstractUser):
    """A person using the platform. Roles are groups (see ``roles.py``) plus scoped memberships
    kept by the apps that own the scope (departments, areas)."""

    display_name = models.CharField(
        _("display name"),
        max_length=60,
        blank=True,
        help_text=_("Shown to others only where you choose to show your name."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    home_area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("home area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Messages sent to the user outside a request (notifications, emails) are written in it.
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("For notifications and emails; blank means the platform's default."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.email or self.username

    @property
    def preferred_language(self):
        return self.language or settings.LANGUAGE_CODE
