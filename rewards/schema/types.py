"""GraphQL types for rewards: points, the ledger, the catalogue, redemptions, badges and the
leaderboard."""

import graphene
from graphene import relay
from graphene_django import DjangoObjectType

from civic.core.api.enums import choices_enum, enum_value

from ..models import EntryKind, ItemKind, Period, RedemptionStatus, RewardItem, Rule

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
