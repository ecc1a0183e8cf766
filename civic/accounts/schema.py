import graphene

from civic.api.ids import pk_from_global_id
from civic.api.mutations import BaseMutation
from civic.areas.schema import AreaType

from . import services
from .permissions import require_signed_in, role_names
from .roles import Role

RoleEnum = graphene.Enum("Role", [(name, role.value) for name, role in Role.__members__.items()])


class Viewer(graphene.ObjectType):
    """The signed-in user, as they see themselves (private fields included)."""

    display_name = graphene.String(required=True)
    email = graphene.String(required=True)
    phone = graphene.String(required=True)
    language = graphene.String(
        required=True,
        description="Notifications and emails are written in it: zh-hans or en; empty means "
        "the platform's default.",
    )
    home_area = graphene.Field(AreaType)
    roles = graphene.List(graphene.NonNull(RoleEnum), required=True)
    date_joined = graphene.DateTime(required=True)

    def resolve_roles(user, info):
        return sorted(role_names(user) & set(Role.values))


class Query(graphene.ObjectType):
    viewer = graphene.Field(Viewer, description="The signed-in user, or null.")

    def resolve_viewer(root, info):
        user = info.context.user
        return user if user.is_authenticated else None


class UpdateProfile(BaseMutation):
    """Change your own display name, phone, home area or language (``zh-hans``, ``en``, or
    empty for the platform's default). Only the fields sent change."""

    viewer = graphene.Field(Viewer)

    class Input:
        display_name = graphene.String()
        phone = graphene.String()
        language = graphene.String()
        home_area_id = graphene.ID()

    @classmethod
    def perform(cls, root, info, **data):
        user = require_signed_in(info.context.user)
        if data.get("home_area_id") is not None:
            data["home_area_id"] = pk_from_global_id(
                data["home_area_id"], "Area", field="homeAreaId"
            )
        return cls(viewer=services.update_profile(user, **data))


class Mutation(graphene.ObjectType):
    update_profile = UpdateProfile.Field()
