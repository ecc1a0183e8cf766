"""Background jobs of the operations centre (django-tasks): thin wrappers over ``services``."""

from django_tasks import task

from . import services


@task()
def refresh_report_figures(report_id):
    """Bring one report's figures up to date: the retry of a refresh that failed when its
    event was heard (the queue retries it again with growing waits). Idempotent."""
    services.refresh_report(report_id)
