"""The ingest endpoint: systems push batches of readings with their API key."""

import json
import math

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from civic.core.errors import DomainError

from . import services

RATE_APP = "civic.vitals"
RATE_ACTION = "vitals_ingest"


def _error(code, message, status, **headers):
    response = JsonResponse({"error": {"code": code, "message": message}}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _too_many(request, key):
    """None while the key is within its per-minute limit (shared by every worker through the
    cache, as the project's other limits are), else the 429 answer."""
    config = {RATE_ACTION: f"{key.rate_limit}/m/key"}
    usage = allauth_ratelimit.consume(
        request, app=RATE_APP, action=RATE_ACTION, config=config, key=str(key.pk)
    )
    if usage is not None:
        return None
    rates = allauth_ratelimit.get_rates(app=RATE_APP, action=RATE_ACTION, config=config)
    return _error(
        "rate_limited",
        _("Too many requests with this key; try again in a minute."),
        429,
        **{"Retry-After": str(math.ceil(max(rate.duration for rate in rates)))},
    )


@csrf_exempt
@require_POST
def ingest(request):
    """``POST {"readings": [{"sensor", "time", "value", "unit"?}, …]}`` with ``X-Api-Key``.
    Answers ``{"stored", "duplicates", "refused": [{"index", "sensor", "reason"}]}``."""
    try:
        key = services.authenticate(request.headers.get("X-Api-Key", ""))
    except DomainError as exc:
        return _error(exc.code, exc.message, 401)
    refused = _too_many(request, key)
    if refused:
        return refused
    try:
        body = json.loads(request.body)
        readings = body.get("readings") if isinstance(body, dict) else None
        return JsonResponse(services.ingest(readings, key=key).as_json())
    except ValueError:
        return _error("batch_invalid", str(services.BatchInvalid.default_message), 400)
    except DomainError as exc:
        return _error(exc.code, exc.message, 400)
