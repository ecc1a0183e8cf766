"""Reward mutations: spend points on a catalogue item."""

import graphene

from civic.core.api.ids import pk_from_global_id
from civic.core.api.mutations import BaseMutation
from civic.core.errors import NotFound
from civic.core.permissions import require_signed_in

from .. import services
from ..models import RewardItem
from .resolvers import points_of
from .types import MyPoints, RedemptionType


class RedeemReward(BaseMutation):
    """Spend points on a catalogue item. Send a fresh ``clientRequestId`` per redemption and the
    same one when retrying: a retry returns the first attempt's redemption."""

    redemption = graphene.Field(RedemptionType)
    points = graphene.Field(MyPoints)

    class Input:
        item_id = graphene.ID(required=True)
        client_request_id = graphene.String(required=True)

    @classmethod
    def perform(cls, root, info, *, item_id, client_request_id):
        user = require_signed_in(info.context.user)
        item = RewardItem.objects.filter(
            pk=pk_from_global_id(item_id, "RewardItem", field="itemId")
        ).first()
        if item is None:
            raise NotFound(field="itemId")
        redemption = services.redeem(user, item, client_request_id)
        return cls(redemption=redemption, points=points_of(user))


class Mutation(graphene.ObjectType):
    redeem_reward = RedeemReward.Field()
