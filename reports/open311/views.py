"""GeoReport v2 endpoints under /open311/v2/: thin, like the reports app's views. They parse the
protocol's parameters, call the services or queries, and answer in the format the URL's suffix
asks for, errors included."""

import functools
import re
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, gettext
from django.views.decorators.csrf import csrf_exempt

from civic.core import public_cache
from civic.core.errors import DomainError
from civic.core.text import InvalidText, checks_its_own_text, invalid_parameter, invalid_text_path
from reports import queries as report_queries
from reports.services import AnswerRequired

from . import documents, queries, services
from .serializers import errors, respond, respond_with

ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
STATUS_FOR = {
    services.ApiKeyInvalid: 403,
    services.ServiceNotFound: 404,
    services.RateLimited: 429,
}
# The reports services name their fields; an Open311 client knows the protocol's names.
PARAMETER_FOR = {
    "location": "lat/long",
    "category": "service_code",
    "photos": "media_url",
    "answers": "attribute",
}


class BadRequest(Exception):
    def __init__(self, *descriptions, status=400):
        super().__init__(descriptions)
        self.descriptions = descriptions
        self.status = status


def _parameter(field):
    if not field:
        return ""
    if field.startswith("answers."):
        return f"attribute[{field.removeprefix('answers.')}]"
    return PARAMETER_FOR.get(field, field)


def _describe(error):
    message = error.message
    if error.code == AnswerRequired.code:
        message = f"{AnswerRequired.default_message} ({error.message})"
    parameter = _parameter(error.field)
    return f"{parameter}: {message}" if parameter else message


def _refuse_invalid_text(request, kwargs):
    """Every parameter, form field and URL part, before any is parsed or looked up."""
    field = invalid_parameter(request.GET, request.POST) or invalid_text_path(kwargs)
    if field:
        raise InvalidText(field=field)


def open311(*methods):
    """Allow ``methods``, check ``jurisdiction_id``, and answer failures as error documents."""

    def decorate(view):
        @csrf_exempt
        @checks_its_own_text
        @functools.wraps(view)
        def wrapper(request, *args, fmt, **kwargs):
            try:
                _refuse_invalid_text(request, kwargs)
                if request.method not in methods:
                    raise BadRequest(
                        gettext("Method %(method)s is not allowed here.")
                        % {"method": request.method},
                        status=405,
                    )
                jurisdiction = request.GET.get("jurisdiction_id") or request.POST.get(
                    "jurisdiction_id"
                )
                if jurisdiction and jurisdiction != settings.OPEN311_JURISDICTION_ID:
                    raise BadRequest(
                        gettext("jurisdiction_id %(value)s was not found.")
                        % {"value": jurisdiction},
                        status=404,
                    )
                return view(request, *args, fmt=fmt, **kwargs)
            except BadRequest as exc:
                response = errors(fmt, exc.status, exc.descriptions)
            except DomainError as exc:
                response = errors(
                    fmt, STATUS_FOR.get(type(exc), 400), [_describe(e) for e in exc.errors]
                )
            if response.status_code == 405:
                response["Allow"] = ", ".join(methods)
            elif response.status_code == 429:
                response["Retry-After"] = "60"
            return response

        return wrapper

    return decorate


# --- Discovery and services ---------------------------------------------------------------------


@open311("GET")
def discovery(request, fmt):
    base_url = request.build_absolute_uri(reverse("open311:root"))
    return respond(fmt, "discovery", documents.discovery(base_url.rstrip("/")))


@open311("GET")
def service_list(request, fmt):
    body = [documents.service(category) for category in report_queries.active_categories()]
    return respond(fmt, "services", body)


@open311("GET")
def service_definition(request, fmt, service_code):
    category = report_queries.category_by_code(service_code)
    if category is None:
        raise services.ServiceNotFound(field="service_code")
    return respond(fmt, "service_definition", documents.service_definition(category))


# --- Requests -----------------------------------------------------------------------------------


def _date(request, name):
    value = request.GET.get(name)
    if not value:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:  # well-formed but impossible, such as month 13
        moment = None
    if moment is None:
        raise BadRequest(
            gettext("%(name)s is not a W3C date-time such as 2010-01-01T00:00:00Z.")
            % {"name": name}
        )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _list(request, name):
    value = request.GET.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()]


def _positive(request, name, default, maximum):
    value = request.GET.get(name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= maximum:
        raise BadRequest(
            gettext("%(name)s must be a whole number from 1 to %(maximum)s.")
            % {"name": name, "maximum": maximum}
        )
    return number


def _window(request):
    """``(start, end)``: the dates asked for, or the most recent 90 days by default, never
    spanning more than 90 days."""
    span = timedelta(days=settings.OPEN311_MAX_DAYS)
    start, end = _date(request, "start_date"), _date(request, "end_date")
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - span
    elif end is None:
        end = start + span
    if end < start:
        raise BadRequest(gettext("end_date is before start_date."))
    if end - start > span:
        raise BadRequest(
            gettext("start_date and end_date may not span more than %(days)s days.")
            % {"days": settings.OPEN311_MAX_DAYS}
        )
    return start, end


def _request_filters(request):
    ids = _list(request, "service_request_id")
    if ids:
        if not all(item.isdigit() for item in ids):
            raise BadRequest(gettext("service_request_id must be numbers separated by commas."))
        return {"ids": [int(item) for item in ids]}
    statuses = _list(request, "status")
    unknown = [status for status in statuses if status not in queries.STATUS_STATES]
    if unknown:
        raise BadRequest(
            gettext("status must be open or closed, not %(values)s.")
            % {"values": ", ".join(unknown)}
        )
    start, end = _window(request)
    return {
        "service_codes": _list(request, "service_code"),
        "start": start,
        "end": end,
        "statuses": statuses,
    }


def _list_requests(request, fmt):
    limit = settings.OPEN311_MAX_REQUESTS
    filters = _request_filters(request)
    # Paging (page, page_size) is the extension clients use most; without it, the first page.
    page_size = _positive(request, "page_size", limit, limit)
    page = _positive(request, "page", 1, 10**6)
    # Every client sees the same public documents: one answer per question, language and host.
    cache_key = None
    if public_cache.enabled():
        cache_key = public_cache.key(
            ["reports"],
            "open311",
            fmt,
            request.get_full_path(),
            get_language(),
            request.build_absolute_uri("/"),
        )
        content = public_cache.get(cache_key)
        if content is not None:
            return respond_with(fmt, content)
    reports = queries.filter_requests(queries.requests(), **filters).order_by("-created_at", "-pk")
    offset = (page - 1) * page_size
    body = documents.service_requests(reports[offset : offset + page_size], request)
    response = respond(fmt, "service_requests", body)
    if cache_key is not None:
        public_cache.put(cache_key, response.content)
    return response


def _float(request, name):
    try:
        return float(request.POST[name])
    except ValueError:
        raise BadRequest(gettext("%(name)s must be a number.") % {"name": name}) from None


def _create_request(request, fmt):
    data = request.POST
    api_key = services.authenticate(data.get("api_key") or request.GET.get("api_key"))
    services.check_rate(api_key)
    has_lat, has_long = bool(data.get("lat")), bool(data.get("long"))
    if has_lat != has_long:
        raise BadRequest(gettext("lat and long must be sent together."))
    attributes = {}
    for name in data:
        match = ATTRIBUTE.match(name)
        if match:
            code, many = match.groups()
            values = [value for value in data.getlist(name) if value != ""]
            attributes[code] = values if many else (values[-1] if values else "")
    submission = services.submit(
        api_key,
        service_code=data.get("service_code", "").strip(),
        lat=_float(request, "lat") if has_lat else None,
        lon=_float(request, "long") if has_long else None,
        address_string=data.get("address_string", "").strip(),
        attributes=attributes,
        description=data.get("description", ""),
        email=data.get("email", "").strip(),
        first_name=data.get("first_name", "").strip(),
        last_name=data.get("last_name", "").strip(),
        phone=data.get("phone", "").strip(),
        device_id=data.get("device_id", "").strip(),
        account_id=data.get("account_id", "").strip(),
        media_url=data.get("media_url", "").strip(),
    )
    body = [
        {
            "service_request_id": submission.report_id,
            "token": submission.token,
            "service_notice": documents.service_notice(submission.report.category),
            "account_id": submission.account_id or None,
        }
    ]
    return respond(fmt, "service_requests", body)


@open311("GET", "POST")
def service_requests(request, fmt):
    if request.method == "POST":
        return _create_request(request, fmt)
    return _list_requests(request, fmt)


def _not_found(name, value):
    return BadRequest(
        gettext("%(name)s %(value)s was not found.") % {"name": name, "value": value},
        status=404,
    )


@open311("GET")
def service_request(request, fmt, request_id):
    report = None
    if request_id.isdigit() and len(request_id) <= 18:
        report = queries.filter_requests(queries.requests(), ids=[int(request_id)]).first()
    if report is None:
        raise _not_found("service_request_id", request_id)
    return respond(fmt, "service_requests", documents.service_requests([report], request))


@open311("GET")
def token(request, fmt, token):
    submission = queries.submission_by_token(token)
    if submission is None:
        raise _not_found("token", token)
    body = [{"service_request_id": submission.report_id, "token": submission.token}]
    return respond(fmt, "service_requests", body)


@open311("GET", "POST")
def unknown(request, fmt, resource):
    raise _not_found(gettext("Resource"), resource)
