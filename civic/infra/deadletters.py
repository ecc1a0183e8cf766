"""The dead letters: background jobs that failed their last attempt (RQ's failed-job
registry of each queue). With the embedded immediate backend jobs run inline and there are
none."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

RQ_BACKEND = "django_tasks_rq.RQBackend"
PAGE = 200


def queued_jobs_in_rq():
    return settings.TASKS["default"]["BACKEND"] == RQ_BACKEND


@dataclass(frozen=True)
class DeadLetter:
    id: str
    queue: str
    task: str
    arguments: str
    failed_at: datetime | None
    error: str


def _registries():
    import django_rq
    from rq.registry import FailedJobRegistry

    for name in settings.RQ_QUEUES:
        queue = django_rq.get_queue(name)
        yield queue, FailedJobRegistry(queue=queue)


def _last_line(text):
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def dead_letters(limit=PAGE):
    """The failed jobs, newest first, at most ``limit``."""
    if not queued_jobs_in_rq():
        return []
    letters = []
    for queue, registry in _registries():
        ids = registry.get_job_ids(0, limit - 1, desc=True)
        for job in queue.job_class.fetch_many(ids, connection=queue.connection):
            if job is None:
                continue
            result = job.latest_result()
            letters.append(
                DeadLetter(
                    id=job.id,
                    queue=queue.name,
                    task=job.func_name,
                    arguments=", ".join(
                        [*map(repr, job.args), *(f"{k}={v!r}" for k, v in job.kwargs.items())]
                    ),
                    failed_at=job.ended_at,
                    error=_last_line(result.exc_string if result else ""),
                )
            )
    return letters[:limit]


def count():
    if not queued_jobs_in_rq():
        return 0
    return sum(registry.count for _queue, registry in _registries())


def _find(job_id):
    for queue, registry in _registries():
        if job_id in registry:
            return queue, registry
    return None, None


def retry(job_id):
    """Put a dead letter back on its queue; False when there is no such failed job."""
    _queue, registry = _find(job_id)
    if registry is None:
        return False
    registry.requeue(job_id)
    return True


def discard(job_id):
    """Delete a dead letter; False when there is no such failed job."""
    _queue, registry = _find(job_id)
    if registry is None:
        return False
    registry.remove(job_id, delete_job=True)
    return True
