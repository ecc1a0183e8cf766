"""Who may read which figures.

* Platform admins: everything.
* Department staff: their departments' reports (wherever they lie).
* Leaders with a home area: the reports in that area (every department).

Someone both staff and a leader sees both. Everyone else is refused. The scope is a filter
(``Scope.q``) whose field names hold on ``DailyFigure`` and ``Report`` alike, so the figures
and the live counts read from reports (overdue now) cannot disagree on what is in scope.
"""

from dataclasses import dataclass

from django.db.models import Q

from civic.core.permissions import is_leader, is_platform_admin
from civic.departments.permissions import department_roles


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    department_ids: frozenset = frozenset()
    area_paths: tuple = ()

    @property
    def q(self):
        if self.everything:
            return Q()
        q = Q(department_id__in=sorted(self.department_ids)) if self.department_ids else Q(pk=None)
        for path in self.area_paths:
            q |= Q(area_path__startswith=path)
        return q

    def covers_department(self, department):
        return self.everything or bool(self.area_paths) or department.pk in self.department_ids

    def covers_area(self, area):
        """Whether the viewer may narrow to ``area``: a leader only inside their own area; staff
        anywhere (they see their departments' reports in it)."""
        if self.everything or self.department_ids:
            return True
        return any(area.path.startswith(path) for path in self.area_paths)


def statistics_scope(user):
    """The figures ``user`` may read, or None if none."""
    if is_platform_admin(user):
        return Scope(everything=True)
    if not user or not user.is_authenticated:
        return None
    departments = frozenset(department_roles(user))
    home = getattr(user, "home_area", None) if is_leader(user) else None
    areas = (home.path,) if home is not None else ()
    if not departments and not areas:
        return None
    return Scope(department_ids=departments, area_paths=areas)


def can_see_statistics(user) -> bool:
    return statistics_scope(user) is not None


def can_handle_dataset_requests(user) -> bool:
    """Platform admins answer requests for datasets."""
    return is_platform_admin(user)
