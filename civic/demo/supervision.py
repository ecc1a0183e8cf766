"""Demo supervision: the leader oversees a district, each department's first dispatcher is on
duty for the coming week, a few reports are urgent, and the leader has written instructions
on the district's most escalated reports (one acknowledged and answered, one waiting). The
follow-up calls come from the demo's own bad ratings and reopenings: the supervisors have made
all but the newest few, with every outcome (accepted, redo, escalate), so the operations
centre's callback figures have something to show. Runs after the reports demo, through the
services; running it again adds nothing."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from civic.accounts.models import User
from civic.core.permissions import SYSTEM
from civic.departments.models import DutyShift, MemberRole, Membership
from civic.departments.services import add_duty_shift
from reports import services
from reports.models import (
    OPEN_STATES,
    CallbackOutcome,
    FollowUp,
    Instruction,
    Priority,
    Report,
)

LEADER = "leader@demo.civic"
INSTRUCTIONS = [
    (
        "demo-instruction-1",
        "请于三日内办结，并将处理情况书面报告。",
        "已安排专人现场处理，预计两日内完成。",
    ),
    ("demo-instruction-2", "群众反映强烈，请主要负责同志亲自督办。", None),
]
# Follow-up calls left for the supervisors to make.
CALLS_WAITING = 3
# What each call came to, in turn: reached or not, the outcome, what the resident said.
CALLS = [
    (True, CallbackOutcome.ACCEPTED, "解释了处理情况，居民表示理解。"),
    (True, CallbackOutcome.REDO, "居民说问题还在，要求重新处理。"),
    (False, CallbackOutcome.ACCEPTED, "两次来电无人接听，已短信告知处理结果。"),
    (True, CallbackOutcome.ACCEPTED, "居民对处理结果基本满意。"),
    (True, CallbackOutcome.ESCALATE, "居民多次反映未果，情绪较大，报请领导协调。"),
]


def _rota(now):
    for membership in Membership.objects.filter(role=MemberRole.DISPATCHER).order_by("pk"):
        if DutyShift.objects.filter(department_id=membership.department_id).exists():
            continue
        add_duty_shift(
            SYSTEM,
            membership.department,
            user=membership.user,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=7),
        )


def _escalated_in(area, count):
    return list(
        Report.objects.filter(
            area_path__startswith=area.path, state__in=OPEN_STATES, department__isnull=False
        )
        .order_by("-escalation_level", "pk")
        .select_related("department")[:count]
    )


def _answerer(report):
    membership = (
        Membership.objects.filter(
            department=report.department,
            role__in=[MemberRole.DISPATCHER, MemberRole.SUPERVISOR],
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _supervisor(department):
    membership = (
        Membership.objects.filter(department=department, role=MemberRole.SUPERVISOR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _callbacks():
    if FollowUp.objects.exclude(outcome="").exists():
        return  # seeded before
    waiting = FollowUp.objects.filter(outcome="").select_related("department", "report")
    made = list(waiting.order_by("created_at", "pk"))[:-CALLS_WAITING]
    for number, follow_up in enumerate(made):
        supervisor = _supervisor(follow_up.department)
        if supervisor is None:
            continue
        reached, outcome, resident_view = CALLS[number % len(CALLS)]
        services.record_callback(
            supervisor, follow_up, reached=reached, outcome=outcome, resident_view=resident_view
        )


def seed(progress=iter):
    """Returns the number of instructions the leader has."""
    now = timezone.now()
    with transaction.atomic():
        _rota(now)
        _callbacks()
        leader = User.objects.filter(email=LEADER).select_related("home_area").first()
        if leader is None or leader.home_area is None:
            return 0
        if Instruction.objects.filter(issued_by=leader).exists():
            return 0  # seeded before: the reports it chose have moved on since
        reports = _escalated_in(leader.home_area, len(INSTRUCTIONS) + 2)
        for report in reports[len(INSTRUCTIONS) :]:
            services.set_priority(SYSTEM, report, Priority.URGENT, "演示：有安全隐患")
        for report, (request_id, text, answer) in progress(
            list(zip(reports, INSTRUCTIONS, strict=False))
        ):
            instruction = services.issue_instruction(
                leader,
                report,
                text=text,
                new_deadline=now + timedelta(days=3),
                client_request_id=request_id,
            )
            answerer = _answerer(report)
            if answer and answerer is not None and instruction.is_open:
                services.answer_instruction(answerer, instruction, answer=answer)
        return len(reports[: len(INSTRUCTIONS)])
