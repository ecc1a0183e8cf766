"""/metrics behind its token, and the request id on log lines, in the response and in the
jobs a request enqueues."""

import logging

import django_rq
import pytest
from rq import SimpleWorker

from civic.notifications.models import Delivery
from tests.rq_worker import REDIS_URL, redis_or_skip

TOKEN = "scraper-token-0123456789"


def test_metrics_need_the_token(client, settings, db):
    settings.METRICS_TOKEN = TOKEN
    client.get("/healthz")
    client.get("/accounts/login/")
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    settings.METRICS_TOKEN = TOKEN
    page = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert 'civic_http_requests_total{method="GET",status="200",view="account_login"}' in page
    assert "civic_http_request_duration_seconds_bucket" in page
    assert "civic_notifications_outbox_backlog 0.0" in page
    assert "civic_tasks_failed 0.0" in page


def test_the_outbox_backlog_is_counted(client, settings, make_user):
    from civic.notifications.services import notify, register_device

    settings.METRICS_TOKEN = TOKEN
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    user = make_user()
    register_device(user, token="fcm-token-for-the-metrics", platform="android")
    notify(user, "report_accepted", key="k1", message=lambda: ("t", "b"))
    assert Delivery.objects.count() == 1
    page = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert "civic_notifications_outbox_backlog 1.0" in page


def test_a_request_id_is_given_and_kept(client, db):
    given = client.get("/reports/", HTTP_X_REQUEST_ID="abc-123-request")
    assert given["X-Request-ID"] == "abc-123-request"
    invented = client.get("/reports/", HTTP_X_REQUEST_ID="<script>")
    assert invented["X-Request-ID"] != "<script>"


@pytest.mark.serial
def test_the_request_id_follows_the_request_into_its_jobs(settings, db, caplog):
    """A job enqueued while a request is served (the middleware has set its id) carries the id,
    and the job's log lines show it when a worker runs it."""
    from civic.core.queue import Job
    from civic.core.requests import reset_request_id, set_request_id
    from civic.notifications.tasks import send_due_notifications

    redis = redis_or_skip()
    redis.flushdb()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    try:
        token = set_request_id("req-follows-0001")
        try:
            result = send_due_notifications.enqueue()
        finally:
            reset_request_id(token)
        queue = django_rq.get_queue("default")
        assert queue.fetch_job(result.id).meta["request_id"] == "req-follows-0001"
        with caplog.at_level(logging.INFO):
            SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
        task_lines = [record for record in caplog.records if record.name == "civic.core.queue"]
        assert task_lines
        assert {record.request_id for record in task_lines} == {"req-follows-0001"}
    finally:
        redis.flushdb()
