"""GraphQL types for the area tree: areas with their place in the tree and their shape."""

import graphene
from graphene import relay
from graphene.types.generic import GenericScalar
from graphene_django import DjangoObjectType

from .. import queries
from ..models import Area, AreaKind

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
