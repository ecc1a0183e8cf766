"""GraphQL types of the vital signs: an indicator's state, a warning and its timeline."""

import graphene
from graphql_relay import to_global_id

from civic.areas.schema.types import AreaType
from civic.core.api.enums import choices_enum, enum_value

from ..models import LEVEL_COLOURS, CloseCause, Domain, EntryKind, WarningState

VitalDomainEnum = choices_enum("VitalDomain", Domain, "The five domains of city vital signs.")
WarningStateEnum = choices_enum("VitalWarningState", WarningState, "Where a warning is.")
CloseCauseEnum = choices_enum("VitalWarningCause", CloseCause, "Why a warning was closed.")
EntryKindEnum = choices_enum("VitalWarningEntryKind", EntryKind, "A step of a warning.")


class VitalIndicator(graphene.ObjectType):
    id = graphene.ID(required=True)
    code = graphene.String(required=True)
    name = graphene.String(required=True, description="In the request's language.")
    domain = graphene.Field(VitalDomainEnum, required=True)
    unit = graphene.String(required=True)
    direction = graphene.String(required=True, description="above or below.")
    thresholds = graphene.List(
        graphene.Float, required=True, description="Levels I, II, III, IV; null where unset."
    )

    def resolve_id(indicator, info):
        return to_global_id("VitalIndicator", indicator.pk)

    def resolve_name(indicator, info):
        return indicator.localized_name

    def resolve_domain(indicator, info):
        return enum_value(indicator.domain)

    def resolve_thresholds(indicator, info):
        return [indicator.threshold(level) for level in (1, 2, 3, 4)]


class VitalTrendPoint(graphene.ObjectType):
    time = graphene.DateTime(required=True)
    value = graphene.Float(required=True)


class VitalSign(graphene.ObjectType):
    indicator = graphene.Field(VitalIndicator, required=True)
    value = graphene.Float(description="The latest value (the worst area's); null if none.")
    level = graphene.Int(description="1 (I, red) … 4 (IV, blue); null when no warning is live.")
    colour = graphene.String(required=True, description="The level's colour, #rrggbb.")
    trend = graphene.List(graphene.NonNull(VitalTrendPoint), required=True, description="Hourly.")
    trend_direction = graphene.Int(required=True, description="-1, 0 or 1 against a day ago.")
    open_warnings = graphene.Int(required=True)

    def resolve_colour(sign, info):
        return LEVEL_COLOURS[sign.level]

    def resolve_trend(sign, info):
        return [VitalTrendPoint(time=time, value=value) for time, value in sign.trend]

    def resolve_trend_direction(sign, info):
        return sign.direction_of_trend


class VitalWarningEntry(graphene.ObjectType):
    kind = graphene.Field(EntryKindEnum, required=True)
    level = graphene.Int()
    value = graphene.Float()
    text = graphene.String(required=True)
    report_id = graphene.ID()
    created_at = graphene.DateTime(required=True)

    def resolve_kind(entry, info):
        return enum_value(entry.kind)

    def resolve_report_id(entry, info):
        return to_global_id("Report", entry.report_id) if entry.report_id else None


class VitalWarning(graphene.ObjectType):
    id = graphene.ID(required=True)
    indicator = graphene.Field(VitalIndicator, required=True)
    area = graphene.Field(AreaType, required=True)
    level = graphene.Int(required=True, description="1 (I, red) … 4 (IV, blue).")
    colour = graphene.String(required=True)
    value = graphene.Float(required=True)
    threshold = graphene.Float(required=True)
    state = graphene.Field(WarningStateEnum, required=True)
    cause = graphene.Field(CloseCauseEnum)
    opened_at = graphene.DateTime(required=True)
    acknowledged_at = graphene.DateTime()
    escalated_at = graphene.DateTime()
    closed_at = graphene.DateTime()
    timeline = graphene.List(graphene.NonNull(VitalWarningEntry), required=True)

    def resolve_id(warning, info):
        return to_global_id("VitalWarning", warning.pk)

    def resolve_state(warning, info):
        return enum_value(warning.state)

    def resolve_cause(warning, info):
        return enum_value(warning.cause) or None

    def resolve_timeline(warning, info):
        return warning.entries.all()
