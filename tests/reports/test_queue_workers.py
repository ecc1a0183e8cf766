"""The production queue end to end: a real RQ worker process on Redis runs the jobs that a
report submitted over HTTP leaves behind (its HEIC photo decoded, the reporter's notification
sent), and a job that keeps failing is retried and ends in the admin's failed jobs."""

from datetime import timedelta

import django_rq
import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from rq.registry import FailedJobRegistry

from civic.notifications.models import Delivery, DeliveryState
from civic.notifications.services import register_device
from reports import services
from reports.models import Report, ReportPhoto
from tests.reports.test_reports_api import Api, submit_with_photos
from tests.rq_worker import REDIS_URL, Worker, redis_or_skip, wait_for

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]


@task()
def always_fails(label):
    raise RuntimeError(f"{label} cannot be done")


def test_the_worker_decodes_the_heic_photo_and_sends_the_notification(world, rq_worker):
    register_device(world.resident, token="fcm-token-of-alices-phone", platform="android")
    result = submit_with_photos(
        Api(world.resident),
        ["iphone13_nogps.heic"],
        location={"lat": 40.45, "lon": -3.7},
    )["data"]["submitReport"]
    assert result["errors"] == []
    report = Report.objects.get()
    photo = ReportPhoto.objects.get(report=report)
    # Accepted at once; the photo's copies are the worker's job (it may have been quick).
    assert photo.source or photo.display

    def decoded():
        photo.refresh_from_db()
        return photo.is_processed

    wait_for(decoded, what="the photo to be decoded")
    assert (photo.width, photo.height) == (1200, 1600)
    assert not photo.source
    response = Api(world.resident).http.get(reverse("reports:photo", args=[photo.pk, "display"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"

    services.accept(world.dispatcher, report, message="")

    def sent():
        states = set(
            Delivery.objects.filter(
                notification__user=world.resident, notification__kind="report_accepted"
            ).values_list("state", flat=True)
        )
        return states == {DeliveryState.SENT}

    wait_for(sent, what="the notification to be sent")


def test_a_failing_job_is_retried_then_listed_in_the_failed_jobs(world, rq_worker, client):
    result = always_fails.enqueue("the impossible")
    registry = FailedJobRegistry(queue=django_rq.get_queue("default"))
    wait_for(lambda: result.id in registry, what="the job to fail its last attempt")
    job = registry.job_class.fetch(result.id, connection=registry.connection)
    # Each failure is recorded (django-tasks' RQ backend): the first attempt and two retries.
    assert job.meta["_django_tasks_rq_exceptions"] == ["builtins.RuntimeError"] * 3
    assert job.retries_left == 0

    client.force_login(world.admin)
    page = client.get("/admin/failed-jobs/").content.decode()
    assert result.id in page
    assert "RuntimeError: the impossible cannot be done" in page
    assert "always_fails" in page

    client.force_login(world.resident)
    assert client.get("/admin/failed-jobs/").status_code in (302, 403)
    assert client.post(f"/admin/failed-jobs/{result.id}/", {"action": "discard"}).status_code in (
        302,
        403,
    )
    assert result.id in registry

    client.force_login(world.admin)
    client.post(f"/admin/failed-jobs/{result.id}/", {"action": "discard"})
    assert result.id not in registry
    assert result.id not in client.get("/admin/failed-jobs/").content.decode()


def test_a_photo_whose_decoding_job_was_lost_is_enqueued_again_once(world, media_root, settings):
    """The job is enqueued, then lost (Redis emptied, as if restored without it) before any
    worker took it: the sweep enqueues it again, once however often it runs, and a worker
    started later decodes the photo."""
    queue_db = redis_or_skip()
    queue_db.flushdb()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 120}}
    settings.REPORTS_PHOTO_JOB_LOST_MINUTES = 10
    result = submit_with_photos(
        Api(world.resident), ["iphone13_nogps.heic"], location={"lat": 40.45, "lon": -3.7}
    )["data"]["submitReport"]
    assert result["errors"] == []
    photo = ReportPhoto.objects.get()
    queue = django_rq.get_queue("default")
    assert (photo.is_processed, queue.count) == (False, 1)

    later = timezone.now() + timedelta(minutes=11)
    # Queued and waiting: not lost, however long the queue is.
    assert services.requeue_lost_photos(later) == 0
    queue_db.flushdb()
    assert services.requeue_lost_photos(timezone.now()) == 0  # not waiting long enough yet
    assert services.requeue_lost_photos(later) == 1
    assert services.requeue_lost_photos(later) == 0
    assert queue.count == 1

    worker = Worker(media_root).start()
    try:

        def decoded():
            photo.refresh_from_db()
            return photo.is_processed

        wait_for(decoded, what="the photo to be decoded")
    finally:
        worker.stop()
        queue_db.flushdb()
    assert services.requeue_lost_photos(later) == 0
