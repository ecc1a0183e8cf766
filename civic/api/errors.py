"""How errors leave the API (DESIGN.md §10).

* Mutations put ``DomainError``s in their payload (``civic.core.api.mutations``).
* Everything else is a top-level error whose ``extensions.code`` is stable:
  ``unauthenticated`` / ``forbidden`` (AccessError), a DomainError's own code when a query
  refuses its arguments, ``graphql_validation_failed`` for documents the schema or our limits
  reject, and ``internal_error`` for our own bugs — whose details are logged, never sent.
"""

import logging

from django.utils.translation import gettext as _
from graphql import GraphQLError

from civic.core.api.mutations import client_field_name
from civic.core.errors import AccessError, DomainError, register_code

logger = logging.getLogger("civic.api")

GRAPHQL_VALIDATION_FAILED = register_code(
    "graphql_validation_failed", "The document does not fit the schema or the limits."
)
INTERNAL_ERROR = register_code("internal_error", "Something went wrong on our side.")
BAD_REQUEST = register_code("bad_request", "The request is not a GraphQL request.")
INVALID_SESSION_TOKEN = register_code(
    "invalid_session_token", "The X-Session-Token is unknown, expired or signed out (HTTP 401)."
)
CSRF_FAILED = register_code(
    "csrf_failed", "A cookie session must send the CSRF token (X-CSRFToken header)."
)


def format_error(error):
    if not isinstance(error, GraphQLError):
        return {"message": str(error), "extensions": {"code": BAD_REQUEST}}
    formatted = dict(error.formatted)
    original = error.original_error
    if isinstance(original, AccessError | DomainError):
        code = original.code
        formatted["message"] = original.message
        if isinstance(original, DomainError) and original.field:
            formatted.setdefault("extensions", {})["field"] = client_field_name(original.field)
    elif not error.path:
        # Raised before execution (parsing, validation, coercing variables): the document or
        # its variables are at fault, and the message says how.
        code = (error.extensions or {}).get("code", GRAPHQL_VALIDATION_FAILED)
    else:
        # During execution, anything but our own errors is our bug (a resolver raising, a value
        # the schema cannot serialise).
        logger.error("GraphQL resolver failed: %s", error.message, exc_info=original)
        code = INTERNAL_ERROR
        formatted["message"] = _("Something went wrong on our side. Please try again later.")
    formatted["extensions"] = {**(formatted.get("extensions") or {}), "code": code}
    return formatted
