"""Suggesting categories for what a resident wrote, among those offered where they are."""

import logging
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.cache import cache

from civic.areas.queries import area_at

from ..models import Category
from ..queries import categories_offered_in
from . import runtime

log = logging.getLogger("reports.classify")

_warned_unknown = set()
OFFERED_KEY = "reports:classify:offered:%s"


@dataclass(frozen=True)
class Suggestion:
    category: Category
    confidence: float


def offered_codes(lat=None, lon=None):
    """The service codes of the categories offered at the point (every active one without a
    point), cached per area for ``REPORTS_CLASSIFIER_CHECK_SECONDS``: the look-up costs more than
    the classifier itself, and a category's own row is read again before it is suggested."""
    if lat is None or lon is None:
        key, area = OFFERED_KEY % "*", None
    else:
        areas = area_at(lat, lon)
        if not areas:
            return set()
        area = areas[-1]
        key = OFFERED_KEY % area.path
    codes = cache.get(key)
    if codes is None:
        categories = (
            Category.objects.filter(is_active=True) if area is None else categories_offered_in(area)
        )
        codes = sorted(set(categories.values_list("service_code", flat=True)))
        cache.set(key, codes, settings.REPORTS_CLASSIFIER_CHECK_SECONDS)
    return set(codes)


def _ranked(model, probabilities, codes):
    """``[(service code, confidence)]`` over ``codes``, the likeliest first."""
    known = [i for i, label in enumerate(model.labels) if label in codes]
    if not known:
        return []
    chosen = probabilities[known]
    total = float(chosen.sum())
    if total <= 0:
        return []
    return [
        (model.labels[known[i]], round(float(chosen[i]) / total, 4)) for i in np.argsort(-chosen)
    ]


def _with_categories(ranked):
    rows = Category.objects.filter(is_active=True, service_code__in=[code for code, _ in ranked])
    by_code = {category.service_code: category for category in rows}
    return [Suggestion(by_code[code], confidence) for code, confidence in ranked if code in by_code]


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
    _warn_unknown(row, model)
    return _with_categories(_ranked(model, probabilities, offered_codes(lat, lon))[:first])


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
    codes = offered_codes()
    best = {}
    for report in reports:
        probabilities = model.probabilities(report.description)
        ranked = _ranked(model, probabilities, codes) if probabilities is not None else []
        if ranked:
            best[report.pk] = ranked[0]
    categories = {
        category.service_code: category
        for category in Category.objects.filter(
            is_active=True, service_code__in={code for code, _ in best.values()}
        )
    }
    found = {}
    for report in reports:
        code, confidence = best.get(report.pk, (None, 0))
        if code in categories:
            suggestion = Suggestion(categories[code], confidence)
            if disagreement(report, [suggestion]) is not None:
                found[report.pk] = suggestion
    return found


def _warn_unknown(row, model):
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
