"""The staff's report screens in the Wagtail admin: the work queue (``queue``), a report's page
(``detail``) with the actions staff may take on it (``actions``) and its residents' comments to
moderate (``comments``), hotline calls (``hotline``),
and the queue's bulk actions (``bulk``).

The views are thin. What staff may see and do comes from ``permissions.py`` and ``privacy.py``;
every change is a call to a service, whose refusal (``DomainError``) is shown as a message.
"""

from .actions import ReportActionView
from .bulk import AcceptBulkAction, AssignBulkAction
from .comments import CommentActionView
from .detail import ReportDetailView
from .hotline import HotlineCallView
from .queue import QUEUE, ReportQueueView

__all__ = [
    "QUEUE",
    "AcceptBulkAction",
    "AssignBulkAction",
    "CommentActionView",
    "HotlineCallView",
    "ReportActionView",
    "ReportDetailView",
    "ReportQueueView",
]
