"""Periodic jobs: what ``manage.py run_scheduler`` enqueues, and how often.

An app registers one in its ``tasks.py``, one line under the task::

    @periodic(minutes=5)
    @task()
    def sweep_reports(): ...

The scheduler imports every app's ``tasks`` module and enqueues each registered task when its
interval has passed since it was last enqueued. The times live in the cache (Redis in
production), under a lock, so that two schedulers running at once enqueue each job once.
"""

from dataclasses import dataclass
from datetime import timedelta

_REGISTRY = {}


@dataclass(frozen=True)
class PeriodicJob:
    task: object
    interval: timedelta

    @property
    def name(self):
        return self.task.module_path


def periodic(**interval):
    """Register the decorated django-tasks task to run every ``timedelta(**interval)``."""
    every = timedelta(**interval)
    if every <= timedelta(0):
        raise ValueError("A periodic job needs a positive interval.")

    def register(task):
        job = PeriodicJob(task=task, interval=every)
        _REGISTRY[job.name] = job
        return task

    return register


def periodic_jobs():
    """The registered jobs, by name (their tasks' module paths)."""
    return dict(sorted(_REGISTRY.items()))
