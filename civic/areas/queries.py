from django.db.models import Count, Max, Q

from .models import Area, AreaKind
from .spatial import get_index


def area_by_id(pk):
    try:
        return Area.objects.get(pk=int(pk))
    except (Area.DoesNotExist, TypeError, ValueError):
        return None


def ancestor_paths(path, steplen=Area.steplen):
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def area_at(lat, lon):
    """The areas containing a point, city first and grid cell (or deepest area) last.

    An empty list when the point is outside every area. One index lookup and one query.
    """
    found = get_index().locate(lon, lat)
    if found is None:
        return []
    _area_id, path = found
    return list(Area.objects.filter(path__in=ancestor_paths(path)).order_by("depth"))


def attach_ancestors(areas):
    """Give each area a ``prefetched_ancestors`` list (root first), in one query for all."""
    areas = list(areas)
    wanted = {p for area in areas for p in ancestor_paths(area.path)[:-1]}
    by_path = {a.path: a for a in Area.objects.filter(path__in=wanted)} if wanted else {}
    for area in areas:
        area.prefetched_ancestors = [by_path[p] for p in ancestor_paths(area.path)[:-1]]
    return areas


def areas_in_tree(*, parent=None, kind=None):
    """Children of ``parent`` (roots when None), optionally only of one kind, in tree order."""
    if parent is None:
        qs = Area.get_root_nodes()
    else:
        qs = Area.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("path")


def areas_of_kind(kind, *, within=None):
    qs = Area.objects.filter(kind=kind)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    return qs.order_by("path")


def areas_version(kind):
    """Changes whenever an area of ``kind`` is added, edited or removed (for caches)."""
    found = Area.objects.filter(kind=kind).aggregate(count=Count("pk"), newest=Max("updated_at"))
    newest = found["newest"].timestamp() if found["newest"] else 0
    return f"{found['count']}-{newest:.6f}"


def areas_named(text, *, limit):
    """Areas whose Chinese or English name contains ``text``, coarse levels first."""
    return Area.objects.filter(Q(name__icontains=text) | Q(name_en__icontains=text)).order_by(
        "depth", "path"
    )[:limit]


def districts():
    return areas_of_kind(AreaKind.DISTRICT)
