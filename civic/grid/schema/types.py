"""GraphQL types of the grid: a cell's workers, a worker's tasks and patrols, the summary."""

import graphene
from django.utils import timezone
from graphene import relay
from graphql_relay import to_global_id

from civic.areas.schema.types import AreaType
from civic.core.api.enums import choices_enum, enum_value
from civic.core.i18n import localized
from reports.schema.types import ReportType

from .. import navigation, queries
from ..models import TaskState

GridTaskStateEnum = choices_enum("GridTaskState", TaskState, "Where a verification task is (核查).")


class GridWorker(graphene.ObjectType):
    display_name = graphene.String(required=True)
    work_phone = graphene.String(description="Null when the worker gave none.")

    def resolve_display_name(post, info):
        return post.user.display_name or post.user.username

    def resolve_work_phone(post, info):
        return post.work_phone or None


class GridCell(graphene.ObjectType):
    area = graphene.Field(AreaType, required=True)
    workers = graphene.List(
        graphene.NonNull(GridWorker),
        required=True,
        description="The workers who look after the cell and agreed to be shown.",
    )

    def resolve_area(cell, info):
        return cell

    def resolve_workers(cell, info):
        return list(queries.public_workers(cell))


class NavigationLinks(graphene.ObjectType):
    geo = graphene.String(required=True, description="geo: URI (RFC 5870), WGS-84.")
    amap = graphene.String(required=True, description="AMap URL scheme, GCJ-02.")
    baidu = graphene.String(required=True, description="Baidu Maps URL scheme, BD-09.")


class GridCheckIn(graphene.ObjectType):
    lat = graphene.Float(required=True)
    lon = graphene.Float(required=True)
    distance_m = graphene.Float(required=True, description="From the report, in metres.")
    inside_cell = graphene.Boolean(required=True)
    created_at = graphene.DateTime(required=True)


class GridTask(graphene.ObjectType):
    """A report to verify on site. Only its worker and the cell's supervisors see it."""

    class Meta:
        interfaces = (relay.Node,)

    state = graphene.Field(GridTaskStateEnum, required=True)
    deadline = graphene.DateTime(required=True)
    created_at = graphene.DateTime(required=True)
    done_at = graphene.DateTime()
    on_time = graphene.Boolean(description="Null until done.")
    overdue = graphene.Boolean(required=True)
    report_id = graphene.ID(required=True)
    category = graphene.String(required=True, description="In the request's language.")
    description = graphene.String(required=True)
    address = graphene.String(required=True)
    lat = graphene.Float(required=True)
    lon = graphene.Float(required=True)
    photo_required = graphene.Boolean(
        required=True, description="Checking in needs a photo (the category asks for one)."
    )
    area_id = graphene.ID(required=True)
    area_name = graphene.String(required=True)
    navigation = graphene.Field(NavigationLinks, required=True)
    report = graphene.Field(ReportType, required=True)
    check_ins = graphene.List(graphene.NonNull(GridCheckIn), required=True)

    @classmethod
    def get_node(cls, info, id):
        return queries.task_for(info.context.user, id)

    @classmethod
    def is_type_of(cls, root, info):
        return root.__class__.__name__ == "Task"

    def resolve_state(task, info):
        return enum_value(task.state)

    def resolve_on_time(task, info):
        return task.on_time if task.done_at else None

    def resolve_overdue(task, info):
        return task.done_at is None and task.deadline < timezone.now()

    def resolve_report_id(task, info):
        return to_global_id("Report", task.report_id)

    def resolve_category(task, info):
        return task.report.category.localized_name

    def resolve_description(task, info):
        return task.report.description

    def resolve_address(task, info):
        return task.report.address

    def resolve_lat(task, info):
        return task.report.lat

    def resolve_lon(task, info):
        return task.report.lon

    def resolve_photo_required(task, info):
        return task.report.category.verification_photo_required

    def resolve_area_id(task, info):
        return to_global_id("Area", task.area_id)

    def resolve_area_name(task, info):
        return task.area.localized_name

    def resolve_navigation(task, info):
        report = task.report
        return navigation.links(report.lat, report.lon, report.address or str(task.area))

    def resolve_report(task, info):
        return task.report

    def resolve_check_ins(task, info):
        return list(task.check_ins.all())


class TrackPoint(graphene.ObjectType):
    lat = graphene.Float(required=True)
    lon = graphene.Float(required=True)
    recorded_at = graphene.DateTime(required=True)


class Patrol(graphene.ObjectType):
    """A patrol of a cell. Only its worker and the cell's supervisors see it."""

    class Meta:
        name = "GridPatrol"
        interfaces = (relay.Node,)

    area_id = graphene.ID(required=True)
    area_name = graphene.String(required=True)
    worker_name = graphene.String(required=True)
    started_at = graphene.DateTime(required=True)
    ended_at = graphene.DateTime(description="Null while the patrol goes on.")
    length_m = graphene.Float(required=True)
    duration_s = graphene.Int(required=True)
    coverage = graphene.Float(
        required=True, description="Share (0 to 1) of the cell the patrol came within 30 m of."
    )
    track_deleted = graphene.Boolean(
        required=True, description="The track is past its retention period; figures remain."
    )
    track = graphene.List(graphene.NonNull(TrackPoint), required=True, description="In time order.")

    @classmethod
    def get_node(cls, info, id):
        return queries.patrol_for(info.context.user, id)

    @classmethod
    def is_type_of(cls, root, info):
        return root.__class__.__name__ == "Patrol"

    def resolve_area_id(patrol, info):
        return to_global_id("Area", patrol.area_id)

    def resolve_area_name(patrol, info):
        return patrol.area.localized_name

    def resolve_worker_name(patrol, info):
        return patrol.worker.display_name or patrol.worker.username

    def resolve_track(patrol, info):
        return [
            TrackPoint(lat=p.lat, lon=p.lon, recorded_at=p.recorded_at)
            for p in queries.track(patrol)
        ]


class GridSummaryRow(graphene.ObjectType):
    """One worker in one cell on one day."""

    worker_name = graphene.String(required=True)
    area_id = graphene.ID(required=True)
    area_code = graphene.String(required=True)
    area_name = graphene.String(required=True)
    patrols = graphene.Int(required=True)
    patrol_seconds = graphene.Int(required=True)
    distance_m = graphene.Float(required=True)
    coverage = graphene.Float(required=True, description="The best patrol's coverage (0 to 1).")
    reports_found = graphene.Int(required=True, description="Filed on patrol.")
    tasks_verified = graphene.Int(required=True)
    tasks_on_time = graphene.Int(required=True)

    def resolve_area_id(row, info):
        return to_global_id("Area", row.area_id)

    def resolve_area_name(row, info):
        return localized(row.area_name, row.area_name_en)
