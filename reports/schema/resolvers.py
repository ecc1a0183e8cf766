import graphene
from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from civic.areas.geometry import InvalidCoordinates, check_coordinates
from civic.areas.queries import area_by_id, attach_ancestors
from civic.core.api.enums import enum_value
from civic.core.api.ids import pk_from_global_id
from civic.core.api.pagination import connection_args, page_size, paginate
from civic.core.api.selection import selected_arguments, selected_fields
from civic.core.errors import DomainError, NotFound
from civic.core.permissions import require, require_signed_in
from civic.departments.models import Membership

from .. import classify, queries
from ..models import FollowUp, Instruction, ReportEvent
from ..permissions import can_open_queue, can_see_staff_details, can_triage
from .types import (
    CategorySuggestion,
    FollowUpType,
    NearbyReport,
    ReportCategoryType,
    ReportConnection,
    ReportFamilyEnum,
    ReportPriorityEnum,
    ReportStateEnum,
    ReportType,
    ResponseTemplateType,
    SimilarReport,
    StaffMember,
)

FEED_ORDER = ("-created_at", "-id")
PRIORITY_ORDER = ("priority_rank", "-created_at", "-id")


class StaffReportOrder(graphene.Enum):
    """How the staff queue is ordered."""

    NEWEST = "newest"
    PRIORITY = "priority"

    @property
    def description(self):
        if self == StaffReportOrder.PRIORITY:
            return "Urgent first, then high, then normal; newest first within each."
        return "Newest first."


class InvalidRadius(DomainError):
    code = "invalid_radius"
    default_message = _("The radius must be between 1 metre and the maximum.")


class InvalidBoundingBox(DomainError):
    code = "invalid_bbox"
    default_message = _("The box needs minLat ≤ maxLat and minLon ≤ maxLon, on Earth.")


class BoundingBoxInput(graphene.InputObjectType):
    min_lat = graphene.Float(required=True)
    min_lon = graphene.Float(required=True)
    max_lat = graphene.Float(required=True)
    max_lon = graphene.Float(required=True)


def _bbox(box):
    if box is None:
        return None
    try:
        check_coordinates(box.min_lat, box.min_lon)
        check_coordinates(box.max_lat, box.max_lon)
    except DomainError:
        raise InvalidBoundingBox(field="bbox") from None
    if box.min_lat > box.max_lat or box.min_lon > box.max_lon:
        raise InvalidBoundingBox(field="bbox")
    return (box.min_lat, box.min_lon, box.max_lat, box.max_lon)


def _category(code, field="category"):
    if code is None:
        return None
    category = queries.category_by_code(code)
    if category is None:
        raise NotFound(field=field)
    return category


def report_from_global_id(info, global_id, field="reportId"):
    """The report a global ID names, if the viewer may see it; NotFound otherwise, so that a
    hidden report's existence is not revealed."""
    report = queries.report_visible_to(
        info.context.user, pk_from_global_id(global_id, "Report", field=field)
    )
    if report is None:
        raise NotFound(field=field)
    return report


def prepare_reports(info, *path):
    """A ``prepare`` for ``paginate``: load what the query selected for the whole page in one
    query per relation, so the number of queries does not grow with the page size."""
    wanted = selected_fields(info, *path)
    user = info.context.user

    def prepare(reports):
        if "area" in wanted:
            attach_ancestors([report.area for report in reports])
        if "department" in wanted:
            prefetch_related_objects(reports, "department__areas")
        if wanted & {"answers", "category"}:
            prefetch_related_objects(reports, "category__questions")
        if "duplicateOf" in wanted:
            prefetch_related_objects(reports, "duplicate_of")
        if "timeline" in wanted:
            _attach_timelines(reports, user)
        if "comments" in wanted:
            # The first page of each report's comments, all in one query (the size the query
            # asks for; a further page is asked of one report at a time).
            size = max(
                page_size(args.get("first")) for args in selected_arguments(info, *path, "comments")
            )
            loaded = queries.first_comments(reports, size + 1)
            for report in reports:
                report.first_comments = (size, loaded[report.pk])
        if "isFollowing" in wanted:
            followed = queries.followed_among(user, reports)
            for report in reports:
                report.viewer_follows = report.pk in followed
        if "staff" in wanted:
            prefetch_related_objects(
                reports,
                Prefetch(
                    "instructions",
                    queryset=Instruction.objects.select_related("department", "issued_by"),
                ),
                Prefetch("follow_ups", queryset=FollowUp.objects.select_related("rating")),
            )

    return prepare


def _attach_timelines(reports, user):
    staff_of = {report.pk for report in reports if can_see_staff_details(user, report)}
    by_report = {report.pk: [] for report in reports}
    events = (
        ReportEvent.objects.filter(report__in=reports)
        .select_related("actor")
        .prefetch_related("photos")
        .order_by("created_at", "pk")
    )
    for event in events:
        if event.is_public or event.report_id in staff_of:
            by_report[event.report_id].append(event)
    for report in reports:
        for event in by_report[report.pk]:
            event.report = report
        report.visible_events = by_report[report.pk]


def _optional_point(lat, lon):
    """Both coordinates or neither."""
    if lat is None and lon is None:
        return None, None
    if lat is None or lon is None:
        raise InvalidCoordinates(field="lat" if lat is None else "lon")
    check_coordinates(lat, lon)
    return lat, lon


def _text(description):
    # Only as much as a report may hold is read.
    return (description or "")[: settings.REPORTS_MAX_DESCRIPTION]


class Query(graphene.ObjectType):
    report_categories = graphene.List(
        graphene.NonNull(ReportCategoryType),
        required=True,
        description="Every active category (for filters). To report, use categoriesAt.",
    )
    categories_at = graphene.List(
        graphene.NonNull(ReportCategoryType),
        required=True,
        lat=graphene.Float(required=True),
        lon=graphene.Float(required=True),
        description="Categories some department handles at this point; empty outside the city.",
    )
    report = graphene.Field(ReportType, id=graphene.ID(required=True))
    reports = graphene.Field(
        ReportConnection,
        required=True,
        area_id=graphene.ID(description="Reports inside this area (a district, a grid…)."),
        category=graphene.String(description="A category's serviceCode."),
        family=ReportFamilyEnum(),
        bbox=BoundingBoxInput(description="Only reports inside this box."),
        **connection_args(),
        description="The public feed, newest first.",
    )
    my_reports = graphene.Field(
        ReportConnection,
        required=True,
        family=ReportFamilyEnum(),
        **connection_args(),
        description="Reports you made, newest first (hidden ones included).",
    )
    nearby_reports = graphene.List(
        graphene.NonNull(NearbyReport),
        required=True,
        lat=graphene.Float(required=True),
        lon=graphene.Float(required=True),
        radius=graphene.Float(default_value=100, description="Metres; at most the maximum."),
        category=graphene.String(description="A category's serviceCode."),
        first=graphene.Int(description="The nearest this many; at most 50, 20 by default."),
        description="Open reports near a point, nearest first: ask before submitting.",
    )
    suggest_categories = graphene.Field(
        graphene.List(graphene.NonNull(CategorySuggestion)),
        required=True,
        args={
            "description": graphene.String(required=True, description="What the resident wrote."),
            "lat": graphene.Float(description="With lon: only categories offered there."),
            "lon": graphene.Float(),
            "first": graphene.Int(default_value=3, description="At most this many; 3 by default."),
        },
        description="Categories the text likely belongs to, the likeliest first (smart intake). "
        "Empty when nothing can be suggested: the resident then chooses from categoriesAt.",
    )
    similar_reports = graphene.Field(
        graphene.List(graphene.NonNull(SimilarReport)),
        required=True,
        args={
            "description": graphene.String(required=True, description="What the resident wrote."),
            "lat": graphene.Float(required=True),
            "lon": graphene.Float(required=True),
            "first": graphene.Int(default_value=5, description="At most this many; 5 by default."),
        },
        description="Open reports near the point and recent, likeliest duplicate first, by what "
        "the text means as well as by distance: ask before submitting.",
    )
    staff_reports = graphene.Field(
        ReportConnection,
        required=True,
        states=graphene.List(graphene.NonNull(ReportStateEnum)),
        category=graphene.String(),
        area_id=graphene.ID(),
        overdue=graphene.Boolean(),
        priority=ReportPriorityEnum(),
        min_escalation_level=graphene.Int(
            description="Only reports escalated this far (3: to the district's leaders)."
        ),
        order_by=StaffReportOrder(default_value=StaffReportOrder.NEWEST.value),
        **connection_args(),
        description="Staff: your departments' reports; leaders: every report in your area "
        "(with minEscalationLevel: 3, the escalations waiting for you).",
    )
    my_follow_ups = graphene.List(
        graphene.NonNull(FollowUpType),
        required=True,
        open_only=graphene.Boolean(default_value=True),
        description="Supervisors: the follow-up calls (回访) your departments owe, the most "
        "pressing first.",
    )
    assignable_handlers = graphene.List(
        graphene.NonNull(StaffMember),
        required=True,
        report_id=graphene.ID(required=True),
        department_id=graphene.ID(description="Another department to dispatch to."),
        description="Staff: who a report can be assigned to.",
    )
    response_templates = graphene.List(
        graphene.NonNull(ResponseTemplateType),
        required=True,
        report_id=graphene.ID(required=True),
        description="Staff: canned replies for this report's category.",
    )

    def resolve_report_categories(root, info):
        return queries.active_categories()

    def resolve_categories_at(root, info, lat, lon):
        check_coordinates(lat, lon)
        _areas, categories = queries.categories_at(lat, lon)
        return categories

    def resolve_report(root, info, id):
        return ReportType.get_node(info, pk_from_global_id(id, "Report", field="id"))

    def resolve_reports(
        root, info, area_id=None, category=None, family=None, bbox=None, first=None, after=None
    ):
        area = None
        if area_id:
            area = area_by_id(pk_from_global_id(area_id, "Area", field="areaId"))
        qs = queries.filter_reports(
            queries.public_reports(),
            area=area,
            viewer=info.context.user,
            category=_category(category),
            family=enum_value(family),
            bbox=_bbox(bbox),
        )
        if area_id and area is None:
            qs = qs.none()
        return paginate(
            ReportConnection,
            qs,
            ordering=FEED_ORDER,
            first=first,
            after=after,
            prepare=prepare_reports(info, "edges", "node"),
        )

    def resolve_my_reports(root, info, family=None, first=None, after=None):
        user = require_signed_in(info.context.user)
        qs = queries.filter_reports(queries.reports_of(user), family=enum_value(family))
        return paginate(
            ReportConnection,
            qs,
            ordering=FEED_ORDER,
            first=first,
            after=after,
            prepare=prepare_reports(info, "edges", "node"),
        )

    def resolve_nearby_reports(root, info, lat, lon, radius=100, category=None, first=None):
        check_coordinates(lat, lon)
        limit = page_size(first)
        maximum = settings.REPORTS_NEARBY_MAX_RADIUS_M
        if not 1 <= radius <= maximum:
            raise InvalidRadius(
                _("The radius must be between 1 and %(max)s metres.") % {"max": maximum},
                field="radius",
            )
        found = queries.nearby_open_reports(
            lat, lon, radius, category=_category(category), limit=limit
        )
        prepare_reports(info, "report")([report for report, _metres in found])
        return [NearbyReport(report=report, distance=round(metres, 1)) for report, metres in found]

    def resolve_suggest_categories(root, info, description, lat=None, lon=None, first=3):
        lat, lon = _optional_point(lat, lon)
        return classify.suggest(_text(description), lat, lon, first=page_size(first))

    def resolve_similar_reports(root, info, description, lat, lon, first=5):
        check_coordinates(lat, lon)
        found = classify.similar_reports(_text(description), lat, lon, limit=page_size(first))
        prepare_reports(info, "report")([report for report, _metres, _score in found])
        return [
            SimilarReport(report=report, distance=round(metres, 1), similarity=score)
            for report, metres, score in found
        ]

    def resolve_staff_reports(
        root,
        info,
        states=None,
        category=None,
        area_id=None,
        overdue=None,
        priority=None,
        min_escalation_level=None,
        order_by=StaffReportOrder.NEWEST.value,
        first=None,
        after=None,
    ):
        user = require_signed_in(info.context.user)
        require(can_open_queue(user))
        area = area_by_id(pk_from_global_id(area_id, "Area", field="areaId")) if area_id else None
        qs = queries.filter_reports(
            queries.staff_queue(user),
            area=area,
            viewer=user,
            category=_category(category),
            states=[enum_value(state) for state in states or ()],
            overdue=overdue,
        )
        if priority:
            qs = qs.filter(priority=enum_value(priority))
        if min_escalation_level:
            qs = qs.filter(escalation_level__gte=min_escalation_level)
        ordering = FEED_ORDER
        if enum_value(order_by) == StaffReportOrder.PRIORITY.value:
            qs, ordering = qs.annotate(priority_rank=queries.PRIORITY_ORDER), PRIORITY_ORDER
        return paginate(
            ReportConnection,
            qs,
            ordering=ordering,
            first=first,
            after=after,
            prepare=prepare_reports(info, "edges", "node"),
        )

    def resolve_my_follow_ups(root, info, open_only=True):
        user = require_signed_in(info.context.user)
        return queries.follow_ups_for(user, open_only=open_only)

    def resolve_assignable_handlers(root, info, report_id, department_id=None):
        report = report_from_global_id(info, report_id)
        require(can_triage(info.context.user, report))
        department_pk = report.department_id
        if department_id:
            department_pk = pk_from_global_id(department_id, "Department", field="departmentId")
        members = (
            Membership.objects.filter(department_id=department_pk)
            .select_related("user")
            .order_by("user__display_name", "user__pk")
        )
        return [
            StaffMember(id=str(m.user.pk), name=str(m.user), role=m.role)
            for m in members
            if m.user.is_active
        ]

    def resolve_response_templates(root, info, report_id):
        report = report_from_global_id(info, report_id)
        require(can_see_staff_details(info.context.user, report))
        return queries.response_templates_for(report.category)
