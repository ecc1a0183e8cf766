"""The portal part of the GraphQL API (assembled in ``civic.api.schema``): the case library."""

from .resolvers import Query

__all__ = ["Query"]
