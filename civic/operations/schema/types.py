import graphene

from civic.areas.schema.types import AreaType


class TrendPeriodEnum(graphene.Enum):
    class Meta:
        name = "TrendPeriod"

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class FigureFields:
    """What every set of figures carries (rates 0..1, null without data; hours from
    submission)."""

    received = graphene.Int(required=True)
    accepted = graphene.Int(required=True)
    resolved = graphene.Int(required=True)
    closed = graphene.Int(required=True)
    rejected = graphene.Int(required=True)
    duplicates = graphene.Int(required=True)
    reopened = graphene.Int(required=True)
    escalated = graphene.Int(required=True)
    ratings = graphene.Int(required=True)
    follow_ups = graphene.Int(required=True, description="Follow-up calls (回访) opened.")
    callbacks = graphene.Int(required=True, description="Follow-up calls made.")
    callbacks_redo = graphene.Int(required=True, description="Calls that sent the work back.")
    callbacks_escalated = graphene.Int(
        required=True, description="Calls that escalated the report to the leaders."
    )
    accept_on_time_rate = graphene.Float()
    on_time_rate = graphene.Float(description="Resolved by the deadline ÷ resolved.")
    median_hours_to_accept = graphene.Float()
    median_hours_to_resolve = graphene.Float()
    p90_hours_to_resolve = graphene.Float()
    satisfaction = graphene.Float(description="Share of ratings with 4 or 5 stars.")
    mean_rating = graphene.Float()
    reopen_rate = graphene.Float(description="Reopenings ÷ resolved.")


class Figures(FigureFields, graphene.ObjectType):
    pass


class Headline(FigureFields, graphene.ObjectType):
    open = graphene.Int(required=True, description="Open now, whatever the dates.")
    overdue = graphene.Int(required=True, description="Open and past the deadline now.")


class TrendPoint(FigureFields, graphene.ObjectType):
    start = graphene.Date(required=True, description="The period's first day.")


class BreakdownRow(FigureFields, graphene.ObjectType):
    key = graphene.String(
        required=True, description="Service code, department code, channel or area code."
    )
    label = graphene.String(required=True)
    open = graphene.Int()


# Not "GridCell": that is the grid app's type (a cell and who looks after it).
class AreaLoad(graphene.ObjectType):
    """Open and overdue reports in one leaf area."""

    area = graphene.Field(AreaType, required=True)
    open = graphene.Int(required=True)
    overdue = graphene.Int(required=True)


class StatisticsType(graphene.ObjectType):
    class Meta:
        name = "Statistics"

    date_from = graphene.Date(required=True, name="from")
    date_to = graphene.Date(required=True, name="to")
    headline = graphene.Field(Headline, required=True)
    trend = graphene.List(graphene.NonNull(TrendPoint), required=True)
    by_category = graphene.List(graphene.NonNull(BreakdownRow), required=True)
    by_department = graphene.List(graphene.NonNull(BreakdownRow), required=True)
    by_channel = graphene.List(graphene.NonNull(BreakdownRow), required=True)
    by_area = graphene.List(graphene.NonNull(BreakdownRow), required=True)
    grid = graphene.List(
        graphene.NonNull(AreaLoad), required=True, description="Open and overdue per leaf area."
    )


class RankingRow(FigureFields, graphene.ObjectType):
    rank = graphene.Int(description="Null without ratings or resolutions to score.")
    key = graphene.String(required=True)
    label = graphene.String(required=True)
    score = graphene.Float()


class DepartmentRankingsType(graphene.ObjectType):
    class Meta:
        name = "DepartmentRankings"

    period = graphene.String(required=True)
    formula = graphene.String(required=True, description="How the score is worked out.")
    headline = graphene.Field(Figures, required=True)
    departments = graphene.List(graphene.NonNull(RankingRow), required=True)
    districts = graphene.List(graphene.NonNull(RankingRow), required=True)
