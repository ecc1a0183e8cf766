"""Reads for the inbox, devices and preferences."""

from math import cos, radians

from allauth.account.models import EmailAddress
from django.conf import settings

from reports.queries import distance_m

from .models import (
    ALERT_URGENCY,
    DEFAULTS,
    AreaAlert,
    Channel,
    Kind,
    Notification,
    Preference,
    QuietHours,
)

INBOX_ORDER = ("-created_at", "-id")


def inbox_of(user):
    return Notification.objects.filter(user=user)


def unread_of(user):
    return Notification.objects.filter(user=user, read_at__isnull=True)


def unread_count(user):
    return unread_of(user).count()


def channels_by_kind(user):
    """``{kind: {"push": bool, "email": bool}}`` for every kind, defaults filled in."""
    chosen = {
        kind: {Channel.PUSH: push, Channel.EMAIL: email}
        for kind, push, email in Preference.objects.filter(user=user).values_list(
            "kind", "push", "email"
        )
    }
    return {kind: chosen.get(kind, dict(DEFAULTS[kind])) for kind in Kind}


def channels_for(user, kind):
    preference = Preference.objects.filter(user=user, kind=kind).first()
    if preference is None:
        return DEFAULTS[kind]
    return {Channel.PUSH: preference.push, Channel.EMAIL: preference.email}


def quiet_hours_of(user):
    return QuietHours.objects.filter(user=user).first()


def verified_email(user):
    """The user's primary email address if they have verified it: nothing is mailed to an
    address its owner has not confirmed."""
    found = EmailAddress.objects.filter(user=user, primary=True, verified=True).first()
    return found.email if found else None


def area_alerts_of(user):
    return AreaAlert.objects.filter(user=user).select_related("area").order_by("created_at", "pk")


def alert_subscribers(lat, lon, area_ids):
    """``{user id: delivery}`` of the users with an alert on one of ``area_ids`` or a circle
    holding the point, each once, with the most immediate delivery of their alerts there."""
    reach = settings.REPORTS_NEARBY_MAX_RADIUS_M
    dlat = reach / 111_320
    dlon = reach / (111_320 * max(cos(radians(lat)), 1e-6))
    found = list(AreaAlert.objects.filter(area_id__in=area_ids).values_list("user_id", "delivery"))
    circles = AreaAlert.objects.filter(
        radius_m__isnull=False,
        lat__range=(lat - dlat, lat + dlat),
        lon__range=(lon - dlon, lon + dlon),
    ).values_list("user_id", "lat", "lon", "radius_m", "delivery")
    for user_id, alert_lat, alert_lon, radius_m, delivery in circles:
        if distance_m(lat, lon, alert_lat, alert_lon) <= radius_m:
            found.append((user_id, delivery))
    users = {}
    for user_id, delivery in found:
        current = users.get(user_id, delivery)
        users[user_id] = min(current, delivery, key=ALERT_URGENCY.index)
    return users
