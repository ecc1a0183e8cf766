"""The one schema, assembled from each app's ``schema`` package (its Query and Mutation)."""

import graphene
from graphene import relay

from civic.accounts import schema as accounts
from civic.areas import schema as areas
from civic.core.api.ids import node_by_global_id
from civic.departments import schema as departments
from civic.grid import schema as grid
from civic.notifications import schema as notifications
from civic.operations import schema as operations
from civic.portal import schema as portal
from civic.vitals import schema as vitals
from forums import schema as forums
from reports import schema as reports
from rewards import schema as rewards


class Query(
    accounts.Query,
    areas.Query,
    departments.Query,
    portal.Query,
    notifications.Query,
    operations.Query,
    forums.Query,
    grid.Query,
    reports.Query,
    rewards.Query,
    vitals.Query,
    graphene.ObjectType,
):
    node = graphene.Field(
        relay.Node, id=graphene.ID(required=True, description="The ID of the object")
    )

    @staticmethod
    def resolve_node(root, info, id):
        return node_by_global_id(info, id)


class Mutation(
    accounts.Mutation,
    forums.Mutation,
    grid.Mutation,
    notifications.Mutation,
    reports.Mutation,
    rewards.Mutation,
    vitals.Mutation,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
