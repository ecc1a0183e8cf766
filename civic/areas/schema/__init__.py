"""The areas part of the GraphQL API (assembled in ``civic.api.schema``)."""

from .resolvers import Query

__all__ = ["Query"]
