"""Points for verified civic work, in reaction to the reports app's events (and the forums'
``thread_promoted``: the promoted thread's author is paid once, by the thread's key).

Nothing is paid on submission. Each payment has an idempotency key naming the report, the rule
and the person (``report:<id>:accepted:<user id>``), so an event delivered twice pays once.
Report points count towards the daily cap.
"""

import logging

from django.utils.translation import gettext

from forums import events as forum_events
from reports import events
from reports.models import State, Support

from . import services
from .models import Rule

logger = logging.getLogger(__name__)

NOT_VERIFIED = (State.SUBMITTED, State.REJECTED, State.DUPLICATE)


def _safely(receiver):
    """Receivers run after the report's transaction committed: a failure here is logged and
    must not turn the reporter's or the staff's successful request into an error."""

    def wrapped(sender, **kwargs):
        try:
            receiver(**kwargs)
        except Exception:
            logger.exception(
                "rewards: %s failed for %s",
                receiver.__name__,
                kwargs.get("report") or kwargs.get("thread"),
            )

    wrapped.__name__ = receiver.__name__
    return wrapped


def _pay(user, report, rule, amount, reason, capped=True):
    return services.earn(
        user,
        amount,
        rule=rule,
        key=f"report:{report.pk}:{rule.removeprefix('report_')}:{user.pk}",
        reason=reason,
        source=report,
        capped=capped,
    )


def _pay_supporter(user, report, capped=True):
    return services.earn(
        user,
        services.rules().support_accepted,
        rule=Rule.SUPPORT_ACCEPTED,
        key=f"report:{report.pk}:support:{user.pk}",
        reason=gettext("A report you supported was accepted"),
        source=report,
        capped=capped,
    )


def _verified(report):
    return report.accepted_at is not None and report.state not in NOT_VERIFIED


def on_accepted(report, capped=True, **kwargs):
    if report.state == State.DUPLICATE:
        return
    settings = services.rules()
    if report.reporter_id:
        _pay(
            report.reporter,
            report,
            Rule.REPORT_ACCEPTED,
            settings.report_accepted,
            gettext("Your report was accepted"),
            capped,
        )
    for support in Support.objects.filter(report=report).select_related("user"):
        _pay_supporter(support.user, report, capped)


def on_resolved(report, capped=True, **kwargs):
    if report.reporter_id and report.state not in NOT_VERIFIED:
        _pay(
            report.reporter,
            report,
            Rule.REPORT_RESOLVED,
            services.rules().report_resolved,
            gettext("Your report was resolved"),
            capped,
        )


def on_rated(report, capped=True, **kwargs):
    if report.reporter_id and report.rating is not None:
        _pay(
            report.reporter,
            report,
            Rule.RATING_GIVEN,
            services.rules().rating_given,
            gettext("You rated the outcome"),
            capped,
        )


def pay_for_history(report):
    """Pay what a report's history earned, as the receivers would have, with the same keys (so
    events delivered later pay nothing more) and without the daily cap: for loading reports
    made elsewhere (the demo, an import) in one go."""
    if not _verified(report):
        return
    on_accepted(report, capped=False)
    if report.resolved_at is not None:
        on_resolved(report, capped=False)
    if report.rating is not None:
        on_rated(report, capped=False)


def on_supported(report, supporter=None, **kwargs):
    # Supporting an already accepted report pays as if the support came first.
    if supporter is not None and _verified(report):
        _pay_supporter(supporter, report)


def on_merged(report, original=None, supporter=None, **kwargs):
    # The duplicate's reporter becomes a supporter of the original: the support amount, once
    # the original is accepted, and nothing for the duplicate itself.
    if supporter is not None and original is not None and _verified(original):
        _pay_supporter(supporter, original)


def on_thread_promoted(thread, **kwargs):
    if thread.author_id:
        services.award_thread_promoted(thread.author, thread.pk)


RECEIVERS = {
    events.report_accepted: on_accepted,
    events.report_resolved: on_resolved,
    events.report_rated: on_rated,
    events.report_supported: on_supported,
    events.report_merged: on_merged,
    forum_events.thread_promoted: on_thread_promoted,
}
_connected = []


def connect():
    for signal, receiver in RECEIVERS.items():
        wrapped = _safely(receiver)
        _connected.append(wrapped)  # signals hold weak references
        signal.connect(wrapped, dispatch_uid=f"rewards.{receiver.__name__}")
