"""A report's life and the rewards programme produce the right inbox entries, for the right
people, in each one's language."""

from datetime import timedelta

import pytest
from django.utils import translation

from civic.core.permissions import SYSTEM
from civic.core.roles import Role
from civic.notifications.models import Kind, Notification
from civic.notifications.receivers import escalation_recipients
from reports import events
from reports import services as reports
from rewards import services as rewards
from rewards.models import RewardItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service and its after-commit work (events, receivers, delivery tasks)."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def inbox(user, about="report_"):
    return list(
        Notification.objects.filter(user=user, kind__startswith=about)
        .order_by("id")
        .values_list("kind", "title", "body")
    )


def kinds(user):
    return [kind for kind, _title, _body in inbox(user, about="")]


def test_a_reports_life_tells_the_reporter_and_supporters_and_the_handler(world, submit, committed):
    world.resident.language = "en"
    world.resident.save()
    report = committed(submit)
    committed(reports.support, world.neighbour, report)
    assert Notification.objects.count() == 0  # submitting and supporting tell nobody

    committed(reports.accept, world.dispatcher, report)
    committed(reports.assign, world.dispatcher, report, handler=world.handler, message="今天去")
    committed(reports.start, world.handler, report)
    committed(reports.post_update, world.handler, report, message="材料已到")
    committed(reports.post_update, world.handler, report, message="住户很难缠", public=False)
    committed(reports.resolve, world.handler, report, message="已填平")

    n = report.pk
    assert inbox(world.resident) == [
        (
            Kind.REPORT_ACCEPTED,
            f"Report #{n} accepted",
            "Roads will deal with your Pothole report.",
        ),
        (Kind.REPORT_STARTED, f"Work started on report #{n}", ""),
        (Kind.REPORT_UPDATE, f"News on report #{n}", "材料已到"),
        (Kind.REPORT_RESOLVED, f"Report #{n} resolved", "已填平"),
    ]
    # The neighbour has no language of their own: the platform's, Chinese.
    assert inbox(world.neighbour) == [
        (Kind.REPORT_ACCEPTED, f"诉求 #{n} 已受理", "道路处将处理您的道路坑洼诉求。"),
        (Kind.REPORT_STARTED, f"诉求 #{n} 已开始处理", ""),
        (Kind.REPORT_UPDATE, f"诉求 #{n} 有新进展", "材料已到"),
        (Kind.REPORT_RESOLVED, f"诉求 #{n} 已办结", "已填平"),
    ]
    assert kinds(world.resident)[1] == Kind.BADGE_EARNED  # the first accepted report
    assert kinds(world.handler) == [Kind.REPORT_ASSIGNED]
    # Nobody hears of what they did themselves, and the internal note reached no resident.
    assert kinds(world.dispatcher) == []
    assert not Notification.objects.filter(body__contains="难缠").exists()
    resolved = Notification.objects.get(user=world.resident, kind=Kind.REPORT_RESOLVED)
    assert resolved.link == f"civic://reports/{n}"
    assert resolved.url == f"/reports/{n}/"
    assert resolved.data == {"reportId": n}
    handler_note = Notification.objects.get(user=world.handler)
    assert handler_note.url == f"/admin/reports/report/{n}/" or handler_note.url.endswith(f"/{n}/")


def test_an_event_delivered_twice_notifies_once(world, submit, committed):
    report = committed(submit)
    report = committed(reports.accept, world.dispatcher, report)
    event = report.events.get(kind="accepted")
    for _ in range(2):
        events.report_accepted.send(sender=None, report=report, event=event, actor=world.dispatcher)
    assert kinds(world.resident) == [Kind.REPORT_ACCEPTED, Kind.BADGE_EARNED]


def test_a_rejection_gives_the_reason_in_the_readers_language(world, submit, committed):
    world.resident.language = "en"
    world.resident.save()
    report = committed(submit)
    with translation.override("zh-hans"):  # the dispatcher works in Chinese
        committed(reports.reject, world.dispatcher, report, reason="not_ours")
    [(kind, title, body)] = inbox(world.resident)
    assert (kind, title, body) == (
        Kind.REPORT_REJECTED,
        f"Report #{report.pk} not taken up",
        "Not the city's responsibility",
    )


def test_escalation_reaches_the_right_staff_at_each_level(world, submit, committed, make_user):
    leader = make_user(Role.LEADER, home_area=world.areas["DW"])
    city_leader = make_user(Role.LEADER, home_area=world.areas["W"])
    elsewhere = make_user(Role.LEADER, home_area=world.areas["DE"])
    report = committed(submit)  # accept within 24 hours
    deadline = report.accept_deadline

    def sweep(hours_late):
        committed(reports.sweep, deadline + timedelta(hours=hours_late))

    sweep(1)  # level 1: nobody is assigned yet, so the dispatchers
    assert kinds(world.dispatcher) == [Kind.REPORT_ESCALATED]
    sweep(13)  # level 2: the supervisors
    assert kinds(world.supervisor) == [Kind.REPORT_ESCALATED]
    sweep(25)  # level 3: the leaders whose area holds the report
    assert kinds(leader) == kinds(city_leader) == [Kind.REPORT_ESCALATED]
    assert kinds(elsewhere) == []
    assert kinds(world.resident) == []  # escalations are staff business
    assert kinds(world.handler) == []
    titles = Notification.objects.filter(kind=Kind.REPORT_ESCALATED).values_list("data", flat=True)
    assert sorted(d["level"] for d in titles) == [1, 2, 3, 3]


def test_level_one_is_the_handler_once_assigned_and_level_three_falls_back_to_supervisors(
    world, submit, committed
):
    report = committed(submit)
    report = committed(reports.accept, world.dispatcher, report)
    report = committed(reports.assign, world.dispatcher, report, handler=world.handler)
    assert list(escalation_recipients(report, 1)) == [world.handler]
    assert list(escalation_recipients(report, 3)) == [world.supervisor]


def test_badges_and_fulfilled_rewards_are_notified(world, submit, committed):
    report = committed(submit)
    committed(reports.accept, world.dispatcher, report)  # pays points, earns "first report"
    assert Kind.BADGE_EARNED in kinds(world.resident)
    item = RewardItem.objects.create(kind="souvenir", name="帆布袋", name_en="Tote bag", cost=5)
    redemption = committed(rewards.redeem, world.resident, item, "req-1")
    assert Kind.REDEMPTION_FULFILLED not in kinds(world.resident)
    committed(rewards.fulfil, SYSTEM, redemption, note="到服务中心领取")
    fulfilled = Notification.objects.get(user=world.resident, kind=Kind.REDEMPTION_FULFILLED)
    assert fulfilled.title == "您的奖励已备好"
    assert fulfilled.body == "帆布袋\n到服务中心领取"
