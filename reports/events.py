"""What happens to reports, for other apps to react to (rewards pays, notifications tell).

Each signal is sent once the change is committed, with ``report`` (the report as it is now),
``event`` (the timeline entry; its ``actor``, ``data`` and ``message``) and ``actor``.
``report_merged`` also sends ``original``; ``report_supported`` sends ``supporter``;
``report_escalated`` sends ``level`` (1 handler, 2 supervisor, 3 district leader);
``report_sent_for_verification`` sends ``verifier`` (the grid worker to check on site).

Supervision (``services.supervision``): ``report_prioritised``; ``instruction_issued``,
``instruction_acknowledged``, ``instruction_answered`` and ``instruction_escalated`` send
``instruction`` (the last also ``level``: 1 the department's supervisors, 2 the issuer);
``follow_up_opened`` and ``callback_recorded`` send ``follow_up`` (its ``reason``, and once
called its ``reached`` and ``outcome``: what the operations centre counts).
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
report_prioritised = Signal()
report_sent_for_verification = Signal()
instruction_issued = Signal()
instruction_acknowledged = Signal()
instruction_answered = Signal()
instruction_escalated = Signal()
follow_up_opened = Signal()
callback_recorded = Signal()
# Sent with ``report`` and ``closes_at`` (no timeline event): the reporter is asked "is it
# fixed?" some hours before a resolved report closes by itself.
close_reminder_due = Signal()
# Comments (no timeline event): ``report_commented`` sends ``report``, ``comment`` and
# ``actor``; ``report_comment_hidden`` sends ``report``, ``comment``, ``reason`` and ``actor``
# (None when flags hid it).
report_commented = Signal()
report_comment_hidden = Signal()

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
    EventKind.PRIORITY: report_prioritised,
    EventKind.VERIFICATION: report_sent_for_verification,
    EventKind.INSTRUCTED: instruction_issued,
    EventKind.INSTRUCTION_ACKNOWLEDGED: instruction_acknowledged,
    EventKind.INSTRUCTION_ANSWERED: instruction_answered,
    EventKind.INSTRUCTION_ESCALATED: instruction_escalated,
    EventKind.FOLLOW_UP_OPENED: follow_up_opened,
    EventKind.CALLBACK: callback_recorded,
}
