from django.contrib.auth import get_user_model
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


def on_duty(department_id, now):
    """The active members of the department on duty at ``now``."""
    return (
        get_user_model()
        .objects.filter(
            duty_shifts__department_id=department_id,
            duty_shifts__starts_at__lte=now,
            duty_shifts__ends_at__gt=now,
            department_memberships__department_id=department_id,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )
