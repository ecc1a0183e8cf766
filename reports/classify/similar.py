"""Duplicates by meaning: open reports near a point and recent enough, ranked by how alike their
words and their likely categories are to a new text, and by how close they are."""

from datetime import timedelta

import numpy as np
from django.conf import settings
from django.utils import timezone

from ..queries import nearby_open_reports
from . import runtime
from .text import features

# How the score is made: what the texts mean (their category probabilities), the words they
# share, and how near they are.
MEANING, WORDS, NEARNESS = 0.45, 0.35, 0.2
CANDIDATES = 50


def _words(model, text):
    if model is not None:
        indices, values = model.vector(text)
        return dict(zip(indices.tolist(), values.tolist(), strict=True))
    grams = set(features(text))
    norm = len(grams) ** 0.5 or 1.0
    return dict.fromkeys(grams, 1 / norm)


def _cosine(first, second):
    if len(first) > len(second):
        first, second = second, first
    return sum(value * second.get(key, 0.0) for key, value in first.items())


def _meaning(model, text):
    if model is None:
        return None
    probabilities = model.probabilities(text)
    if probabilities is None:
        return None
    return probabilities / (np.linalg.norm(probabilities) or 1.0)


def similar_reports(description, lat, lon, *, radius_m=None, days=None, exclude=None, limit=5):
    """``[(report, metres, score)]``, the likeliest duplicate first; ``score`` is from 0 to 1."""
    radius_m = radius_m or settings.REPORTS_DUPLICATE_RADIUS_M
    days = days or settings.REPORTS_DUPLICATE_DAYS
    since = timezone.now() - timedelta(days=days)
    nearby = [
        (report, metres)
        for report, metres in nearby_open_reports(
            lat, lon, radius_m, exclude=exclude, limit=CANDIDATES
        )
        if report.created_at >= since
    ]
    if not nearby:
        return []
    _row, model = runtime.current()
    text = (description or "").strip()
    words, meaning = _words(model, text), _meaning(model, text)
    ranked = []
    for report, metres in nearby:
        score = NEARNESS * max(0.0, 1 - metres / radius_m)
        if text and report.description:
            score += WORDS * _cosine(words, _words(model, report.description))
            other = _meaning(model, report.description)
            if meaning is not None and other is not None:
                score += MEANING * float(meaning @ other)
        ranked.append((report, metres, round(min(score, 1.0), 4)))
    ranked.sort(key=lambda item: (-item[2], item[1]))
    return ranked[:limit]


def likely_duplicates(lat, lon, *, category=None, text="", radius_m=150, limit=5):
    """The report form's one "is it one of these?" list: ``[(report, metres, score)]``, the open
    reports near the point that may be the problem being reported. Those smart intake finds
    alike come first, the likeliest first (only the chosen category's, once there is one); then
    the chosen category's others within ``radius_m``, nearest first, with ``score`` None. Each
    report once."""
    found = []
    if (text or "").strip():
        found = [
            item
            for item in similar_reports(text, lat, lon, limit=CANDIDATES)
            if category is None or item[0].category_id == category.pk
        ]
    if category is not None:
        seen = {report.pk for report, _metres, _score in found}
        found += [
            (report, metres, None)
            for report, metres in nearby_open_reports(
                lat, lon, radius_m, category=category, limit=limit
            )
            if report.pk not in seen
        ]
    return found[:limit]
