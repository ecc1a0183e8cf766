from django.db.models import Prefetch

from civic.areas.models import Area
from civic.areas.queries import ancestor_paths

from .models import Department


def active_departments():
    return (
        Department.objects.filter(is_active=True)
        .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("path")))
        .order_by("code")
    )


def departments_serving(area):
    """Departments serving the area or any area it lies in."""
    return active_departments().filter(areas__path__in=ancestor_paths(area.path)).distinct()
