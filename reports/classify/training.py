"""Training a version: the city's history (each report's final category, after any staff
recategorisation, is its label; a recategorised report counts more, being a case the model got
wrong) on top of the cold start (``model.cold_start_examples``). The newest slice of the history
is held out first to measure the model (and to calibrate its confidences), then the stored
version learns from all of it."""

import uuid
from collections import Counter, defaultdict

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from ..models import Category, ClassifierModel, EventKind, Report, ReportEvent, State
from .model import Example, cold_start_examples, fit

HOLDOUT_SHARE = 0.15
HOLDOUT_MIN_HISTORY = 20  # fewer reports than this: nothing is held out, nothing measured
CONFUSION_PAIRS = 10
CALIBRATION_MIN_EXAMPLES = 30  # fewer held out than this: confidences are left as fitted
TEMPERATURES = np.geomspace(0.2, 2.0, 41)


def history(categories):
    """``[(report id, Example)]`` oldest first: reports with a description, in a category the
    model is trained on, whose category staff have seen (accepted or moved on since, or
    recategorised): a report still waiting has only the resident's guess, and a rejected one
    (spam, refusals) says little about its category."""
    codes = {category.pk: category.service_code for category in categories}
    # Staff's recategorisations (automatic dispatch's are the model's own guesses).
    corrections = ReportEvent.objects.filter(kind=EventKind.RECATEGORISED, actor__isnull=False)
    corrected = set(corrections.values_list("report_id", flat=True))
    weight = settings.REPORTS_CLASSIFIER_CORRECTION_WEIGHT
    rows = (
        Report.objects.filter(category_id__in=codes)
        .exclude(description="")
        .exclude(state=State.REJECTED)
        .exclude(Q(state=State.SUBMITTED) & ~Q(pk__in=corrections.values("report_id")))
        .order_by("created_at", "pk")
        .values_list("pk", "description", "category_id")
    )
    return [
        (pk, Example(text, codes[category_id], weight if pk in corrected else 1.0))
        for pk, text, category_id in rows
    ]


def measure(model, examples):
    """Accuracy (top 1 and 3), precision and recall per category, and the most frequent
    confusions of ``model`` on ``examples``."""
    predicted, top1, top3 = [], 0, 0
    for example in examples:
        probabilities = model.probabilities(example.text)
        if probabilities is None:
            ranked = []
        else:
            ranked = [model.labels[i] for i in np.argsort(-probabilities)[:3]]
        guess = ranked[0] if ranked else ""
        predicted.append(guess)
        top1 += guess == example.label
        top3 += example.label in ranked
    truth = [example.label for example in examples]
    per_category = {}
    for code in sorted(set(truth) | {p for p in predicted if p}):
        hits = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p == code)
        said = predicted.count(code)
        support = truth.count(code)
        per_category[code] = {
            "precision": hits / said if said else None,
            "recall": hits / support if support else None,
            "support": support,
        }
    confusions = Counter(
        (t, p) for t, p in zip(truth, predicted, strict=True) if p and t != p
    ).most_common(CONFUSION_PAIRS)
    count = len(examples)
    return {
        "evaluated": count,
        "top1": top1 / count if count else None,
        "top3": top3 / count if count else None,
        "per_category": per_category,
        "confusions": [[t, p, n] for (t, p), n in confusions],
    }


def calibrate(model, examples):
    """The softmax temperature under which ``model``'s confidences best fit ``examples`` (the
    least log loss over ``TEMPERATURES``). Fitted on short built-in phrases, the model is right
    about residents' longer texts more often than it says; confidences that mean what they say
    matter to automatic dispatch and to the disagreement shown to staff."""
    rows = [
        (probabilities, model.labels.index(example.label), example.weight)
        for example in examples
        if example.label in model.labels
        and (probabilities := model.probabilities(example.text)) is not None
    ]
    if len(rows) < CALIBRATION_MIN_EXAMPLES:
        return model.temperature
    # Under temperature t the log-probabilities become log softmax(log p · T / t).
    logs = np.log(np.maximum(np.stack([p for p, _t, _w in rows]), 1e-12)) * model.temperature
    truth = np.array([t for _p, t, _w in rows])
    weights = np.array([w for _p, _t, w in rows])

    def loss(temperature):
        scaled = logs / temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(scaled).sum(axis=1))
        return float(weights @ (log_norm - scaled[np.arange(len(truth)), truth]))

    return float(min(TEMPERATURES, key=loss))


def train(*, trained_by=None, progress=None):
    """Fit, measure and store a new version; returns its ``ClassifierModel``."""
    step = progress or (lambda label: None)
    categories = list(Category.objects.filter(is_active=True).order_by("sort_order", "pk"))
    step("history")
    cold = cold_start_examples(categories)
    past = history(categories)
    examples = [example for _pk, example in past]
    metrics, temperature = {}, 1.0
    if len(examples) >= HOLDOUT_MIN_HISTORY:
        step("measure")
        cut = len(examples) - max(1, round(len(examples) * HOLDOUT_SHARE))
        held_out = examples[cut:]
        measured = fit(cold + examples[:cut])
        metrics = measure(measured, held_out)
        temperature = metrics["temperature"] = calibrate(measured, held_out)
        metrics["held_out_since"] = (
            Report.objects.filter(pk=past[cut][0]).values_list("created_at", flat=True).first()
        ).isoformat()
    step("fit")
    model = fit(cold + examples)
    model.temperature = temperature
    step("store")
    by_label = defaultdict(int)
    for example in examples:
        by_label[example.label] += 1
    name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.npz"
    row = ClassifierModel.objects.create(
        file=ContentFile(model.to_bytes(), name=name),
        categories=model.labels,
        history_examples=len(examples),
        corrections=sum(1 for example in examples if example.weight != 1.0),
        metrics={**metrics, "history_per_category": dict(by_label)},
        trained_by=trained_by,
    )
    _prune()
    return row


def _prune():
    keep = settings.REPORTS_CLASSIFIER_KEEP_VERSIONS
    for old in ClassifierModel.objects.all()[keep:]:
        old.file.delete(save=False)
        old.delete()
