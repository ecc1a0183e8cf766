"""Report mutations: thin wrappers that parse input, find the report and call a service.

Every mutation takes the report's global ID as ``reportId`` and returns the report as the
caller may now see it. Retried transitions return the report unchanged (see services)."""

import graphene
from django.contrib.auth import get_user_model

from civic.core.api.enums import FlagReasonEnum, enum_value
from civic.core.api.ids import pk_from_global_id
from civic.core.api.mutations import BaseMutation
from civic.core.api.uploads import Upload
from civic.core.errors import NotFound
from civic.core.permissions import require_signed_in
from civic.departments.models import Department

from .. import queries, services
from ..models import Channel
from .resolvers import report_from_global_id
from .types import (
    CallbackOutcomeEnum,
    FollowUpType,
    InstructionType,
    RejectReasonEnum,
    ReportCommentType,
    ReportPriorityEnum,
    ReportType,
)


class LocationInput(graphene.InputObjectType):
    lat = graphene.Float(required=True)
    lon = graphene.Float(required=True)


class AnswerInput(graphene.InputObjectType):
    code = graphene.String(required=True, description="The question's code.")
    value = graphene.String(description="For every kind but multivaluelist.")
    values = graphene.List(graphene.NonNull(graphene.String), description="For multivaluelist.")


def _answers(answers):
    return {
        answer.code: list(answer["values"]) if answer.get("values") is not None else answer.value
        for answer in answers or ()
    }


class ReportMutation(BaseMutation):
    report = graphene.Field(ReportType)

    class Meta:
        abstract = True


class SubmitReport(ReportMutation):
    """Report a problem. Send photos with the GraphQL multipart request spec; without a
    location, the first photo's GPS gives it. Send a fresh ``clientRequestId`` per report and
    the same one when retrying: a retry returns the report the first attempt made."""

    class Input:
        category = graphene.String(required=True, description="The category's serviceCode.")
        description = graphene.String()
        location = LocationInput()
        address = graphene.String()
        photos = graphene.List(graphene.NonNull(Upload))
        answers = graphene.List(graphene.NonNull(AnswerInput))
        is_anonymous = graphene.Boolean(default_value=False)
        show_name = graphene.Boolean(default_value=False)
        client_request_id = graphene.String(required=True)

    @classmethod
    def perform(cls, root, info, *, category, location=None, answers=None, **data):
        user = require_signed_in(info.context.user)
        report = services.submit_report(
            user,
            category=queries.category_by_code(category),
            lat=location.lat if location else None,
            lon=location.lon if location else None,
            answers=_answers(answers),
            channel=Channel.APP,
            **data,
        )
        return cls(report=report)


def _transition(name, service, doc, **arguments):
    """A mutation ``name`` that calls ``service(user, report, **input)``."""

    def perform(cls, root, info, *, report_id, **data):
        user = require_signed_in(info.context.user)
        report = report_from_global_id(info, report_id)
        data = {key: enum_value(value) for key, value in data.items()}
        return cls(report=service(user, report, **data))

    inputs = type("Input", (), {"report_id": graphene.ID(required=True), **arguments})
    return type(
        name,
        (ReportMutation,),
        {"__doc__": doc, "Input": inputs, "perform": classmethod(perform)},
    )


class CommentOnReport(ReportMutation):
    """Comment on a public report (signed in). The body is plain text (paragraphs) or simple
    HTML, sanitised as forum posts are. Send a fresh ``clientRequestId`` per comment and the
    same one when retrying: a retry returns the comment the first attempt made. Refusals:
    ``not_found``, ``comments_closed`` (the report is not public), ``commenting_barred`` (a
    moderator's ban), ``comment_rate_limited``, ``body_empty``, ``body_too_long``,
    ``body_too_deep``."""

    comment = graphene.Field(ReportCommentType)

    class Input:
        report_id = graphene.ID(required=True)
        body = graphene.String(required=True)
        client_request_id = graphene.String()

    @classmethod
    def perform(cls, root, info, *, report_id, body, client_request_id=""):
        user = require_signed_in(info.context.user)
        report = report_from_global_id(info, report_id)
        made = services.comment(user, report, body=body, client_request_id=client_request_id)
        return cls(report=made.report, comment=made)


class FlagReportComment(BaseMutation):
    """Report a comment to the moderators; enough flags hide it until one reviews it. Flagging
    again changes nothing. Refusals: ``not_found``, ``own_content``, ``flag_reason_invalid``."""

    class Input:
        comment_id = graphene.ID(required=True)
        reason = FlagReasonEnum(required=True)
        note = graphene.String()

    @classmethod
    def perform(cls, root, info, *, comment_id, reason, note=""):
        user = require_signed_in(info.context.user)
        pk = pk_from_global_id(comment_id, "ReportComment", field="commentId")
        services.flag_comment(user, pk, reason=enum_value(reason), note=note)
        return cls()


SupportReport = _transition(
    "SupportReport", services.support, """"Me too": back someone else's report. Idempotent."""
)
FollowReport = _transition(
    "FollowReport",
    services.follow,
    "Hear of a report's public events (inbox, push) without backing it. Idempotent.",
)
UnfollowReport = _transition(
    "UnfollowReport", services.unfollow, "Stop following a report. Idempotent."
)
ConfirmFixed = _transition(
    "ConfirmFixed",
    services.confirm_fixed,
    'The reporter answers "is it fixed?" on a resolved report: `fixed: true` closes it '
    "(idempotent); `fixed: false` reopens it with `reason`, as `reopenReport` does.",
    fixed=graphene.Boolean(required=True),
    reason=graphene.String(),
)
RateReport = _transition(
    "RateReport",
    services.rate,
    "The reporter rates the outcome (1 to 5); a resolved report closes.",
    rating=graphene.Int(required=True),
    comment=graphene.String(),
)
ReopenReport = _transition(
    "ReopenReport",
    services.reopen,
    "The reporter disputes the outcome within the window after resolution.",
    reason=graphene.String(required=True),
)
AcceptReport = _transition(
    "AcceptReport", services.accept, "Staff: accept a submitted report.", message=graphene.String()
)
RejectReport = _transition(
    "RejectReport",
    services.reject,
    "Staff: refuse a report with a reason; abusive ones are hidden.",
    reason=RejectReasonEnum(required=True),
    message=graphene.String(),
)
StartReport = _transition(
    "StartReport", services.start, "Staff: work has started.", message=graphene.String()
)
ResolveReport = _transition(
    "ResolveReport",
    services.resolve,
    "Staff: the work is done; say what was done, with optional after photos (multipart).",
    message=graphene.String(required=True),
    photos=graphene.List(graphene.NonNull(Upload)),
)
PostReportUpdate = _transition(
    "PostReportUpdate",
    services.post_update,
    "Staff: a public update, or an internal note with public: false.",
    message=graphene.String(required=True),
    public=graphene.Boolean(default_value=True),
)


def _department(department_id):
    if not department_id:
        return None
    pk = pk_from_global_id(department_id, "Department", field="departmentId")
    department = Department.objects.filter(pk=pk).first()
    if department is None:
        raise NotFound(field="departmentId")
    return department


class AssignReport(ReportMutation):
    """Staff: assign to a handler, or dispatch to another department."""

    class Input:
        report_id = graphene.ID(required=True)
        department_id = graphene.ID(description="Another department; default the report's own.")
        handler_id = graphene.ID(description="From assignableHandlers.")
        message = graphene.String()

    @classmethod
    def perform(cls, root, info, *, report_id, department_id=None, handler_id=None, message=""):
        user = require_signed_in(info.context.user)
        report = report_from_global_id(info, report_id)
        department = _department(department_id)
        handler = None
        if handler_id:
            handler = get_user_model().objects.filter(pk=_int(handler_id)).first()
            if handler is None:
                raise NotFound(field="handlerId")
        return cls(
            report=services.assign(
                user, report, department=department, handler=handler, message=message
            )
        )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class RecategoriseReport(ReportMutation):
    """Staff: change the category; another department may then triage it."""

    class Input:
        report_id = graphene.ID(required=True)
        category = graphene.String(required=True, description="The new serviceCode.")
        message = graphene.String()

    @classmethod
    def perform(cls, root, info, *, report_id, category, message=""):
        user = require_signed_in(info.context.user)
        report = report_from_global_id(info, report_id)
        new = queries.category_by_code(category)
        return cls(report=services.recategorise(user, report, new, message=message))


class MergeReport(ReportMutation):
    """Staff: close a report as a duplicate of another; its reporter becomes a supporter."""

    class Input:
        report_id = graphene.ID(required=True, description="The duplicate.")
        original_id = graphene.ID(required=True)
        message = graphene.String()

    @classmethod
    def perform(cls, root, info, *, report_id, original_id, message=""):
        user = require_signed_in(info.context.user)
        duplicate = report_from_global_id(info, report_id)
        original = report_from_global_id(info, original_id, field="originalId")
        return cls(report=services.merge(user, duplicate, original, message=message))


SetReportPriority = _transition(
    "SetReportPriority",
    services.set_priority,
    "Staff who triage the report, or leaders over its area: set its priority; the open "
    "deadline is counted again (urgent: a quarter of the category's hours, high: half).",
    priority=ReportPriorityEnum(required=True),
    reason=graphene.String(),
)


class InstructionMutation(BaseMutation):
    instruction = graphene.Field(InstructionType)
    report = graphene.Field(ReportType)

    class Meta:
        abstract = True


class IssueInstruction(InstructionMutation):
    """Leaders over the report's area, or its department's supervisors: a written instruction
    (批示 / 督办) the department must acknowledge and answer. ``newDeadline`` becomes the
    report's deadline and the answer's; ``departmentId`` reassigns the report there. Send a
    ``clientRequestId`` to make a retry safe."""

    class Input:
        report_id = graphene.ID(required=True)
        text = graphene.String(required=True)
        new_deadline = graphene.DateTime()
        department_id = graphene.ID(description="Reassign the report to this department.")
        client_request_id = graphene.String()

    @classmethod
    def perform(cls, root, info, *, report_id, department_id=None, **data):
        user = require_signed_in(info.context.user)
        report = report_from_global_id(info, report_id)
        instruction = services.issue_instruction(
            user, report, department=_department(department_id), **data
        )
        return cls(instruction=instruction, report=instruction.report)


def _instruction(info, instruction_id):
    pk = pk_from_global_id(instruction_id, "Instruction", field="instructionId")
    instruction = InstructionType.get_node(info, pk)
    if instruction is None:
        raise NotFound(field="instructionId")
    return instruction


class AcknowledgeInstruction(InstructionMutation):
    """The instructed department: we have read it. Idempotent."""

    class Input:
        instruction_id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, *, instruction_id):
        user = require_signed_in(info.context.user)
        instruction = services.acknowledge_instruction(user, _instruction(info, instruction_id))
        return cls(instruction=instruction, report=instruction.report)


class AnswerInstruction(InstructionMutation):
    """The instructed department's written answer; it closes the instruction."""

    class Input:
        instruction_id = graphene.ID(required=True)
        answer = graphene.String(required=True)

    @classmethod
    def perform(cls, root, info, *, instruction_id, answer):
        user = require_signed_in(info.context.user)
        instruction = services.answer_instruction(
            user, _instruction(info, instruction_id), answer=answer
        )
        return cls(instruction=instruction, report=instruction.report)


class RecordCallback(BaseMutation):
    """The department's supervisor records the follow-up call (回访): whether the reporter was
    reached, what they said, and the outcome (REDO sends the report back to work, ESCALATE to
    the area's leaders)."""

    follow_up = graphene.Field(FollowUpType)

    class Input:
        follow_up_id = graphene.ID(required=True)
        reached = graphene.Boolean(required=True)
        outcome = CallbackOutcomeEnum(required=True)
        resident_view = graphene.String()

    @classmethod
    def perform(cls, root, info, *, follow_up_id, outcome, **data):
        user = require_signed_in(info.context.user)
        pk = pk_from_global_id(follow_up_id, "FollowUp", field="followUpId")
        follow_up = FollowUpType.get_node(info, pk)
        if follow_up is None:
            raise NotFound(field="followUpId")
        return cls(
            follow_up=services.record_callback(user, follow_up, outcome=enum_value(outcome), **data)
        )


class Mutation(graphene.ObjectType):
    submit_report = SubmitReport.Field()
    support_report = SupportReport.Field()
    follow_report = FollowReport.Field()
    comment_on_report = CommentOnReport.Field()
    flag_report_comment = FlagReportComment.Field()
    unfollow_report = UnfollowReport.Field()
    rate_report = RateReport.Field()
    confirm_fixed = ConfirmFixed.Field()
    reopen_report = ReopenReport.Field()
    accept_report = AcceptReport.Field()
    reject_report = RejectReport.Field()
    assign_report = AssignReport.Field()
    start_report = StartReport.Field()
    resolve_report = ResolveReport.Field()
    recategorise_report = RecategoriseReport.Field()
    post_report_update = PostReportUpdate.Field()
    merge_report = MergeReport.Field()
    set_priority = SetReportPriority.Field()
    issue_instruction = IssueInstruction.Field()
    acknowledge_instruction = AcknowledgeInstruction.Field()
    answer_instruction = AnswerInstruction.Field()
    record_callback = RecordCallback.Field()
