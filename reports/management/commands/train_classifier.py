import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from tqdm import tqdm

from civic.core.permissions import SYSTEM
from reports import services
from reports.tasks import train_classifier

STEPS = ("history", "measure", "fit", "store")


class Command(BaseCommand):
    help = (
        "Train a new version of the smart intake's classifier: the categories' names, "
        "descriptions and keywords and the built-in phrases, plus every report's final category "
        "(staff's recategorisations count more). The newest reports are held out first to "
        "measure it. Every process answers with the new version without a restart. Production "
        "runs it nightly, e.g. '0 3 * * * manage.py train_classifier --enqueue -v 0'."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Enqueue the training as a background task for the workers instead.",
        )

    def handle(self, *args, enqueue=False, verbosity=1, **options):
        if enqueue:
            result = train_classifier.enqueue()
            if result.status == TaskResultStatus.FAILED:
                raise CommandError(
                    _("The training task %(id)s failed: %(errors)s")
                    % {
                        "id": result.id,
                        "errors": "; ".join(e.exception_class_path for e in result.errors),
                    }
                )
            if verbosity >= 1:
                self.stdout.write(_("Enqueued the training as task %(id)s.") % {"id": result.id})
            return
        bar = None
        if verbosity >= 1:
            # tqdm redraws one line: to the real stderr, as Django's wrapper adds newlines.
            bar = tqdm(total=len(STEPS), desc=_("Training the classifier"), file=sys.stderr)

        def progress(step):
            if bar is not None:
                bar.set_postfix_str(step)
                bar.n = STEPS.index(step) + 1
                bar.refresh()

        row = services.train_classifier(SYSTEM, progress=progress)
        if bar is not None:
            bar.close()
        if verbosity >= 1:
            top1, top3 = row.metrics.get("top1"), row.metrics.get("top3")
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Classifier version %(version)s trained on %(history)s reports "
                        "(%(corrections)s corrections)."
                    )
                    % {
                        "version": row.pk,
                        "history": row.history_examples,
                        "corrections": row.corrections,
                    }
                )
            )
            if top1 is not None:
                self.stdout.write(
                    _("Held-out accuracy: top 1 %(top1)s %%, top 3 %(top3)s %% of %(count)s.")
                    % {
                        "top1": round(top1 * 100, 1),
                        "top3": round(top3 * 100, 1),
                        "count": row.metrics["evaluated"],
                    }
                )
