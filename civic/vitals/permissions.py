"""Who may see and handle which warnings and vital signs.

* Platform admins: everything; they alone manage indicators, sensors and keys.
* Department staff: the warnings of indicators their departments answer for.
* Leaders with a home area: everything inside that area.

Residents and everyone else: nothing.
"""

from dataclasses import dataclass

from django.db.models import Q

from civic.core.permissions import is_leader, is_platform_admin
from civic.departments.permissions import department_roles


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    department_ids: frozenset = frozenset()
    area_path: str = ""

    def q(self, prefix=""):
        """The filter on warnings (``prefix=""``) or on rows naming one (``"warning__"``)."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        if self.department_ids:
            q |= Q(**{f"{prefix}indicator__departments__in": sorted(self.department_ids)})
        if self.area_path:
            q |= Q(**{f"{prefix}area_path__startswith": self.area_path})
        return q

    def covers(self, warning):
        if self.everything:
            return True
        if self.area_path and warning.area_path.startswith(self.area_path):
            return True
        return bool(
            self.department_ids
            and warning.indicator.departments.filter(pk__in=self.department_ids).exists()
        )


def vitals_scope(user):
    """What ``user`` may see, or None."""
    if is_platform_admin(user):
        return Scope(everything=True)
    if not user or not user.is_authenticated:
        return None
    departments = frozenset(department_roles(user))
    home = getattr(user, "home_area", None) if is_leader(user) else None
    if not departments and home is None:
        return None
    return Scope(department_ids=departments, area_path=home.path if home else "")


def can_see_vitals(user) -> bool:
    return vitals_scope(user) is not None


def can_manage_vitals(user) -> bool:
    """Indicators, sensors and keys: platform admins."""
    return is_platform_admin(user)
