"""Writes ``frontend_schema/persisted_operations.json``: each app operation's SHA-256 and the
exact document it is the hash of (``civic.api.documents``)."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand

from civic.api.documents import manifest


class Command(BaseCommand):
    help = "Write the persisted operations' hashes for the app (frontend_schema)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            default=str(settings.GRAPHQL_OPERATIONS_DIR.parent / "persisted_operations.json"),
        )

    def handle(self, *args, out, **options):
        with open(out, "w") as file:
            json.dump(manifest(), file, ensure_ascii=False, indent=2, sort_keys=True)
            file.write("\n")
        self.stdout.write(f"Wrote {out}")
