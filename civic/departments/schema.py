import graphene
from graphene import relay
from graphene_django import DjangoObjectType

from civic.areas.queries import area_by_id
from civic.areas.schema import AreaType
from civic.core.api.ids import pk_from_global_id
from civic.core.api.pagination import connection_args, paginate

from . import queries
from .models import Department


class DepartmentType(DjangoObjectType):
    name = graphene.String(required=True, description="In the request's language.")
    name_zh = graphene.String(required=True)
    name_en = graphene.String(required=True)
    areas = graphene.List(
        graphene.NonNull(AreaType), required=True, description="The areas it serves."
    )

    class Meta:
        model = Department
        name = "Department"
        interfaces = (relay.Node,)
        fields = ("code", "email", "phone")

    @classmethod
    def get_node(cls, info, id):
        return queries.active_departments().filter(pk=id).first()

    def resolve_name(department, info):
        return department.localized_name

    def resolve_name_zh(department, info):
        return department.name

    def resolve_areas(department, info):
        return department.areas.all()


class DepartmentConnection(relay.Connection):
    class Meta:
        node = DepartmentType


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
