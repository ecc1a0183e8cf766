"""Points for verified civic work, in reaction to the reports app's events (and the forums'
``thread_promoted``: the promoted thread's author is paid once, by the thread's key).

Nothing is paid on submission. Each payment has an idempotency key naming the report, the rule
and the person (``report:<id>:accepted:<user id>``), so an event delivered twice pays once.
Report points count towards the daily cap. Reports a grid worker files on patrol are their
work, counted in the grid's figures: they earn the reporter nothing (supporters are paid as
for any report).
"""

from functools import partial

from django.utils.translation import gettext

from civic.accounts import events as account_events
from civic.core.receivers import safely
from forums import events as forum_events
from reports import events
from reports.models import Channel, State, Support

from . import services
from .models import Account, BadgeAward, Redemption, Rule

NOT_VERIFIED = (State.SUBMITTED, State.REJECTED, State.DUPLICATE)


def _pay(user, report, rule, amount, reason, capped=True, at=None):
    if report.channel == Channel.PATROL and user.pk == report.reporter_id:
        return None
    return services.earn(
        user,
        amount,
        rule=rule,
        key=f"report:{report.pk}:{rule.removeprefix('report_')}:{user.pk}",
        reason=reason,
        source=report,
        capped=capped,
        at=at,
    )


def _pay_supporter(user, report, capped=True, at=None):
    return services.earn(
        user,
        services.rules().support_accepted,
        rule=Rule.SUPPORT_ACCEPTED,
        key=f"report:{report.pk}:support:{user.pk}",
        reason=gettext("A report you supported was accepted"),
        source=report,
        capped=capped,
        at=at,
    )


def _verified(report):
    return report.accepted_at is not None and report.state not in NOT_VERIFIED


def on_accepted(report, capped=True, at=None, **kwargs):
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
            at,
        )
    for support in Support.objects.filter(report=report).select_related("user"):
        _pay_supporter(support.user, report, capped, at)


def on_resolved(report, capped=True, at=None, **kwargs):
    if report.reporter_id and report.state not in NOT_VERIFIED:
        _pay(
            report.reporter,
            report,
            Rule.REPORT_RESOLVED,
            services.rules().report_resolved,
            gettext("Your report was resolved"),
            capped,
            at,
        )


def on_rated(report, capped=True, at=None, **kwargs):
    if report.reporter_id and report.rating is not None:
        _pay(
            report.reporter,
            report,
            Rule.RATING_GIVEN,
            services.rules().rating_given,
            gettext("You rated the outcome"),
            capped,
            at,
        )


def history_payments(report):
    """What a report's history earned, as ``(when, pay)`` pairs: ``pay()`` pays it as the
    receivers would have, with the same keys (so events delivered later pay nothing more),
    without the daily cap and dated when it was earned (so history does not use up today's
    cap): for loading reports made elsewhere (the demo, an import). Pay them in time order, so
    that each entry's balance follows the one before."""
    if not _verified(report):
        return []
    payments = [(report.accepted_at, partial(on_accepted, report, False, report.accepted_at))]
    if report.resolved_at is not None:
        payments.append(
            (report.resolved_at, partial(on_resolved, report, False, report.resolved_at))
        )
    if report.rating is not None:
        # Rating closes the report.
        rated_at = report.closed_at or report.resolved_at
        payments.append((rated_at, partial(on_rated, report, False, rated_at)))
    return payments


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


def personal_data(sender, user, **kwargs):
    """The points account, every ledger entry, redemptions and badges, for a data export.
    (A closed account keeps its ledger as it was: balance and entries still agree, and nobody
    can spend the balance any more, so closing needs nothing from rewards.)"""
    account = Account.objects.filter(user=user).first()
    entries = account.entries.order_by("pk") if account else []
    redemptions = Redemption.objects.filter(user=user).select_related("item", "voucher_code")
    return {
        "points": {
            "balance": account.balance if account else 0,
            "lifetimeEarned": account.lifetime_earned if account else 0,
            "ledger": [
                {
                    "amount": e.amount,
                    "withheld": e.withheld,
                    "kind": e.kind,
                    "rule": e.rule,
                    "reason": e.reason,
                    "source": e.source,
                    "balanceAfter": e.balance_after,
                    "at": e.created_at.isoformat(),
                }
                for e in entries
            ],
            "redemptions": [
                {
                    "reward": r.item.name,
                    "cost": r.cost,
                    "status": r.status,
                    "voucherCode": getattr(getattr(r, "voucher_code", None), "code", None),
                    "at": r.created_at.isoformat(),
                }
                for r in redemptions.order_by("pk")
            ],
            "badges": list(
                BadgeAward.objects.filter(user=user).order_by("pk").values_list("code", flat=True)
            ),
        }
    }


def connect():
    for signal, receiver in RECEIVERS.items():
        wrapped = safely(receiver)
        _connected.append(wrapped)  # signals hold weak references
        signal.connect(wrapped, dispatch_uid=f"rewards.{receiver.__name__}")
    # Not wrapped: an export missing its points section must fail, not come out incomplete.
    account_events.personal_data_requested.connect(
        personal_data, dispatch_uid="rewards.personal_data"
    )
