"""The request id: one per request (the client's or proxy's ``X-Request-ID`` when it is sane,
else a new one), on every log line written while serving it and in the jobs it enqueues, whose
log lines carry it too (``civic.core.queue``)."""

import contextvars
import logging
import re
import uuid

_current = contextvars.ContextVar("request_id", default="")
_SANE = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_id():
    return _current.get()


def set_request_id(value):
    """Make ``value`` the current id; returns the token ``reset_request_id`` takes."""
    return _current.set(value or "")


def reset_request_id(token):
    _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (empty outside a request or job)."""

    def filter(self, record):
        record.request_id = _current.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _SANE.fullmatch(given) else uuid.uuid4().hex
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response
