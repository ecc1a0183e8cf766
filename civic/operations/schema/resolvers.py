"""``statistics`` and ``departmentRankings``: the figures a leader, department staff or a
platform admin may see, scoped as the dashboard is."""

import graphene

from civic.areas.queries import area_by_id
from civic.core.api.enums import enum_value
from civic.core.api.ids import pk_from_global_id
from civic.core.errors import NotFound
from civic.departments.models import Department
from reports.queries import category_by_code

from .. import services
from .types import DepartmentRankingsType, StatisticsType, TrendPeriodEnum


class StatisticsFilterInput(graphene.InputObjectType):
    class Meta:
        name = "StatisticsFilter"

    date_from = graphene.Date(name="from", description="First day (default: 90 days ago).")
    date_to = graphene.Date(name="to", description="Last day, included (default: today).")
    area_id = graphene.ID(description="Everything inside this area.")
    department_id = graphene.ID()
    category = graphene.String(description="A category's service code.")
    channel = graphene.String(description="app, web, hotline or open311.")


def _area(global_id, field):
    if not global_id:
        return None
    area = area_by_id(pk_from_global_id(global_id, "Area", field=field))
    if area is None:
        raise NotFound(field=field)
    return area


def _filter(data):
    data = data or {}
    department = None
    if data.get("department_id"):
        pk = pk_from_global_id(data["department_id"], "Department", field="departmentId")
        department = Department.objects.filter(pk=pk if str(pk).isdigit() else None).first()
        if department is None:
            raise NotFound(field="departmentId")
    category = None
    if data.get("category"):
        category = category_by_code(data["category"])
        if category is None:
            raise NotFound(field="category")
    return services.StatisticsFilter(
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        area=_area(data.get("area_id"), "areaId"),
        department=department,
        category=category,
        channel=data.get("channel") or "",
    )


class Query(graphene.ObjectType):
    statistics = graphene.Field(
        StatisticsType,
        required=True,
        filter=StatisticsFilterInput(),
        trend_by=TrendPeriodEnum(default_value="week"),
        description="Figures for platform admins (everything), department staff (their "
        "departments) and leaders (their home area); forbidden otherwise.",
    )
    department_rankings = graphene.Field(
        DepartmentRankingsType,
        required=True,
        period=graphene.String(required=True, description="The month, YYYY-MM."),
        area_id=graphene.ID(),
        description="The month's 好差评 rankings of departments and districts, scoped like "
        "statistics.",
    )

    def resolve_statistics(root, info, filter=None, trend_by="week"):
        return services.statistics(
            info.context.user, _filter(filter), trend_by=enum_value(trend_by)
        )

    def resolve_department_rankings(root, info, period, area_id=None):
        return services.rankings(info.context.user, period, area=_area(area_id, "areaId"))
