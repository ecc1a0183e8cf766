"""The grid's root queries: the cell at a point, the worker's tasks and patrols, a
supervisor's view and the daily summary."""

import graphene
from django.utils.translation import gettext

from civic.areas.geometry import check_coordinates
from civic.areas.models import AreaKind
from civic.areas.queries import area_by_id
from civic.core.api.ids import pk_from_global_id
from civic.core.api.pagination import page_size
from civic.core.api.selection import selected_fields
from civic.core.errors import DomainError, Forbidden, NotFound
from civic.core.permissions import require_signed_in

from .. import queries
from ..permissions import can_see_summary
from .types import GridCell, GridSummaryRow, GridTask, Patrol


def _tracks_if_asked(info, patrols):
    return queries.with_tracks(patrols) if "track" in selected_fields(info) else patrols


def area_from_global_id(area_id, field="areaId"):
    area = area_by_id(pk_from_global_id(area_id, "Area", field=field))
    if area is None:
        raise NotFound(field=field)
    return area


class Query(graphene.ObjectType):
    grid_cell = graphene.Field(
        GridCell,
        lat=graphene.Float(),
        lon=graphene.Float(),
        area_id=graphene.ID(),
        description="Who looks after the grid cell at a point (lat, lon) or of an area "
        "(areaId); null when there is no such cell.",
    )
    my_grid_tasks = graphene.List(
        graphene.NonNull(GridTask),
        required=True,
        open_only=graphene.Boolean(default_value=False),
        first=graphene.Int(description="Page size (capped)."),
        description="The signed-in worker's verification tasks: those to do first, soonest "
        "deadline first.",
    )
    my_patrols = graphene.List(
        graphene.NonNull(Patrol),
        required=True,
        first=graphene.Int(description="Page size (capped)."),
        description="The signed-in worker's patrols, latest first.",
    )
    supervised_grid_tasks = graphene.List(
        graphene.NonNull(GridTask),
        required=True,
        first=graphene.Int(description="Page size (capped)."),
        description="Supervisors: their cells' tasks, latest first.",
    )
    supervised_patrols = graphene.List(
        graphene.NonNull(Patrol),
        required=True,
        first=graphene.Int(description="Page size (capped)."),
        description="Supervisors: their cells' patrols, latest first.",
    )
    grid_summary = graphene.List(
        graphene.NonNull(GridSummaryRow),
        required=True,
        area_id=graphene.ID(required=True),
        date=graphene.Date(required=True),
        description="Supervisors: one row per worker and cell under the area for the day.",
    )

    def resolve_grid_cell(root, info, lat=None, lon=None, area_id=None):
        if area_id:
            area = area_from_global_id(area_id)
            return area if area.kind == AreaKind.GRID else None
        if lat is None or lon is None:
            raise DomainError(gettext("Give lat and lon, or areaId."), field="lat", code="required")
        check_coordinates(lat, lon)
        return queries.cell_at(lat, lon)

    def resolve_my_grid_tasks(root, info, open_only=False, first=None):
        user = require_signed_in(info.context.user)
        return list(queries.tasks_of(user, open_only=open_only)[: page_size(first)])

    def resolve_my_patrols(root, info, first=None):
        user = require_signed_in(info.context.user)
        return list(_tracks_if_asked(info, queries.patrols_of(user))[: page_size(first)])

    def resolve_supervised_grid_tasks(root, info, first=None):
        user = require_signed_in(info.context.user)
        return list(queries.supervised_tasks(user)[: page_size(first)])

    def resolve_supervised_patrols(root, info, first=None):
        user = require_signed_in(info.context.user)
        return list(_tracks_if_asked(info, queries.supervised_patrols(user))[: page_size(first)])

    def resolve_grid_summary(root, info, area_id, date):
        user = require_signed_in(info.context.user)
        area = area_from_global_id(area_id)
        if not can_see_summary(user, area):
            raise Forbidden()
        return queries.daily_summary(area, date)
