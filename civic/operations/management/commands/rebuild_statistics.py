import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from civic.operations.services import rebuild


class Command(BaseCommand):
    help = (
        "Recompute the operations centre's daily figures from the reports and their timelines, "
        "replacing what is there. The figures kept as reports change agree with it exactly; "
        "run it after restoring a backup or if a figure was ever missed."
    )

    def handle(self, *args, verbosity=1, **options):
        def progress(reports):
            # The bar goes to the real stderr: Django's OutputWrapper adds a newline per write.
            return tqdm(reports, desc=_("Counting reports"), unit=_("report"), file=sys.stderr)

        count = rebuild(progress=progress if verbosity >= 1 else iter)
        if verbosity >= 1:
            self.stdout.write(_("Rebuilt the figures from %(count)s reports.") % {"count": count})
