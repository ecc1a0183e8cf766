"""GraphQL types for accounts: the signed-in user as they see themselves."""

import graphene

from civic.areas.schema.types import AreaType
from civic.core.permissions import role_names
from civic.core.roles import Role

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
    has_password = graphene.Boolean(
        required=True,
        description="False for accounts made by phone sign-in: deleteMyAccount then asks for a "
        "fresh Firebase ID token instead of a password.",
    )

    def resolve_roles(user, info):
        return sorted(role_names(user) & set(Role.values))

    def resolve_has_password(user, info):
        return user.has_usable_password()
