""" "Is it fixed?" before the automatic close: the reporter of a resolved report is asked once,
some hours before it closes by itself, however often the sweep runs; asked again only after a
reopening and a new resolution."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from civic.notifications.models import Kind, Notification
from reports import services
from reports.models import State
from tests.reports.test_portal_views import resolved

pytestmark = pytest.mark.django_db


def prompts(user):
    return list(Notification.objects.filter(user=user, kind=Kind.REPORT_FIXED_PROMPT))


def test_the_reporter_is_asked_once_before_the_close(
    world, submit, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_AUTO_CLOSE_DAYS = 7
    settings.REPORTS_CLOSE_REMINDER_HOURS = 24
    report = resolved(world, submit())
    services.follow(world.neighbour, report)
    start = report.resolved_at
    with (
        time_machine.travel(start + timedelta(days=5), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.sweep().reminded == 0
    assert prompts(world.resident) == []
    with time_machine.travel(start + timedelta(days=6, hours=1), tick=False):
        for _ in range(2):  # the scheduler runs it again, and the command by hand
            with django_capture_on_commit_callbacks(execute=True):
                services.sweep()
            call_command("sweep_reports", verbosity=0)
    [asked] = prompts(world.resident)
    assert asked.url == f"/reports/{report.pk}/"
    assert prompts(world.neighbour) == []  # followers are not asked: the reporter is

    # Not fixed after all: reopened, resolved again, asked again once.
    with time_machine.travel(start + timedelta(days=6, hours=2), tick=False):
        services.confirm_fixed(world.resident, report, fixed=False, reason="还没修好")
        report = services.resolve(world.handler, report, message="再次修补")
    again = report.resolved_at
    with (
        time_machine.travel(again + timedelta(days=6, hours=3), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.sweep().reminded == 1
        assert services.sweep().reminded == 0
    assert len(prompts(world.resident)) == 2
    with time_machine.travel(again + timedelta(days=7, minutes=1), tick=False):
        assert services.sweep().closed == 1
    report.refresh_from_db()
    assert report.state == State.CLOSED
