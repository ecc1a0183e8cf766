"""Smart intake: how fast ``suggestCategories`` answers in-process, and what the model costs a
worker in memory.

Run with ``./dev bench tests/bench/bench_smart_intake.py``. Prints p50/p95 of suggestions (the
service alone, and through the whole GraphQL view) beside the point → categories look-up that
every suggestion with a point makes, all measured in this run; and the model's memory.
"""

import statistics
import time
import tracemalloc

import pytest

from civic.core.permissions import SYSTEM
from reports import classify, services
from reports.classify import runtime
from reports.classify.model import TextModel
from reports.queries import categories_at
from tests.bench.conftest import report
from tests.reports.classify_eval import EVALUATION
from tests.reports.test_smart_intake import D1, SUGGEST, intake  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
ROUNDS = 3


def percentiles(fn, items):
    """p50 and p95 over the texts of each text's fastest of ``ROUNDS`` calls (on a machine
    shared with other work, a single call's time is mostly whether the scheduler preempted it),
    and the raw p95 of every call."""
    every, best = [], []
    for item in items:
        times = []
        for _round in range(ROUNDS):
            start = time.perf_counter()
            fn(item)
            times.append(time.perf_counter() - start)
        every += times
        best.append(min(times))
    best.sort()
    every.sort()
    return (
        statistics.median(best),
        best[int(len(best) * 0.95) - 1],
        every[int(len(every) * 0.95) - 1],
    )


def ms(seconds):
    return f"{seconds * 1000:.2f} ms"


def _figures(figures):
    return " / ".join(ms(figure) for figure in figures)


def test_suggest_categories_speed_and_model_memory(intake, gql):  # noqa: F811
    row = services.train_classifier(SYSTEM)
    texts = [text for _code, text in EVALUATION]
    classify.suggest(texts[0], *D1)  # loads the model once, as the first request of a worker

    service = percentiles(lambda text: classify.suggest(text, *D1), texts)
    no_point = percentiles(lambda text: classify.suggest(text), texts)
    lookup = percentiles(lambda text: list(categories_at(*D1)[1].prefetch_related(None)), texts)
    view = percentiles(lambda text: gql(SUGGEST, {"d": text, "lat": D1[0], "lon": D1[1]}), texts)

    data = row.file.open("rb").read()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    loaded = TextModel.from_bytes(data)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    _row, model = runtime.current()

    report(
        f"suggestCategories, {len(texts)} resident texts × {ROUNDS} calls",
        [
            ("service, with a point: p50 / p95 / raw p95", _figures(service)),
            ("service, no point: p50 / p95 / raw p95", _figures(no_point)),
            ("point → categories, uncached: p50 / p95 / raw p95", _figures(lookup)),
            ("GraphQL over HTTP (test client): p50 / p95 / raw p95", _figures(view)),
            ("p95 service ÷ p95 point look-up", f"{service[1] / lookup[1]:.1f}×"),
            ("model: categories × features", f"{len(model.labels)} × {len(model.vocabulary)}"),
            ("model file", f"{len(data) / 2**20:.2f} MiB"),
            ("model in memory (allocated on load)", f"{(after - before) / 2**20:.1f} MiB"),
            ("model in memory (its own estimate)", f"{model.memory_bytes() / 2**20:.1f} MiB"),
        ],
    )
    assert loaded.labels == model.labels
    assert service[1] < 0.020
