"""Background jobs of the reports app (django-tasks): thin wrappers over ``services``.

Embedded deployments run them inline (the immediate backend); production enqueues them for
workers (DESIGN.md §3).
"""

from dataclasses import asdict

from django_tasks import task

from civic.core.permissions import SYSTEM

from . import services


@task()
def sweep_reports():
    """Escalate overdue reports, close those resolved long enough ago and delete expired
    draft photos.

    Returns the counts, ``{"escalated": N, "closed": M, "drafts_removed": D}``. Idempotent, so
    a scheduler may run it as often as it likes, and two workers may run it at once.
    """
    return asdict(services.sweep())


@task()
def train_classifier():
    """Train a new version of the smart intake's classifier on the history so far (staff's
    recategorisations included); it answers from then on, without a restart. Returns the new
    version's number and what it was measured at. A scheduler runs it nightly, say."""
    row = services.train_classifier(SYSTEM)
    return {"version": row.pk, "history": row.history_examples, "top1": row.metrics.get("top1")}
