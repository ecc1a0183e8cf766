"""The notifications root queries: the signed-in user's inbox and preferences."""

import graphene

from civic.core.api.pagination import connection_args, paginate
from civic.core.permissions import require_signed_in

from .. import queries
from .types import AreaAlertType, NotificationConnection, NotificationPreferences, preferences_of


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
    my_area_alerts = graphene.List(
        graphene.NonNull(AreaAlertType),
        required=True,
        description="The places you watch, oldest first (at most ten).",
    )

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

    def resolve_my_area_alerts(root, info):
        return queries.area_alerts_of(require_signed_in(info.context.user))

    def resolve_notification_preferences(root, info):
        return preferences_of(require_signed_in(info.context.user))
