"""Every change to the inbox, devices and preferences.

``notify`` is how other apps' events become notifications (``receivers.py`` calls it): it writes
the inbox entry in the user's language and queues its deliveries in the outbox (``outbox.py``),
which a background task sends once the transaction has committed.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from civic.core.db import create_or_existing
from civic.core.errors import DomainError
from civic.core.permissions import require_signed_in

from . import outbox, queries
from .models import (
    DEFAULTS,
    AlertDelivery,
    AreaAlert,
    Channel,
    Delivery,
    Device,
    DigestSent,
    Kind,
    Notification,
    Platform,
    Preference,
    QuietHours,
)


class InvalidDeviceToken(DomainError):
    code = "invalid_device_token"
    default_message = _("The device token is missing or too long.")


class AreaAlertInvalid(DomainError):
    code = "area_alert_invalid"
    default_message = _("Choose an area, or a point with a radius.")


class TooManyAreaAlerts(DomainError):
    code = "too_many_area_alerts"
    default_message = _("You watch as many places as you may: delete one first.")


class InvalidQuietHours(DomainError):
    code = "invalid_quiet_hours"
    default_message = _("Quiet hours need a start and an end that differ.")


# --- Creating notifications ----------------------------------------------------------------------

_inbox_only = ContextVar("notifications_inbox_only", default=False)


@contextmanager
def inbox_only():
    """Notifications made inside go to the inbox only, with no push or email: for loading past
    events (the demo's history), which are not news to send anyone."""
    token = _inbox_only.set(True)
    try:
        yield
    finally:
        _inbox_only.reset(token)


def notify(user, kind, *, key, message, link="", url="", data=None, urgent=False):
    """Put a notification in ``user``'s inbox and queue its push and email deliveries.

    ``urgent`` pushes at once, whatever the user's quiet hours (an urgent report reaching the
    staff on duty).

    ``message`` is called with the user's language active and returns ``(title, body)``.
    ``key`` names what it is about: the same key for the same user notifies once, so an event
    delivered twice changes nothing. Returns the notification (None for an inactive user).
    """
    if user is None or not user.is_active:
        return None
    with translation.override(user.preferred_language):
        title, body = (str(part) for part in message())

    def create():
        notification = Notification.objects.create(
            user=user,
            kind=kind,
            key=key,
            title=title[:200],
            body=body,
            link=link,
            url=url,
            data=data or {},
        )
        queued = not _inbox_only.get() and _queue_deliveries(
            notification, timezone.now(), urgent=urgent
        )
        return notification, queued

    def existing():
        found = Notification.objects.filter(user=user, key=key).first()
        return found and (found, False)

    (notification, queued), _created = create_or_existing(create, existing)
    if queued:
        from .tasks import deliver_notification

        transaction.on_commit(lambda: deliver_notification.enqueue(notification.pk))
    return notification


def _queue_deliveries(notification, now, *, urgent=False):
    user = notification.user
    channels = queries.channels_for(user, notification.kind)
    rows = []
    if channels[Channel.PUSH]:
        held_until = None if urgent else quiet_until(queries.quiet_hours_of(user), now)
        rows += [
            Delivery(
                notification=notification,
                channel=Channel.PUSH,
                device=device,
                target=str(device.pk),
                next_attempt_at=held_until or now,
            )
            for device in Device.objects.filter(user=user, is_active=True)
        ]
    address = queries.verified_email(user) if channels[Channel.EMAIL] else None
    if address:
        rows.append(
            Delivery(
                notification=notification,
                channel=Channel.EMAIL,
                target=address,
                next_attempt_at=now,
            )
        )
    Delivery.objects.bulk_create(rows)
    return len(rows)


def quiet_until(quiet, now):
    """When the quiet hours that ``now`` falls in end, or None outside them."""
    if quiet is None or quiet.start == quiet.end:
        return None
    local = timezone.localtime(now)
    moment = local.time()
    if quiet.start < quiet.end:
        inside, end_day = quiet.start <= moment < quiet.end, local.date()
    else:  # past midnight, e.g. 22:00 to 07:00
        inside = moment >= quiet.start or moment < quiet.end
        end_day = local.date() + timedelta(days=1 if moment >= quiet.start else 0)
    if not inside:
        return None
    return timezone.make_aware(datetime.combine(end_day, quiet.end))


# --- The inbox -----------------------------------------------------------------------------------


def mark_read(user, ids):
    """Mark the user's own notifications among ``ids`` read; others' are ignored. Returns how
    many changed."""
    require_signed_in(user)
    return queries.unread_of(user).filter(pk__in=ids).update(read_at=timezone.now())


def mark_all_read(user):
    require_signed_in(user)
    return queries.unread_of(user).update(read_at=timezone.now())


# --- Devices -------------------------------------------------------------------------------------


def _clean_token(token):
    token = (token or "").strip()
    if not token or len(token) > Device._meta.get_field("token").max_length:
        raise InvalidDeviceToken(field="token")
    return token


@transaction.atomic
def register_device(user, *, token, platform):
    """Register (or refresh) the app's FCM token for ``user``. A token held by another user
    moves to this one: the phone now belongs to whoever signed in on it last."""
    require_signed_in(user)
    token = _clean_token(token)
    if platform not in Platform.values:
        raise DomainError(
            _("This choice is not one of the options."), field="platform", code="invalid_choice"
        )
    now = timezone.now()
    device = Device.objects.select_for_update().filter(token=token).first()
    if device is None:
        # The same token may be registered at the same moment by a retried request.
        device, created = create_or_existing(
            lambda: Device.objects.create(user=user, token=token, platform=platform, last_seen=now),
            lambda: Device.objects.select_for_update().filter(token=token).first(),
        )
        if created:
            return device
    device.user = user
    device.platform = platform
    device.is_active = True
    device.deactivated_reason = ""
    device.last_seen = now
    device.save()
    return device


@transaction.atomic
def unregister_device(user, *, token):
    """Stop pushing to this token (signing out on the phone). Only its owner can; unknown
    tokens are already unregistered. Returns whether one was removed."""
    require_signed_in(user)
    deleted, _counts = Device.objects.filter(user=user, token=_clean_token(token)).delete()
    return bool(deleted)


# --- Preferences ---------------------------------------------------------------------------------

UNCHANGED = object()


@transaction.atomic
def update_preferences(user, *, kinds=(), quiet_hours=UNCHANGED):
    """``kinds``: ``[(kind, push, email), …]`` — a None channel keeps its current value.
    ``quiet_hours``: ``(start, end)`` times, or None to have none."""
    require_signed_in(user)
    current = queries.channels_by_kind(user)
    for kind, push, email in kinds:
        kind = Kind(kind)
        chosen = {
            "push": current[kind][Channel.PUSH] if push is None else push,
            "email": current[kind][Channel.EMAIL] if email is None else email,
        }
        if chosen == DEFAULTS[kind]:
            Preference.objects.filter(user=user, kind=kind).delete()
        else:
            Preference.objects.update_or_create(user=user, kind=kind, defaults=chosen)
    if quiet_hours is not UNCHANGED:
        if quiet_hours is None:
            QuietHours.objects.filter(user=user).delete()
        else:
            start, end = quiet_hours
            if start is None or end is None or start == end:
                raise InvalidQuietHours(field="quiet_hours")
            QuietHours.objects.update_or_create(user=user, defaults={"start": start, "end": end})
    return user


def forget_user(user):
    """A closed account: its phones stop receiving at once, and its inbox and choices go (their
    messages were about the person). Deliveries go with their notifications and devices."""
    Device.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    Preference.objects.filter(user=user).delete()
    QuietHours.objects.filter(user=user).delete()


def personal_data(user):
    """The inbox, the registered phones and the choices, for a data export."""
    return {
        "notifications": [
            {
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "link": n.link,
                "createdAt": n.created_at.isoformat(),
                "readAt": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(user=user).order_by("pk")
        ],
        "devices": [
            {
                "platform": d.platform,
                "active": d.is_active,
                "registeredAt": d.created_at.isoformat(),
                "lastSeen": d.last_seen.isoformat(),
            }
            for d in Device.objects.filter(user=user).order_by("pk")
        ],
        "notificationPreferences": [
            {"kind": p.kind, "push": p.push, "email": p.email}
            for p in Preference.objects.filter(user=user).order_by("pk")
        ],
        "quietHours": [
            {"start": q.start.isoformat(), "end": q.end.isoformat()}
            for q in QuietHours.objects.filter(user=user)
        ],
    }


# --- Area alerts ---------------------------------------------------------------------------------

MAX_AREA_ALERTS = 10
MIN_ALERT_RADIUS_M = 50


@transaction.atomic
def create_area_alert(
    actor, *, area=None, lat=None, lon=None, radius_m=None, delivery=AlertDelivery.PUSH
):
    """Watch an area, or a circle of ``radius_m`` around (``lat``, ``lon``): new and resolved
    public reports there are notified as ``delivery`` says. The same place twice is the same
    alert (with the delivery asked last)."""
    require_signed_in(actor)
    if delivery not in AlertDelivery.values:
        raise AreaAlertInvalid(_("Choose how the alert reaches you."), field="delivery")
    if area is not None:
        if lat is not None or lon is not None or radius_m is not None:
            raise AreaAlertInvalid(field="area_id")
        place = {"area": area, "lat": None, "lon": None, "radius_m": None}
    else:
        if lat is None or lon is None or radius_m is None:
            raise AreaAlertInvalid(field="radius_m")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise AreaAlertInvalid(
                _("Latitude must be within ±90 and longitude within ±180 degrees."), field="lat"
            )
        maximum = settings.REPORTS_NEARBY_MAX_RADIUS_M
        if not MIN_ALERT_RADIUS_M <= radius_m <= maximum:
            raise AreaAlertInvalid(
                _("The radius must be between %(min)s and %(max)s metres.")
                % {"min": MIN_ALERT_RADIUS_M, "max": maximum},
                field="radius_m",
            )
        place = {"area": None, "lat": round(lat, 6), "lon": round(lon, 6), "radius_m": radius_m}
    # Locking the user's row serialises their alerts, so the limit holds under a double tap.
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    existing = AreaAlert.objects.filter(user=actor, **place).first()
    if existing is not None:
        if existing.delivery != delivery:
            existing.delivery = delivery
            existing.save(update_fields=["delivery"])
        return existing
    if AreaAlert.objects.filter(user=actor).count() >= MAX_AREA_ALERTS:
        raise TooManyAreaAlerts()
    return AreaAlert.objects.create(user=actor, delivery=delivery, **place)


def delete_area_alert(actor, alert_id):
    """Stop watching a place. Deleting one already gone (or not one's own) changes nothing."""
    require_signed_in(actor)
    AreaAlert.objects.filter(user=actor, pk=alert_id).delete()


# --- The daily digest -----------------------------------------------------------------------------

DIGEST_KINDS = (Kind.AREA_NEW_REPORT, Kind.AREA_REPORT_RESOLVED)


def send_daily_digests(day=None):
    """Email each resident with a digest alert one list of the new and resolved reports their
    digest alerts caught on ``day`` (the city's date; yesterday by default). Nothing caught,
    no email. Idempotent: a day's digest is recorded as it is sent, so running again (or on
    two workers at once) sends none twice. Returns how many were sent."""
    day = day or timezone.localdate() - timedelta(days=1)
    start = timezone.make_aware(datetime.combine(day, time.min))
    subscribers = AreaAlert.objects.filter(delivery=AlertDelivery.DIGEST).values("user_id")
    sent = 0
    for user in get_user_model().objects.filter(pk__in=subscribers, is_active=True).order_by("pk"):
        items = list(
            Notification.objects.filter(
                user=user,
                kind__in=DIGEST_KINDS,
                data__digest=True,
                created_at__gte=start,
                created_at__lt=start + timedelta(days=1),
            ).order_by("created_at", "pk")
        )
        address = queries.verified_email(user)
        if not items or not address:
            continue
        with transaction.atomic():
            _row, created = create_or_existing(
                lambda user=user, items=items: DigestSent.objects.create(
                    user=user, day=day, items=len(items)
                ),
                lambda user=user: DigestSent.objects.filter(user=user, day=day).first(),
            )
            if created:
                # Sent inside the transaction: if sending fails, the record goes too and the
                # next run sends it.
                outbox.send_digest(user, address, day, items)
                sent += 1
    return sent
