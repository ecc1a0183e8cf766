"""The departments root query: the active departments, or those serving an area."""

import graphene

from civic.areas.queries import area_by_id
from civic.core.api.ids import pk_from_global_id
from civic.core.api.pagination import connection_args, paginate

from .. import queries
from ..models import Department
from .types import DepartmentConnection


class Query(graphene.ObjectType):
    departments = graphene.Field(
        DepartmentConnection,
        required=True,
        serving_area_id=graphene.ID(description="Only departments serving this area."),
        **connection_args(),
    )

    def resolve_departments(root, info, serving_area_id=None, first=None, after=None):
        if serving_area_id:
            area = area_by_id(pk_from_global_id(serving_area_id, "Area", field="servingAreaId"))
            qs = queries.departments_serving(area) if area else Department.objects.none()
        else:
            qs = queries.active_departments()
        return paginate(DepartmentConnection, qs, ordering=("code",), first=first, after=after)
