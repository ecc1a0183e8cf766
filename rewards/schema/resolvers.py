"""The rewards root queries: your points, ledger, redemptions and badges, the catalogue and
the leaderboard."""

import graphene
from django.utils.translation import gettext_lazy as _

from civic.areas.models import AreaKind
from civic.areas.queries import area_by_id
from civic.core.api.enums import enum_value
from civic.core.api.ids import pk_from_global_id
from civic.core.api.pagination import connection_args, page_size, paginate
from civic.core.errors import DomainError, NotFound
from civic.core.permissions import require_signed_in

from .. import queries, services
from ..badges import BADGES_BY_CODE
from ..models import BadgeAward
from .types import (
    BadgeType,
    LeaderboardRow,
    LedgerConnection,
    MyPoints,
    PeriodEnum,
    RedemptionConnection,
    RewardItemType,
)


def points_of(user):
    """The user's balance and level, as the API shows them."""
    account = queries.account_or_empty(user)
    level, next_at, progress = queries.level_of(
        account.lifetime_earned, services.rules().thresholds()
    )
    return MyPoints(
        balance=account.balance,
        lifetime_earned=account.lifetime_earned,
        level=level,
        next_level_at=next_at,
        progress=progress,
    )


class InvalidLeaderboardArea(DomainError):
    code = "invalid_leaderboard_area"
    default_message = _("Leaderboards are for the city or a district.")


class Query(graphene.ObjectType):
    my_points = graphene.Field(MyPoints, required=True, description="Signed in only.")
    my_ledger = graphene.Field(LedgerConnection, required=True, **connection_args())
    my_redemptions = graphene.Field(RedemptionConnection, required=True, **connection_args())
    my_badges = graphene.List(graphene.NonNull(BadgeType), required=True)
    reward_items = graphene.List(
        graphene.NonNull(RewardItemType),
        required=True,
        first=graphene.Int(description="At most 50; 20 by default."),
        description="What the viewer may redeem now (their district's items included), in the "
        "catalogue's order.",
    )
    leaderboard = graphene.List(
        graphene.NonNull(LeaderboardRow),
        required=True,
        area_id=graphene.ID(description="A district; the whole city when left out."),
        period=PeriodEnum(required=True),
        first=graphene.Int(description="At most 50; 20 by default."),
    )

    def resolve_my_points(root, info):
        return points_of(require_signed_in(info.context.user))

    def resolve_my_ledger(root, info, first=None, after=None):
        user = require_signed_in(info.context.user)
        return paginate(
            LedgerConnection,
            queries.ledger_of(user),
            ordering=("-created_at", "-id"),
            first=first,
            after=after,
        )

    def resolve_my_redemptions(root, info, first=None, after=None):
        user = require_signed_in(info.context.user)
        return paginate(
            RedemptionConnection,
            queries.redemptions_of(user),
            ordering=("-created_at", "-id"),
            first=first,
            after=after,
        )

    def resolve_my_badges(root, info):
        user = require_signed_in(info.context.user)
        rows = []
        for award in BadgeAward.objects.filter(user=user).order_by("awarded_at", "id"):
            badge = BADGES_BY_CODE.get(award.code)
            if badge:
                rows.append(
                    BadgeType(
                        code=badge.code,
                        name=str(badge.name),
                        description=str(badge.description),
                        awarded_at=award.awarded_at,
                    )
                )
        return rows

    def resolve_reward_items(root, info, first=None):
        items = queries.catalogue_for(info.context.user).select_related("district", "image")
        return list(items[: page_size(first)])

    def resolve_leaderboard(root, info, period, area_id=None, first=None):
        district = None
        if area_id:
            area = area_by_id(pk_from_global_id(area_id, "Area", field="areaId"))
            if area is None:
                raise NotFound(field="areaId")
            if area.kind == AreaKind.DISTRICT:
                district = area
            elif area.kind != AreaKind.CITY:
                raise InvalidLeaderboardArea(field="areaId")
        viewer = info.context.user if info.context.user.is_authenticated else None
        tallies = queries.leaderboard(district, enum_value(period), limit=page_size(first))
        return [
            LeaderboardRow(
                rank=rank,
                name=queries.public_name(tally.account.user, viewer),
                points=tally.points,
                is_me=viewer is not None and tally.account.user_id == viewer.pk,
            )
            for rank, tally in enumerate(tallies, start=1)
        ]
