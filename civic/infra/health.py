"""Liveness and readiness for load balancers and orchestrators.

``/healthz`` answers 200 while the process serves requests. ``/readyz`` answers 200 when every
dependency answers (each database, the cache, the media storage, the job queue) and the
database has every migration applied, 503 otherwise. Both are unauthenticated and say nothing
more than "ok"/"unavailable"; which check failed goes to the log. They are answered by the
first middleware, before the host check and the HTTPS redirect, since probes come by address
and over plain HTTP.
"""

import logging
import os
from pathlib import Path

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse

from . import deadletters

logger = logging.getLogger(__name__)
PROBE = "health/probe"
_migrated = set()


def _databases():
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")


def _migrations():
    # Once applied they stay applied for this process's life: the graph is read once.
    if "default" in _migrated:
        return
    executor = MigrationExecutor(connections["default"])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("unapplied migrations")
    _migrated.add("default")


def _cache():
    cache.set(PROBE, "1", timeout=30)
    if cache.get(PROBE) != "1":
        raise RuntimeError("the cache does not keep what it is given")


def _storage():
    if isinstance(default_storage, FileSystemStorage):
        location = Path(default_storage.location)
        if not (location.is_dir() and os.access(location, os.W_OK)):
            raise RuntimeError(f"{location} is not a writable folder")
        return
    default_storage.exists(PROBE)  # a round trip; an unreachable store raises


def _queue():
    if deadletters.queued_jobs_in_rq():
        import django_rq

        django_rq.get_connection("default").ping()


CHECKS = {
    "database": _databases,
    "migrations": _migrations,
    "cache": _cache,
    "storage": _storage,
    "queue": _queue,
}


def failing_checks():
    failing = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:
            logger.warning("Readiness check %s failed: %s", name, exc)
            failing.append(name)
    return failing


def _plain(text, status):
    response = HttpResponse(text, content_type="text/plain; charset=utf-8", status=status)
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    """Answers ``/healthz`` and ``/readyz``; everything else goes on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return _plain("ok\n", 200)
        if request.path == "/readyz":
            return _plain("unavailable\n", 503) if failing_checks() else _plain("ok\n", 200)
        return self.get_response(request)
