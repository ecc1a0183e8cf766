import json

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from graphene_django.views import GraphQLView
from graphql import ExecutionResult, GraphQLError

from civic.accounts.tokens import session_token, user_for_session_token
from civic.core.api.uploads import operations_with_files
from civic.core.text import InvalidText, invalid_text_path, is_invalid_text

from .errors import CSRF_FAILED, INVALID_SESSION_TOKEN, format_error
from .ratelimit import MutationRateLimits
from .validation import validation_rules


def _error_response(message, code, status):
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    if status == 401:
        response["WWW-Authenticate"] = "X-Session-Token"
    return response


def _csrf_refusal(request):
    """The CSRF middleware's verdict on a request, run here because the URL is exempt."""
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})


class CivicGraphQLView(MutationRateLimits, GraphQLView):
    """``/graphql/``: GraphiQL only in DEBUG; our limits alongside the standard rules.

    The app authenticates with allauth headless's session token in ``X-Session-Token``: a
    request with one is that token's user (or a 401 with ``invalid_session_token`` when the
    token is unknown, expired or signed out) and needs no CSRF token, since another site's page
    cannot set that header. A request riding on the portal's session cookie must carry the CSRF
    token, so a page on another site cannot post as a signed-in user. Requests with neither
    (anonymous readers) need none.
    """

    # GraphiQL's libraries from our static files, not a CDN: the explorer works offline.
    graphiql_template = "api/graphiql.html"

    def __init__(self, **kwargs):
        kwargs.setdefault("graphiql", settings.DEBUG)
        kwargs.setdefault("validation_rules", validation_rules())
        super().__init__(**kwargs)

    def dispatch(self, request, *args, **kwargs):
        token = session_token(request)
        if token:
            user = user_for_session_token(token)
            if user is None:
                return _error_response(
                    _(
                        "The session token signs nobody in: signed out, expired, or the "
                        "sign-in is not finished. Sign in again."
                    ),
                    INVALID_SESSION_TOKEN,
                    401,
                )
            # Only the user: the token's session must never end up in a cookie of the answer.
            request.user = user
        elif (
            request.method == "POST"
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and _csrf_refusal(request) is not None
        ):
            return _error_response(
                "CSRF verification failed: send the X-CSRFToken header with a cookie "
                "session, or authenticate with X-Session-Token.",
                CSRF_FAILED,
                403,
            )
        return super().dispatch(request, *args, **kwargs)

    def parse_body(self, request):
        if self.get_content_type(request) == "multipart/form-data" and "operations" in request.POST:
            return operations_with_files(request.POST, request.FILES)
        return super().parse_body(request)

    def execute_graphql_request(self, request, data, query, variables, *args, **kwargs):
        """Refuse a document or variables with a forbidden character (NUL, a lone surrogate)
        as ``invalid_text`` naming where it is (``query``, or the variable's path such as
        ``input.title``) before anything runs; literals are the validation rules' to check."""
        field = "query" if is_invalid_text(query) else invalid_text_path(variables)
        if field:
            error = InvalidText(field=field)
            return ExecutionResult(
                errors=[
                    GraphQLError(error.message, extensions={"code": error.code, "field": field})
                ]
            )
        return super().execute_graphql_request(request, data, query, variables, *args, **kwargs)

    @staticmethod
    def format_error(error):
        return format_error(error)
