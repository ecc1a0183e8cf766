"""The RQ queue every background job goes through in production (``RQ["QUEUE_CLASS"]``).

django-tasks' RQ backend enqueues a task's job without retries; this queue gives each job the
retries of ``TASKS_RETRY_INTERVALS`` (a wait that grows after each failure). A job that fails
its last attempt stays in RQ's failed-job registry: the dead letters the admin lists.
"""

from django.conf import settings
from django_rq.queues import DjangoRQ
from rq import Retry


def retry_policy():
    intervals = list(getattr(settings, "TASKS_RETRY_INTERVALS", []))
    return Retry(max=len(intervals), interval=intervals) if intervals else None


class RetryingQueue(DjangoRQ):
    def create_job(self, *args, **kwargs):
        if kwargs.get("retry") is None:
            kwargs["retry"] = retry_policy()
        return super().create_job(*args, **kwargs)
