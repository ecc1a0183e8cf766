import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from tqdm import tqdm

from civic.notifications import outbox
from civic.notifications.tasks import send_due_notifications


class Command(BaseCommand):
    help = (
        "Send the notification deliveries that are due: retries after a failure (exponential "
        "backoff) and push messages held back by quiet hours. Safe to run from two places at "
        "once; nothing is sent twice. Production runs it every minute from cron or another "
        "scheduler, e.g. '* * * * * manage.py send_notifications --enqueue -v 0'."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help=(
                "Enqueue the work as a background task for the workers instead of running it "
                "here (with the default immediate backend it still runs at once)."
            ),
        )

    def handle(self, *args, enqueue=False, verbosity=1, **options):
        self.verbosity = verbosity
        if enqueue:
            result = send_due_notifications.enqueue()
            if result.status == TaskResultStatus.FAILED:
                raise CommandError(
                    _("The task %(id)s failed: %(errors)s")
                    % {
                        "id": result.id,
                        "errors": "; ".join(e.exception_class_path for e in result.errors),
                    }
                )
            if verbosity >= 1:
                self.stdout.write(_("Enqueued as task %(id)s.") % {"id": result.id})
            if result.status == TaskResultStatus.SUCCESSFUL:
                self._summary(outbox.Counts(**result.return_value))
            return

        def progress(batches):
            # The bar goes to the real stderr: Django's OutputWrapper would end every redraw
            # with a newline.
            return tqdm(batches, desc=_("Sending notifications"), unit=_("batch"), file=sys.stderr)

        self._summary(outbox.process(progress=progress if verbosity >= 1 else None))

    def _summary(self, counts):
        if self.verbosity < 1:
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Sent %(sent)s, to retry %(retried)s, refused %(failed)s, given up %(dead)s.")
                % {
                    "sent": counts.sent,
                    "retried": counts.retried,
                    "failed": counts.failed,
                    "dead": counts.dead,
                }
            )
        )
