import sys
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import TaskResultStatus
from tqdm import tqdm

from reports import services
from reports.tasks import sweep_reports


class Command(BaseCommand):
    help = (
        "Run the reports' SLA sweep: escalate overdue reports one level at a time (handler, "
        "supervisor, district leader) and late leaders' instructions, and close reports "
        "resolved long enough ago "
        "(REPORTS_AUTO_CLOSE_DAYS) that their reporter never rated, and delete draft photos "
        "past REPORTS_DRAFT_PHOTO_HOURS. It is idempotent. "
        "Production runs it every few minutes from cron or another scheduler, e.g. "
        "'*/5 * * * * manage.py sweep_reports --enqueue -v 0' where workers run background "
        "tasks (-v 0: no progress bar and no summary, so cron has nothing to mail)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help=(
                "Enqueue the sweep as a background task for the workers instead of running it "
                "here (with the default immediate backend it still runs at once)."
            ),
        )

    def handle(self, *args, enqueue=False, verbosity=1, **options):
        self.verbosity = verbosity
        if enqueue:
            self._enqueue()
            return

        def progress(items):
            # tqdm redraws one line with carriage returns; Django's OutputWrapper would add a
            # newline to every write, so the bar goes to the real stderr.
            return tqdm(items, desc=_("Sweeping reports"), unit=_("report"), file=sys.stderr)

        result = services.sweep(progress=progress if verbosity >= 1 else None)
        self._summary(asdict(result))

    def _enqueue(self):
        result = sweep_reports.enqueue()
        if result.status == TaskResultStatus.FAILED:
            raise CommandError(
                _("The sweep task %(id)s failed: %(errors)s")
                % {
                    "id": result.id,
                    "errors": "; ".join(error.exception_class_path for error in result.errors),
                }
            )
        if self.verbosity >= 1:
            self.stdout.write(_("Enqueued the sweep as task %(id)s.") % {"id": result.id})
        if result.status == TaskResultStatus.SUCCESSFUL:
            # An immediate backend has already run it.
            self._summary(result.return_value)

    def _summary(self, counts):
        if self.verbosity < 1:
            return
        escalated, closed = counts["escalated"], counts["closed"]
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Escalated %(escalated)s report, closed %(closed)s.",
                    "Escalated %(escalated)s reports, closed %(closed)s.",
                    escalated,
                )
                % {"escalated": escalated, "closed": closed}
            )
        )
        if counts["instructions_escalated"]:
            self.stdout.write(
                ngettext(
                    "Escalated %(count)s late instruction.",
                    "Escalated %(count)s late instructions.",
                    counts["instructions_escalated"],
                )
                % {"count": counts["instructions_escalated"]}
            )
        if counts["drafts_removed"]:
            self.stdout.write(
                ngettext(
                    "Deleted %(count)s expired draft photo.",
                    "Deleted %(count)s expired draft photos.",
                    counts["drafts_removed"],
                )
                % {"count": counts["drafts_removed"]}
            )
