import signal
import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from civic.infra import scheduler


class Command(BaseCommand):
    help = (
        "Enqueue the periodic background jobs (the reports' sweep, the notification outbox and "
        "every job an app registers with civic.core.periodic) at their intervals, for the "
        "workers; no cron needed. Safe to run on two machines at once: each job is enqueued "
        "once per interval (the turns are kept in the cache: set REDIS_URL)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Enqueue the jobs that are due, then stop."
        )
        parser.add_argument(
            "--tick", type=float, default=5.0, help="Seconds between two looks (default 5)."
        )

    def handle(self, *args, once=False, tick=5.0, verbosity=1, **options):
        jobs = scheduler.discover()
        if verbosity >= 1:
            for name, job in jobs.items():
                self.stdout.write(
                    _("%(name)s every %(seconds)s s")
                    % {"name": name, "seconds": int(job.interval.total_seconds())}
                )
        stopping = []
        if not once:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_args: stopping.append(True))
        while True:
            for name in scheduler.tick(jobs):
                if verbosity >= 2:
                    self.stdout.write(_("Enqueued %(name)s.") % {"name": name})
            if once or stopping:
                return
            time.sleep(tick)
            if stopping:
                return
