"""Reads for the inbox, devices and preferences."""

from allauth.account.models import EmailAddress

from .models import DEFAULTS, Channel, Kind, Notification, Preference, QuietHours

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
