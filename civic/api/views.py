import json

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from graphene_django.views import GraphQLView

from .errors import CSRF_FAILED, format_error
from .ratelimit import MutationRateLimits
from .uploads import operations_with_files
from .validation import validation_rules


def _csrf_refusal(request):
    """The CSRF middleware's verdict on a request, run here because the URL is exempt."""
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})


class CivicGraphQLView(MutationRateLimits, GraphQLView):
    """``/graphql/``: GraphiQL only in DEBUG; our limits alongside the standard rules.

    A request riding on the portal's session cookie must carry the CSRF token, so a page on
    another site cannot post as a signed-in user. Requests without a session cookie (the app,
    anonymous readers) need none. Token sign-in for the app will be checked before this.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("graphiql", settings.DEBUG)
        kwargs.setdefault("validation_rules", validation_rules())
        super().__init__(**kwargs)

    def dispatch(self, request, *args, **kwargs):
        uses_cookie = settings.SESSION_COOKIE_NAME in request.COOKIES
        if request.method == "POST" and uses_cookie:
            refusal = _csrf_refusal(request)
            if refusal is not None:
                body = {
                    "errors": [
                        {
                            "message": "CSRF verification failed: send the X-CSRFToken header "
                            "with a cookie session, or authenticate with X-Session-Token.",
                            "extensions": {"code": CSRF_FAILED},
                        }
                    ]
                }
                return HttpResponse(json.dumps(body), status=403, content_type="application/json")
        return super().dispatch(request, *args, **kwargs)

    def parse_body(self, request):
        if self.get_content_type(request) == "multipart/form-data" and "operations" in request.POST:
            return operations_with_files(request.POST, request.FILES)
        return super().parse_body(request)

    @staticmethod
    def format_error(error):
        return format_error(error)
