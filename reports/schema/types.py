"""GraphQL types for reports. What a viewer may see is decided by ``reports.privacy`` and
``reports.permissions``; the types only ask."""

import graphene
from django.urls import reverse
from graphene import relay
from graphene_django import DjangoObjectType

from civic.areas.schema.types import AreaType
from civic.core.api.enums import choices_enum, enum_value
from civic.core.api.pagination import after_cursor, connection_args, page_of_rows, page_size
from civic.core.i18n import localized
from civic.departments.schema.types import DepartmentType

from .. import queries
from ..models import (
    STATE_FAMILY,
    CallbackOutcome,
    Category,
    CategoryQuestion,
    Comment,
    EventKind,
    Family,
    FollowUp,
    FollowUpReason,
    Instruction,
    InstructionState,
    Priority,
    QuestionType,
    RejectReason,
    Report,
    State,
)
from ..permissions import can_see, can_see_staff_details, is_own
from ..privacy import (
    can_see_reporter,
    comment_author_name,
    reporter_name,
    shown_address,
    shown_area,
    shown_location,
)

ReportStateEnum = choices_enum("ReportState", State, "Where a report is in its loop (DESIGN §5).")
ReportFamilyEnum = choices_enum(
    "ReportFamily", Family, "open, fixed, or closed without a fix (rejected or duplicate)."
)
ReportEventKindEnum = choices_enum("ReportEventKind", EventKind, "What happened on the timeline.")
QuestionTypeEnum = choices_enum("QuestionType", QuestionType, "Open311 attribute datatypes.")
RejectReasonEnum = choices_enum("RejectReason", RejectReason, "Why staff refused a report.")
ReportPriorityEnum = choices_enum(
    "ReportPriority",
    Priority,
    "Urgent and high reports get a quarter and half of the category's hours; urgent ones reach "
    "the department's staff on duty at once.",
)
InstructionStateEnum = choices_enum(
    "InstructionState", InstructionState, "Where a leader's instruction is."
)
CallbackOutcomeEnum = choices_enum(
    "CallbackOutcome", CallbackOutcome, "What a follow-up call came to."
)
FollowUpReasonEnum = choices_enum("FollowUpReason", FollowUpReason, "Why a callback is owed.")


class QuestionOption(graphene.ObjectType):
    key = graphene.String(required=True)
    name = graphene.String(required=True, description="In the request's language.")


class CategoryQuestionType(DjangoObjectType):
    label = graphene.String(required=True, description="In the request's language.")
    datatype = graphene.Field(QuestionTypeEnum, required=True)
    options = graphene.List(
        graphene.NonNull(QuestionOption), required=True, description="For list answers."
    )

    class Meta:
        model = CategoryQuestion
        name = "CategoryQuestion"
        fields = ("code", "required")

    def resolve_datatype(question, info):
        return enum_value(question.datatype)

    def resolve_label(question, info):
        return question.localized_label

    def resolve_options(question, info):
        return [
            QuestionOption(key=key, name=localized(name, name_en))
            for key, name, name_en in question.option_list
        ]


class ReportCategoryType(DjangoObjectType):
    """A kind of problem (an Open311 service)."""

    name = graphene.String(required=True, description="In the request's language.")
    name_zh = graphene.String(required=True)
    name_en = graphene.String(required=True)
    group = graphene.String(required=True, description="In the request's language.")
    description = graphene.String(required=True, description="In the request's language.")
    keywords = graphene.List(graphene.NonNull(graphene.String), required=True)
    questions = graphene.List(graphene.NonNull(CategoryQuestionType), required=True)
    # Described here: descriptions taken from model help texts would be in whatever language
    # the schema happened to be built in.
    allows_anonymous = graphene.Boolean(
        required=True, description="The reporter may hide their identity from staff too."
    )
    sensitive = graphene.Boolean(
        required=True, description="The public sees an approximate location only."
    )

    class Meta:
        model = Category
        name = "ReportCategory"
        fields = (
            "service_code",
            "accept_sla_hours",
            "resolve_sla_hours",
        )

    def resolve_name(category, info):
        return category.localized_name

    def resolve_name_zh(category, info):
        return category.name

    def resolve_group(category, info):
        return category.localized_group

    def resolve_description(category, info):
        return category.localized_description

    def resolve_keywords(category, info):
        return category.keyword_list

    def resolve_questions(category, info):
        return category.questions.all()


class ReportPhotoType(graphene.ObjectType):
    """An upright copy without metadata; the upload itself is never served."""

    id = graphene.ID(required=True)
    kind = graphene.String(required=True, description="report or after.")
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)
    url = graphene.String(required=True, description="Display size (at most 1600 px).")
    thumbnail_url = graphene.String(required=True)

    class Meta:
        name = "ReportPhoto"

    def resolve_id(photo, info):
        return str(photo.pk)

    def resolve_url(photo, info):
        return _photo_url(info, photo, "display")

    def resolve_thumbnail_url(photo, info):
        return _photo_url(info, photo, "thumbnail")


def _photo_url(info, photo, size):
    path = reverse("reports:photo", kwargs={"pk": photo.pk, "size": size})
    return info.context.build_absolute_uri(path)


class ReportLocation(graphene.ObjectType):
    lat = graphene.Float(required=True)
    lon = graphene.Float(required=True)
    exact = graphene.Boolean(
        required=True,
        description="False when the category is sensitive and the point is approximate.",
    )


class ActorRole(graphene.Enum):
    REPORTER = "reporter"
    STAFF = "staff"
    SYSTEM = "system"
    RESIDENT = "resident"


class ReportEventType(graphene.ObjectType):
    kind = graphene.Field(ReportEventKindEnum, required=True)
    from_state = graphene.Field(ReportStateEnum)
    to_state = graphene.Field(ReportStateEnum)
    message = graphene.String(required=True)
    is_public = graphene.Boolean(required=True, description="False: staff only.")
    created_at = graphene.DateTime(required=True)
    actor_role = graphene.Field(ActorRole, required=True)
    actor_name = graphene.String(description="Staff viewers only.")
    rating = graphene.Int(description="On a rated event.")
    photos = graphene.List(graphene.NonNull(ReportPhotoType), required=True)

    class Meta:
        name = "ReportEvent"

    def resolve_kind(event, info):
        return enum_value(event.kind)

    def resolve_from_state(event, info):
        return enum_value(event.from_state) or None

    def resolve_to_state(event, info):
        return enum_value(event.to_state) or None

    def resolve_actor_role(event, info):
        report = event.report
        if event.actor_id is None:
            return ActorRole.SYSTEM
        if event.actor_id == report.reporter_id:
            return ActorRole.REPORTER
        if event.kind == EventKind.SUPPORTED:
            return ActorRole.RESIDENT
        return ActorRole.STAFF

    def resolve_actor_name(event, info):
        if event.actor is None or not can_see_staff_details(info.context.user, event.report):
            return None
        if event.actor_id == event.report.reporter_id and not can_see_reporter(
            info.context.user, event.report
        ):
            return None
        return str(event.actor)

    def resolve_rating(event, info):
        return event.data.get("rating")

    def resolve_photos(event, info):
        return event.photos.all()


class ReportAnswer(graphene.ObjectType):
    code = graphene.String(required=True)
    question = graphene.String(required=True, description="In the request's language.")
    values = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="One item for single answers; list keys for list questions.",
    )


class ReportContact(graphene.ObjectType):
    name = graphene.String()
    email = graphene.String()
    phone = graphene.String()


class InstructionType(DjangoObjectType):
    """A leader's instruction on a report (批示 / 督办), for its staff and leaders."""

    state = graphene.Field(InstructionStateEnum, required=True)
    issued_by_name = graphene.String()
    department = graphene.Field(DepartmentType, required=True)
    report_id = graphene.ID(required=True)

    class Meta:
        model = Instruction
        name = "Instruction"
        interfaces = (relay.Node,)
        fields = (
            "text",
            "acknowledge_by",
            "answer_by",
            "new_deadline",
            "acknowledged_at",
            "answer",
            "answered_at",
            "escalation_level",
            "created_at",
        )

    @classmethod
    def get_node(cls, info, id):
        instruction = Instruction.objects.select_related("report").filter(pk=id).first()
        if instruction is None or not can_see_staff_details(info.context.user, instruction.report):
            return None
        return instruction

    def resolve_state(instruction, info):
        return enum_value(instruction.state)

    def resolve_issued_by_name(instruction, info):
        return str(instruction.issued_by) if instruction.issued_by else None

    def resolve_report_id(instruction, info):
        return relay.Node.to_global_id("Report", instruction.report_id)


class FollowUpType(DjangoObjectType):
    """A callback (回访) the department's supervisors owe a dissatisfied reporter."""

    reason = graphene.Field(FollowUpReasonEnum, required=True)
    outcome = graphene.Field(CallbackOutcomeEnum, description="Null until the call is recorded.")
    report = graphene.Field(lambda: ReportType, required=True)
    rating = graphene.Int(description="The rating that opened it.")

    class Meta:
        model = FollowUp
        name = "FollowUp"
        interfaces = (relay.Node,)
        fields = ("due_at", "created_at", "called_at", "reached", "resident_view")

    @classmethod
    def get_node(cls, info, id):
        follow_up = FollowUp.objects.select_related("report").filter(pk=id).first()
        if follow_up is None or not can_see_staff_details(info.context.user, follow_up.report):
            return None
        return follow_up

    def resolve_reason(follow_up, info):
        return enum_value(follow_up.reason)

    def resolve_outcome(follow_up, info):
        return enum_value(follow_up.outcome) or None

    def resolve_rating(follow_up, info):
        return follow_up.rating.stars if follow_up.rating_id else None


class ReportStaffDetails(graphene.ObjectType):
    """What only the department's staff, the leaders over its area (and platform admins)
    see."""

    reporter = graphene.Field(ReportContact, description="Null when the reporter is anonymous.")
    handler_name = graphene.String()
    channel = graphene.String(required=True)
    escalation_level = graphene.Int(required=True)
    accept_deadline = graphene.DateTime()
    resolve_deadline = graphene.DateTime()
    is_overdue = graphene.Boolean(required=True)
    instructions = graphene.List(
        graphene.NonNull(InstructionType), required=True, description="Newest first."
    )
    follow_ups = graphene.List(
        graphene.NonNull(FollowUpType), required=True, description="The soonest due first."
    )

    class Meta:
        name = "ReportStaffDetails"

    def resolve_instructions(details, info):
        return details.report.instructions.all()

    def resolve_follow_ups(details, info):
        return details.report.follow_ups.all()


class ReportCommentType(DjangoObjectType):
    """A resident's comment on a public report. Who wrote it shows as a name alone, as in the
    forums (the reporter as "the reporter", unless the report names them)."""

    body = graphene.String(required=True, description="Sanitised HTML.")
    author_name = graphene.String(required=True)
    by_reporter = graphene.Boolean(required=True, description="Written by the report's reporter.")
    is_mine = graphene.Boolean(required=True)

    class Meta:
        model = Comment
        name = "ReportComment"
        interfaces = (relay.Node,)
        fields = ("created_at",)

    @classmethod
    def get_node(cls, info, id):
        found = Comment.objects.select_related("report", "author").filter(pk=id).first()
        if found is None or not can_see(info.context.user, found.report):
            return None
        return queries.visible_comments(found.report).filter(pk=id).first()

    def resolve_author_name(comment, info):
        return comment_author_name(comment, comment.report, info.context.user)

    def resolve_by_reporter(comment, info):
        return comment.author_id is not None and comment.author_id == comment.report.reporter_id

    def resolve_is_mine(comment, info):
        user = info.context.user
        return user.is_authenticated and comment.author_id == user.pk


class ReportCommentConnection(relay.Connection):
    class Meta:
        node = ReportCommentType


class ReportType(DjangoObjectType):
    number = graphene.Int(required=True, description="The report's number, as people quote it.")
    category = graphene.Field(ReportCategoryType, required=True)
    state = graphene.Field(ReportStateEnum, required=True)
    family = graphene.Field(ReportFamilyEnum, required=True)
    location = graphene.Field(ReportLocation, required=True)
    area = graphene.Field(
        AreaType,
        required=True,
        description="The grid cell it lies in; for a sensitive category, unless you are its "
        "reporter or staff, the street (no finer area is shown).",
    )
    department = graphene.Field(DepartmentType)
    reporter_name = graphene.String(description="Null unless the reporter chose to show it.")
    is_mine = graphene.Boolean(required=True)
    is_following = graphene.Boolean(
        required=True, description="Whether you follow it (false when signed out)."
    )
    photos = graphene.List(graphene.NonNull(ReportPhotoType), required=True)
    timeline = graphene.List(
        graphene.NonNull(ReportEventType),
        required=True,
        description="Oldest first; internal notes only for the department's staff.",
    )
    answers = graphene.List(graphene.NonNull(ReportAnswer), required=True)
    duplicate_of = graphene.Field(lambda: ReportType)
    staff = graphene.Field(ReportStaffDetails, description="Null unless you are its staff.")
    priority = graphene.Field(ReportPriorityEnum, required=True)
    comments = graphene.Field(
        ReportCommentConnection,
        required=True,
        **connection_args(),
        description="Residents' comments, oldest first; none on a report that is not public.",
    )

    class Meta:
        model = Report
        name = "Report"
        interfaces = (relay.Node,)
        fields = (
            "description",
            "address",
            "support_count",
            "rating",
            "rating_comment",
            "reopen_count",
            "created_at",
            "updated_at",
            "accepted_at",
            "resolved_at",
            "closed_at",
        )

    @classmethod
    def get_node(cls, info, id):
        report = queries.report_by_id(id)
        if report is None or not can_see(info.context.user, report):
            return None
        return report

    def resolve_number(report, info):
        return report.pk

    def resolve_priority(report, info):
        return enum_value(report.priority)

    def resolve_state(report, info):
        return enum_value(report.state)

    def resolve_family(report, info):
        return enum_value(STATE_FAMILY[report.state])

    def resolve_location(report, info):
        lat, lon, exact = shown_location(report, info.context.user)
        return ReportLocation(lat=lat, lon=lon, exact=exact)

    def resolve_address(report, info):
        return shown_address(report, info.context.user)

    def resolve_area(report, info):
        return shown_area(report, info.context.user)

    def resolve_reporter_name(report, info):
        return reporter_name(report, info.context.user)

    def resolve_is_mine(report, info):
        return is_own(info.context.user, report)

    def resolve_is_following(report, info):
        if hasattr(report, "viewer_follows"):
            return report.viewer_follows
        return report.pk in queries.followed_among(info.context.user, [report])

    def resolve_comments(report, info, first=None, after=None):
        size = page_size(first)
        loaded = getattr(report, "first_comments", None)
        if after or loaded is None or loaded[0] < size:
            rows = queries.visible_comments(report).order_by(*queries.COMMENT_ORDERING)
            if after:
                rows = after_cursor(rows, queries.COMMENT_ORDERING, after)
            rows = list(rows[: size + 1])
        else:
            rows = loaded[1][: size + 1]
        for row in rows:
            row.report = report
        return page_of_rows(
            ReportCommentConnection,
            rows,
            ordering=queries.COMMENT_ORDERING,
            size=size,
            after=after,
        )

    def resolve_photos(report, info):
        return [photo for photo in report.photos.all() if photo.kind == "report"]

    def resolve_timeline(report, info):
        if hasattr(report, "visible_events"):
            return report.visible_events
        staff = can_see_staff_details(info.context.user, report)
        events = list(queries.timeline(report, public_only=not staff))
        for event in events:
            event.report = report
        return events

    def resolve_answers(report, info):
        answers = []
        for question in report.category.questions.all():
            if question.code not in report.answers:
                continue
            value = report.answers[question.code]
            values = value if isinstance(value, list) else [value]
            answers.append(
                ReportAnswer(
                    code=question.code,
                    question=question.localized_label,
                    values=[str(item) for item in values],
                )
            )
        return answers

    def resolve_duplicate_of(report, info):
        original = report.duplicate_of
        if original is None or not can_see(info.context.user, original):
            return None
        return original

    def resolve_staff(report, info):
        user = info.context.user
        if not can_see_staff_details(user, report):
            return None
        contact = None
        if can_see_reporter(user, report):
            person = report.reporter
            contact = (
                ReportContact(name=str(person), email=person.email, phone=person.phone)
                if person
                else ReportContact(**{k: report.contact.get(k) for k in ("name", "email", "phone")})
            )
        details = ReportStaffDetails(
            reporter=contact,
            handler_name=str(report.handler) if report.handler else None,
            channel=enum_value(report.channel),
            escalation_level=report.escalation_level,
            accept_deadline=report.accept_deadline,
            resolve_deadline=report.resolve_deadline,
            is_overdue=queries.is_overdue(report),
        )
        details.report = report
        return details


class ReportConnection(relay.Connection):
    class Meta:
        node = ReportType


class NearbyReport(graphene.ObjectType):
    report = graphene.Field(ReportType, required=True)
    distance = graphene.Float(required=True, description="Metres from the point asked about.")


class SimilarReport(graphene.ObjectType):
    """An open report near a point that may be the same problem as a text describes."""

    report = graphene.Field(ReportType, required=True)
    distance = graphene.Float(required=True, description="Metres from the point asked about.")
    similarity = graphene.Float(
        required=True,
        description="0 to 1: how alike the problems are, by meaning, words and distance.",
    )


class CategorySuggestion(graphene.ObjectType):
    """A category the smart intake suggests for what a resident wrote."""

    category = graphene.Field(ReportCategoryType, required=True)
    confidence = graphene.Float(
        required=True, description="0 to 1: how likely the text belongs to this category."
    )


class StaffMember(graphene.ObjectType):
    """Someone a report can be assigned to."""

    id = graphene.ID(required=True, description="Pass as handlerId.")
    name = graphene.String(required=True)
    role = graphene.String(required=True)


class ResponseTemplateType(graphene.ObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    text = graphene.String(required=True, description="In the request's language.")
    for_action = graphene.String(description="rejected, resolved or update; null for any.")

    class Meta:
        name = "ResponseTemplate"

    def resolve_id(template, info):
        return str(template.pk)

    def resolve_text(template, info):
        return template.localized_text

    def resolve_for_action(template, info):
        return template.for_action or None
