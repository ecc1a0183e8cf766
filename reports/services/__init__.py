"""Every change to a report, for every channel (app, web, hotline, Open311).

Each function takes the acting user first, checks permission through ``permissions.py``, runs
in a transaction with the report locked, records a ``ReportEvent`` and sends the matching signal
from ``events.py`` once committed. Retrying a change that already happened (a phone on a flaky
network) returns the report as it is instead of failing or repeating it.

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
    NothingToLearn,
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
    decode_stored_photo,
    draft_photo_of,
    keep_draft_photos,
    read_uploads,
    remove_expired_draft_photos,
)
from .residents import (
    can_reopen,
    confirm_fixed,
    follow,
    follows,
    rate,
    reopen,
    support,
    unfollow,
)
from .smart_intake import train_classifier
from .triage import accept, assign, merge, recategorise, reject
from .verification import (
    confirm_on_site,
    mark_invalid,
    record_check_in,
    request_verification,
    resolve_on_site,
)
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
    "DraftPhotoUnavailable",
    "HandlerNotInDepartment",
    "InvalidRating",
    "InvalidTransition",
    "KeptPhotos",
    "LocationRequired",
    "MergeTargetInvalid",
    "NothingToLearn",
    "OutsideCity",
    "OwnReport",
    "Placement",
    "ReopenWindowPassed",
    "ReportInvalid",
    "SweepResult",
    "TooManyPhotos",
    "accept",
    "assign",
    "can_reopen",
    "clean_answers",
    "confirm_fixed",
    "confirm_on_site",
    "create_response_template",
    "create_routing_rule",
    "decode_stored_photo",
    "delete_category",
    "delete_response_template",
    "delete_routing_rule",
    "draft_photo_of",
    "escalation_due",
    "follow",
    "follows",
    "keep_draft_photos",
    "mark_invalid",
    "merge",
    "place",
    "post_update",
    "rate",
    "read_uploads",
    "recategorise",
    "record_check_in",
    "reject",
    "remove_expired_draft_photos",
    "reopen",
    "request_verification",
    "resolve",
    "resolve_on_site",
    "save_category",
    "start",
    "submit_report",
    "support",
    "sweep",
    "train_classifier",
    "unfollow",
    "update_response_template",
    "update_routing_rule",
]
