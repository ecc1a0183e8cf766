"""The scheduler: every registered periodic job enqueued at its interval, and two schedulers
started at once enqueue each job once (real processes, on Redis)."""

import os
import subprocess
import sys
from collections import Counter

import django_rq
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from civic.core.periodic import periodic_jobs
from civic.infra import scheduler
from tests.rq_worker import REDIS_URL, ROOT, redis_or_skip


def test_the_apps_register_their_periodic_jobs_in_one_line():
    jobs = scheduler.discover()
    assert jobs["reports.tasks.sweep_reports"].interval.total_seconds() == 300
    assert jobs["civic.notifications.tasks.send_due_notifications"].interval.total_seconds() == 60
    assert periodic_jobs() == jobs


def test_a_job_is_enqueued_once_per_interval(db, time_machine):
    jobs = scheduler.discover()
    time_machine.move_to("2026-12-01 08:00:00+08:00", tick=False)
    assert set(scheduler.tick(jobs)) == set(jobs)
    assert scheduler.tick(jobs) == []
    cache.delete_many([scheduler.KEY.format(name=name) for name in jobs])  # the expiry
    assert set(scheduler.tick(jobs)) == set(jobs)


@pytest.mark.serial
def test_two_schedulers_at_once_enqueue_each_job_once(settings):
    client = redis_or_skip()
    client.flushdb()
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "RQ_REDIS_URL": REDIS_URL,
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    command = [sys.executable, "manage.py", "run_scheduler", "--once", "-v", "0"]
    try:
        for _round in range(2):  # the second round finds every turn taken
            both = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(2)]
            assert [process.wait(120) for process in both] == [0, 0]
        settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
        queue = django_rq.get_queue("default")
        enqueued = Counter(job.func_name for job in queue.get_jobs())
        assert enqueued == Counter(dict.fromkeys(scheduler.discover(), 1))
    finally:
        client.flushdb()


def test_the_command_runs_once_with_the_embedded_backend(db, capsys):
    with translation.override("en"):
        call_command("run_scheduler", "--once")
    assert "reports.tasks.sweep_reports every 300 s" in capsys.readouterr().out
