from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine

from civic.core.permissions import SYSTEM
from civic.core.roles import Role
from civic.departments.models import MemberRole
from civic.departments.services import add_member
from tests.reports.conftest import submit, world  # noqa: F401


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block's on-commit callbacks (the events' receivers) as production would."""

    @contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return block


@pytest.fixture
def parks_staff(world, make_user):  # noqa: F811
    user = make_user(email="parks-dispatcher@example.org")
    add_member(SYSTEM, world.parks, user, MemberRole.DISPATCHER)
    return user


# 10:00 in Shanghai on Monday 2 March 2026.
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def leader_de(world, make_user):  # noqa: F811
    return make_user(Role.LEADER, email="leader-de@example.org", home_area=world.areas["DE"])


@pytest.fixture
def story(world, committed):  # noqa: F811
    """Four reports with known outcomes, the clock left at T0 + 120 h:

    * ``quick``: pothole (roads, DW, app), accepted after 2 h, resolved after 10 h, rated 5;
    * ``slow``: pothole (roads, DW, web), accepted after 30 h (late), resolved after 110 h
      (late: due 72 h after acceptance), rated 2;
    * ``waiting``: graffiti (sanitation, DW, app), never accepted: open and overdue;
    * ``noisy``: noise (roads, DE, sensitive), rejected after 1 h.
    """
    from reports import services

    def file(category, lon, channel, **fields):
        with committed():
            return services.submit_report(
                world.resident,
                category=category,
                description="车行道上有个坑",
                lat=40.45,
                lon=lon,
                channel=channel,
                **fields,
            )

    admin = world.admin
    with time_machine.travel(T0, tick=False) as clock:
        quick = file(world.pothole, -3.7, "app", answers={"size": "small"})
        slow = file(world.pothole, -3.6, "web", answers={"size": "large"})
        waiting = file(world.graffiti, -3.5, "app")
        noisy = file(world.noise, 7.0, "app", address="平安里3号")
        steps = [
            (1, lambda: services.reject(admin, noisy, reason="not_ours")),
            (2, lambda: services.accept(admin, quick)),
            (10, lambda: services.resolve(admin, quick, message="补好了")),
            (11, lambda: services.rate(world.resident, quick, rating=5)),
            (30, lambda: services.accept(admin, slow)),
            (110, lambda: services.resolve(admin, slow, message="补好了")),
            (111, lambda: services.rate(world.resident, slow, rating=2)),
        ]
        for hours, step in steps:
            clock.move_to(T0 + timedelta(hours=hours))
            with committed():
                step()
        clock.move_to(T0 + timedelta(hours=120))
        yield SimpleNamespace(quick=quick, slow=slow, waiting=waiting, noisy=noisy, clock=clock)
