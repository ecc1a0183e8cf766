"""The notifications part of the GraphQL API (assembled in ``civic.api.schema``): the inbox,
devices and preferences, thin over services and queries."""

import graphene
from django.conf import settings
from graphene import relay
from graphene_django import DjangoObjectType

from civic.core.api.enums import choices_enum, enum_value
from civic.core.api.ids import pk_from_global_id
from civic.core.api.mutations import BaseMutation
from civic.core.api.pagination import connection_args, paginate
from civic.core.permissions import require_signed_in

from . import queries, services
from .models import Channel, Kind, Notification, Platform

KindEnum = choices_enum("NotificationKind", Kind, "What a notification is about.")
PlatformEnum = choices_enum("DevicePlatform", Platform, "The device's operating system.")


class NotificationType(DjangoObjectType):
    kind = graphene.Field(KindEnum, required=True)
    title = graphene.String(required=True, description="In the user's language.")
    body = graphene.String(required=True, description="In the user's language.")
    link = graphene.String(
        required=True, description="Where the app goes, e.g. civic://reports/12; may be empty."
    )
    url = graphene.String(required=True, description="The portal's page, a path; may be empty.")
    data = graphene.JSONString(required=True, description="Ids the app may use, e.g. reportId.")
    is_read = graphene.Boolean(required=True)
    read_at = graphene.DateTime()
    created_at = graphene.DateTime(required=True)

    class Meta:
        model = Notification
        name = "Notification"
        interfaces = (relay.Node,)
        fields = ()

    @classmethod
    def get_node(cls, info, id):
        user = info.context.user
        if not user.is_authenticated:
            return None
        return queries.inbox_of(user).filter(pk=id).first()

    def resolve_kind(notification, info):
        return enum_value(notification.kind)


class NotificationConnection(relay.Connection):
    class Meta:
        node = NotificationType


class KindPreference(graphene.ObjectType):
    kind = graphene.Field(KindEnum, required=True)
    label = graphene.String(required=True, description="In the request's language.")
    push = graphene.Boolean(required=True)
    email = graphene.Boolean(required=True)


class QuietHoursType(graphene.ObjectType):
    start = graphene.Time(required=True)
    end = graphene.Time(required=True, description="May be earlier than start: past midnight.")

    class Meta:
        name = "QuietHours"


class NotificationPreferences(graphene.ObjectType):
    kinds = graphene.List(
        graphene.NonNull(KindPreference),
        required=True,
        description="Every kind, with its channels; the inbox always gets every notification.",
    )
    quiet_hours = graphene.Field(
        QuietHoursType, description="No push in this window; what comes waits until it ends."
    )
    time_zone = graphene.String(required=True, description="The zone quiet hours are in.")


def _preferences(user):
    return NotificationPreferences(
        kinds=[
            KindPreference(
                kind=kind.value,
                label=str(kind.label),
                push=channels[Channel.PUSH],
                email=channels[Channel.EMAIL],
            )
            for kind, channels in queries.channels_by_kind(user).items()
        ],
        quiet_hours=queries.quiet_hours_of(user),
        time_zone=settings.TIME_ZONE,
    )


class DeviceType(graphene.ObjectType):
    token = graphene.String(required=True)
    platform = graphene.Field(PlatformEnum, required=True)
    is_active = graphene.Boolean(required=True)
    last_seen = graphene.DateTime(required=True)

    class Meta:
        name = "Device"

    def resolve_platform(device, info):
        return enum_value(device.platform)


class Query(graphene.ObjectType):
    notifications = graphene.Field(
        NotificationConnection,
        required=True,
        unread_only=graphene.Boolean(default_value=False),
        description="The signed-in user's inbox, newest first.",
        **connection_args(),
    )
    unread_count = graphene.Int(required=True, description="Unread notifications in the inbox.")
    notification_preferences = graphene.Field(NotificationPreferences, required=True)

    def resolve_notifications(root, info, unread_only=False, first=None, after=None):
        user = require_signed_in(info.context.user)
        inbox = queries.unread_of(user) if unread_only else queries.inbox_of(user)
        return paginate(
            NotificationConnection,
            inbox,
            ordering=queries.INBOX_ORDER,
            first=first,
            after=after,
        )

    def resolve_unread_count(root, info):
        return queries.unread_count(require_signed_in(info.context.user))

    def resolve_notification_preferences(root, info):
        return _preferences(require_signed_in(info.context.user))


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
        return cls(preferences=_preferences(user))


class Mutation(graphene.ObjectType):
    mark_read = MarkRead.Field()
    mark_all_read = MarkAllRead.Field()
    register_device = RegisterDevice.Field()
    unregister_device = UnregisterDevice.Field()
    update_notification_preferences = UpdateNotificationPreferences.Field()
