"""The rewards part of the GraphQL API (assembled in ``civic.api.schema``): thin over services
and queries."""

from .mutations import Mutation
from .resolvers import Query

__all__ = ["Mutation", "Query"]
