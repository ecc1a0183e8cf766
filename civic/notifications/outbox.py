"""Sending the outbox: due deliveries are claimed, sent in batches, and their outcome recorded.

A delivery is claimed by moving its ``next_attempt_at`` a lease ahead and counting the attempt,
in a transaction that skips rows another worker has locked; so two workers never send the same
delivery, and a worker that dies mid-send leaves it to be retried once the lease is over.
Failures the provider calls temporary are retried with exponential backoff (or after the wait
the provider asked for) until ``NOTIFICATIONS_MAX_ATTEMPTS``; then the delivery is ``dead``.
A token FCM no longer accepts deactivates its device and fails its deliveries for good.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from . import push
from .models import Channel, Delivery, DeliveryState, Device

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)


@dataclass
class Counts:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    dead: int = 0

    def add(self, other):
        for name in ("sent", "retried", "failed", "dead"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def backoff(attempts):
    """The wait after the ``attempts``-th failed attempt: base, 2×base, 4×base … capped."""
    seconds = settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    return timedelta(seconds=min(seconds, settings.NOTIFICATIONS_RETRY_MAX_SECONDS))


def due(deliveries=None, now=None):
    """The ids of pending deliveries whose time has come, oldest first."""
    deliveries = Delivery.objects.all() if deliveries is None else deliveries
    return list(
        deliveries.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now or timezone.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )


def process(deliveries=None, *, progress=None):
    """Send what is due (of ``deliveries``, a queryset, or of the whole outbox)."""
    counts = Counts()
    ids = due(deliveries)
    batches = [ids[i : i + push.BATCH_SIZE] for i in range(0, len(ids), push.BATCH_SIZE)]
    for batch in progress(batches) if progress else batches:
        claimed = _claim(batch)
        counts.add(_send_push([d for d in claimed if d.channel == Channel.PUSH]))
        counts.add(_send_email([d for d in claimed if d.channel == Channel.EMAIL]))
    return counts


@transaction.atomic
def _claim(ids):
    now = timezone.now()
    claimed = list(
        Delivery.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=ids, state=DeliveryState.PENDING, next_attempt_at__lte=now)
        .select_related("notification__user", "device")
    )
    Delivery.objects.filter(pk__in=[d.pk for d in claimed]).update(
        attempts=F("attempts") + 1, next_attempt_at=now + LEASE
    )
    for delivery in claimed:
        delivery.attempts += 1
    return claimed


def _settle(delivery, outcome, *, now, error="", provider_id="", retry_after=None):
    """Record one attempt's outcome on ``delivery`` (saved by the caller)."""
    delivery.last_error = error[:500]
    if outcome is push.Outcome.SENT:
        delivery.state, delivery.sent_at = DeliveryState.SENT, now
        delivery.provider_id = provider_id
    elif outcome is push.Outcome.INVALID_TOKEN:
        delivery.state = DeliveryState.FAILED
    elif delivery.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        delivery.state = DeliveryState.DEAD
    else:
        wait = backoff(delivery.attempts)
        if retry_after:
            wait = max(wait, timedelta(seconds=retry_after))
        delivery.next_attempt_at = now + wait
    return delivery.state


def _save(deliveries):
    Delivery.objects.bulk_update(
        deliveries, ["state", "sent_at", "provider_id", "last_error", "next_attempt_at"]
    )
    counts = Counts()
    for delivery in deliveries:
        if delivery.state == DeliveryState.PENDING:
            counts.retried += 1
        else:  # the final states are named as the counts are
            setattr(counts, delivery.state, getattr(counts, delivery.state) + 1)
    return counts


def _send_push(deliveries):
    if not deliveries:
        return Counts()
    now = timezone.now()
    sendable = []
    for delivery in deliveries:
        device = delivery.device
        if not device.is_active:
            _settle(delivery, push.Outcome.INVALID_TOKEN, now=now, error="device deactivated")
        elif device.user_id != delivery.notification.user_id:
            # The phone has been signed in to by someone else since: not theirs to read.
            _settle(delivery, push.Outcome.INVALID_TOKEN, now=now, error="device changed hands")
        else:
            sendable.append(delivery)
    messages = [_push_message(delivery) for delivery in sendable]
    results = push.get_sender().send(messages) if messages else []
    invalid = set()
    for delivery, result in zip(sendable, results, strict=True):
        _settle(
            delivery,
            result.outcome,
            now=now,
            error=result.error,
            provider_id=result.message_id,
            retry_after=result.retry_after,
        )
        if result.outcome is push.Outcome.INVALID_TOKEN:
            invalid.add(delivery.device_id)
    if invalid:
        Device.objects.filter(pk__in=invalid).update(
            is_active=False, deactivated_reason="rejected by FCM"
        )
        logger.info("push: deactivated %s device(s) FCM no longer accepts", len(invalid))
    return _save(deliveries)


def _push_message(delivery):
    notification = delivery.notification
    return push.PushMessage(
        token=delivery.device.token,
        title=notification.title,
        body=notification.body,
        link=notification.link,
        data={"kind": notification.kind, "notificationId": str(notification.pk)},
    )


def _send_email(deliveries):
    if not deliveries:
        return Counts()
    now = timezone.now()
    with get_connection() as connection:
        for delivery in deliveries:
            try:
                _email(delivery, connection).send()
            except smtplib.SMTPRecipientsRefused as exc:
                _settle(delivery, push.Outcome.INVALID_TOKEN, now=now, error=repr(exc))
            except (smtplib.SMTPException, OSError) as exc:
                logger.warning("email delivery %s failed: %r", delivery.pk, exc)
                _settle(delivery, push.Outcome.RETRY, now=now, error=repr(exc))
            else:
                _settle(delivery, push.Outcome.SENT, now=now)
    return _save(deliveries)


def _email(delivery, connection):
    notification = delivery.notification
    with translation.override(notification.user.preferred_language):
        body = render_to_string(
            "notifications/email.txt",
            {
                "notification": notification,
                "base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
            },
        )
    return EmailMessage(
        subject=notification.title,
        body=body,
        to=[delivery.target],
        connection=connection,
    )


def send_digest(user, address, day, items):
    """Email ``user`` the daily digest of their area alerts: one line per notification in
    ``items``, in their language."""
    with translation.override(user.preferred_language):
        subject = gettext("Reports in the areas you watch, %(day)s") % {
            "day": formats.date_format(day, "DATE_FORMAT")
        }
        body = render_to_string(
            "notifications/digest.txt",
            {"items": items, "base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")},
        )
    EmailMessage(subject=subject, body=body, to=[address]).send()
