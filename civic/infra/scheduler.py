"""The scheduler's one step: enqueue each periodic job (civic.core.periodic) whose interval has
passed. ``cache.add`` claims a job's turn atomically (SET NX with an expiry in Redis): of two
schedulers ticking at once, one enqueues and the other finds the turn taken."""

import logging

from django.core.cache import cache
from django.utils.module_loading import autodiscover_modules

from civic.core.periodic import periodic_jobs

logger = logging.getLogger(__name__)
KEY = "periodic:{name}"


def discover():
    """Import every app's ``tasks`` module, where periodic jobs are registered."""
    autodiscover_modules("tasks")
    return periodic_jobs()


def tick(jobs):
    """Enqueue the jobs whose turn it is; returns the names of those this call enqueued."""
    enqueued = []
    for name, job in jobs.items():
        seconds = max(1, int(job.interval.total_seconds()))
        if not cache.add(KEY.format(name=name), "1", timeout=seconds):
            continue
        try:
            result = job.task.enqueue()
        except Exception:
            # The turn is given back so that the next tick tries again.
            cache.delete(KEY.format(name=name))
            logger.exception("Could not enqueue the periodic job %s", name)
            continue
        logger.info("Enqueued the periodic job %s as %s", name, result.id)
        enqueued.append(name)
    return enqueued
