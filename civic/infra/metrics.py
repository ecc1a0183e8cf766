"""Prometheus metrics: requests and their latencies (counted here), and, read when scraped,
the job queues' lengths, the failed jobs, the notification outbox's backlog and the city's live
vital-sign warnings by level.

``/metrics`` exists only when METRICS_TOKEN is set, and answers only a scraper sending it as
``Authorization: Bearer <token>`` (anyone else gets a 404, as for a page that does not exist).
With PROMETHEUS_MULTIPROC_DIR set, the request figures of every process are added up there.
"""

import hmac
import os
import time

from django.conf import settings
from django.http import Http404, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from civic.notifications.models import Delivery, DeliveryState
from civic.vitals import queries as vitals

from . import deadletters

REQUESTS = Counter(
    "civic_http_requests_total", "HTTP requests answered", ["method", "view", "status"]
)
LATENCY = Histogram(
    "civic_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class BacklogCollector:
    """Figures read at each scrape: the queues, the failed jobs, the outbox."""

    def describe(self):
        # What registering asks for: the names, without reading anything.
        return list(self._families())

    def _families(self):
        return (
            GaugeMetricFamily("civic_tasks_queued", "Jobs waiting in a queue", labels=["queue"]),
            GaugeMetricFamily("civic_tasks_failed", "Jobs that failed every attempt"),
            GaugeMetricFamily(
                "civic_notifications_outbox_backlog", "Notification deliveries not sent yet"
            ),
            GaugeMetricFamily(
                "civic_vitals_open_warnings", "Vital-sign warnings not closed", labels=["level"]
            ),
        )

    def collect(self):
        queued, failed, backlog, warnings = self._families()
        if deadletters.queued_jobs_in_rq():
            import django_rq

            for name in settings.RQ_QUEUES:
                queued.add_metric([name], len(django_rq.get_queue(name)))
        failed.add_metric([], deadletters.count())
        backlog.add_metric([], Delivery.objects.filter(state=DeliveryState.PENDING).count())
        for level, count in vitals.open_warnings_by_level().items():
            warnings.add_metric([str(level)], count)
        yield from (queued, failed, backlog, warnings)


_backlog = BacklogCollector()
REGISTRY.register(_backlog)


def _registry():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_backlog)
        return registry
    return REGISTRY


def _authorised(request):
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


def metrics_view(request):
    if not _authorised(request):
        raise Http404
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


class MetricsMiddleware:
    """Counts and times every request; answers ``/metrics``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/metrics":
            try:
                return metrics_view(request)
            except Http404:
                return HttpResponse(status=404)
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "other"
        LATENCY.labels(request.method, view).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, view, str(response.status_code)).inc()
        return response
