"""The RQ queue and job every background job goes through in production (``RQ`` setting).

django-tasks' RQ backend enqueues a task's job without retries; this queue gives each job the
retries of ``TASKS_RETRY_INTERVALS`` (a wait that grows after each failure) and the id of the
request that enqueued it, which the job's log lines then carry. A job that fails its last
attempt stays in RQ's failed-job registry: the dead letters the admin lists.
"""

import logging

from django.conf import settings
from django_rq.queues import DjangoRQ
from django_tasks_rq.backend import Job as TaskJob
from rq import Retry

from .requests import current_request_id, reset_request_id, set_request_id

logger = logging.getLogger(__name__)


def retry_policy():
    intervals = list(getattr(settings, "TASKS_RETRY_INTERVALS", []))
    return Retry(max=len(intervals), interval=intervals) if intervals else None


class RetryingQueue(DjangoRQ):
    def create_job(self, *args, **kwargs):
        if kwargs.get("retry") is None:
            kwargs["retry"] = retry_policy()
        request_id = current_request_id()
        if request_id:
            kwargs["meta"] = {**(kwargs.get("meta") or {}), "request_id": request_id}
        return super().create_job(*args, **kwargs)


class Job(TaskJob):
    """Runs the task with the enqueuing request's id as the current one."""

    def perform(self):
        token = set_request_id(self.meta.get("request_id", ""))
        try:
            logger.info("Running %s (job %s)", self.func_name, self.id)
            return super().perform()
        finally:
            reset_request_id(token)
