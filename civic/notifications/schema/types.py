"""GraphQL types for notifications: the inbox, devices and preferences."""

import graphene
from django.conf import settings
from graphene import relay
from graphene_django import DjangoObjectType

from civic.areas.schema.types import AreaType
from civic.core.api.enums import choices_enum, enum_value

from .. import queries
from ..models import AlertDelivery, AreaAlert, Channel, Kind, Notification, Platform

KindEnum = choices_enum("NotificationKind", Kind, "What a notification is about.")
PlatformEnum = choices_enum("DevicePlatform", Platform, "The device's operating system.")
AlertDeliveryEnum = choices_enum(
    "AlertDelivery",
    AlertDelivery,
    "PUSH: at once (push, inbox, email as your preferences say); INBOX: the inbox only; "
    "DIGEST: the inbox and one email a day listing them.",
)


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


def preferences_of(user):
    """The user's channels per kind and quiet hours, as the API shows them."""
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


class AreaAlertType(DjangoObjectType):
    """A place whose new and resolved public reports you are told of: an area, or a circle."""

    area = graphene.Field(AreaType, description="The area watched; null for a circle.")
    lat = graphene.Float(description="The circle's centre; null for an area.")
    lon = graphene.Float()
    radius_m = graphene.Int(description="The circle's radius in metres; null for an area.")
    delivery = graphene.Field(AlertDeliveryEnum, required=True)
    created_at = graphene.DateTime(required=True)

    class Meta:
        model = AreaAlert
        name = "AreaAlert"
        interfaces = (relay.Node,)
        fields = ()

    @classmethod
    def get_node(cls, info, id):
        user = info.context.user
        if not user.is_authenticated:
            return None
        return queries.area_alerts_of(user).filter(pk=id).first()

    def resolve_delivery(alert, info):
        return enum_value(alert.delivery)
