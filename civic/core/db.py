"""Database helpers the services share."""

from django.db import IntegrityError, transaction


def create_or_existing(create, existing):
    """``(create(), True)``; or, when a unique constraint refuses the row because the same
    request (a phone retrying, a double click) won the race a moment before, ``(existing(),
    False)``. The create runs in a savepoint, so the caller's transaction goes on. An
    ``existing`` that finds nothing (another constraint refused it) re-raises the error."""
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        found = existing()
        if found is None:
            raise
        return found, False
