"""Keeping the figures current: every report event refreshes that report's counts once the
change is committed. Refreshing is idempotent, so an event heard twice counts once. A refresh
that fails (a deadlock, the database gone for a moment) is handed to the task queue, which
retries it; ``manage.py rebuild_statistics`` remains the repair for anything lost beyond that."""

import logging

from civic.core.receivers import safely
from reports import events as report_events

from . import tasks
from .services import refresh_report

logger = logging.getLogger(__name__)


@safely
def on_report_event(report, **kwargs):
    try:
        refresh_report(report.pk)
    except Exception:
        logger.warning(
            "Refreshing the figures of report %s failed: retrying", report.pk, exc_info=True
        )
        tasks.refresh_report_figures.enqueue(report.pk)


def connect():
    for signal in set(report_events.SIGNAL_FOR_EVENT.values()):
        signal.connect(on_report_event, dispatch_uid=f"operations.figures.{id(signal)}", weak=False)
