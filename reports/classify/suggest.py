"""Suggesting categories for what a resident wrote, among those offered where they are."""

import logging
from dataclasses import dataclass

import numpy as np

from ..models import Category
from ..queries import categories_at
from . import runtime

log = logging.getLogger("reports.classify")

_warned_unknown = set()


@dataclass(frozen=True)
class Suggestion:
    category: Category
    confidence: float


def offered(lat=None, lon=None):
    """Categories offered at the point (every active one without a point)."""
    if lat is None or lon is None:
        return Category.objects.filter(is_active=True)
    _areas, categories = categories_at(lat, lon)
    return categories.prefetch_related(None)


def suggest(description, lat=None, lon=None, first=3):
    """Up to ``first`` suggestions, the likeliest first, with confidences summing to at most 1
    over the categories offered at the point. Empty without a usable model or words it knows."""
    text = (description or "").strip()
    if not text or first < 1:
        return []
    row, model = runtime.current()
    if model is None:
        return []
    probabilities = model.probabilities(text)
    if probabilities is None:
        return []
    by_code = {category.service_code: category for category in offered(lat, lon)}
    known = [i for i, label in enumerate(model.labels) if label in by_code]
    _warn_unknown(row, model, by_code)
    if not known:
        return []
    chosen = probabilities[known]
    total = float(chosen.sum())
    if total <= 0:
        return []
    order = np.argsort(-chosen)[:first]
    return [
        Suggestion(by_code[model.labels[known[i]]], round(float(chosen[i]) / total, 4))
        for i in order
    ]


# Staff see a suggestion beside the resident's choice only when it disagrees and is at least
# this confident.
DISAGREEMENT_CONFIDENCE = 0.5


def disagreement(report, suggestions):
    """The suggestion to show staff beside ``report``'s category, or None."""
    best = next(iter(suggestions), None)
    if (
        best is None
        or best.category.pk == report.category_id
        or best.confidence < DISAGREEMENT_CONFIDENCE
    ):
        return None
    return best


def disagreements(reports):
    """``{report id: Suggestion}`` for the open reports of a page whose text suggests another
    active category than theirs, in one query whatever the page size (the point is not asked:
    the report's page does that)."""
    reports = [report for report in reports if report.is_open and report.description]
    if not reports:
        return {}
    _row, model = runtime.current()
    if model is None:
        return {}
    by_code = {category.service_code: category for category in offered()}
    known = [i for i, label in enumerate(model.labels) if label in by_code]
    found = {}
    for report in reports:
        probabilities = model.probabilities(report.description)
        if probabilities is None or not known:
            continue
        chosen = probabilities[known]
        best = int(np.argmax(chosen))
        suggestion = Suggestion(
            by_code[model.labels[known[best]]], round(float(chosen[best] / chosen.sum()), 4)
        )
        if disagreement(report, [suggestion]) is not None:
            found[report.pk] = suggestion
    return found


def _warn_unknown(row, model, by_code):
    key = runtime.key_of(row)
    if key in _warned_unknown:
        return
    missing = sorted(
        set(model.labels)
        - set(Category.objects.filter(is_active=True).values_list("service_code", flat=True))
    )
    if missing:
        log.warning(
            "Classifier model %s knows categories that are no longer active (%s); it suggests "
            "among the others until the next training.",
            key,
            ", ".join(missing),
        )
    _warned_unknown.add(key)
