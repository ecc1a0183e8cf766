import graphene
from graphene import relay
from graphene.types.generic import GenericScalar
from graphene_django import DjangoObjectType

from civic.core.api.ids import pk_from_global_id
from civic.core.api.pagination import connection_args, paginate

from . import queries
from .geometry import check_coordinates
from .models import Area, AreaKind

AreaKindEnum = graphene.Enum("AreaKind", [(kind.upper(), kind) for kind in AreaKind.values])


class BoundingBox(graphene.ObjectType):
    min_lat = graphene.Float(required=True)
    min_lon = graphene.Float(required=True)
    max_lat = graphene.Float(required=True)
    max_lon = graphene.Float(required=True)


class LatLon(graphene.ObjectType):
    lat = graphene.Float(required=True)
    lon = graphene.Float(required=True)


class AreaType(DjangoObjectType):
    kind = graphene.Field(AreaKindEnum, required=True)
    name = graphene.String(required=True, description="In the request's language.")
    name_zh = graphene.String(required=True)
    name_en = graphene.String(required=True)
    depth = graphene.Int(required=True, description="1 for the city.")
    num_children = graphene.Int(required=True)
    parent = graphene.Field(lambda: AreaType)
    ancestors = graphene.List(
        graphene.NonNull(lambda: AreaType), required=True, description="City first."
    )
    bbox = graphene.Field(BoundingBox, required=True)
    centre = graphene.Field(LatLon, required=True)
    boundary = GenericScalar(required=True, description="GeoJSON geometry (WGS84).")

    class Meta:
        model = Area
        name = "Area"
        interfaces = (relay.Node,)
        fields = ("code",)

    @classmethod
    def get_node(cls, info, id):
        return queries.area_by_id(id)

    def resolve_name(area, info):
        return area.localized_name

    def resolve_name_zh(area, info):
        return area.name

    def resolve_num_children(area, info):
        return area.numchild

    def resolve_ancestors(area, info):
        if not hasattr(area, "prefetched_ancestors"):
            queries.attach_ancestors([area])
        return area.prefetched_ancestors

    def resolve_parent(area, info):
        ancestors = AreaType.resolve_ancestors(area, info)
        return ancestors[-1] if ancestors else None

    def resolve_bbox(area, info):
        return BoundingBox(
            min_lat=area.min_lat, min_lon=area.min_lon, max_lat=area.max_lat, max_lon=area.max_lon
        )

    def resolve_centre(area, info):
        lat, lon = area.centre
        return LatLon(lat=lat, lon=lon)


class AreaConnection(relay.Connection):
    class Meta:
        node = AreaType


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
