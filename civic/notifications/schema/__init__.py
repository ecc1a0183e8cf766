"""The notifications part of the GraphQL API (assembled in ``civic.api.schema``): the inbox,
devices and preferences, thin over services and queries."""

from .mutations import Mutation
from .resolvers import Query

__all__ = ["Mutation", "Query"]
