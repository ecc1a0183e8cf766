from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from civic.core.i18n import LocalizedName


class Department(LocalizedName, ClusterableModel):
    """A city department or street office that handles work in the areas it serves.

    Serving an area means serving everything inside it.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    # Longer than LocalizedName's: department names run long.
    name = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    areas = models.ManyToManyField(
        "areas.Area", verbose_name=_("areas served"), related_name="departments", blank=True
    )
    email = models.EmailField(_("public email"), blank=True)
    phone = models.CharField(_("public phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self):
        return self.localized_name


class MemberRole(models.TextChoices):
    DISPATCHER = "dispatcher", _("Dispatcher")
    HANDLER = "handler", _("Handler")
    SUPERVISOR = "supervisor", _("Supervisor")


class Membership(models.Model):
    department = ParentalKey(Department, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="department_memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "user", "role"], name="unique_department_user_role"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.department}"


class DutyShift(models.Model):
    """A member on duty for the department from ``starts_at`` to ``ends_at`` (the on-duty
    rota): urgent reports reach whoever is on duty at once, whatever their quiet hours."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="duty_shifts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on duty"),
        on_delete=models.CASCADE,
        related_name="duty_shifts",
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("on-duty rota")
        ordering = ["department", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["department", "ends_at"], name="duty_shift_current")]

    def __str__(self):
        return f"{self.user} · {self.department} · {self.starts_at:%Y-%m-%d %H:%M}"
