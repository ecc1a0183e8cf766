"""Smart intake at submission and its training: automatic dispatch by the suggested category
(above ``REPORTS_AUTO_DISPATCH_CONFIDENCE``, off by default), the priority that urgency cues call
for, each said on the timeline; and training a new classifier version."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from civic.core.permissions import SYSTEM, can_manage_core, person, require

from .. import classify
from ..classify import runtime, training
from ..models import Category, EventKind, Priority
from ._common import _record, _setting
from .errors import CategoryNotOffered, NothingToLearn

log = logging.getLogger("reports.classify")


@dataclass(frozen=True)
class IntakePlan:
    category: object
    placement: object
    suggestion: object = None  # the suggestion it was routed by, if any
    cues: tuple = ()

    @property
    def priority(self):
        return classify.priority_for(list(self.cues))


def plan_intake(category, description, lat, lon, placement, *, place):
    """Where a new report goes (the resident's category, or the suggested one when automatic
    dispatch is on and confident enough) and the urgency cues in what they wrote."""
    cues = tuple(classify.urgency_cues(description))
    threshold = _setting("REPORTS_AUTO_DISPATCH_CONFIDENCE", 0)
    if not threshold or not description:
        return IntakePlan(category, placement, cues=cues)
    best = next(iter(classify.suggest(description, lat, lon, first=1)), None)
    if best is None or best.confidence < threshold or best.category.pk == category.pk:
        return IntakePlan(category, placement, cues=cues)
    try:
        routed = place(best.category, lat, lon)
    except CategoryNotOffered:
        return IntakePlan(category, placement, cues=cues)
    return IntakePlan(best.category, routed, suggestion=best, cues=cues)


def record_intake(report, plan, chosen):
    """The timeline lines that say what smart intake did with a new report."""
    if plan.suggestion is not None:
        _record(
            report,
            EventKind.RECATEGORISED,
            SYSTEM,
            from_state=report.state,
            to_state=report.state,
            message=gettext(
                "Routed automatically by the suggested category, %(category)s (%(confidence)s %% "
                "confident); the resident chose %(chosen)s."
            )
            % {
                "category": plan.category.localized_name,
                "confidence": round(plan.suggestion.confidence * 100),
                "chosen": chosen.localized_name,
            },
            category_from=chosen.service_code,
            category_to=plan.category.service_code,
            department=report.department.code,
            auto=True,
            confidence=plan.suggestion.confidence,
        )
    if plan.priority != Priority.NORMAL:
        _record(
            report,
            EventKind.PRIORITY,
            SYSTEM,
            public=False,
            message=gettext("Priority set to %(priority)s: the report %(reasons)s.")
            % {
                "priority": Priority(plan.priority).label,
                "reasons": gettext("; ").join(str(cue.reason) for cue in plan.cues),
            },
            priority=plan.priority,
            cues=[cue.code for cue in plan.cues],
        )


@transaction.atomic
def train_classifier(actor, *, progress=None):
    """Train, measure and store a new classifier version; it answers from then on, in every
    process, without a restart. Platform admins (or the platform itself) only."""
    require(actor is SYSTEM or can_manage_core(actor))
    if Category.objects.filter(is_active=True).count() < 2:
        raise NothingToLearn()
    row = training.train(trained_by=person(actor), progress=progress)
    # Readers look again at once (this process sees the new row inside this transaction)…
    runtime.forget_latest()
    # …and every process sharing the cache is told of it once it is committed.
    transaction.on_commit(lambda: runtime.announce(row))
    log.info(
        "Trained classifier model %s on %s reports (%s corrections).",
        row.pk,
        row.history_examples,
        row.corrections,
    )
    return row
