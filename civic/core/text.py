"""What text the platform accepts, checked once where text enters (HTTP parameters and JSON
bodies here, GraphQL in ``civic.api``, Open311 in its views).

* No NUL and no unpaired surrogate anywhere: PostgreSQL cannot store a NUL, and a lone
  surrogate (which JSON's ``\\ud800`` escapes can carry) cannot be encoded as UTF-8 at all.
  Form bodies decode invalid UTF-8 to U+FFFD, so there only ``%00`` gets through.
* Search text no longer than ``SEARCH_MAX_LENGTH`` characters: a search for a whole page of
  text finds nothing useful, and the database refuses patterns that long (SQLite's LIKE) or
  spends seconds on them.
"""

import json
import re

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civic.core.errors import DomainError

FORBIDDEN_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


class InvalidText(DomainError):
    code = "invalid_text"
    default_message = _(
        "The text contains a character that is not allowed (NUL or a lone surrogate)."
    )


class SearchTooLong(DomainError):
    code = "search_too_long"
    default_message = _("The search text is too long.")


def is_invalid_text(value):
    return isinstance(value, str) and FORBIDDEN_CHARACTERS.search(value) is not None


def invalid_text_path(data, path=""):
    """The dotted path of the first string (or key) in ``data`` — JSON-like dicts, lists and
    strings — that has a forbidden character; None when there is none."""
    if isinstance(data, str):
        return (path or "value") if is_invalid_text(data) else None
    if isinstance(data, dict):
        for key, value in data.items():
            inner = f"{path}.{key}" if path else str(key)
            if is_invalid_text(key):
                return inner
            found = invalid_text_path(value, inner)
            if found:
                return found
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            found = invalid_text_path(value, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


def invalid_parameter(*querydicts):
    """The name of the first HTTP parameter (``QueryDict``) whose name or a value has a
    forbidden character; None when there is none."""
    for querydict in querydicts:
        for name, values in querydict.lists():
            if is_invalid_text(name) or any(is_invalid_text(value) for value in values):
                return name
    return None


def search_text(text, *, field="q"):
    """``text`` with its runs of spaces made single and its ends trimmed; SearchTooLong beyond
    ``SEARCH_MAX_LENGTH`` characters."""
    text = " ".join((text or "").split())
    limit = settings.SEARCH_MAX_LENGTH
    if len(text) > limit:
        raise SearchTooLong(
            gettext("Search for at most %(limit)s characters.") % {"limit": limit}, field=field
        )
    return text


def checks_its_own_text(view):
    """Mark a view that refuses invalid text itself, in its protocol's error format."""
    view.checks_its_own_text = True
    return view


def _json_body(request):
    if request.content_type != "application/json":
        return None
    try:
        return json.loads(request.body)
    except ValueError:
        return None  # the view answers a malformed body as it always has


class InvalidTextMiddleware:
    """Refuse, with 400 and ``invalid_text`` naming the field, any request whose query string,
    form fields, uploaded file names, JSON body or URL parts carry a forbidden character, before
    a view can store or look them up. JSON clients (the app's allauth API) get allauth's error
    shape; people get a page that says what is wrong."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "checks_its_own_text", False):
            return None
        field = (
            invalid_parameter(request.GET, request.POST)
            or next((f for f, files in request.FILES.lists() if _bad_file_name(files)), None)
            or invalid_text_path(_json_body(request))
            or invalid_text_path(list(view_args))
            or invalid_text_path(view_kwargs)
        )
        if field is None:
            return None
        error = InvalidText(field=field)
        if request.content_type == "application/json" or request.path.startswith("/_allauth/"):
            body = {
                "status": 400,
                "errors": [{"code": error.code, "param": field, "message": error.message}],
            }
            return JsonResponse(body, status=400)
        return render(request, "invalid_text.html", {"error": error}, status=400)


def _bad_file_name(files):
    return any(is_invalid_text(upload.name) for upload in files)
