"""Keeping the figures current: every report event refreshes that report's counts once the
change is committed. Refreshing is idempotent, so an event heard twice counts once; a failure
is logged and ``manage.py rebuild_statistics`` puts the figures right."""

from civic.core.receivers import safely
from reports import events as report_events

from .services import refresh_report


@safely
def on_report_event(report, **kwargs):
    refresh_report(report.pk)


def connect():
    for signal in set(report_events.SIGNAL_FOR_EVENT.values()):
        signal.connect(on_report_event, dispatch_uid=f"operations.figures.{id(signal)}", weak=False)
