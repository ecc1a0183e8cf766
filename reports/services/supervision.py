"""Supervision: a report's priority, leaders' instructions (批示 / 督办) and the follow-up
calls (回访) that close the 好差评 loop.

* ``set_priority``: staff, the area's leaders, or the platform (intake raising it from the
  text) set urgent / high / normal; the open phase's deadline is counted again from its start
  with the new priority's share of the SLA (``_common.PRIORITY_SLA_SHARE``).
* ``issue_instruction``: a leader over the report's area, or a supervisor of its department,
  writes an instruction, optionally with a new deadline and another department. The department
  must ``acknowledge_instruction`` within ``REPORTS_INSTRUCTION_ACK_HOURS`` and
  ``answer_instruction`` by the deadline (``REPORTS_INSTRUCTION_ANSWER_HOURS`` when none was
  given); ``sweep_instructions`` escalates the late ones: first to the department's supervisors,
  then back to the issuer.
* ``open_follow_up``: a rating of one or two stars, or a reopening, gives the department's
  supervisors a callback to make within ``REPORTS_FOLLOW_UP_HOURS``; ``record_callback`` records
  it. "redo" sends the report back to work (the reporter rates again; the latest rating counts),
  "escalate" raises it to the area's leaders, "accepted" ends it.

Everything lands on the report's internal timeline and sends its signal (``events.py``).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civic.core.errors import DomainError
from civic.core.permissions import SYSTEM, person, require, require_signed_in

from ..models import (
    FAMILY_STATES,
    OPEN_STATES,
    CallbackOutcome,
    EventKind,
    Family,
    FollowUp,
    Instruction,
    InstructionState,
    Priority,
    State,
)
from ..permissions import (
    can_answer_instruction,
    can_call_back,
    can_instruct,
    can_see_staff_details,
    can_set_priority,
)
from ._common import (
    _expect,
    _locked,
    _raise_if,
    _record,
    _setting,
    _too_long,
    back_to_work,
    deadline,
)
from .errors import ReportInvalid
from .triage import dispatch


class InvalidPriority(DomainError):
    code = "invalid_priority"
    default_message = _("Choose urgent, high or normal.")


class DeadlineInPast(DomainError):
    code = "deadline_in_past"
    default_message = _("The new deadline must be in the future.")


class InstructionClosed(DomainError):
    code = "instruction_closed"
    default_message = _("This instruction has already been answered.")


class FollowUpClosed(DomainError):
    code = "follow_up_closed"
    default_message = _("This follow-up call has already been recorded.")


class InvalidOutcome(DomainError):
    code = "invalid_outcome"
    default_message = _("Choose what came of the call: accepted, redo or escalate.")


# --- Priority --------------------------------------------------------------------------------


def _apply_priority_deadlines(report, now):
    if report.state == State.SUBMITTED:
        report.accept_deadline = deadline(report, "accept", report.created_at)
    elif report.state in OPEN_STATES:
        report.resolve_deadline = deadline(report, "resolve", report.accepted_at or now)


@transaction.atomic
def set_priority(actor, report, priority, reason=""):
    """Set the report's priority (urgent, high, normal) and count its open deadline again.

    Staff who triage the report, the area's leaders, or ``SYSTEM`` (intake recognising urgency
    in the text). Setting the priority it has changes nothing. An internal timeline event,
    and ``report_prioritised`` (an urgent report reaches the on-duty staff at once).
    """
    require_signed_in(actor)
    report = _locked(report)
    require(can_set_priority(actor, report))
    if priority not in Priority.values:
        raise InvalidPriority(field="priority")
    reason = (reason or "").strip()
    _raise_if([_too_long("reason", reason, 500)])
    if report.priority == priority:
        return report
    previous = report.priority
    report.priority = priority
    _apply_priority_deadlines(report, timezone.now())
    report.save()
    _record(
        report,
        EventKind.PRIORITY,
        actor,
        public=False,
        message=reason,
        priority=priority,
        previous_priority=previous,
    )
    return report


# --- Instructions ----------------------------------------------------------------------------


def _existing_instruction(actor, client_request_id):
    if not client_request_id or person(actor) is None:
        return None
    return Instruction.objects.filter(issued_by=actor, client_request_id=client_request_id).first()


@transaction.atomic
def issue_instruction(
    actor, report, *, text, new_deadline=None, department=None, client_request_id=""
):
    """A written instruction on an open report; ``department`` reassigns it there first and
    ``new_deadline`` becomes the report's resolving deadline and the answer's."""
    require_signed_in(actor)
    client_request_id = (client_request_id or "").strip()
    existing = _existing_instruction(actor, client_request_id)
    if existing is not None:
        return existing
    report = _locked(report)
    require(can_see_staff_details(actor, report) and can_instruct(actor, report))
    text = (text or "").strip()
    errors = [_too_long("text", text, 2000), _too_long("client_request_id", client_request_id, 64)]
    _raise_if(errors)
    if not text:
        raise ReportInvalid(gettext("Write the instruction."), field="text", code="required")
    now = timezone.now()
    if new_deadline is not None and new_deadline <= now:
        raise DeadlineInPast(field="new_deadline")
    _expect(report, OPEN_STATES)
    if department is not None and department.pk != report.department_id:
        if not department.is_active:
            raise ReportInvalid(gettext("That department is not active."), field="department")
        if report.state == State.SUBMITTED:
            report.department, report.handler = department, None
            report.save()
        else:
            dispatch(actor, report, department=department, message=text)
    if new_deadline is not None:
        if report.state == State.SUBMITTED:
            report.accept_deadline = new_deadline
        else:
            report.resolve_deadline = new_deadline
        report.escalation_level = 0
        report.save()
    instruction = Instruction.objects.create(
        report=report,
        issued_by=person(actor),
        department=report.department,
        text=text,
        acknowledge_by=now + timedelta(hours=_setting("REPORTS_INSTRUCTION_ACK_HOURS", 4)),
        answer_by=new_deadline
        or now + timedelta(hours=_setting("REPORTS_INSTRUCTION_ANSWER_HOURS", 48)),
        new_deadline=new_deadline,
        client_request_id=client_request_id,
    )
    _record(
        report,
        EventKind.INSTRUCTED,
        actor,
        public=False,
        message=text,
        instruction=instruction.pk,
        department=report.department.code,
        new_deadline=new_deadline.isoformat() if new_deadline else None,
        _instruction=instruction,
    )
    return instruction


def _locked_instruction(instruction):
    return (
        Instruction.objects.select_for_update(of=("self",))
        .select_related("report__category", "report__area", "report__department", "department")
        .get(pk=instruction.pk)
    )


@transaction.atomic
def acknowledge_instruction(actor, instruction):
    """The department has read it. Acknowledging again changes nothing."""
    require_signed_in(actor)
    instruction = _locked_instruction(instruction)
    require(can_answer_instruction(actor, instruction))
    if instruction.state != InstructionState.ISSUED:
        return instruction
    instruction.state = InstructionState.ACKNOWLEDGED
    instruction.acknowledged_by = person(actor)
    instruction.acknowledged_at = timezone.now()
    instruction.save()
    _record(
        instruction.report,
        EventKind.INSTRUCTION_ACKNOWLEDGED,
        actor,
        public=False,
        instruction=instruction.pk,
        _instruction=instruction,
    )
    return instruction


@transaction.atomic
def answer_instruction(actor, instruction, *, answer):
    """The department's written answer, which closes the instruction (acknowledging it too,
    if nobody had). The same answer sent again changes nothing."""
    require_signed_in(actor)
    instruction = _locked_instruction(instruction)
    require(can_answer_instruction(actor, instruction))
    answer = (answer or "").strip()
    if instruction.state == InstructionState.ANSWERED:
        if instruction.answer == answer:
            return instruction
        raise InstructionClosed(field="instruction_id")
    if not answer:
        raise ReportInvalid(gettext("Write the answer."), field="answer", code="required")
    _raise_if([_too_long("answer", answer, 2000)])
    now = timezone.now()
    if instruction.acknowledged_at is None:
        instruction.acknowledged_by, instruction.acknowledged_at = person(actor), now
    instruction.state = InstructionState.ANSWERED
    instruction.answer = answer
    instruction.answered_by = person(actor)
    instruction.answered_at = now
    instruction.save()
    _record(
        instruction.report,
        EventKind.INSTRUCTION_ANSWERED,
        actor,
        public=False,
        message=answer,
        instruction=instruction.pk,
        _instruction=instruction,
    )
    return instruction


def instruction_escalation_due(instruction, now):
    """1 once past its acknowledging deadline unacknowledged, or past its answering deadline
    unanswered; 2 (the issuer told) once as long again has passed."""
    if instruction.state == InstructionState.ANSWERED:
        return 0
    if instruction.state == InstructionState.ISSUED:
        due, start = instruction.acknowledge_by, instruction.created_at
    else:
        due, start = instruction.answer_by, instruction.created_at
    if now <= due:
        return 0
    return 2 if now - due >= due - start else 1


def sweep_instructions(now):
    """Escalate the late instructions one level at a time; idempotent. Returns how many."""
    late = (
        Instruction.objects.exclude(state=InstructionState.ANSWERED)
        .filter(escalation_level__lt=2)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(1 for pk in late if _escalate_instruction(pk, now))


@transaction.atomic
def _escalate_instruction(pk, now):
    instruction = _locked_instruction(Instruction(pk=pk))
    level = instruction_escalation_due(instruction, now)
    if level <= instruction.escalation_level:
        return False
    instruction.escalation_level = level
    instruction.save(update_fields=["escalation_level"])
    _record(
        instruction.report,
        EventKind.INSTRUCTION_ESCALATED,
        SYSTEM,
        public=False,
        instruction=instruction.pk,
        level=level,
        waiting_for=instruction.state,
        _instruction=instruction,
        _level=level,
    )
    return True


# --- Follow-up calls (回访) ------------------------------------------------------------------


def open_follow_up(report, reason, *, rating=None, actor=SYSTEM):
    """A callback for the department's supervisors, unless one is open already (a second bad
    rating or reopening joins it). Called inside the rating's or reopening's transaction."""
    if report.department_id is None:
        return None
    if FollowUp.objects.filter(report=report, outcome="").exists():
        return None
    follow_up = FollowUp.objects.create(
        report=report,
        department=report.department,
        reason=reason,
        rating=rating,
        due_at=timezone.now() + timedelta(hours=_setting("REPORTS_FOLLOW_UP_HOURS", 48)),
    )
    _record(
        report,
        EventKind.FOLLOW_UP_OPENED,
        actor,
        public=False,
        follow_up=follow_up.pk,
        reason=reason,
        _follow_up=follow_up,
    )
    return follow_up


@transaction.atomic
def record_callback(actor, follow_up, *, reached, outcome, resident_view=""):
    """What came of the call. ``redo`` reopens the work (back to the handler, or to accepted),
    ``escalate`` raises the report to the area's leaders (level 3); ``accepted`` ends it."""
    require_signed_in(actor)
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("department")
        .get(pk=follow_up.pk)
    )
    require(can_call_back(actor, follow_up))
    resident_view = (resident_view or "").strip()
    if follow_up.outcome:
        if follow_up.outcome == outcome and follow_up.reached == bool(reached):
            return follow_up
        raise FollowUpClosed(field="follow_up_id")
    if outcome not in CallbackOutcome.values:
        raise InvalidOutcome(field="outcome")
    _raise_if([_too_long("resident_view", resident_view, 2000)])
    report = follow_up.report = _locked(follow_up.report)
    now = timezone.now()
    follow_up.called_by = person(actor)
    follow_up.called_at = now
    follow_up.reached = bool(reached)
    follow_up.resident_view = resident_view
    follow_up.outcome = outcome
    follow_up.save()
    previous = report.state
    if outcome == CallbackOutcome.REDO and report.state in FAMILY_STATES[Family.FIXED]:
        back_to_work(report, now)
    elif outcome == CallbackOutcome.ESCALATE and report.escalation_level < 3:
        report.escalation_level = 3
        report.save(update_fields=["escalation_level", "updated_at"])
    _record(
        report,
        EventKind.CALLBACK,
        actor,
        from_state=previous if report.state != previous else "",
        to_state=report.state if report.state != previous else "",
        public=False,
        message=resident_view,
        follow_up=follow_up.pk,
        reached=follow_up.reached,
        outcome=outcome,
        _follow_up=follow_up,
    )
    return follow_up
