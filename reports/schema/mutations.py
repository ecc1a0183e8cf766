"""Report mutations: thin wrappers that parse input, find the report and call a service.

Every mutation takes the report's global ID as ``reportId`` and returns the report as the
caller may now see it. Retried transitions return the report unchanged (see services)."""

import graphene
from django.contrib.auth import get_user_model

from civic.core.api.enums import enum_value
from civic.core.api.ids import pk_from_global_id
from civic.core.api.mutations import BaseMutation
from civic.core.api.uploads import Upload
from civic.core.errors import NotFound
from civic.core.permissions import require_signed_in
from civic.departments.models import Department

from .. import queries, services
from ..models import Channel
from .resolvers import report_from_global_id
from .types import RejectReasonEnum, ReportType


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
        department = None
        if department_id:
            pk = pk_from_global_id(department_id, "Department", field="departmentId")
            department = Department.objects.filter(pk=pk).first()
            if department is None:
                raise NotFound(field="departmentId")
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


class Mutation(graphene.ObjectType):
    submit_report = SubmitReport.Field()
    support_report = SupportReport.Field()
    follow_report = FollowReport.Field()
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
