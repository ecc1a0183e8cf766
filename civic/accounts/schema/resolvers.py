"""The accounts root queries: who is signed in, and everything held about them."""

import graphene

from .. import services
from .types import Viewer


class Query(graphene.ObjectType):
    viewer = graphene.Field(Viewer, description="The signed-in user, or null.")
    export_my_data = graphene.Field(
        graphene.JSONString,
        required=True,
        description="Everything the platform holds about you (account, reports, points, ...), "
        "as one JSON document. The portal offers the same as a download.",
    )

    def resolve_viewer(root, info):
        user = info.context.user
        return user if user.is_authenticated else None

    def resolve_export_my_data(root, info):
        return services.export_personal_data(info.context.user)
