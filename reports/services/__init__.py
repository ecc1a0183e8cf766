"""Every change to a report, for every channel (app, web, hotline, Open311).

Each function takes the acting user first, checks permission through ``permissions.py``, runs
in a transaction with the report locked, records a ``ReportEvent`` and sends the matching signal
from ``events.py`` once committed. Retrying a change that already happened (a phone on a flaky
network) returns the report as it is instead of failing or repeating it.

``supervision`` holds priority, leaders' instructions and the follow-up calls (回访).

``config`` holds the changes to how reports are handled (categories with their questions,
routing rules, response templates), which platform admins make.
"""

from .clock import ESCALATION_ROLES, SweepResult, escalation_due, sweep
from .config import (
    create_response_template,
    create_routing_rule,
    delete_category,
    delete_response_template,
    delete_routing_rule,
    save_category,
    update_response_template,
    update_routing_rule,
)
from .errors import (
    AlreadyRated,
    AnonymousNotAllowed,
    AnswerInvalid,
    AnswerRequired,
    CategoryInUse,
    CategoryNotOffered,
    DraftPhotoUnavailable,
    HandlerNotInDepartment,
    InvalidRating,
    InvalidTransition,
    LocationRequired,
    MergeTargetInvalid,
    OutsideCity,
    OwnReport,
    ReopenWindowPassed,
    ReportInvalid,
    TooManyPhotos,
)
from .intake import Placement, clean_answers, place, submit_report
from .photos import (
    DRAFT_TOKEN,
    KeptPhotos,
    draft_photo_of,
    keep_draft_photos,
    read_uploads,
    remove_expired_draft_photos,
)
from .residents import can_reopen, rate, reopen, support
from .supervision import (
    DeadlineInPast,
    FollowUpClosed,
    InstructionClosed,
    InvalidOutcome,
    InvalidPriority,
    acknowledge_instruction,
    answer_instruction,
    instruction_escalation_due,
    issue_instruction,
    record_callback,
    set_priority,
    sweep_instructions,
)
from .triage import accept, assign, merge, recategorise, reject
from .work import post_update, resolve, start

__all__ = [
    "DRAFT_TOKEN",
    "ESCALATION_ROLES",
    "AlreadyRated",
    "AnonymousNotAllowed",
    "AnswerInvalid",
    "AnswerRequired",
    "CategoryInUse",
    "CategoryNotOffered",
    "DeadlineInPast",
    "DraftPhotoUnavailable",
    "FollowUpClosed",
    "HandlerNotInDepartment",
    "InstructionClosed",
    "InvalidOutcome",
    "InvalidPriority",
    "InvalidRating",
    "InvalidTransition",
    "KeptPhotos",
    "LocationRequired",
    "MergeTargetInvalid",
    "OutsideCity",
    "OwnReport",
    "Placement",
    "ReopenWindowPassed",
    "ReportInvalid",
    "SweepResult",
    "TooManyPhotos",
    "accept",
    "acknowledge_instruction",
    "answer_instruction",
    "assign",
    "can_reopen",
    "clean_answers",
    "create_response_template",
    "create_routing_rule",
    "delete_category",
    "delete_response_template",
    "delete_routing_rule",
    "draft_photo_of",
    "escalation_due",
    "instruction_escalation_due",
    "issue_instruction",
    "keep_draft_photos",
    "merge",
    "place",
    "post_update",
    "rate",
    "read_uploads",
    "recategorise",
    "record_callback",
    "reject",
    "remove_expired_draft_photos",
    "reopen",
    "resolve",
    "save_category",
    "set_priority",
    "start",
    "submit_report",
    "support",
    "sweep",
    "sweep_instructions",
    "update_response_template",
    "update_routing_rule",
]
