"""The operations centre's part of the GraphQL API (assembled in ``civic.api.schema``): the
figures and rankings for the leaders' app."""

from .resolvers import Query

__all__ = ["Query"]
