"""Simulated weeks of ordinary reports for the spike detector, graded by the same functions
the evaluator uses (``spike_score``, ``grade``).

Each cell has its own rate for each hour of the week (a daily rhythm times a cell's own
level, from quiet to busy for one category); counts are Poisson around it. The evaluator runs
every hour over the last two hours against the same two hours of the past eight weeks."""

from types import SimpleNamespace

import numpy as np

from civic.vitals.services.grading import (
    BASELINE_WEEKS,
    SPIKE_HYSTERESIS,
    SPIKE_THRESHOLDS,
    grade,
    spike_score,
)

WEEK = 7 * 24
WINDOW = 2


def spike_indicator():
    return SimpleNamespace(
        direction="above",
        hysteresis=SPIKE_HYSTERESIS,
        threshold=lambda level: SPIKE_THRESHOLDS[level],
    )


def _rates(rng, cells):
    hour = np.arange(WEEK) % 24
    rhythm = (
        0.4 + 1.2 * np.exp(-(((hour - 10) / 4.0) ** 2)) + 0.8 * np.exp(-(((hour - 19) / 3.0) ** 2))
    )
    level = rng.lognormal(mean=np.log(0.05), sigma=1.0, size=cells)  # reports per hour
    return level[:, None] * rhythm[None, :]


def _window_sums(counts):
    padded = np.concatenate(
        [np.zeros((counts.shape[0], WINDOW - 1), dtype=counts.dtype), counts], 1
    )
    cumulative = np.cumsum(padded, axis=1)
    shifted = np.concatenate(
        [np.zeros((counts.shape[0], 1), dtype=cumulative.dtype), cumulative], 1
    )
    return shifted[:, WINDOW:] - shifted[:, :-WINDOW]


def _scores(current, baseline):
    pairs, inverse = np.unique(
        np.stack([current.ravel(), baseline.ravel()]), axis=1, return_inverse=True
    )
    scored = np.array([spike_score(int(c), int(b)) for c, b in pairs.T])
    return scored[inverse.ravel()].reshape(current.shape)


def false_warnings(cells=2000, weeks=4, seed=1):
    """``(warnings opened, cell-days)`` over ``weeks`` ordinary weeks after eight weeks of
    history."""
    rng = np.random.default_rng(seed)
    rates = _rates(rng, cells)
    total_weeks = BASELINE_WEEKS + weeks
    counts = rng.poisson(np.tile(rates, total_weeks))
    sums = _window_sums(counts)
    start = BASELINE_WEEKS * WEEK
    hours = np.arange(start, total_weeks * WEEK)
    baseline = sum(sums[:, hours - w * WEEK] for w in range(1, BASELINE_WEEKS + 1))
    scores = _scores(sums[:, hours], baseline)
    indicator = spike_indicator()
    opened = 0
    for row in scores:
        level = None
        for score in row:
            new = grade(indicator, float(score), level)[0]
            if new is not None and level is None:
                opened += 1
            level = new
    return opened, cells * weeks * 7


def detections(cells=2000, cluster=8, seed=2):
    """``(found, injected)``: ``cluster`` reports added within two hours to one ordinary
    evaluation window of each cell, found if that one evaluation opens a warning."""
    rng = np.random.default_rng(seed)
    rates = _rates(rng, cells)
    counts = rng.poisson(np.tile(rates, BASELINE_WEEKS + 1))
    at = BASELINE_WEEKS * WEEK + rng.integers(WINDOW, WEEK, size=cells)
    sums = _window_sums(counts)
    current = sums[np.arange(cells), at] + cluster
    baseline = sum(sums[np.arange(cells), at - w * WEEK] for w in range(1, BASELINE_WEEKS + 1))
    scores = _scores(current[:, None], baseline[:, None]).ravel()
    indicator = spike_indicator()
    found = sum(grade(indicator, float(score))[0] is not None for score in scores)
    return int(found), cells
