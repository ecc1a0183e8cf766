"""Account mutations: change your profile, close your account."""

import graphene

from civic.core.api.ids import pk_from_global_id
from civic.core.api.mutations import BaseMutation
from civic.core.permissions import require_signed_in

from .. import firebase, services
from .types import Viewer


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
