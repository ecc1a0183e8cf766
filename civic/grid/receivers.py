"""The grid hears of reports: a new one that needs verification becomes a worker's task; one
staff triaged first is no longer the worker's to do."""

from civic.core.receivers import safely
from reports import events

from . import services


def on_submitted(report, **kwargs):
    services.open_task(report)


def on_triaged(report, **kwargs):
    services.close_task_handled_elsewhere(report)


RECEIVERS = {
    events.report_submitted: on_submitted,
    events.report_accepted: on_triaged,
    events.report_rejected: on_triaged,
    events.report_merged: on_triaged,
    events.report_recategorised: on_triaged,
}
_connected = []


def connect():
    for signal, receiver in RECEIVERS.items():
        wrapped = safely(receiver)
        _connected.append(wrapped)  # signals hold weak references
        signal.connect(wrapped, dispatch_uid=f"grid.{receiver.__name__}.{id(signal)}")
