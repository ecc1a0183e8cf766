"""What every app's event receivers share."""

import functools
import logging


def safely(receiver):
    """Receivers run after the producer's transaction committed: a failure is logged and must
    not turn the producer's successful request into an error."""
    logger = logging.getLogger(receiver.__module__)

    @functools.wraps(receiver)
    def wrapped(sender, **kwargs):
        try:
            receiver(**kwargs)
        except Exception:
            subject = next(
                (kwargs[key] for key in ("report", "thread", "page") if key in kwargs), ""
            )
            logger.exception("%s failed %s", receiver.__name__, subject)

    return wrapped
