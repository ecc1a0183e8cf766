"""The worker app's mutations: thin wrappers that find the task or patrol, call a service and
return it. Retries (the same ``clientRequestId``, the same point ids) change nothing."""

import graphene

from civic.core.api.enums import enum_value
from civic.core.api.ids import pk_from_global_id
from civic.core.api.mutations import BaseMutation, MutationError, client_field_name
from civic.core.api.uploads import Upload
from civic.core.errors import NotFound
from civic.core.permissions import require_signed_in
from reports import queries as report_queries
from reports.schema.types import RejectReasonEnum, ReportType

from .. import queries, services
from .resolvers import area_from_global_id
from .types import GridTask, Patrol


class GridLocationInput(graphene.InputObjectType):
    lat = graphene.Float(required=True)
    lon = graphene.Float(required=True)


def _task(info, task_id):
    task = queries.task_for(
        info.context.user, pk_from_global_id(task_id, "GridTask", field="taskId")
    )
    if task is None:
        raise NotFound(field="taskId")
    return task


def _patrol(info, patrol_id):
    patrol = queries.patrol_for(
        info.context.user, pk_from_global_id(patrol_id, "GridPatrol", field="patrolId")
    )
    if patrol is None:
        raise NotFound(field="patrolId")
    return patrol


class TaskMutation(BaseMutation):
    task = graphene.Field(GridTask)

    class Meta:
        abstract = True


class CheckIn(TaskMutation):
    """The worker is on site: the phone's position (inside the cell or near the report), and
    a photo (multipart) when the task's photoRequired says so. Refused with not_on_site when
    too far away."""

    class Input:
        task_id = graphene.ID(required=True)
        location = GridLocationInput(required=True)
        photos = graphene.List(graphene.NonNull(Upload))
        client_request_id = graphene.String()

    @classmethod
    def perform(cls, root, info, *, task_id, location, photos=None, client_request_id=""):
        user = require_signed_in(info.context.user)
        task = services.check_in(
            user,
            _task(info, task_id),
            lat=location.lat,
            lon=location.lon,
            photos=photos or (),
            client_request_id=client_request_id,
        )
        return cls(task=task)


class ConfirmReport(TaskMutation):
    """After checking in: the problem is there; the report is accepted for dispatch."""

    class Input:
        task_id = graphene.ID(required=True)
        message = graphene.String()

    @classmethod
    def perform(cls, root, info, *, task_id, message=""):
        user = require_signed_in(info.context.user)
        return cls(task=services.confirm(user, _task(info, task_id), message=message))


class ResolveOnSite(TaskMutation):
    """After checking in: fixed on the spot (小事不出网格); say what was done, with at least
    one after photo (multipart)."""

    class Input:
        task_id = graphene.ID(required=True)
        message = graphene.String(required=True)
        photos = graphene.List(graphene.NonNull(Upload), required=True)

    @classmethod
    def perform(cls, root, info, *, task_id, message, photos):
        user = require_signed_in(info.context.user)
        task = services.resolve_here(user, _task(info, task_id), message=message, photos=photos)
        return cls(task=task)


class MarkInvalid(TaskMutation):
    """After checking in: nothing to be done here; the report is refused with the reason."""

    class Input:
        task_id = graphene.ID(required=True)
        reason = RejectReasonEnum(required=True)
        message = graphene.String(required=True, description="What you found on site.")

    @classmethod
    def perform(cls, root, info, *, task_id, reason, message):
        user = require_signed_in(info.context.user)
        task = services.mark_invalid(
            user, _task(info, task_id), reason=enum_value(reason), message=message
        )
        return cls(task=task)


class PatrolMutation(BaseMutation):
    patrol = graphene.Field(Patrol)

    class Meta:
        abstract = True


class StartPatrol(PatrolMutation):
    """Start patrolling one of your cells. A retry with the same clientRequestId returns the
    same patrol."""

    class Input:
        area_id = graphene.ID(required=True)
        client_request_id = graphene.String()

    @classmethod
    def perform(cls, root, info, *, area_id, client_request_id=""):
        user = require_signed_in(info.context.user)
        patrol = services.start_patrol(
            user, area_from_global_id(area_id), client_request_id=client_request_id
        )
        return cls(patrol=patrol)


class PatrolPointInput(graphene.InputObjectType):
    client_id = graphene.String(required=True, description="The phone's own id for the fix.")
    lat = graphene.Float(required=True)
    lon = graphene.Float(required=True)
    recorded_at = graphene.String(required=True, description="ISO 8601 with offset.")


class RecordPatrolPoints(PatrolMutation):
    """A batch of GPS fixes. Send batches again when unsure, in any order: known point ids
    count as duplicates. Bad points are listed in ``rejected`` (field ``points.<index>``);
    the batch's good points are kept."""

    accepted = graphene.Int(description="Points stored now.")
    duplicates = graphene.Int(description="Points already stored (or repeated in the batch).")
    rejected = graphene.List(graphene.NonNull(MutationError))

    class Input:
        patrol_id = graphene.ID(required=True)
        points = graphene.List(graphene.NonNull(PatrolPointInput), required=True)

    @classmethod
    def perform(cls, root, info, *, patrol_id, points):
        user = require_signed_in(info.context.user)
        result = services.record_points(user, _patrol(info, patrol_id), [dict(p) for p in points])
        for error in result.rejected:
            error.field = client_field_name(error.field)
        return cls(
            patrol=result.patrol,
            accepted=result.accepted,
            duplicates=result.duplicates,
            rejected=result.rejected,
        )


class EndPatrol(PatrolMutation):
    """End the patrol; its length, duration and coverage are computed. Idempotent."""

    class Input:
        patrol_id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, *, patrol_id):
        user = require_signed_in(info.context.user)
        return cls(patrol=services.end_patrol(user, _patrol(info, patrol_id)))


class ReportOnPatrol(BaseMutation):
    """A problem found on patrol: filed as a report on the ``patrol`` channel (it counts in your
    figures and earns no points). Photos as for submitReport (multipart); a retry with the same
    clientRequestId returns the same report."""

    report = graphene.Field(ReportType)

    class Input:
        patrol_id = graphene.ID(required=True)
        category = graphene.String(required=True, description="The category's serviceCode.")
        description = graphene.String()
        location = GridLocationInput()
        address = graphene.String()
        photos = graphene.List(graphene.NonNull(Upload))
        client_request_id = graphene.String(required=True)

    @classmethod
    def perform(cls, root, info, *, patrol_id, category, location=None, **data):
        user = require_signed_in(info.context.user)
        report = services.file_patrol_report(
            user,
            _patrol(info, patrol_id),
            category=report_queries.category_by_code(category),
            lat=location.lat if location else None,
            lon=location.lon if location else None,
            **data,
        )
        return cls(report=report)


class Mutation(graphene.ObjectType):
    check_in = CheckIn.Field()
    confirm_report = ConfirmReport.Field()
    resolve_on_site = ResolveOnSite.Field()
    mark_invalid = MarkInvalid.Field()
    start_patrol = StartPatrol.Field()
    record_patrol_points = RecordPatrolPoints.Field()
    end_patrol = EndPatrol.Field()
    report_on_patrol = ReportOnPatrol.Field()
