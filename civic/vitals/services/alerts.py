"""Who hears of a warning, and the notification they get.

The responsible departments' staff hear of every level; from level II (orange), and when a
warning is escalated, the leaders whose home area holds the warning's area (its district's,
the city's) as well. Each person once per warning and level."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext

from civic.areas.queries import ancestor_paths
from civic.core.roles import Role
from civic.departments.models import Membership
from civic.notifications.models import Kind
from civic.notifications.services import notify

LEADERS_FROM_LEVEL = 2


def department_staff(indicator):
    user_ids = Membership.objects.filter(department__in=indicator.departments.all()).values_list(
        "user_id", flat=True
    )
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True)


def area_leaders(area_path):
    return get_user_model().objects.filter(
        groups__name=Role.LEADER.value,
        home_area__path__in=ancestor_paths(area_path),
        is_active=True,
    )


def recipients(warning, *, escalated=False):
    users = {user.pk: user for user in department_staff(warning.indicator)}
    if escalated or warning.level <= LEADERS_FROM_LEVEL:
        users.update((user.pk, user) for user in area_leaders(warning.area_path))
    return list(users.values())


def tell(warning, *, escalated=False):
    indicator, area = warning.indicator, warning.area
    key = f"vitals:warning:{warning.pk}:" + ("escalated" if escalated else f"level:{warning.level}")

    def message():
        title = (
            gettext("Unacknowledged warning: %(indicator)s in %(area)s")
            if escalated
            else gettext("%(level)s warning: %(indicator)s in %(area)s")
        )
        return (
            title
            % {
                "level": warning.get_level_display(),
                "indicator": indicator.localized_name,
                "area": area.localized_name,
            },
            gettext("Value %(value)s %(unit)s against the threshold %(threshold)s.")
            % {"value": warning.value, "unit": indicator.unit, "threshold": warning.threshold},
        )

    for user in recipients(warning, escalated=escalated):
        notify(
            user,
            Kind.VITAL_WARNING,
            key=key,
            message=message,
            link=f"civic://warnings/{warning.pk}",
            data={"warningId": warning.pk, "level": warning.level},
            urgent=warning.level <= LEADERS_FROM_LEVEL,
        )
