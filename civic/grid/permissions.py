"""Who may do what in the grid: every interface (GraphQL, portal, admin) asks here.

* A cell's workers verify its reports (the reports app's own rule: its ``verifier``), patrol
  it, and see their own tasks, check-ins and patrols.
* A supervisor's post covers a cell, or a community or street and every cell beneath it: they
  see the tasks, check-ins, tracks and daily figures of the cells they cover.
* Nobody else sees a track or a check-in: not residents, not other workers, not supervisors
  of other cells (platform admins assign the posts; they see the figures, not the tracks).
* Residents see a cell's workers' names and work phones, of those who agreed to it.
"""

from django.db.models import Q

from civic.areas.models import Area
from civic.core.permissions import is_platform_admin

from .models import Post, PostRole


def _signed_in(user):
    return getattr(user, "is_authenticated", False)


def supervised_area_paths(user):
    """The tree paths of the areas the user supervises."""
    if not _signed_in(user):
        return []
    return list(
        Post.objects.filter(user=user, role=PostRole.SUPERVISOR).values_list(
            "area__path", flat=True
        )
    )


def covered_by(paths, *, field="path"):
    """A filter for areas (``field``: the path column) under any of ``paths``."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def supervises(user, area) -> bool:
    return any(area.path.startswith(path) for path in supervised_area_paths(user))


def is_worker_of(user, area) -> bool:
    return (
        _signed_in(user)
        and Post.objects.filter(user=user, area=area, role=PostRole.WORKER).exists()
    )


def can_see_activity(user, worker_id, area) -> bool:
    """A worker's tasks, check-ins and tracks in ``area``: the worker and the cell's
    supervisors only."""
    if not _signed_in(user):
        return False
    return user.pk == worker_id or supervises(user, area)


def can_see_summary(user, area) -> bool:
    return _signed_in(user) and (is_platform_admin(user) or supervises(user, area))


def is_grid_staff(user) -> bool:
    return _signed_in(user) and Post.objects.filter(user=user).exists()


def cell_areas_of(user):
    return Area.objects.filter(grid_posts__user=user, grid_posts__role=PostRole.WORKER)
