"""Demo supervision: the leader oversees a district, each department's first dispatcher is on
duty for the coming week, a few reports are urgent, and the leader has written instructions
on the district's most escalated reports (one acknowledged and answered, one waiting). The
follow-up calls come from the demo's own bad ratings and reopenings. Runs after the reports
demo, through the services; running it again adds nothing."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from civic.accounts.models import User
from civic.core.permissions import SYSTEM
from civic.departments.models import DutyShift, MemberRole, Membership
from civic.departments.services import add_duty_shift
from reports import services
from reports.models import OPEN_STATES, Instruction, Priority, Report

LEADER = "leader@demo.civic"
INSTRUCTIONS = [
    (
        "demo-instruction-1",
        "请于三日内办结，并将处理情况书面报告。",
        "已安排专人现场处理，预计两日内完成。",
    ),
    ("demo-instruction-2", "群众反映强烈，请主要负责同志亲自督办。", None),
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


def seed(progress=iter):
    """Returns the number of instructions the leader has."""
    now = timezone.now()
    with transaction.atomic():
        _rota(now)
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
