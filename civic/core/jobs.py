"""What the background jobs' backend (django-tasks) means for callers."""

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend


def run_inline():
    """True when enqueued jobs run at once in the caller's process (the embedded default):
    work left to a job would then cost the caller the same time, so it may as well be done
    in place."""
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)
