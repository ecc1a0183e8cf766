import logging
import sys
import unicodedata
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from tqdm import tqdm
from wagtail.models import Page

from civic.areas.models import Area
from civic.demo import (
    accounts,
    areas,
    departments,
    forums,
    grid,
    notifications,
    operations,
    portal,
    reports,
    rewards,
    supervision,
    vitals,
)
from civic.departments.models import Department
from civic.portal.models import CaseStudyPage, DistrictPage, HomePage, NewsPage
from reports.models import Report


def _counts():
    return {
        "areas": Area.objects.count(),
        "departments": Department.objects.count(),
        "users": get_user_model().objects.count(),
        "pages": Page.objects.type(HomePage, DistrictPage, CaseStudyPage, NewsPage).count(),
        "reports": Report.objects.count(),
    }


# Background jobs run inline by default and log every page save; at normal verbosity that
# would bury the progress bars.
CHATTY_LOGGERS = ("django_tasks", "wagtail")


@contextmanager
def _quiet(names):
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _progress(label):
    def progress(items):
        # tqdm redraws one line with carriage returns; Django's OutputWrapper would add a
        # newline to every write, so the bars go to the real stderr.
        return tqdm(items, desc=label, file=sys.stderr)

    return progress


def _width(text):
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows):
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]


class Command(BaseCommand):
    help = (
        "Fill the database with the demo city 清河市 (Qinghe City): its areas down to grid cells, "
        "departments, one login per role, report categories with a few hundred reports in every "
        "state, and the portal pages. Running it again creates nothing "
        "twice. It makes an administrator with a published password, so it refuses to run with "
        "DEBUG off unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (a test or a throw-away demo server).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "seed_demo creates an administrator whose password is public; run it with "
                    "DEBUG=true, or pass --force on a server that is only a demo."
                )
            )
        before = _counts()
        # The history's events reach the inboxes once the transaction commits, as history: no
        # push or email for them.
        with (
            _quiet(CHATTY_LOGGERS if options["verbosity"] < 2 else ()),
            notifications.inbox_only(),
            transaction.atomic(),
        ):
            areas.seed(_progress(_("Areas")))
            departments.seed(_progress(_("Departments")))
            logins = accounts.seed(_progress(_("Demo users")))
            reports.seed(_progress(_("Reports")))
            grid.seed(_progress(_("Grid workers")))
            supervision.seed(_progress(_("Supervision")))
            operations.seed(_progress(_("Figures")))
            portal.seed(_progress(_("Portal pages")))
            rewards.seed(_progress(_("Rewards")))
            forums.seed(_progress(_("Forums")))
            notifications.seed(_progress(_("Notifications")))
            vitals.seed(_progress(_("City vital signs")))
        after = _counts()

        created = {name: after[name] - before[name] for name in after}
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Created %(areas)s areas, %(departments)s departments, %(users)s users, "
                    "%(pages)s portal pages and %(reports)s reports."
                )
                % created
            )
        )
        # Own msgids: Django's catalogue would translate "Email" and "Password" but not "Role".
        rows = [
            (
                pgettext("demo logins", "Role"),
                pgettext("demo logins", "Email"),
                pgettext("demo logins", "Password"),
            )
        ]
        rows += [(login.role, login.email, login.password) for login in logins]
        self.stdout.write("")
        for line in _table(rows):
            self.stdout.write(line)
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        self.stdout.write("")
        self.stdout.write(_("Portal: %(url)s") % {"url": f"{base}/"})
        self.stdout.write(_("Admin:  %(url)s") % {"url": f"{base}/admin/"})
