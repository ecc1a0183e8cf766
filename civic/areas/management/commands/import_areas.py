import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from civic.areas.services import AreaImportRefused, import_areas
from civic.core.permissions import SYSTEM


class Command(BaseCommand):
    help = (
        "Import areas from a GeoJSON FeatureCollection. Each feature's properties: code, kind "
        "(city, district, street, community, grid), name, name_en (optional) and parent (the "
        "parent's code). All or nothing: any problem leaves the database unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .geojson file, or - for standard input.")

    def handle(self, *args, path, **options):
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}
            ) from None
        try:
            collection = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                _("%(path)s is not JSON (line %(line)s, column %(col)s: %(msg)s)")
                % {"path": path, "line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ) from None

        def progress(items):
            # tqdm redraws one line with carriage returns; Django's OutputWrapper would add a
            # newline to every write, so the bar goes to the real stderr.
            return tqdm(items, desc=_("Importing areas"), unit=_("area"), file=sys.stderr)

        try:
            summary = import_areas(SYSTEM, collection, progress=progress)
        except AreaImportRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                % {
                    "created": summary.created,
                    "updated": summary.updated,
                    "unchanged": summary.unchanged,
                }
            )
        )
