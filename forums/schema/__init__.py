"""The forums part of the GraphQL API (assembled in ``civic.api.schema``)."""

from .mutations import Mutation
from .queries import Query

__all__ = ["Mutation", "Query"]
