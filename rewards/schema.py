"""The rewards part of the GraphQL API (assembled in ``civic.api.schema``): thin over services
and queries."""

import graphene
from django.utils.translation import gettext_lazy as _
from graphene import relay
from graphene_django import DjangoObjectType

from civic.areas.models import AreaKind
from civic.areas.queries import area_by_id
from civic.core.api.enums import choices_enum, enum_value
from civic.core.api.ids import pk_from_global_id
from civic.core.api.mutations import BaseMutation
from civic.core.api.pagination import connection_args, page_size, paginate
from civic.core.errors import DomainError, NotFound
from civic.core.permissions import require_signed_in

from . import queries, services
from .badges import BADGES_BY_CODE
from .models import (
    BadgeAward,
    EntryKind,
    ItemKind,
    Period,
    RedemptionStatus,
    RewardItem,
    Rule,
)

EntryKindEnum = choices_enum(
    "LedgerEntryKind", EntryKind, "earn, redeem, refund, adjust or expire."
)
RuleEnum = choices_enum(
    "LedgerRule", Rule, "Which earning rule or ledger operation made the entry."
)
ItemKindEnum = choices_enum("RewardKind", ItemKind, "What a catalogue item is.")
RedemptionStatusEnum = choices_enum("RedemptionStatus", RedemptionStatus, "Where a redemption is.")
PeriodEnum = choices_enum("LeaderboardPeriod", Period, "week and month are the current ones.")


class MyPoints(graphene.ObjectType):
    balance = graphene.Int(required=True)
    lifetime_earned = graphene.Int(required=True)
    level = graphene.Int(required=True, description="1 for everyone at first.")
    next_level_at = graphene.Int(description="Lifetime points for the next level; null at the top.")
    progress = graphene.Float(required=True, description="0..1 towards the next level.")


class LedgerEntryType(graphene.ObjectType):
    id = graphene.ID(required=True)
    amount = graphene.Int(
        required=True, description="Positive or negative; 0 when the daily cap held back all."
    )
    withheld = graphene.Int(
        required=True,
        description="Points the rule would have paid beyond amount, held back by the daily cap "
        "on points from reports.",
    )
    withheld_reason = graphene.String(
        description="Why points were held back, in the request's language; null when none were."
    )
    kind = graphene.Field(EntryKindEnum, required=True)
    rule = graphene.Field(RuleEnum, required=True)
    reason = graphene.String(required=True)
    balance_after = graphene.Int(required=True)
    created_at = graphene.DateTime(required=True)

    class Meta:
        name = "LedgerEntry"

    def resolve_id(entry, info):
        return str(entry.pk)

    def resolve_kind(entry, info):
        return enum_value(entry.kind)

    def resolve_withheld_reason(entry, info):
        return entry.withheld_reason or None

    def resolve_rule(entry, info):
        return enum_value(entry.rule)


class LedgerConnection(relay.Connection):
    class Meta:
        node = LedgerEntryType


class RewardItemType(DjangoObjectType):
    kind = graphene.Field(ItemKindEnum, required=True)
    name = graphene.String(required=True, description="In the request's language.")
    name_zh = graphene.String(required=True)
    name_en = graphene.String(required=True)
    description = graphene.String(required=True, description="In the request's language.")
    cost = graphene.Int(required=True)
    stock = graphene.Int(description="Left in stock; null for unlimited.")
    per_user_limit = graphene.Int()
    image_url = graphene.String()
    district_code = graphene.String(description="Only for residents of this area, if set.")

    class Meta:
        model = RewardItem
        name = "RewardItem"
        interfaces = (relay.Node,)
        fields = ("available_from", "available_until")

    @classmethod
    def get_node(cls, info, id):
        return RewardItem.objects.filter(pk=id, is_active=True).first()

    def resolve_kind(item, info):
        return enum_value(item.kind)

    def resolve_name(item, info):
        return item.localized_name

    def resolve_name_zh(item, info):
        return item.name

    def resolve_description(item, info):
        return item.localized_description

    def resolve_image_url(item, info):
        if not item.image_id:
            return None
        return item.image.get_rendition("max-800x800").url

    def resolve_district_code(item, info):
        return item.district.code if item.district_id else None


class RedemptionType(graphene.ObjectType):
    id = graphene.ID(required=True)
    item = graphene.Field(RewardItemType, required=True)
    cost = graphene.Int(required=True)
    status = graphene.Field(RedemptionStatusEnum, required=True)
    voucher_code = graphene.String(description="Handed out at once for vouchers.")
    note = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    fulfilled_at = graphene.DateTime()
    cancelled_at = graphene.DateTime()

    class Meta:
        name = "Redemption"

    def resolve_id(redemption, info):
        return str(redemption.pk)

    def resolve_status(redemption, info):
        return enum_value(redemption.status)

    def resolve_voucher_code(redemption, info):
        code = redemption.voucher
        return code.code if code else None


class RedemptionConnection(relay.Connection):
    class Meta:
        node = RedemptionType


class LeaderboardRow(graphene.ObjectType):
    rank = graphene.Int(required=True)
    name = graphene.String(
        required=True,
        description="Others appear as the first character of their display name and stars.",
    )
    points = graphene.Int(required=True)
    is_me = graphene.Boolean(required=True)


class BadgeType(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    description = graphene.String(required=True)
    awarded_at = graphene.DateTime(required=True)

    class Meta:
        name = "Badge"


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
        user = require_signed_in(info.context.user)
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
        return cls(redemption=redemption, points=Query.resolve_my_points(None, info))


class Mutation(graphene.ObjectType):
    redeem_reward = RedeemReward.Field()
