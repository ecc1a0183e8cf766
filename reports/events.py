"""What happens to reports, for other apps to react to (rewards pays, notifications tell).

Each signal is sent once the change is committed, with ``report`` (the report as it is now),
``event`` (the timeline entry; its ``actor``, ``data`` and ``message``) and ``actor``.
``report_merged`` also sends ``original``; ``report_supported`` sends ``supporter``;
``report_escalated`` sends ``level`` (1 handler, 2 supervisor, 3 district leader).
"""

from django.dispatch import Signal

from .models import EventKind

report_submitted = Signal()
report_accepted = Signal()
report_rejected = Signal()
report_assigned = Signal()
report_started = Signal()
report_resolved = Signal()
report_reopened = Signal()
report_rated = Signal()
report_closed = Signal()
report_merged = Signal()
report_supported = Signal()
report_recategorised = Signal()
report_updated = Signal()
report_noted = Signal()
report_escalated = Signal()

SIGNAL_FOR_EVENT = {
    EventKind.SUBMITTED: report_submitted,
    EventKind.ACCEPTED: report_accepted,
    EventKind.REJECTED: report_rejected,
    EventKind.ASSIGNED: report_assigned,
    EventKind.STARTED: report_started,
    EventKind.RESOLVED: report_resolved,
    EventKind.REOPENED: report_reopened,
    EventKind.RATED: report_rated,
    EventKind.CLOSED: report_closed,
    EventKind.MERGED: report_merged,
    EventKind.SUPPORTED: report_supported,
    EventKind.RECATEGORISED: report_recategorised,
    EventKind.UPDATE: report_updated,
    EventKind.NOTE: report_noted,
    EventKind.ESCALATED: report_escalated,
}
