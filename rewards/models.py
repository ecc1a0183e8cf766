"""The points ledger, earning rules, catalogue, redemptions, badges and leaderboard tallies.

Invariants (DESIGN §6), held by the database where it can and by ``services`` otherwise:

* a balance is never negative (a CHECK constraint on the account and on every entry's
  ``balance_after``);
* a balance equals the sum of its account's entries (only ``services.post_entry`` writes either,
  under a lock on the account row);
* each earning source pays once (``idempotency_key`` is UNIQUE);
* entries are never edited or deleted: a correction is a new ``adjust`` entry.
"""

import itertools

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from civic.core.i18n import LocalizedName, localized


class ImmutableError(Exception):
    """Raised when code tries to change or remove a ledger entry."""


@register_setting(icon="pick")
class RewardSettings(BaseGenericSetting):
    """The earning rules and level thresholds, edited in the admin (Settings → Rewards)."""

    report_accepted = models.PositiveIntegerField(
        _("report accepted"), default=10, help_text=_("Paid to the reporter of an accepted report.")
    )
    report_resolved = models.PositiveIntegerField(
        _("report resolved"), default=5, help_text=_("Paid to the reporter when it is resolved.")
    )
    rating_given = models.PositiveIntegerField(
        _("rating given"), default=1, help_text=_("Paid to a reporter who rates the outcome.")
    )
    support_accepted = models.PositiveIntegerField(
        _("supported report accepted"),
        default=2,
        help_text=_(
            "Paid to each supporter (including reporters of merged duplicates) of a report that "
            "is accepted."
        ),
    )
    thread_promoted = models.PositiveIntegerField(
        _("thread promoted"),
        default=30,
        help_text=_("Paid to the author of a thread promoted to the leadership space."),
    )
    daily_report_cap = models.PositiveIntegerField(
        _("daily cap on report points"),
        default=100,
        help_text=_("At most this many points a day from reports, per person. 0: no cap."),
    )
    level_thresholds = models.CharField(
        _("level thresholds"),
        max_length=200,
        default="0,50,200,500,1000,2500,5000",
        help_text=_(
            "Lifetime points needed for level 1, 2, 3…, comma-separated and increasing, "
            "starting at 0."
        ),
    )

    class Meta:
        verbose_name = _("rewards")

    def clean(self):
        try:
            self.thresholds()
        except ValueError:
            raise ValidationError(
                {"level_thresholds": _("Give increasing whole numbers starting at 0.")}
            ) from None

    def thresholds(self):
        values = [int(part) for part in self.level_thresholds.split(",") if part.strip()]
        if not values or values[0] != 0 or any(b <= a for a, b in itertools.pairwise(values)):
            raise ValueError(self.level_thresholds)
        return values


class Account(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="reward_account",
    )
    balance = models.IntegerField(_("balance"), default=0)
    lifetime_earned = models.IntegerField(_("points earned"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0), name="rewards_account_balance_not_negative"
            ),
        ]

    def __str__(self):
        return str(self.user)


class EntryKind(models.TextChoices):
    EARN = "earn", _("Earned")
    REDEEM = "redeem", _("Redeemed")
    REFUND = "refund", _("Refund")
    ADJUST = "adjust", _("Adjustment")
    EXPIRE = "expire", _("Expired")


class Rule(models.TextChoices):
    """Why points moved: the earning rule, or the ledger operation."""

    REPORT_ACCEPTED = "report_accepted", _("Report accepted")
    REPORT_RESOLVED = "report_resolved", _("Report resolved")
    RATING_GIVEN = "rating_given", _("Rating given")
    SUPPORT_ACCEPTED = "support_accepted", _("Supported report accepted")
    THREAD_PROMOTED = "thread_promoted", _("Thread promoted")
    REDEMPTION = "redemption", _("Redemption")
    REFUND = "refund", _("Refund")
    ADJUSTMENT = "adjustment", _("Adjustment by staff")
    EXPIRY = "expiry", _("Expiry")


REPORT_RULES = (
    Rule.REPORT_ACCEPTED,
    Rule.REPORT_RESOLVED,
    Rule.RATING_GIVEN,
    Rule.SUPPORT_ACCEPTED,
)


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError("Ledger entries are never changed.")

    def delete(self):
        raise ImmutableError("Ledger entries are never deleted.")


class LedgerEntry(models.Model):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="entries"
    )
    amount = models.IntegerField(_("points"))
    # What the earning rule would have paid beyond ``amount``: held back by the daily cap on
    # report points. An entry that holds back everything records 0 points, so that the holder
    # sees why nothing came.
    withheld = models.PositiveIntegerField(_("points held back"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=EntryKind.choices)
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.CharField(max_length=64, blank=True)
    source = models.CharField(
        _("source"), max_length=100, blank=True, help_text=_("e.g. report:123")
    )
    idempotency_key = models.CharField(max_length=200, unique=True)
    balance_after = models.IntegerField(_("balance after"))
    # The holder's district when the entry was made: leaderboards per district read it.
    district = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [
            models.Index(fields=["account", "-created_at", "-id"], name="rewards_entry_feed"),
            models.Index(fields=["account", "rule"], name="rewards_entry_rule"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="rewards_entry_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(amount=0) | Q(withheld__gt=0),
                name="rewards_entry_moves_or_holds_back_points",
            ),
        ]
        permissions = [("adjust_points", "Can adjust points")]

    def __str__(self):
        return f"{self.amount:+d} {self.get_rule_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("Ledger entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Ledger entries are never deleted.")

    @property
    def withheld_reason(self):
        """Why points were held back, in the active language ("" when none were)."""
        if not self.withheld:
            return ""
        return ngettext(
            "%(count)s point held back: the daily limit on points from reports was already "
            "reached that day.",
            "%(count)s points held back: the daily limit on points from reports was already "
            "reached that day.",
            self.withheld,
        ) % {"count": self.withheld}


class Period(models.TextChoices):
    WEEK = "week", _("This week")
    MONTH = "month", _("This month")
    ALL = "all", _("All time")


class Tally(models.Model):
    """Points earned by one account in one period, kept up to date by ``post_entry`` (under the
    account's lock) so that a leaderboard is a read of the top rows of an index."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="tallies")
    period = models.CharField(max_length=5, choices=Period.choices)
    starts = models.DateField()  # the period's first day (1970-01-01 for all time)
    district = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    points = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "period", "starts"], name="rewards_tally_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["district", "period", "starts", "-points", "account"],
                name="rewards_tally_district",
            ),
            models.Index(
                fields=["period", "starts", "-points", "account"], name="rewards_tally_city"
            ),
        ]

    def __str__(self):
        return f"{self.account} {self.period} {self.starts}: {self.points}"


class ItemKind(models.TextChoices):
    PHONE_CREDIT = "phone_credit", _("Phone credit")
    VOUCHER = "voucher", _("Voucher")
    SOUVENIR = "souvenir", _("Souvenir")
    DONATION = "donation", _("Donation to a community cause")


class RewardItem(LocalizedName):
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    description = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cost = models.PositiveIntegerField(_("cost in points"))
    stock = models.PositiveIntegerField(
        _("stock"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    per_user_limit = models.PositiveIntegerField(
        _("limit per person"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    available_from = models.DateTimeField(_("available from"), null=True, blank=True)
    available_until = models.DateTimeField(_("available until"), null=True, blank=True)
    district = models.ForeignKey(
        "areas.Area",
        verbose_name=_("only for residents of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind__in": ["city", "district"]},
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards catalogue")
        ordering = ["sort_order", "cost", "id"]
        constraints = [models.CheckConstraint(condition=Q(cost__gt=0), name="rewards_item_cost")]

    def __str__(self):
        return self.localized_name

    @property
    def localized_description(self):
        return localized(self.description, self.description_en)

    def is_available(self, now=None):
        now = now or timezone.now()
        return (
            self.is_active
            and (self.available_from is None or self.available_from <= now)
            and (self.available_until is None or now < self.available_until)
        )


class RedemptionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for fulfilment")
    FULFILLED = "fulfilled", _("Fulfilled")
    CANCELLED = "cancelled", _("Cancelled, points refunded")


class Redemption(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="redemptions",
    )
    item = models.ForeignKey(
        RewardItem, verbose_name=_("reward"), on_delete=models.PROTECT, related_name="redemptions"
    )
    client_request_id = models.CharField(max_length=64)
    cost = models.PositiveIntegerField(_("cost in points"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RedemptionStatus.choices,
        default=RedemptionStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("redeemed at"), auto_now_add=True)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client_request_id"], name="rewards_redemption_once"
            )
        ]
        indexes = [models.Index(fields=["user", "item", "status"], name="rewards_red_limit")]
        permissions = [("fulfil_redemption", "Can fulfil and cancel redemptions")]

    def __str__(self):
        return f"{self.item} → {self.user}"

    @property
    def voucher(self):
        try:
            return self.voucher_code
        except VoucherCode.DoesNotExist:
            return None


class VoucherCode(models.Model):
    item = models.ForeignKey(
        RewardItem, verbose_name=_("reward"), on_delete=models.PROTECT, related_name="codes"
    )
    code = models.CharField(_("code"), max_length=100)
    redemption = models.OneToOneField(
        Redemption,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voucher_code",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voucher code")
        verbose_name_plural = _("voucher codes")
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="rewards_voucher_unique")
        ]
        indexes = [
            models.Index(
                fields=["item", "id"],
                condition=Q(redemption__isnull=True),
                name="rewards_voucher_free",
            )
        ]

    def __str__(self):
        return self.code


class BadgeAward(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges"
    )
    code = models.CharField(max_length=40)
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        constraints = [models.UniqueConstraint(fields=["user", "code"], name="rewards_badge_once")]

    def __str__(self):
        return f"{self.code} → {self.user}"
