import hashlib
import json

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionResult, GraphQLError, OperationType, execute, get_operation_ast

from civic.accounts.tokens import session_token, user_for_session_token
from civic.core import public_cache
from civic.core.api.uploads import operations_with_files
from civic.core.replica import reads_only
from civic.core.text import InvalidText, invalid_text_path, is_invalid_text

from . import documents, public_reads
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


def _public_cache_key(request, operation, query, operation_name, variables):
    """The cache key of an anonymous reader's answer to a public read (``public_reads``), or
    None when the answer is not one to share: a signed-in reader, another kind of operation."""
    if not public_cache.enabled() or request.user.is_authenticated:
        return None
    namespaces = public_reads.namespaces(operation)
    if namespaces is None:
        return None
    return public_cache.key(
        namespaces,
        "graphql",
        hashlib.sha256(query.encode()).hexdigest(),
        operation_name,
        variables,
        get_language(),
        request.get_host(),
        request.scheme,
    )


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

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        """graphene-django's, with the document taken from the persisted operations or the
        cache of validated documents (``civic.api.documents``) instead of parsed each time.

        A document or variables with a forbidden character (NUL, a lone surrogate) are refused
        as ``invalid_text`` naming where it is (``query``, or the variable's path such as
        ``input.title``) before anything runs; literals are the validation rules' to check."""
        try:
            digest = documents.persisted_hash(request.GET if request.method == "GET" else data)
            if digest is not None:
                query = documents.persisted_document(digest)
            elif query and settings.GRAPHQL_PERSISTED_ONLY:
                raise documents.refuse_arbitrary()
        except GraphQLError as error:
            return ExecutionResult(errors=[error])
        if not query:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseBadRequest("Must provide query string."))
        field = "query" if is_invalid_text(query) else invalid_text_path(variables)
        if field:
            error = InvalidText(field=field)
            return ExecutionResult(
                errors=[
                    GraphQLError(error.message, extensions={"code": error.code, "field": field})
                ]
            )
        schema = self.schema.graphql_schema
        document, errors = documents.validated_document(
            schema, query, self.validation_rules, graphene_settings.MAX_VALIDATION_ERRORS
        )
        if errors:
            return ExecutionResult(errors=errors)
        operation = get_operation_ast(document, operation_name)
        if (
            request.method == "GET"
            and operation is not None
            and operation.operation != OperationType.QUERY
        ):
            if show_graphiql:
                return None
            raise HttpError(
                HttpResponseNotAllowed(
                    ["POST"], f"Can only perform a {operation.operation.value} operation from POST."
                )
            )
        if operation is not None and operation.operation == OperationType.QUERY:
            reads_only()
        cache_key = _public_cache_key(request, operation, query, operation_name, variables)
        if cache_key is not None:
            data = public_cache.get(cache_key)
            if data is not None:
                return ExecutionResult(data=data)
        try:
            result = execute(
                schema,
                document,
                root_value=self.get_root_value(request),
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                middleware=self.get_middleware(request),
                execution_context_class=self.execution_context_class,
            )
        except Exception as error:  # graphene-django's way: the error goes to the answer
            return ExecutionResult(errors=[error])
        if cache_key is not None and not result.errors and result.data is not None:
            public_cache.put(cache_key, result.data)
        return result

    @staticmethod
    def format_error(error):
        return format_error(error)
