from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civic.grid.tasks import delete_old_tracks


class Command(BaseCommand):
    help = (
        "Delete the GPS tracks of patrols older than GRID_TRACK_RETENTION_DAYS (their length, "
        "duration and coverage stay). Idempotent; run it daily, e.g. "
        "'17 3 * * * manage.py delete_old_tracks -v 0'. With --enqueue it runs as a background "
        "task."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help=_("Enqueue it for the background workers.")
        )

    def handle(self, *args, enqueue=False, verbosity=1, **options):
        if enqueue:
            result = delete_old_tracks.enqueue()
            if verbosity >= 1:
                self.stdout.write(_("Enqueued as task %(id)s.") % {"id": result.id})
            return
        count = delete_old_tracks.call()
        if verbosity >= 1:
            self.stdout.write(
                ngettext(
                    "Deleted %(count)s old patrol track.",
                    "Deleted %(count)s old patrol tracks.",
                    count,
                )
                % {"count": count}
            )
