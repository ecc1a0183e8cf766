"""Rate limits on mutations, per signed-in user and per client IP.

The counting is allauth's (a sliding window of timestamps in the cache, the client IP as allauth
finds it behind trusted proxies), the same machinery that limits sign-in attempts; only the
rates are ours (``GRAPHQL_MUTATION_RATE_PER_USER`` / ``_PER_IP``, allauth's ``amount/period``
format, several separated by commas). Each mutation field of a document counts once, so aliases
cannot batch past the limit. A refused document runs none of its mutations: its one top-level
error ``rate_limited`` says in ``extensions.retryAfter`` how many seconds to wait, and the view
answers HTTP 429 with a ``Retry-After`` header.
"""

import math
import time

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from graphql import GraphQLError, OperationType
from graphql.execution import ExecutionContext
from graphql.execution.collect_fields import collect_fields

from civic.core.errors import register_code

RATE_LIMITED = register_code(
    "rate_limited", "Too many changes in a short time; retry after extensions.retryAfter seconds."
)
APP = "civic.api"
# Where the execution leaves the wait for the view, which turns it into HTTP 429.
_RETRY_AFTER = "graphql_retry_after"


def _config(request):
    """allauth's rate configuration: one action per kind of key, a user's only when signed in."""
    per = {"ip": settings.GRAPHQL_MUTATION_RATE_PER_IP}
    if request.user.is_authenticated:
        per["user"] = settings.GRAPHQL_MUTATION_RATE_PER_USER
    return {
        f"graphql_mutation_{key}": ",".join(f"{rate.strip()}/{key}" for rate in rates.split(","))
        for key, rates in per.items()
        if rates.strip()
    }


def consume_mutations(request, count):
    """Count ``count`` mutations against every limit; the seconds to wait if one refuses them
    (nothing is counted then), or None."""
    config = _config(request)
    taken = []
    for action in config:
        for _n in range(count):
            usage = allauth_ratelimit.consume(request, app=APP, action=action, config=config)
            if usage is None:
                for earlier in taken:
                    earlier.rollback()
                return _retry_after(request, action, config, count)
            taken.append(usage)
    return None


def _retry_after(request, action, config, count):
    """Seconds until ``action``'s windows have room for ``count`` more: until the hits that
    must leave them have left (a whole window if ``count`` could never fit one)."""
    now = time.time()
    wait = 1
    for rate in allauth_ratelimit.get_rates(app=APP, action=action, config=config):
        key = allauth_ratelimit.get_cache_key(request, app=APP, action=action, rate=rate)
        history = cache.get(key, [])  # newest first
        keep = rate.amount - count  # hits that may stay in the window
        if keep < 0:
            wait = max(wait, math.ceil(rate.duration))
        elif len(history) > keep:
            wait = max(wait, math.ceil(history[keep] + rate.duration - now))
    return wait


class RateLimitedExecutionContext(ExecutionContext):
    """Checks the mutation limits once a document has passed validation, before any of it runs."""

    def execute_operation(self, operation, root_value):
        if operation.operation == OperationType.MUTATION:
            request = self.context_value
            root_type = self.schema.get_root_type(operation.operation)
            fields = collect_fields(
                self.schema,
                self.fragments,
                self.variable_values,
                root_type,
                operation.selection_set,
            )
            count = sum(1 for nodes in fields.values() if nodes[0].name.value != "__typename")
            wait = consume_mutations(request, count) if count else None
            if wait is not None:
                setattr(request, _RETRY_AFTER, wait)
                raise GraphQLError(
                    _("Too many changes in a short time. Try again in %(seconds)s seconds.")
                    % {"seconds": wait},
                    operation,
                    extensions={"code": RATE_LIMITED, "retryAfter": wait},
                )
        return super().execute_operation(operation, root_value)


class MutationRateLimits:
    """For the GraphQL view: execution checks the limits; a refused document is refused as a
    whole, with HTTP 429 and ``Retry-After``."""

    execution_context_class = RateLimitedExecutionContext

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        wait = getattr(request, _RETRY_AFTER, None)
        if wait is not None:
            response.status_code = 429
            response["Retry-After"] = str(wait)
        return response
