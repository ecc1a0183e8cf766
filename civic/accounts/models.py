import re

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civic.core.errors import register_code

# A display name that reads as an email address or a phone number is contact data, not a name:
# it is never published, whatever its owner typed.
_CONTACT_LIKE = re.compile(r"@|^[+(]?[0-9][0-9 ()./-]{5,}$")

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
    # Set when the person deleted their account: the row stays, emptied of everything personal,
    # because reports, points and timelines still refer to it.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
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
        if self.deleted_at:
            return str(_("Deleted account"))
        return self.display_name or self.get_full_name() or self.email or self.username

    @property
    def chosen_name(self):
        """The display name the person chose to be known by, or "": never their email, phone or
        login, which ``__str__`` falls back to for staff."""
        name = self.display_name.strip()
        if self.deleted_at or not name or _CONTACT_LIKE.search(name):
            return ""
        return name

    @property
    def public_name(self):
        """How everyone else sees this person, everywhere: the chosen display name or "A
        resident"."""
        if self.deleted_at:
            return gettext("Deleted account")
        return self.chosen_name or gettext("A resident")

    @property
    def preferred_language(self):
        return self.language or settings.LANGUAGE_CODE


class FirebaseIdentity(models.Model):
    """A Firebase Authentication user (phone sign-in in the app) linked to an account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="firebase_identities",
    )
    uid = models.CharField(_("Firebase UID"), max_length=128, unique=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Firebase identity")
        verbose_name_plural = _("Firebase identities")

    def __str__(self):
        return self.uid
