"""Notification mutations: mark read, register devices, choose channels and quiet hours."""

import graphene

from civic.areas.queries import area_by_id
from civic.core.api.enums import enum_value
from civic.core.api.ids import pk_from_global_id
from civic.core.api.mutations import BaseMutation
from civic.core.permissions import require_signed_in

from .. import queries, services
from .types import (
    AlertDeliveryEnum,
    AreaAlertType,
    DeviceType,
    KindEnum,
    NotificationPreferences,
    PlatformEnum,
    preferences_of,
)


class MarkRead(BaseMutation):
    """Mark notifications of yours read (others' ids change nothing)."""

    unread_count = graphene.Int()

    class Input:
        ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    @classmethod
    def perform(cls, root, info, *, ids):
        user = require_signed_in(info.context.user)
        pks = [pk_from_global_id(gid, "Notification", field="ids") for gid in ids]
        services.mark_read(user, pks)
        return cls(unread_count=queries.unread_count(user))


class MarkAllRead(BaseMutation):
    """Mark the whole inbox read."""

    unread_count = graphene.Int()

    @classmethod
    def perform(cls, root, info):
        user = require_signed_in(info.context.user)
        services.mark_all_read(user)
        return cls(unread_count=0)


class RegisterDevice(BaseMutation):
    """Register the app's FCM token after sign-in and whenever FCM gives it a new one. A token
    another user registered moves to you."""

    device = graphene.Field(DeviceType)

    class Input:
        token = graphene.String(required=True)
        platform = PlatformEnum(required=True)

    @classmethod
    def perform(cls, root, info, *, token, platform):
        user = require_signed_in(info.context.user)
        device = services.register_device(user, token=token, platform=enum_value(platform))
        return cls(device=device)


class UnregisterDevice(BaseMutation):
    """Stop push to this token (before signing out)."""

    removed = graphene.Boolean(description="False when the token was not registered to you.")

    class Input:
        token = graphene.String(required=True)

    @classmethod
    def perform(cls, root, info, *, token):
        user = require_signed_in(info.context.user)
        return cls(removed=services.unregister_device(user, token=token))


class KindPreferenceInput(graphene.InputObjectType):
    kind = KindEnum(required=True)
    push = graphene.Boolean(description="Left out: unchanged.")
    email = graphene.Boolean(description="Left out: unchanged.")


class QuietHoursInput(graphene.InputObjectType):
    start = graphene.Time(required=True)
    end = graphene.Time(required=True)


class UpdateNotificationPreferences(BaseMutation):
    """Choose channels per kind, and quiet hours. Only what is sent changes; send
    ``clearQuietHours: true`` to have none."""

    preferences = graphene.Field(NotificationPreferences)

    class Input:
        kinds = graphene.List(graphene.NonNull(KindPreferenceInput))
        quiet_hours = QuietHoursInput()
        clear_quiet_hours = graphene.Boolean()

    @classmethod
    def perform(cls, root, info, *, kinds=None, quiet_hours=None, clear_quiet_hours=False):
        user = require_signed_in(info.context.user)
        changes = {
            "kinds": [
                (enum_value(item.kind), item.get("push"), item.get("email")) for item in kinds or ()
            ]
        }
        if clear_quiet_hours:
            changes["quiet_hours"] = None
        elif quiet_hours is not None:
            changes["quiet_hours"] = (quiet_hours.start, quiet_hours.end)
        services.update_preferences(user, **changes)
        return cls(preferences=preferences_of(user))


class CreateAreaAlert(BaseMutation):
    """Watch a place: ``areaId`` (your community, say), or ``lat``/``lon`` with ``radiusM``.
    New and resolved public reports there are notified once each (inbox, and push or email as
    your preferences for AREA_NEW_REPORT and AREA_REPORT_RESOLVED say, or as ``delivery``
    asks: the inbox only, or a daily email digest). The same place twice is the same alert
    (with the delivery asked last)."""

    area_alert = graphene.Field(AreaAlertType)

    class Input:
        area_id = graphene.ID()
        lat = graphene.Float()
        lon = graphene.Float()
        radius_m = graphene.Int()
        delivery = AlertDeliveryEnum(default_value="push")

    @classmethod
    def perform(
        cls, root, info, *, area_id=None, lat=None, lon=None, radius_m=None, delivery="push"
    ):
        user = require_signed_in(info.context.user)
        area = None
        if area_id is not None:
            area = area_by_id(pk_from_global_id(area_id, "Area", field="areaId"))
            if area is None:
                raise services.AreaAlertInvalid(field="area_id")
        alert = services.create_area_alert(
            user, area=area, lat=lat, lon=lon, radius_m=radius_m, delivery=enum_value(delivery)
        )
        return cls(area_alert=alert)


class DeleteAreaAlert(BaseMutation):
    """Stop watching a place. Idempotent."""

    class Input:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, *, id):
        user = require_signed_in(info.context.user)
        services.delete_area_alert(user, pk_from_global_id(id, "AreaAlert", field="id"))
        return cls()


class Mutation(graphene.ObjectType):
    create_area_alert = CreateAreaAlert.Field()
    delete_area_alert = DeleteAreaAlert.Field()
    mark_read = MarkRead.Field()
    mark_all_read = MarkAllRead.Field()
    register_device = RegisterDevice.Field()
    unregister_device = UnregisterDevice.Field()
    update_notification_preferences = UpdateNotificationPreferences.Field()
