"""The grid part of the GraphQL API (assembled in ``civic.api.schema``)."""

from .mutations import Mutation
from .resolvers import Query

__all__ = ["Mutation", "Query"]
