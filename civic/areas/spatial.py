"""Point → area lookup over an STRtree, built once per process and rebuilt when areas change.

The tree holds every area (all levels). A point's answer is the deepest area whose boundary
covers it; on a border shared by two cells the one with the smaller tree path wins, so a point
always has exactly one answer. Invalidation goes through the cache (Redis in production) so
every process rebuilds after a change anywhere.
"""

import threading
import uuid

import shapely
from django.core.cache import cache

VERSION_KEY = "areas:spatial-index-version"


class SpatialIndex:
    def __init__(self, entries):
        """``entries``: iterable of ``(area_id, depth, path, shapely_geometry)``."""
        entries = list(entries)
        self.ids = [entry[0] for entry in entries]
        self.depths = [entry[1] for entry in entries]
        self.paths = [entry[2] for entry in entries]
        geometries = [entry[3] for entry in entries]
        shapely.prepare(geometries)
        self.tree = shapely.STRtree(geometries)

    def __len__(self):
        return len(self.ids)

    def locate(self, lon, lat):
        """The ``(area_id, path)`` of the deepest area covering the point, or None."""
        hits = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return None
        best = min(hits, key=lambda i: (-self.depths[i], self.paths[i]))
        return self.ids[best], self.paths[best]


_lock = threading.Lock()
_state = {"index": None, "version": None}


def _current_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _load():
    from .geometry import parse_boundary
    from .models import Area

    rows = Area.objects.values_list("id", "depth", "path", "boundary").iterator(chunk_size=2000)
    return SpatialIndex((pk, depth, path, parse_boundary(b)) for pk, depth, path, b in rows)


def get_index() -> SpatialIndex:
    version = _current_version()
    index = _state["index"]
    if index is not None and _state["version"] == version:
        return index
    with _lock:
        if _state["index"] is None or _state["version"] != version:
            _state["index"] = _load()
            _state["version"] = version
        return _state["index"]


def invalidate():
    """Make every process rebuild its index on its next lookup."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    with _lock:
        _state["index"] = None
