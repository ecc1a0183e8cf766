"""Every change to points, the catalogue's stock and redemptions.

``post_entry`` is the only writer of balances: it locks the account row, refuses a repeated
idempotency key by returning the entry that key already made, and refuses to take a balance below
zero. Everything that pays or charges goes through it, in the caller's transaction.
"""

import datetime
import logging
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from civic.areas.models import AreaKind
from civic.core.db import create_or_existing
from civic.core.errors import DomainError, NotFound
from civic.core.permissions import person, require, require_signed_in

from . import events, permissions
from .badges import award_badges
from .models import (
    REPORT_RULES,
    Account,
    EntryKind,
    ItemKind,
    LedgerEntry,
    Period,
    Redemption,
    RedemptionStatus,
    RewardItem,
    RewardSettings,
    Rule,
    Tally,
    VoucherCode,
)

logger = logging.getLogger(__name__)

ALL_TIME = datetime.date(1970, 1, 1)


class InsufficientPoints(DomainError):
    code = "insufficient_points"
    default_message = _("You do not have enough points.")


class OutOfStock(DomainError):
    code = "out_of_stock"
    default_message = _("This reward is out of stock.")


class RedemptionLimitReached(DomainError):
    code = "redemption_limit_reached"
    default_message = _("You have redeemed this reward as many times as allowed.")


class RewardUnavailable(DomainError):
    code = "reward_unavailable"
    default_message = _("This reward is not available to you now.")


class RedemptionNotPending(DomainError):
    code = "redemption_not_pending"
    default_message = _("Only a redemption waiting for fulfilment can be changed.")


class AdjustmentInvalid(DomainError):
    code = "adjustment_invalid"
    default_message = _("Give a non-zero number of points and a reason.")


def rules():
    return RewardSettings.load()


# --- The ledger ----------------------------------------------------------------------------------


def district_of(user):
    """The district of the user's home area (None without one)."""
    area = getattr(user, "home_area", None) if user.home_area_id else None
    if area is None:
        return None
    if area.kind == AreaKind.DISTRICT:
        return area
    return area.get_ancestors().filter(kind=AreaKind.DISTRICT).first()


def account_of(user):
    """The user's account, made when first needed."""
    account, _created = Account.objects.get_or_create(user=user)
    return account


def _locked_account(user):
    # Lock the account row only (PostgreSQL refuses FOR UPDATE across nullable outer joins).
    locked = Account.objects.select_for_update(of=("self",))
    try:
        return locked.get(user=user)
    except Account.DoesNotExist:
        account_of(user)  # made once, racing makers or not (get_or_create retries the read)
        return locked.get(user=user)


def _period_starts(now):
    today = timezone.localdate(now)
    return {
        Period.WEEK: today - datetime.timedelta(days=today.weekday()),
        Period.MONTH: today.replace(day=1),
        Period.ALL: ALL_TIME,
    }


def period_start(period, now=None):
    return _period_starts(now or timezone.now())[Period(period)]


def _count_towards_tallies(account, amount, district, now):
    for period, starts in _period_starts(now).items():
        tally, _created = Tally.objects.get_or_create(
            account=account, period=period, starts=starts, defaults={"district": district}
        )
        Tally.objects.filter(pk=tally.pk).update(points=F("points") + amount, district=district)


def _source_fields(source):
    if source is None:
        return {}
    if isinstance(source, str):
        return {"source": source[:100]}
    return {
        "source_type": ContentType.objects.get_for_model(source),
        "source_id": str(source.pk),
        "source": f"{source._meta.model_name}:{source.pk}",
    }


@transaction.atomic
def post_entry(
    user,
    amount,
    *,
    kind,
    rule,
    key,
    reason="",
    source=None,
    created_by=None,
    cap_daily_report_points=False,
    locked_account=None,
    at=None,
):
    """Add ``amount`` (±) to the user's balance as one ledger entry.

    Returns ``(entry, created)``. A key seen before returns its entry and changes nothing.
    ``cap_daily_report_points`` trims an earning to what is left of that day's cap on report
    points; the entry records what it held back (``withheld``), and is a 0-point entry when
    nothing was left, so that the holder sees why the rule paid nothing.
    ``locked_account``: the user's account, already locked by the caller in this transaction.
    ``at``: when it was earned, for history loaded afterwards (the demo); now by default.
    """
    if locked_account is None:
        existing = LedgerEntry.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing, False
    account = locked_account or _locked_account(user)
    # Another transaction with the same key may have committed while we waited for the lock.
    existing = LedgerEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing, False
    now = at or timezone.now()
    withheld = 0
    if cap_daily_report_points and amount > 0:
        withheld = amount - min(amount, _left_of_daily_cap(account, now))
        amount -= withheld
    balance = account.balance + amount
    if balance < 0:
        raise InsufficientPoints()
    district = district_of(user)
    # The key may have been used for another account meanwhile: keys are unique across the ledger.
    entry, created = create_or_existing(
        lambda: LedgerEntry.objects.create(
            account=account,
            amount=amount,
            withheld=withheld,
            kind=kind,
            rule=rule,
            reason=str(reason)[:255],
            idempotency_key=key,
            balance_after=balance,
            district=district,
            created_at=now,
            created_by=person(created_by),
            **_source_fields(source),
        ),
        lambda: LedgerEntry.objects.filter(idempotency_key=key).first(),
    )
    if not created:
        return entry, False
    counts = kind in (EntryKind.EARN, EntryKind.ADJUST)
    Account.objects.filter(pk=account.pk).update(
        balance=F("balance") + amount,
        lifetime_earned=F("lifetime_earned") + (amount if counts else 0),
    )
    if counts and amount:
        _count_towards_tallies(account, amount, district, now)
    return entry, True


def _left_of_daily_cap(account, now):
    """Report points the account may still earn on ``now``'s day (unlimited without a cap)."""
    cap = rules().daily_report_cap
    if not cap:
        return float("inf")
    day = timezone.localdate(now)
    day_start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    earned = (
        LedgerEntry.objects.filter(
            account=account,
            rule__in=REPORT_RULES,
            created_at__gte=day_start,
            created_at__lt=day_start + datetime.timedelta(days=1),
            amount__gt=0,
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    return max(cap - earned, 0)


def earn(user, amount, *, rule, key, reason="", source=None, capped=False, at=None):
    """Pay an earning rule once (by ``key``); nothing for a zero amount or a missing user.
    Points the daily cap holds back are recorded on the entry and announced
    (``points_withheld``)."""
    if user is None or not amount:
        return None
    entry, created = post_entry(
        user,
        amount,
        kind=EntryKind.EARN,
        rule=rule,
        key=key,
        reason=reason,
        source=source,
        cap_daily_report_points=capped,
        at=at,
    )
    if created:
        transaction.on_commit(lambda: award_badges(user))
        if entry.withheld:
            transaction.on_commit(
                lambda: events.points_withheld.send(sender=LedgerEntry, user=user, entry=entry)
            )
    return entry


@transaction.atomic
def adjust(actor, user, amount, reason, *, key=None):
    """A staff correction: a new entry with a reason, recorded in the admin's audit log."""
    require(permissions.can_adjust(actor))
    reason = (reason or "").strip()
    if not isinstance(amount, int) or isinstance(amount, bool) or amount == 0 or not reason:
        raise AdjustmentInvalid(field="amount" if reason else "reason")
    entry, created = post_entry(
        user,
        amount,
        kind=EntryKind.ADJUST,
        rule=Rule.ADJUSTMENT,
        key=key or f"adjust:{uuid.uuid4()}",
        reason=reason,
        created_by=actor,
    )
    if created:
        log(
            instance=entry,
            action="rewards.adjust",
            user=person(actor),
            data={"user": user.pk, "amount": amount, "reason": reason},
        )
    return entry


def award_thread_promoted(user, thread_id):
    """For the forums app: pay a promoted thread's author once."""
    return earn(
        user,
        rules().thread_promoted,
        rule=Rule.THREAD_PROMOTED,
        key=f"thread:{thread_id}:promoted:{user.pk}",
        reason=gettext("Thread promoted to the leadership space"),
        source=f"thread:{thread_id}",
    )


# --- Redemption ----------------------------------------------------------------------------------


def _lives_in(user, area):
    home = user.home_area if user.home_area_id else None
    return home is not None and home.path.startswith(area.path)


def _check_available(user, item, now):
    if not item.is_available(now):
        raise RewardUnavailable(field="item_id")
    if item.district_id and not _lives_in(user, item.district):
        raise RewardUnavailable(
            gettext("This reward is only for residents of %(area)s.")
            % {"area": item.district.localized_name},
            field="item_id",
        )


def redeem(actor, item, client_request_id):
    """Spend points on ``item``. The same ``client_request_id`` returns the same redemption.

    Refusals change nothing: ``reward_unavailable``, ``redemption_limit_reached``,
    ``insufficient_points``, ``out_of_stock``.
    """
    user = require_signed_in(actor)
    client_request_id = (client_request_id or "").strip()
    if not client_request_id or len(client_request_id) > 64:
        raise DomainError(
            gettext("Send a request ID of 1 to 64 characters."),
            field="client_request_id",
            code="invalid",
        )
    found = Redemption.objects.filter(user=user, client_request_id=client_request_id).first()
    if found is not None:
        return found
    with transaction.atomic():
        # One redemption at a time per person: the account lock orders them.
        account = _locked_account(user)
        found = Redemption.objects.filter(user=user, client_request_id=client_request_id).first()
        if found is not None:
            return found
        item = RewardItem.objects.select_related("district").get(pk=item.pk)
        now = timezone.now()
        _check_available(user, item, now)
        if item.per_user_limit is not None:
            used = (
                Redemption.objects.filter(user=user, item=item)
                .exclude(status=RedemptionStatus.CANCELLED)
                .count()
            )
            if used >= item.per_user_limit:
                raise RedemptionLimitReached(field="item_id")
        if account.balance < item.cost:
            raise InsufficientPoints(field="item_id")
        if item.stock is not None and item.stock < 1:
            raise OutOfStock(field="item_id")  # a cheap early answer; the UPDATE below decides
        redemption = Redemption.objects.create(
            user=user, item=item, client_request_id=client_request_id, cost=item.cost
        )
        post_entry(
            user,
            -item.cost,
            kind=EntryKind.REDEEM,
            rule=Rule.REDEMPTION,
            key=f"redemption:{redemption.pk}:redeem",
            reason=item.name,
            source=redemption,
            created_by=user,
            locked_account=account,
        )
        # The shared rows (the item's stock, the pool of codes) are taken last, so that their
        # locks are held only for the end of the transaction.
        if item.stock is not None:
            # A conditional UPDATE: the row lock it takes orders racing redemptions, and the
            # condition is checked again on the row as it is once the lock is ours.
            taken = RewardItem.objects.filter(pk=item.pk, stock__gte=1).update(stock=F("stock") - 1)
            if not taken:
                raise OutOfStock(field="item_id")
        if item.kind == ItemKind.VOUCHER:
            codes = VoucherCode.objects.filter(item=item, redemption__isnull=True).order_by("id")
            code = codes.select_for_update(skip_locked=True).first()
            if code is None:
                raise OutOfStock(field="item_id")
            VoucherCode.objects.filter(pk=code.pk).update(redemption=redemption)
            redemption.status = RedemptionStatus.FULFILLED
            redemption.fulfilled_at = now
            redemption.save(update_fields=["status", "fulfilled_at"])
    award_badges(user)
    return redemption


def _locked_redemption(redemption):
    try:
        return (
            Redemption.objects.select_for_update(of=("self",))
            .select_related("item", "user")
            .get(pk=redemption.pk)
        )
    except Redemption.DoesNotExist:
        raise NotFound() from None


@transaction.atomic
def fulfil(actor, redemption, *, note=""):
    require(permissions.can_fulfil(actor))
    redemption = _locked_redemption(redemption)
    if redemption.status == RedemptionStatus.FULFILLED:
        return redemption
    if redemption.status != RedemptionStatus.PENDING:
        raise RedemptionNotPending()
    redemption.status = RedemptionStatus.FULFILLED
    redemption.fulfilled_at = timezone.now()
    redemption.handled_by = person(actor)
    redemption.note = (note or "").strip()[:255]
    redemption.save()
    log(
        instance=redemption,
        action="rewards.fulfil",
        user=redemption.handled_by,
        data={"note": redemption.note},
    )
    transaction.on_commit(
        lambda: events.redemption_fulfilled.send(sender=Redemption, redemption=redemption)
    )
    return redemption


@transaction.atomic
def cancel(actor, redemption, *, reason=""):
    """Cancel a pending redemption: the points come back as a refund entry, the stock too."""
    require(permissions.can_fulfil(actor))
    redemption = _locked_redemption(redemption)
    if redemption.status == RedemptionStatus.CANCELLED:
        return redemption
    if redemption.status != RedemptionStatus.PENDING:
        raise RedemptionNotPending()
    redemption.status = RedemptionStatus.CANCELLED
    redemption.cancelled_at = timezone.now()
    redemption.handled_by = person(actor)
    redemption.note = (reason or "").strip()[:255]
    redemption.save()
    if redemption.item.stock is not None:
        RewardItem.objects.filter(pk=redemption.item_id).update(stock=F("stock") + 1)
    post_entry(
        redemption.user,
        redemption.cost,
        kind=EntryKind.REFUND,
        rule=Rule.REFUND,
        key=f"redemption:{redemption.pk}:refund",
        reason=redemption.note or gettext("Redemption cancelled"),
        source=redemption,
        created_by=redemption.handled_by,
    )
    log(
        instance=redemption,
        action="rewards.cancel",
        user=redemption.handled_by,
        data={"reason": redemption.note},
    )
    return redemption


# --- Catalogue -----------------------------------------------------------------------------------


@transaction.atomic
def create_item(actor, **fields):
    """A new reward in the catalogue from RewardItem fields (the admin form checked them)."""
    require(permissions.can_manage_catalogue(actor))
    return RewardItem.objects.create(**fields)


@transaction.atomic
def update_item(actor, item, **fields):
    require(permissions.can_manage_catalogue(actor))
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    return item


@transaction.atomic
def delete_item(actor, item):
    """Its redemptions and voucher codes protect a reward from deletion (the database refuses)."""
    require(permissions.can_manage_catalogue(actor))
    item.delete()


def import_codes(actor, item, text):
    """Add voucher codes to ``item``'s pool from text: one per line, or the first column of a
    CSV. Blank lines, a ``code`` header and codes already in the pool are skipped.
    Returns (added, skipped)."""
    require(permissions.can_manage_catalogue(actor))
    codes = []
    for line in (text or "").splitlines():
        code = line.split(",")[0].strip().strip('"').strip()
        if code and code.lower() != "code":
            codes.append(code[:100])
    wanted = list(dict.fromkeys(codes))
    existing = set(
        VoucherCode.objects.filter(item=item, code__in=wanted).values_list("code", flat=True)
    )
    new = [VoucherCode(item=item, code=code) for code in wanted if code not in existing]
    VoucherCode.objects.bulk_create(new, ignore_conflicts=True)
    return len(new), len(codes) - len(new)
