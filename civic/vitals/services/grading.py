"""Grading a value against an indicator's thresholds, and the spike detector's statistic."""

import math

LEVELS = (1, 2, 3, 4)  # most severe first


def _crossed(value, threshold, above):
    return value >= threshold if above else value <= threshold


def grade(indicator, value, current=None):
    """``(level, threshold)`` for ``value``: the most severe level whose threshold it crosses,
    or ``(None, None)``. A level the warning already holds (``current``), and the levels below
    it, keep their grip until the value is ``hysteresis`` back past their threshold, so a value
    hovering at a threshold does not open and close warnings by turns."""
    above = indicator.direction == "above"
    for level in LEVELS:
        threshold = indicator.threshold(level)
        if threshold is None:
            continue
        holding = current is not None and level >= current
        slack = indicator.hysteresis if holding else 0
        effective = threshold - slack if above else threshold + slack
        if _crossed(value, effective, above):
            return level, threshold
    return None, None


def poisson_tail(k, mean):
    """P(X ≥ k) for X ~ Poisson(mean > 0), summed over the upper tail itself: 1 - P(X < k)
    would round to zero just where a spike is most surprising."""
    if k <= 0:
        return 1.0
    term = math.exp(-mean + k * math.log(mean) - math.lgamma(k + 1))
    tail, i = 0.0, k
    while term > tail * 1e-12:
        tail += term
        i += 1
        term *= mean / i
    return min(1.0, tail)


# The baseline's prior: one report spread over the weeks looked back on, so an area where
# nothing has happened yet does not call its first report a spike.
BASELINE_WEEKS = 8
PRIOR_COUNT = 1.0


def spike_score(count, baseline_total, weeks=BASELINE_WEEKS):
    """How surprising ``count`` reports in a window are against ``baseline_total`` reports in
    the same window of the week over ``weeks`` past weeks: -log10 of the Poisson tail
    probability P(X ≥ count), the mean taken as the past weeks' average with a small prior.
    4 means a one-in-ten-thousand surprise."""
    if count <= 0:
        return 0.0
    mean = (baseline_total + PRIOR_COUNT) / weeks
    tail = poisson_tail(count, mean)
    return round(-math.log10(tail), 3) if tail > 0 else 300.0


# Thresholds for a spike indicator, on the score above: measured on simulated ordinary weeks
# (tests/vitals/simulation.py) to open fewer than one warning per 1,000 area-days.
SPIKE_THRESHOLDS = {4: 5.0, 3: 7.0, 2: 9.0, 1: 12.0}
SPIKE_HYSTERESIS = 1.5
