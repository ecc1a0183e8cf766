"""The areas root queries: browse the tree, find the area at a point."""

import graphene

from civic.core.api.ids import pk_from_global_id
from civic.core.api.pagination import connection_args, paginate

from .. import queries
from ..geometry import check_coordinates
from ..models import Area
from .types import AreaConnection, AreaKindEnum, AreaType


class Query(graphene.ObjectType):
    areas = graphene.Field(
        AreaConnection,
        required=True,
        parent_id=graphene.ID(description="List this area's children."),
        kind=AreaKindEnum(description="Only areas of this kind (anywhere, without parentId)."),
        **connection_args(),
        description="The area tree: the city when called bare, children with parentId.",
    )
    area_at = graphene.Field(
        AreaType,
        lat=graphene.Float(required=True),
        lon=graphene.Float(required=True),
        description="The grid cell (or deepest area) at a point; null outside the city.",
    )

    def resolve_areas(root, info, parent_id=None, kind=None, first=None, after=None):
        kind = getattr(kind, "value", kind)
        if parent_id:
            parent = queries.area_by_id(pk_from_global_id(parent_id, "Area", field="parentId"))
            if parent is None:
                return paginate(AreaConnection, Area.objects.none(), ordering=("path",))
            qs = queries.areas_in_tree(parent=parent, kind=kind)
        elif kind:
            qs = queries.areas_of_kind(kind)
        else:
            qs = queries.areas_in_tree()
        return paginate(
            AreaConnection,
            qs,
            ordering=("path",),
            first=first,
            after=after,
            prepare=queries.attach_ancestors,
        )

    def resolve_area_at(root, info, lat, lon):
        check_coordinates(lat, lon)
        path = queries.area_at(lat, lon)
        if not path:
            return None
        leaf = path[-1]
        leaf.prefetched_ancestors = path[:-1]
        return leaf
