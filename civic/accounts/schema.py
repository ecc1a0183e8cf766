import graphene

from civic.areas.schema import AreaType
from civic.core.api.ids import pk_from_global_id
from civic.core.api.mutations import BaseMutation
from civic.core.permissions import require_signed_in, role_names
from civic.core.roles import Role

from . import firebase, services

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


class DeleteMyAccount(BaseMutation):
    """Close your own account, for good. Your reports stay, anonymised; your points are gone.
    Confirm with your password, or, for an account without one (phone sign-in), with a Firebase
    ID token from a sign-in in the last five minutes. Every session token stops working."""

    deleted = graphene.Boolean(description="True once the account is closed; null on errors.")

    class Input:
        password = graphene.String()
        id_token = graphene.String(description="A fresh Firebase ID token (phone sign-in).")

    @classmethod
    def perform(cls, root, info, password=None, id_token=None):
        user = require_signed_in(info.context.user)
        claims = None
        if id_token and not user.has_usable_password():
            claims = firebase.verify_id_token(id_token)
        services.delete_account(user, password=password, firebase_claims=claims)
        return cls(deleted=True)


class Mutation(graphene.ObjectType):
    update_profile = UpdateProfile.Field()
    delete_my_account = DeleteMyAccount.Field()
