"""Background jobs of the reports app (django-tasks): thin wrappers over ``services``.

Embedded deployments run them inline (the immediate backend); production enqueues them for
workers (DESIGN.md §3).
"""

from dataclasses import asdict

from django_tasks import task

from civic.core.periodic import periodic
from civic.core.permissions import SYSTEM

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


@periodic(minutes=5)
@task()
def requeue_lost_photos():
    """Enqueue again the decoding of photos whose job was lost (a worker killed in the middle,
    the queue down when the report was stored). Returns how many."""
    return services.requeue_lost_photos()


@periodic(minutes=24 * 60)
@task()
def train_classifier():
    """Train a new version of the smart intake's classifier on the history so far (staff's
    recategorisations included); it answers from then on, without a restart. Returns the new
    version's number and what it was measured at. The scheduler runs it daily."""
    row = services.train_classifier(SYSTEM)
    return {"version": row.pk, "history": row.history_examples, "top1": row.metrics.get("top1")}
