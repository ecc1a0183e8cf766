"""The actions staff take on a report from its page, as a declarative table: each names its
form, who may take it (``permissions.py``), the states it makes sense in, and the service it
calls. ``ReportActionView`` takes one posted form and shows the service's refusal as messages.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View

from civic.core.admin_actions import Action, ActionTable, take_action

from .. import admin_forms, services
from ..models import OPEN_STATES, InstructionState, State
from ..permissions import (
    can_answer_instruction,
    can_call_back,
    can_instruct,
    can_note,
    can_see_staff_details,
    can_set_priority,
    can_triage,
    can_work_on,
)
from .queue import load_report, queue_url

NEARBY_RADIUS_M = 200


def _run_merge(user, report, data):
    return services.merge(user, report, data["target"], message=data["message"])


def _may_acknowledge(user, report):
    return any(
        can_answer_instruction(user, instruction)
        for instruction in report.instructions.filter(state=InstructionState.ISSUED)
    )


def _may_answer(user, report):
    return any(
        can_answer_instruction(user, instruction)
        for instruction in report.instructions.exclude(state=InstructionState.ANSWERED)
    )


def _may_call_back(user, report):
    return any(can_call_back(user, follow_up) for follow_up in report.follow_ups.filter(outcome=""))


SUPERVISION = (
    Action(
        "priority",
        _("Set the priority"),
        admin_forms.PriorityForm,
        can_set_priority,
        OPEN_STATES,
        lambda user, report, data: services.set_priority(
            user, report, data["priority"], data["reason"]
        ),
        _("Priority of report #%(id)s set."),
    ),
    Action(
        "instruct",
        _("Issue an instruction"),
        admin_forms.InstructionForm,
        can_instruct,
        OPEN_STATES,
        lambda user, report, data: services.issue_instruction(
            user,
            report,
            text=data["text"],
            new_deadline=data["new_deadline"],
            department=data["department"],
        ),
        _("Instruction on report #%(id)s issued."),
        _("The department must acknowledge it and answer it, or it escalates."),
    ),
    Action(
        "acknowledge",
        _("Acknowledge the instruction"),
        admin_forms.AcknowledgeForm,
        _may_acknowledge,
        (),
        lambda user, report, data: services.acknowledge_instruction(user, data["instruction"]),
        _("Instruction on report #%(id)s acknowledged."),
    ),
    Action(
        "answer",
        _("Answer the instruction"),
        admin_forms.AnswerForm,
        _may_answer,
        (),
        lambda user, report, data: services.answer_instruction(
            user, data["instruction"], answer=data["answer"]
        ),
        _("Instruction on report #%(id)s answered."),
    ),
    Action(
        "callback",
        _("Record the follow-up call"),
        admin_forms.CallbackForm,
        _may_call_back,
        (),
        lambda user, report, data: services.record_callback(
            user,
            data["follow_up"],
            reached=data["reached"],
            outcome=data["outcome"],
            resident_view=data["resident_view"],
        ),
        _("Follow-up call on report #%(id)s recorded."),
        _("Redo sends the report back to work; escalate raises it to the area's leaders."),
    ),
)


ACTIONS = ActionTable(
    Action(
        "accept",
        _("Accept"),
        admin_forms.MessageForm,
        can_triage,
        (State.SUBMITTED,),
        lambda user, report, data: services.accept(user, report, message=data["message"]),
        _("Report #%(id)s accepted."),
        _("Your department takes it on; the resolving deadline starts."),
    ),
    Action(
        "assign",
        _("Assign"),
        admin_forms.AssignForm,
        can_triage,
        (State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS),
        lambda user, report, data: services.assign(
            user,
            report,
            department=data["department"],
            handler=data["handler"],
            message=data["message"],
        ),
        _("Report #%(id)s assigned."),
    ),
    Action(
        "start",
        _("Start the work"),
        admin_forms.MessageForm,
        can_work_on,
        (State.ASSIGNED,),
        lambda user, report, data: services.start(user, report, message=data["message"]),
        _("Work on report #%(id)s started."),
    ),
    Action(
        "resolve",
        _("Resolve"),
        admin_forms.ResolveForm,
        can_work_on,
        (State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS),
        lambda user, report, data: services.resolve(
            user, report, message=data["message"], photos=data["photos"]
        ),
        _("Report #%(id)s resolved."),
    ),
    Action(
        "update",
        _("Public update"),
        admin_forms.UpdateForm,
        can_work_on,
        (),
        lambda user, report, data: services.post_update(
            user, report, message=data["message"], public=True
        ),
        _("Update posted on report #%(id)s."),
    ),
    Action(
        "note",
        _("Internal note"),
        admin_forms.NoteForm,
        can_note,
        (),
        lambda user, report, data: services.post_update(
            user, report, message=data["message"], public=False
        ),
        _("Note added to report #%(id)s."),
    ),
    Action(
        "recategorise",
        _("Change the category"),
        admin_forms.RecategoriseForm,
        can_triage,
        OPEN_STATES,
        lambda user, report, data: services.recategorise(
            user, report, data["category"], message=data["message"], suggested=data["suggested"]
        ),
        _("Report #%(id)s moved to another category."),
        _("If another department handles the new category, the report goes to it."),
    ),
    Action(
        "merge",
        _("Merge as a duplicate"),
        admin_forms.MergeForm,
        can_triage,
        OPEN_STATES,
        _run_merge,
        _("Report #%(id)s merged as a duplicate."),
        _("Closes this report as a copy of another; its reporter becomes a supporter."),
    ),
    Action(
        "reject",
        _("Reject"),
        admin_forms.RejectForm,
        can_triage,
        OPEN_STATES,
        lambda user, report, data: services.reject(
            user, report, reason=data["reason"], message=data["message"]
        ),
        _("Report #%(id)s rejected."),
        button_class="serious",
    ),
    *SUPERVISION,
)


def action_forms(report, user):
    """The forms of the actions the user may take on the report now, for its page."""
    actions = ACTIONS.available(user, report)
    if not actions:
        return []
    templates = admin_forms.response_templates(report)
    shown = []
    for action in actions:
        kwargs = {"report": report, "user": user, "templates": templates, "prefix": action.name}
        if action.name == "merge":
            kwargs["candidates"] = admin_forms.merge_candidates(report, radius_m=NEARBY_RADIUS_M)
        form = action.form_class(**kwargs)
        if action.name == "recategorise" and not form.fields["category"].queryset.exists():
            continue
        shown.append(
            {
                "action": action,
                "form": form,
                "url": queue_url("act", report.pk, action.name),
            }
        )
    return shown


class ReportActionView(View):
    """Takes one action's form from a report's page, calls the service, and goes back."""

    http_method_names = ["post"]

    def post(self, request, pk, action):
        spec = ACTIONS.get(action)
        if spec is None:
            raise Http404
        report = load_report(pk)
        user = request.user
        if not can_see_staff_details(user, report) or not spec.allowed(user, report):
            raise PermissionDenied
        kwargs = {"report": report, "user": user, "prefix": action}
        if action in ("reject", "resolve", "update"):
            kwargs["templates"] = admin_forms.response_templates(report)
        take_action(request, spec, report, spec.form_class(request.POST, request.FILES, **kwargs))
        return redirect(queue_url("inspect", report.pk))
