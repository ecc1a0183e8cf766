"""Firebase phone sign-in as one more headless endpoint: the app sends a Firebase ID token and
gets back the same answer allauth's own login gives, session token included, so the token
works with allauth's endpoints and ``/graphql/`` alike."""

import json
from http import HTTPStatus

from allauth.core import ratelimit
from allauth.headless.base.response import AuthenticationResponse
from allauth.headless.internal.decorators import app_view
from django.contrib.auth import login
from django.http import JsonResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from civic.core.errors import DomainError

from . import firebase, services

BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def error_response(error: DomainError, status=HTTPStatus.BAD_REQUEST):
    """An error the way allauth's headless API writes them."""
    body = {
        "status": status,
        "errors": [{"code": error.code, "message": error.message, "param": "id_token"}],
    }
    return JsonResponse(body, status=status)


# allauth's own wrapper for app endpoints: CSRF-exempt, a fresh session unless the request
# carries a session token, and the session never leaks into a cookie.
@require_POST
@app_view
def firebase_sign_in(request):
    # The same budget as allauth's password login (ACCOUNT_RATE_LIMITS["login"], per IP): each
    # try may make firebase-admin fetch Google's keys.
    refused = ratelimit.consume_or_429(request, action="login")
    if refused is not None:
        return refused
    try:
        id_token = json.loads(request.body or b"{}").get("id_token")
    except (ValueError, AttributeError):
        id_token = None
    try:
        claims = firebase.verify_id_token(id_token)
        user = services.sign_in_with_firebase(claims, language=get_language())
    except firebase.FirebaseUnavailable as exc:
        return error_response(exc, HTTPStatus.SERVICE_UNAVAILABLE)
    except (services.AccountInactive, services.TwoFactorRequired) as exc:
        return error_response(exc, HTTPStatus.FORBIDDEN)
    except DomainError as exc:
        return error_response(exc)
    login(request, user, backend=BACKEND)
    return AuthenticationResponse(request)
