"""GraphQL types for departments: who handles reports, and the areas they serve."""

import graphene
from graphene import relay
from graphene_django import DjangoObjectType

from civic.areas.schema.types import AreaType

from .. import queries
from ..models import Department


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
