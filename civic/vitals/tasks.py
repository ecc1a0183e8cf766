"""Background jobs: evaluating the indicators every five minutes, pruning old values daily."""

from django_tasks import task

from civic.core.periodic import periodic

from . import services


@periodic(minutes=5)
@task()
def evaluate_indicators():
    outcome = services.evaluate_indicators()
    return {"values": outcome.values, "opened": len(outcome.opened), "closed": outcome.closed}


@periodic(days=1)
@task()
def prune_indicator_values():
    downsampled, deleted = services.prune_values()
    return {"downsampled": downsampled, "deleted": deleted}
