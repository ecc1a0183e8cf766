"""The vital signs' root queries, scoped to the viewer (``services.reading``)."""

import graphene

from civic.areas.queries import area_by_id
from civic.core.api.enums import enum_value
from civic.core.api.ids import pk_from_global_id
from civic.core.api.pagination import page_size
from civic.core.errors import NotFound

from .. import services
from .types import VitalDomainEnum, VitalSign, VitalWarning, WarningStateEnum


def _area(area_id):
    if not area_id:
        return None
    area = area_by_id(pk_from_global_id(area_id, "Area", field="areaId"))
    if area is None:
        raise NotFound(field="areaId")
    return area


class Query(graphene.ObjectType):
    vital_signs = graphene.List(
        graphene.NonNull(VitalSign),
        required=True,
        area_id=graphene.ID(),
        domain=VitalDomainEnum(),
        description="Every indicator the viewer may see, its level and hourly trend within the "
        "area (a leader's own area by default, else the city). Leaders, department staff "
        "(their departments' indicators) and admins.",
    )
    warnings = graphene.List(
        graphene.NonNull(VitalWarning),
        required=True,
        state=WarningStateEnum(),
        level=graphene.Int(),
        area_id=graphene.ID(),
        first=graphene.Int(description="Page size (capped)."),
        description="Warnings the viewer may see, live ones first, most severe first.",
    )

    def resolve_vital_signs(root, info, area_id=None, domain=None):
        return services.vital_signs(
            info.context.user, area=_area(area_id), domain=enum_value(domain)
        )

    def resolve_warnings(root, info, state=None, level=None, area_id=None, first=None):
        found = services.warnings(
            info.context.user, state=enum_value(state), level=level, area=_area(area_id)
        )
        return found.prefetch_related("entries")[: page_size(first)]
