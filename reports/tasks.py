"""Background jobs of the reports app (django-tasks): thin wrappers over ``services``.

Embedded deployments run them inline (the immediate backend); production enqueues them for
workers (DESIGN.md §3).
"""

from dataclasses import asdict

from django_tasks import task

from civic.core.periodic import periodic

from . import services


@periodic(minutes=5)
@task()
def sweep_reports():
    """Escalate overdue reports, close those resolved long enough ago and delete expired
    draft photos.

    Returns the counts, ``{"escalated": N, "closed": M, "drafts_removed": D}``. Idempotent, so
    a scheduler may run it as often as it likes, and two workers may run it at once.
    """
    return asdict(services.sweep())


@task()
def decode_report_photo(photo_id):
    """Decode a stored photo left to the workers (HEIC) and make its copies; the report was
    accepted without waiting for it. Returns whether it made them."""
    return services.decode_stored_photo(photo_id)
