"""The vital signs part of the GraphQL API (assembled in ``civic.api.schema``): the leaders'
app reads the signs and warnings and acknowledges and closes warnings."""

from .mutations import Mutation
from .resolvers import Query

__all__ = ["Mutation", "Query"]
