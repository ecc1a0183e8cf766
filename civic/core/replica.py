"""Reading from a replica of the database (``DATABASE_REPLICA_URL``: the ``replica`` alias).

A request's reads go to the replica only when all of these hold, else to the primary:

- the request only reads: a GET or HEAD view, or a GraphQL query (the GraphQL view says so
  with ``reads_only()``; a mutation never does);
- it has written nothing so far (any write, even in a GET view, sends its later reads to the
  primary, which has the row the replica may not have yet);
- the read is outside a transaction (an atomic block reads what it is about to write on);
- the client has not written in the last REPLICA_PIN_SECONDS (its session, or a cookie
  without one, is pinned to the primary after a write: a resident who just submitted a
  report sees it on the next page however far the replica lags);
- it is not a session: a session just opened by signing in must be found at once.

Writes always go to the primary. Outside a request (jobs, commands) everything does.
"""

import contextvars
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connections

REPLICA = "replica"
PIN_COOKIE = "civic_primary"


@dataclass
class _Request:
    reads_only: bool
    pinned: bool
    wrote: bool = False


_current = contextvars.ContextVar("replica_request", default=None)


def replica_configured():
    return REPLICA in connections.settings


def reads_only():
    """Say that the current request only reads (a GraphQL query): its reads may use the replica."""
    state = _current.get()
    if state is not None:
        state.reads_only = True


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _current.get()
        if (
            state is None
            or not (state.reads_only and not state.pinned and not state.wrote)
            or model is Session
            or connections["default"].in_atomic_block
        ):
            return "default"
        return REPLICA

    def db_for_write(self, model, **hints):
        state = _current.get()
        if state is not None:
            state.wrote = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's schema


def _pin_key(session_key):
    return "replica-pin:" + hashlib.sha256(session_key.encode()).hexdigest()


def _session_key(request):
    """The session the request rides on: the portal's cookie or the app's X-Session-Token."""
    return request.COOKIES.get(settings.SESSION_COOKIE_NAME) or request.headers.get(
        "X-Session-Token"
    )


class ReplicaMiddleware:
    """Marks each request as reading from the replica or not, and pins a client that wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        key = _session_key(request)
        pinned = PIN_COOKIE in request.COOKIES or bool(
            key and cache.get(_pin_key(key), 0) > time.time()
        )
        state = _Request(reads_only=request.method in ("GET", "HEAD"), pinned=pinned)
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if state.wrote:
            self._pin(request, response)
        return response

    @staticmethod
    def _pin(request, response):
        seconds = settings.REPLICA_PIN_SECONDS
        # The session after the request: signing in starts a new one.
        session = getattr(request, "session", None)
        key = (session.session_key if session is not None else None) or _session_key(request)
        if key:
            # The pin holds its own end, read on the app's clock: the cache's expiry (Redis's
            # clock) only clears it away.
            cache.set(_pin_key(key), time.time() + seconds, timeout=seconds + 1)
        else:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
