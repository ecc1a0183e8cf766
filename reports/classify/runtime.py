"""The model that answers: the newest stored version, loaded once per process and swapped for a
newer one without a restart. Which version is newest is a cache entry that training sets (so
every process with a shared cache sees a new version at once) and that falls back to one indexed
query when the cache has none (at most every ``REPORTS_CLASSIFIER_CHECK_SECONDS``).

Nothing here raises to its caller: without a usable model, suggestions are empty and the log
says why.
"""

import logging
import threading

from django.conf import settings
from django.core.cache import cache

from ..models import ClassifierModel
from .model import ModelFileInvalid, TextModel

log = logging.getLogger("reports.classify")

LATEST_KEY = "reports:classifier:latest"
NO_MODEL = "-"


# (key, ClassifierModel, TextModel) of the version this process holds: one tuple, replaced
# whole, so that a reader in another thread never sees one version's key with another's model.
_loaded = (None, None, None)
_failed = set()
_lock = threading.Lock()


def key_of(row):
    # The file's name is unique to one training run, also where a row's number comes again
    # (a database restored, a test's rolled back).
    return f"{row.pk}:{row.file.name}"


def latest_key():
    key = cache.get(LATEST_KEY)
    if key is None:
        row = ClassifierModel.objects.only("pk", "file").first()
        key = key_of(row) if row is not None else NO_MODEL
        if row is None:
            log.warning("No classifier model has been trained: suggestions are empty.")
        cache.set(LATEST_KEY, key, settings.REPORTS_CLASSIFIER_CHECK_SECONDS)
    return key


def announce(row):
    """Tell every process sharing the cache that ``row`` is the newest version."""
    cache.set(LATEST_KEY, key_of(row), settings.REPORTS_CLASSIFIER_CHECK_SECONDS)


def forget_latest():
    cache.delete(LATEST_KEY)


def current():
    """``(ClassifierModel, TextModel)`` of the newest usable version, or ``(None, None)``."""
    key = latest_key()
    if key == NO_MODEL or key in _failed:
        return None, None
    held_key, row, model = _loaded
    if key == held_key:
        return row, model
    with _lock:
        if key != _loaded[0]:
            _load(key)
    held_key, row, model = _loaded
    if key != held_key:
        return None, None
    return row, model


def _load(key):
    global _loaded
    pk = int(key.split(":", 1)[0])
    row = ClassifierModel.objects.filter(pk=pk).first()
    try:
        if row is None or key_of(row) != key:
            raise ModelFileInvalid("the version is no longer stored")
        with row.file.open("rb") as stored:
            model = TextModel.from_bytes(stored.read())
    except (OSError, ModelFileInvalid) as exc:
        log.error("Classifier model %s cannot be used (%s): suggestions are empty.", key, exc)
        _failed.add(key)
        return
    _loaded = (key, row, model)
    log.info("Loaded classifier model %s (%s categories).", key, len(model.labels))
