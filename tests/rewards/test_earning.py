"""The earning loop end to end: the reports app's services send events, rewards pays."""

import pytest
from django.db.models import Sum

from civic.core.permissions import SYSTEM
from reports import services as reports
from rewards import services
from rewards.models import Account, BadgeAward, LedgerEntry, RewardSettings, Rule
from rewards.receivers import RECEIVERS

pytestmark = pytest.mark.django_db


def balance(user):
    account = Account.objects.filter(user=user).first()
    return account.balance if account else 0


def entries(user, rule=None):
    qs = LedgerEntry.objects.filter(account__user=user)
    return qs.filter(rule=rule) if rule else qs


def test_submission_pays_nothing(world, submit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit()
    assert balance(world.resident) == 0


def test_accept_and_resolve_pay_once_however_often_delivered(
    world, submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit()
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.accept(world.dispatcher, report)
    assert balance(world.resident) == 10
    with django_capture_on_commit_callbacks(execute=True):
        reports.assign(world.dispatcher, report, handler=world.handler)
    with django_capture_on_commit_callbacks(execute=True):
        reports.start(world.handler, report)
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.resolve(world.handler, report, message="补好了")
    assert balance(world.resident) == 15
    # Deliver every event again, twice.
    from reports import events

    event = report.events.last()
    for _ in range(2):
        for signal in (events.report_accepted, events.report_resolved):
            signal.send(sender=None, report=report, event=event, actor=world.dispatcher)
    assert balance(world.resident) == 15
    assert entries(world.resident, Rule.REPORT_ACCEPTED).get().amount == 10
    assert entries(world.resident, Rule.REPORT_RESOLVED).get().amount == 5
    assert BadgeAward.objects.filter(user=world.resident, code="first_report").exists()
    # Rating pays +1, once.
    with django_capture_on_commit_callbacks(execute=True):
        reports.rate(world.resident, report, rating=5)
    with django_capture_on_commit_callbacks(execute=True):
        reports.rate(world.resident, report, rating=5)
    assert balance(world.resident) == 16
    # The dispatcher, who acted, earns nothing.
    assert balance(world.dispatcher) == 0


def test_rejected_report_pays_nothing(world, submit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit()
    with django_capture_on_commit_callbacks(execute=True):
        reports.reject(world.dispatcher, report, reason="not_a_problem")
    assert balance(world.resident) == 0


def test_supporters_and_merged_duplicates_get_the_support_amount(
    world, submit, django_capture_on_commit_callbacks, make_user
):
    third = make_user(email="third@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        original = submit()
        duplicate = submit(world.neighbour)
    with django_capture_on_commit_callbacks(execute=True):
        reports.support(third, original)
    assert balance(third) == 0  # not yet verified
    with django_capture_on_commit_callbacks(execute=True):
        reports.merge(world.dispatcher, duplicate, original)
    assert balance(world.neighbour) == 0
    with django_capture_on_commit_callbacks(execute=True):
        reports.accept(world.dispatcher, original)
    assert balance(world.resident) == 10
    assert balance(third) == 2
    assert balance(world.neighbour) == 2  # the support amount only, for the duplicate
    # A supporter after acceptance is paid at once; twice is once.
    late = make_user(email="late@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        reports.support(late, original)
    with django_capture_on_commit_callbacks(execute=True):
        reports.support(late, original)
    assert balance(late) == 2


def test_rules_follow_the_settings(world, submit, django_capture_on_commit_callbacks):
    settings = RewardSettings.load()
    settings.report_accepted = 7
    settings.save()
    with django_capture_on_commit_callbacks(execute=True):
        report = submit()
    with django_capture_on_commit_callbacks(execute=True):
        reports.accept(world.dispatcher, report)
    assert balance(world.resident) == 7


def test_thread_promoted_pays_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.award_thread_promoted(world.resident, 42)
        services.award_thread_promoted(world.resident, 42)
    assert balance(world.resident) == 30
    assert BadgeAward.objects.filter(user=world.resident, code="first_promoted_thread").exists()


def test_receivers_are_connected():
    for signal, receiver in RECEIVERS.items():
        assert f"rewards.{receiver.__name__}" in [key[0] for key, *_ in signal.receivers], receiver


def test_balance_is_the_sum_of_entries(world, give):
    give(world.resident, 30)
    services.adjust(SYSTEM, world.resident, -5, "mistake")
    total = entries(world.resident).aggregate(t=Sum("amount"))["t"]
    assert balance(world.resident) == total == 25
