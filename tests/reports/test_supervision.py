"""Leaders supervise and the 好差评 loop closes: leaders' view, priority and the on-duty rota,
instructions (批示 / 督办), follow-up calls (回访) and re-rating, and every public event
reaching each follower once, in their language. Through GraphQL, the admin and the sweep,
with frozen time."""

import datetime as dt
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from graphene.relay import Node

from civic.core.errors import Forbidden
from civic.core.permissions import SYSTEM
from civic.core.roles import Role
from civic.departments.models import MemberRole
from civic.departments.services import DutyShiftInvalid, add_duty_shift, add_member
from civic.notifications.models import Channel, Delivery, Kind, Notification, QuietHours
from civic.notifications.services import register_device
from reports import services
from reports.models import (
    CategoryQuestion,
    EventKind,
    Follower,
    FollowUp,
    Instruction,
    Priority,
    Rating,
    Report,
    State,
)

pytestmark = pytest.mark.django_db

CITY_TZ = dt.timezone(timedelta(hours=8))  # Asia/Shanghai, the platform's clock


def gid(kind, pk):
    return Node.to_global_id(kind, pk)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a call and its after-commit work (events, receivers)."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def leaders(world, make_user):
    return {
        "west": make_user(Role.LEADER, home_area=world.areas["DW"], email="west@example.org"),
        "east": make_user(Role.LEADER, home_area=world.areas["DE"], email="east@example.org"),
    }


def api(gql_as, committed, user, query, variables=None, **kwargs):
    return committed(gql_as(user), query, variables, **kwargs)


STAFF_REPORTS = """
query ($min: Int) {
  staffReports(minEscalationLevel: $min) {
    edges { node { number priority timeline { kind isPublic message }
      staff { escalationLevel instructions { id state text } } } }
  }
}
"""
REPORT = """
query ($id: ID!) { report(id: $id) { number timeline { kind isPublic } staff { channel } } }
"""
ISSUE = """
mutation ($input: IssueInstructionInput!) {
  issueInstruction(input: $input) {
    errors { field code }
    instruction { id state answerBy newDeadline department { code } }
    report { number state staff { resolveDeadline } }
  }
}
"""
ACKNOWLEDGE = """
mutation ($id: ID!) {
  acknowledgeInstruction(input: {instructionId: $id}) { errors { code } instruction { state } }
}
"""
ANSWER = """
mutation ($id: ID!, $answer: String!) {
  answerInstruction(input: {instructionId: $id, answer: $answer}) {
    errors { field code } instruction { state answer }
  }
}
"""
SET_PRIORITY = """
mutation ($id: ID!, $priority: ReportPriority!) {
  setPriority(input: {reportId: $id, priority: $priority, reason: "有人受伤"}) {
    errors { field code } report { priority staff { acceptDeadline } }
  }
}
"""
MY_FOLLOW_UPS = """
query { myFollowUps { id reason rating dueAt outcome report { number state } } }
"""
RECORD_CALLBACK = """
mutation ($input: RecordCallbackInput!) {
  recordCallback(input: $input) {
    errors { field code } followUp { outcome reached residentView report { state } }
  }
}
"""
RATE = """
mutation ($id: ID!, $rating: Int!) {
  rateReport(input: {reportId: $id, rating: $rating}) { errors { code } report { rating } }
}
"""


def refusal(body, mutation):
    """The code a refused mutation answered with: a top-level access error, or its payload's
    first error (a report or instruction the caller may not see is not found)."""
    if body.get("errors"):
        return body["errors"][0]["extensions"]["code"]
    return body["data"][mutation]["errors"][0]["code"]


def kinds_of(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind).values_list("title", flat=True))


# --- Leaders' view ---------------------------------------------------------------------------


def test_a_leader_reads_every_report_of_their_area_with_the_staff_timeline(
    world, submit, leaders, gql_as, committed
):
    west_report = committed(submit)
    committed(services.post_update, world.dispatcher, west_report, message="内部", public=False)
    east_report = committed(submit, category=world.fallen_tree, lat=42, lon=8)

    page = api(gql_as, committed, leaders["west"], STAFF_REPORTS)["data"]["staffReports"]
    [node] = [edge["node"] for edge in page["edges"]]
    assert node["number"] == west_report.pk  # the parks report in DE is not theirs
    assert {"kind": "NOTE", "isPublic": False, "message": "内部"} in node["timeline"]

    # The east leader, a resident and another department see the report but none of its
    # internal timeline.
    for outsider in (leaders["east"], world.neighbour, world.other_staff):
        seen = api(gql_as, committed, outsider, REPORT, {"id": gid("Report", west_report.pk)})
        report = seen["data"]["report"]
        assert report["staff"] is None
        assert all(event["isPublic"] for event in report["timeline"])
    east_page = api(gql_as, committed, leaders["east"], STAFF_REPORTS)["data"]["staffReports"]
    assert [edge["node"]["number"] for edge in east_page["edges"]] == [east_report.pk]
    # A resident has no staff queue at all.
    refused = api(gql_as, committed, world.resident, STAFF_REPORTS, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "forbidden"


def test_an_escalation_reaches_the_district_leader_who_opens_it_and_instructs(
    world, submit, leaders, gql_as, as_user, committed, time_machine
):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    report = committed(submit)
    # Unaccepted two whole SLAs past its deadline: level 3, the district's leaders.
    committed(services.sweep, report.accept_deadline + timedelta(hours=25))
    [escalation] = Notification.objects.filter(user=leaders["west"], kind=Kind.REPORT_ESCALATED)
    assert escalation.url == reverse("report_queue:inspect", args=[report.pk])
    assert escalation.link == f"civic://reports/{report.pk}"
    assert not Notification.objects.filter(user=leaders["east"]).exists()

    # The leader opens the link in the admin; the east leader and a resident may not.
    assert as_user(leaders["west"]).get(escalation.url).status_code == 200
    assert as_user(leaders["east"]).get(escalation.url).status_code in (302, 403)
    assert as_user(world.resident).get(escalation.url).status_code in (302, 403)
    waiting = api(gql_as, committed, leaders["west"], STAFF_REPORTS, {"min": 3})
    assert [e["node"]["number"] for e in waiting["data"]["staffReports"]["edges"]] == [report.pk]

    # Outsiders are refused the instruction.
    variables = {"input": {"reportId": gid("Report", report.pk), "text": "今天内处理完"}}
    for outsider in (leaders["east"], world.resident, world.other_staff):
        refused = api(gql_as, committed, outsider, ISSUE, variables, expect_errors=True)
        assert refusal(refused, "issueInstruction") in ("forbidden", "not_found")
    assert not Instruction.objects.exists()

    new_deadline = (start + timedelta(days=5)).isoformat()
    variables["input"]["newDeadline"] = new_deadline
    issued = api(gql_as, committed, leaders["west"], ISSUE, variables)["data"]["issueInstruction"]
    assert issued["errors"] == []
    assert issued["instruction"]["state"] == "ISSUED"
    instruction = Instruction.objects.get()
    assert instruction.answer_by == instruction.new_deadline
    # The department's dispatchers and supervisors hear of it; the resident does not.
    assert kinds_of(world.dispatcher, Kind.INSTRUCTION) == [f"诉求 #{report.pk} 有新批示"]
    assert kinds_of(world.supervisor, Kind.INSTRUCTION)
    assert not Notification.objects.filter(user=world.resident, kind=Kind.INSTRUCTION).exists()

    # Unacknowledged past its four hours: the supervisors are told, once however often the
    # sweep runs; as long again: the issuer.
    committed(services.sweep, instruction.acknowledge_by + timedelta(minutes=1))
    committed(services.sweep, instruction.acknowledge_by + timedelta(minutes=2))
    assert len(kinds_of(world.supervisor, Kind.INSTRUCTION)) == 2
    committed(services.sweep, instruction.acknowledge_by + timedelta(hours=5))
    assert f"诉求 #{report.pk} 的批示已逾期" in kinds_of(leaders["west"], Kind.INSTRUCTION)
    instruction.refresh_from_db()
    assert instruction.escalation_level == 2

    # Another department cannot answer it; the roads dispatcher acknowledges and answers.
    instruction_id = issued["instruction"]["id"]
    refused = api(
        gql_as,
        committed,
        world.other_staff,
        ACKNOWLEDGE,
        {"id": instruction_id},
        expect_errors=True,
    )
    assert refusal(refused, "acknowledgeInstruction") == "not_found"
    for _retry in range(2):
        acked = api(gql_as, committed, world.dispatcher, ACKNOWLEDGE, {"id": instruction_id})
        assert acked["data"]["acknowledgeInstruction"]["instruction"]["state"] == "ACKNOWLEDGED"
    empty = api(gql_as, committed, world.dispatcher, ANSWER, {"id": instruction_id, "answer": " "})
    assert empty["data"]["answerInstruction"]["errors"] == [{"field": "answer", "code": "required"}]
    answered = api(
        gql_as, committed, world.dispatcher, ANSWER, {"id": instruction_id, "answer": "已派人"}
    )
    assert answered["data"]["answerInstruction"]["instruction"]["state"] == "ANSWERED"
    assert f"您对诉求 #{report.pk} 的批示已回复" in kinds_of(leaders["west"], Kind.INSTRUCTION)
    timeline = [
        (event.kind, event.is_public)
        for event in report.events.filter(kind__startswith="instr").order_by("pk")
    ]
    assert timeline == [
        (EventKind.INSTRUCTED, False),
        (EventKind.INSTRUCTION_ESCALATED, False),
        (EventKind.INSTRUCTION_ESCALATED, False),
        (EventKind.INSTRUCTION_ACKNOWLEDGED, False),
        (EventKind.INSTRUCTION_ANSWERED, False),
    ]
    # Answered, it escalates no more.
    committed(services.sweep, instruction.answer_by + timedelta(days=30))
    assert report.events.filter(kind=EventKind.INSTRUCTION_ESCALATED).count() == 2
    # And none of it reaches the public timeline.
    public = api(gql_as, committed, world.neighbour, REPORT, {"id": gid("Report", report.pk)})
    assert {e["kind"] for e in public["data"]["report"]["timeline"]} == {"SUBMITTED"}


def test_an_instruction_can_reassign_and_a_past_deadline_is_refused(
    world, submit, leaders, gql_as, committed
):
    report = committed(submit)
    committed(services.accept, world.dispatcher, report)
    variables = {
        "input": {
            "reportId": gid("Report", report.pk),
            "text": "交环卫处",
            "newDeadline": (timezone.now() - timedelta(hours=1)).isoformat(),
        }
    }
    past = api(gql_as, committed, leaders["west"], ISSUE, variables)["data"]["issueInstruction"]
    assert past["errors"] == [{"field": "newDeadline", "code": "deadline_in_past"}]
    del variables["input"]["newDeadline"]
    variables["input"]["departmentId"] = gid("Department", world.sanitation.pk)
    variables["input"]["clientRequestId"] = "i-1"
    for _retry in range(2):
        issued = api(gql_as, committed, leaders["west"], ISSUE, variables)
        issued = issued["data"]["issueInstruction"]
        assert issued["instruction"]["department"] == {"code": "sanitation"}
    assert Instruction.objects.count() == 1
    report.refresh_from_db()
    assert report.department == world.sanitation
    # Now the sanitation dispatcher answers it, and the roads dispatcher may not.
    assert kinds_of(world.other_staff, Kind.INSTRUCTION)
    with pytest.raises(Forbidden):
        services.acknowledge_instruction(world.dispatcher, Instruction.objects.get())
    services.acknowledge_instruction(world.other_staff, Instruction.objects.get())


# --- Priority ----------------------------------------------------------------------------------


def test_priority_comes_from_the_category_the_answers_or_staff(world, submit, gql_as, committed):
    normal = committed(submit)
    assert normal.priority == Priority.NORMAL
    assert normal.accept_deadline - normal.created_at == timedelta(hours=24)

    CategoryQuestion.objects.create(
        category=world.pothole,
        code="danger",
        label="是否有人身危险？",
        label_en="Is anyone in danger?",
        datatype="singlevaluelist",
        options="yes|是|Yes\nno|否|No",
        raises_priority_to=Priority.URGENT,
        raising_options="yes",
    )
    urgent = committed(submit, answers={"size": "small", "danger": "yes"})
    assert urgent.priority == Priority.URGENT
    assert urgent.accept_deadline - urgent.created_at == timedelta(hours=6)  # a quarter
    calm = committed(submit, answers={"size": "small", "danger": "no"})
    assert calm.priority == Priority.NORMAL

    world.graffiti.default_priority = Priority.HIGH
    world.graffiti.save()
    high = committed(submit, category=world.graffiti)
    assert (high.priority, high.accept_deadline - high.created_at) == (
        Priority.HIGH,
        timedelta(hours=12),
    )

    # Staff raise it; a resident and another department may not.
    variables = {"id": gid("Report", normal.pk), "priority": "URGENT"}
    for outsider in (world.resident, world.other_staff):
        refused = api(gql_as, committed, outsider, SET_PRIORITY, variables, expect_errors=True)
        assert refusal(refused, "setPriority") == "forbidden"
    raised = api(gql_as, committed, world.dispatcher, SET_PRIORITY, variables)
    assert raised["data"]["setPriority"]["report"]["priority"] == "URGENT"
    normal.refresh_from_db()
    assert normal.accept_deadline - normal.created_at == timedelta(hours=6)
    event = normal.events.get(kind=EventKind.PRIORITY)
    assert (event.is_public, event.message, event.data["previous_priority"]) == (
        False,
        "有人受伤",
        "normal",
    )

    # The queue: urgent first.
    order = api(
        gql_as,
        committed,
        world.dispatcher,
        "{ staffReports(orderBy: PRIORITY) { edges { node { number priority } } } }",
    )["data"]["staffReports"]["edges"]
    priorities = [edge["node"]["priority"] for edge in order]
    assert priorities == sorted(priorities, key=["URGENT", "HIGH", "NORMAL"].index)


def test_an_urgent_report_wakes_the_on_duty_dispatcher_at_3am_and_a_normal_one_waits(
    world, submit, committed, time_machine
):
    three_am = dt.datetime(2026, 12, 3, 3, 0, tzinfo=CITY_TZ)
    time_machine.move_to(three_am, tick=False)
    night_dispatcher = world.dispatcher
    QuietHours.objects.create(user=night_dispatcher, start=dt.time(22), end=dt.time(7))
    register_device(night_dispatcher, token="dispatcher-phone", platform="android")
    off_duty = world.supervisor
    register_device(off_duty, token="supervisor-phone", platform="android")
    add_duty_shift(
        SYSTEM,
        world.roads,
        user=night_dispatcher,
        starts_at=three_am - timedelta(hours=4),
        ends_at=three_am + timedelta(hours=4),
    )
    world.pothole.default_priority = Priority.URGENT
    world.pothole.save()

    urgent = committed(submit)
    [alert] = Notification.objects.filter(user=night_dispatcher, kind=Kind.REPORT_URGENT)
    assert alert.title == f"紧急：诉求 #{urgent.pk}"
    delivery = Delivery.objects.get(notification=alert, channel=Channel.PUSH)
    assert delivery.next_attempt_at == timezone.now()  # not held until 7:00
    assert not Notification.objects.filter(user=off_duty).exists()  # not on duty

    world.pothole.default_priority = Priority.NORMAL
    world.pothole.save()
    committed(submit)
    assert Notification.objects.filter(user=night_dispatcher).count() == 1  # normal waits

    # An ordinary notification at 3 a.m. is held by the quiet hours as before.
    normal = Report.objects.exclude(pk=urgent.pk).get()
    committed(services.accept, world.dispatcher, normal)
    committed(services.assign, world.supervisor, normal, handler=night_dispatcher)
    held = Delivery.objects.get(
        notification__user=night_dispatcher, notification__kind=Kind.REPORT_ASSIGNED
    )
    assert timezone.localtime(held.next_attempt_at).hour == 7


# --- The 好差评 loop -------------------------------------------------------------------------


def _resolved(world, submit, committed):
    report = committed(submit)
    committed(services.accept, world.dispatcher, report)
    committed(services.assign, world.dispatcher, report, handler=world.handler)
    committed(services.start, world.handler, report)
    return committed(services.resolve, world.handler, report, message="已填平")


def test_a_one_star_rating_opens_a_follow_up_and_a_redo_is_rated_again(
    world, submit, gql_as, committed, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    report = _resolved(world, submit, committed)
    rated = api(
        gql_as, committed, world.resident, RATE, {"id": gid("Report", report.pk), "rating": 1}
    )
    assert rated["data"]["rateReport"]["errors"] == []
    follow_up = FollowUp.objects.get()
    assert (follow_up.department, follow_up.reason) == (world.roads, "low_rating")
    assert follow_up.due_at == timezone.now() + timedelta(hours=48)
    assert kinds_of(world.supervisor, Kind.FOLLOW_UP) == [f"回访诉求 #{report.pk} 的报告人"]

    [listed] = api(gql_as, committed, world.supervisor, MY_FOLLOW_UPS)["data"]["myFollowUps"]
    assert (listed["reason"], listed["rating"], listed["outcome"]) == ("LOW_RATING", 1, None)
    assert api(gql_as, committed, world.dispatcher, MY_FOLLOW_UPS)["data"]["myFollowUps"] == []

    variables = {
        "input": {
            "followUpId": listed["id"],
            "reached": True,
            "outcome": "REDO",
            "residentView": "坑还在",
        }
    }
    for outsider in (world.dispatcher, world.resident, world.other_staff):
        refused = api(gql_as, committed, outsider, RECORD_CALLBACK, variables, expect_errors=True)
        assert refusal(refused, "recordCallback") in ("forbidden", "not_found")
    recorded = api(gql_as, committed, world.supervisor, RECORD_CALLBACK, variables)
    recorded = recorded["data"]["recordCallback"]
    assert recorded["followUp"]["outcome"] == "REDO"
    assert recorded["followUp"]["report"]["state"] == "IN_PROGRESS"  # back to the handler

    committed(services.resolve, world.handler, report, message="重新铺了")
    again = api(
        gql_as, committed, world.resident, RATE, {"id": gid("Report", report.pk), "rating": 4}
    )
    assert again["data"]["rateReport"]["report"]["rating"] == 4
    report.refresh_from_db()
    assert (report.rating, report.state) == (4, State.CLOSED)  # the latest counts
    assert list(Rating.objects.values_list("stars", "round")) == [(1, 0), (4, 1)]
    assert FollowUp.objects.count() == 1  # four stars open nothing
    callback = report.events.get(kind=EventKind.CALLBACK)
    assert (callback.is_public, callback.data["outcome"]) == (False, "redo")


def test_five_stars_open_nothing_and_a_reopen_opens_a_follow_up(world, submit, committed):
    five = _resolved(world, submit, committed)
    committed(services.rate, world.resident, five, rating=5)
    assert not FollowUp.objects.exists()
    assert not Notification.objects.filter(kind=Kind.FOLLOW_UP).exists()

    disputed = _resolved(world, submit, committed)
    committed(services.reopen, world.resident, disputed, reason="还是坏的")
    follow_up = FollowUp.objects.get()
    assert (follow_up.report, follow_up.reason) == (disputed, "reopened")
    # Escalating from the callback raises the report to the district's leaders.
    committed(
        services.record_callback,
        world.supervisor,
        follow_up,
        reached=False,
        outcome="escalate",
    )
    disputed.refresh_from_db()
    assert disputed.escalation_level == 3


# --- Every public event reaches every follower once, in their language ------------------------


def test_every_public_event_reaches_reporter_supporters_and_followers_once(
    world, submit, committed
):
    follower_en = world.neighbour
    follower_en.language = "en"
    follower_en.save()
    both = world.admin  # supports and follows: still one notification per event
    report = committed(submit)
    committed(services.support, both, report)
    for user in (follower_en, both):
        Follower.objects.create(report=report, user=user)
    duplicate = committed(submit, actor=world.handler)
    Follower.objects.create(report=duplicate, user=follower_en)

    committed(services.accept, world.dispatcher, report)
    committed(services.recategorise, world.dispatcher, report, world.dumping)
    committed(services.assign, world.dispatcher, report, handler=world.handler)
    committed(services.start, world.handler, report)
    committed(services.merge, world.dispatcher, duplicate, report)
    committed(services.resolve, world.handler, report, message="已处理")
    committed(services.reopen, world.resident, report, reason="还在")
    committed(services.resolve, world.handler, report, message="再次处理")
    committed(services.sweep, timezone.now() + timedelta(days=8))  # closed by the clock

    n, d = report.pk, duplicate.pk
    english = list(
        Notification.objects.filter(user=follower_en, kind__startswith="report_")
        .order_by("pk")
        .values_list("kind", "title")
    )
    assert english == [
        (Kind.REPORT_ACCEPTED, f"Report #{n} accepted"),
        (Kind.REPORT_RECATEGORISED, f"Report #{n} moved to another category"),
        (Kind.REPORT_STARTED, f"Work started on report #{n}"),
        (Kind.REPORT_MERGED, f"Report #{d} merged into #{n}"),
        (Kind.REPORT_RESOLVED, f"Report #{n} resolved"),
        (Kind.REPORT_REOPENED, f"Report #{n} reopened"),
        (Kind.REPORT_RESOLVED, f"Report #{n} resolved"),
        (Kind.REPORT_CLOSED, f"Report #{n} closed"),
    ]
    merged = Notification.objects.get(user=follower_en, kind=Kind.REPORT_MERGED)
    assert f"you now support report #{n}" in merged.body
    # The supporter who also follows hears of each once, in Chinese (the platform's default).
    chinese = list(
        Notification.objects.filter(user=both, kind__startswith="report_").values_list(
            "kind", flat=True
        )
    )
    assert len(chinese) == 7  # no merge news: they were not on the duplicate
    assert Notification.objects.get(user=both, kind=Kind.REPORT_CLOSED).title == f"诉求 #{n} 已关闭"
    # The reporter hears of everything but their own reopening.
    reporter = list(
        Notification.objects.filter(user=world.resident, kind__startswith="report_").values_list(
            "kind", flat=True
        )
    )
    assert Kind.REPORT_REOPENED not in reporter
    assert reporter.count(Kind.REPORT_CLOSED) == 1
    # The duplicate's reporter (a staff member here) hears of the merge.
    assert kinds_of(world.handler, Kind.REPORT_MERGED) == [f"诉求 #{d} 已合并至 #{n}"]


def test_an_on_duty_shift_needs_a_member_and_a_supervisor(world, make_user):
    now = timezone.now()
    with pytest.raises(Forbidden):
        add_duty_shift(
            world.dispatcher,
            world.roads,
            user=world.dispatcher,
            starts_at=now,
            ends_at=now + timedelta(hours=8),
        )
    with pytest.raises(DutyShiftInvalid):
        add_duty_shift(
            world.supervisor,
            world.roads,
            user=world.other_staff,
            starts_at=now,
            ends_at=now + timedelta(hours=8),
        )
    outsider = make_user()
    add_member(SYSTEM, world.roads, outsider, MemberRole.HANDLER)
    shift = add_duty_shift(
        world.supervisor,
        world.roads,
        user=outsider,
        starts_at=now,
        ends_at=now + timedelta(hours=8),
    )
    assert shift.pk


# --- The admin ----------------------------------------------------------------------------------


def test_the_admin_loop_instruction_priority_and_callback(
    world, submit, leaders, as_user, committed
):
    from tests.reports.test_admin_queue import act, detail_url, messages_of

    report = committed(submit)
    leader = as_user(leaders["west"], language="en")
    page = leader.get(detail_url(report))
    assert page.status_code == 200
    offered = {shown["action"].name for shown in page.context["actions"]}
    assert {"priority", "instruct"} <= offered
    assert not offered & {"accept", "reject", "assign", "resolve"}  # leaders instruct, not work

    response = committed(act, leader, report, "priority", {"priority-priority": "urgent"})
    assert messages_of(response, "success") == [f"Priority of report #{report.pk} set."]
    response = committed(act, leader, report, "instruct", {"instruct-text": "请今天处理"})
    assert messages_of(response, "success") == [f"Instruction on report #{report.pk} issued."]
    instruction = Instruction.objects.get()
    # The east leader may not post it; the page refuses them too.
    east = as_user(leaders["east"], language="en")
    assert east.post(
        reverse("report_queue:act", args=[report.pk, "instruct"]), {"instruct-text": "x"}
    ).status_code in (302, 403)
    assert Instruction.objects.count() == 1

    dispatcher = as_user(world.dispatcher, language="en")
    offered = {
        shown["action"].name for shown in dispatcher.get(detail_url(report)).context["actions"]
    }
    assert {"acknowledge", "answer"} <= offered
    committed(act, dispatcher, report, "acknowledge", {"acknowledge-instruction": instruction.pk})
    committed(
        act,
        dispatcher,
        report,
        "answer",
        {"answer-instruction": instruction.pk, "answer-answer": "已安排"},
    )
    instruction.refresh_from_db()
    assert (instruction.state, instruction.answer) == ("answered", "已安排")
    page = leader.get(detail_url(report))
    assert "已安排" in page.content.decode()  # on the internal timeline the leader reads

    # The 好差评 loop in the admin: a one-star rating, the supervisor's callback.
    committed(services.accept, world.dispatcher, report)
    committed(services.resolve, world.dispatcher, report, message="已处理")
    committed(services.rate, world.resident, report, rating=2)
    follow_up = FollowUp.objects.get()
    supervisor = as_user(world.supervisor, language="en")
    response = committed(
        act,
        supervisor,
        report,
        "callback",
        {
            "callback-follow_up": follow_up.pk,
            "callback-reached": "on",
            "callback-resident_view": "理解了",
            "callback-outcome": "accepted",
        },
    )
    assert messages_of(response, "success") == [f"Follow-up call on report #{report.pk} recorded."]
    follow_up.refresh_from_db()
    assert (follow_up.outcome, follow_up.reached) == ("accepted", True)
    assert Report.objects.get(pk=report.pk).state == State.CLOSED  # accepted: nothing reopens


def test_a_supervisor_keeps_the_on_duty_rota_in_the_admin(world, as_user):
    supervisor = as_user(world.supervisor, language="en")
    add = reverse("duty_rota:add")
    response = supervisor.post(
        add,
        {
            "department": world.roads.pk,
            "user": world.dispatcher.pk,
            "starts_at": "2026-12-03 20:00",
            "ends_at": "2026-12-04 08:00",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert world.roads.duty_shifts.get().user == world.dispatcher
    # A dispatcher keeps no rota.
    assert as_user(world.dispatcher).get(add).status_code in (302, 403)


def test_the_leaders_queue_costs_the_same_queries_whatever_the_page_size(
    world, submit, leaders, gql_as, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.GRAPHQL_MAX_COST = 1_000_000
    for n in range(12):
        report = submit(lat=40 + n / 100, client_request_id=f"q{n}")
        services.issue_instruction(leaders["west"], report, text=f"督办 {n}")
        if n % 3 == 0:
            services.accept(world.dispatcher, report)
            services.resolve(world.dispatcher, report, message="好了")
            services.rate(world.resident, report, rating=1)
    query = """query Q($first: Int) { staffReports(first: $first, orderBy: PRIORITY) {
      edges { node { number priority timeline { kind message }
        staff { escalationLevel
          instructions { id state text issuedByName department { code } }
          followUps { id reason rating outcome } } } } } }"""
    client = gql_as(leaders["west"])
    counts = {}
    for size in (3, 12):
        with CaptureQueriesContext(connection) as queries:
            result = client(query, {"first": size})
        edges = result["data"]["staffReports"]["edges"]
        assert len(edges) == size
        assert all(edge["node"]["staff"]["instructions"] for edge in edges)
        counts[size] = len(queries)
    assert counts[3] == counts[12], counts


def test_the_admin_lists_the_follow_up_calls_owed_to_their_supervisors_only(
    world, submit, gql_as, committed, as_user, make_user, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    report = _resolved(world, submit, committed)
    api(gql_as, committed, world.resident, RATE, {"id": gid("Report", report.pk), "rating": 2})
    url = reverse("report_follow_ups:index")

    page = as_user(world.supervisor).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("report_queue:inspect", args=[report.pk]) in html
    assert "w-status--primary" not in html  # not late yet

    time_machine.move_to(timezone.now() + timedelta(hours=49), tick=False)
    assert "w-status--primary" in as_user(world.supervisor).get(url).content.decode()

    # A dispatcher records no calls; another department's supervisor owes none of these.
    assert as_user(world.dispatcher).get(url).status_code in (302, 403)
    other = make_user(email="parks-supervisor@example.org")
    add_member(SYSTEM, world.parks, other, MemberRole.SUPERVISOR)
    listed = as_user(other).get(url)
    assert listed.status_code == 200
    assert reverse("report_queue:inspect", args=[report.pk]) not in listed.content.decode()
    # Resolved, the call leaves the list.
    follow_up = FollowUp.objects.get()
    committed(
        services.record_callback, world.supervisor, follow_up, reached=True, outcome="accepted"
    )
    assert reverse("report_queue:inspect", args=[report.pk]) not in (
        as_user(world.supervisor).get(url).content.decode()
    )
