"""Read helpers: routing, what is offered where, feeds, nearby reports, staff queues."""

import math
from datetime import timedelta

from django.conf import settings
from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from civic.areas.queries import ancestor_paths, area_at
from civic.core.permissions import is_platform_admin
from civic.departments.models import MemberRole
from civic.departments.permissions import department_roles

from .models import (
    FAMILY_STATES,
    OPEN_STATES,
    PRIORITY_RANK,
    Category,
    CategoryQuestion,
    Comment,
    CommentFlag,
    EventKind,
    Follower,
    FollowUp,
    Report,
    ReportEvent,
    ReportPhoto,
    ResponseTemplate,
    RoutingRule,
    State,
    Support,
)
from .permissions import can_see, leader_area_path, staff_department_ids
from .privacy import with_public_coordinates, within_area

PRIORITY_ORDER = Case(
    *[When(priority=priority, then=Value(rank)) for priority, rank in PRIORITY_RANK.items()],
    default=Value(len(PRIORITY_RANK)),
    output_field=IntegerField(),
)

EARTH_RADIUS_M = 6_371_000
METRES_PER_DEGREE = 111_320


def active_categories():
    return (
        Category.objects.filter(is_active=True)
        .prefetch_related(Prefetch("questions", queryset=CategoryQuestion.objects.all()))
        .order_by("sort_order", "service_code")
    )


def category_by_code(service_code):
    return active_categories().filter(service_code=service_code).first()


def route(category, area):
    """The department that handles ``category`` in ``area``: the rule on the deepest area
    containing it, else the category's default department if it serves the area."""
    paths = ancestor_paths(area.path)
    rule = (
        RoutingRule.objects.filter(
            category=category, area__path__in=paths, department__is_active=True
        )
        .select_related("department")
        .order_by("-area__depth")
        .first()
    )
    if rule is not None:
        return rule.department
    default = category.default_department
    if default is not None and default.is_active and default.areas.filter(path__in=paths).exists():
        return default
    return None


def categories_offered_in(area):
    """Categories some active department handles in ``area``."""
    paths = ancestor_paths(area.path)
    return (
        active_categories()
        .filter(
            Q(routes__area__path__in=paths, routes__department__is_active=True)
            | Q(default_department__is_active=True, default_department__areas__path__in=paths)
        )
        .distinct()
    )


def categories_at(lat, lon):
    """``(areas city-first, categories)`` at a point; no categories outside the city."""
    areas = area_at(lat, lon)
    if not areas:
        return areas, Category.objects.none()
    return areas, categories_offered_in(areas[-1])


def with_listing_data(queryset):
    """What a list of reports shows, in a fixed number of queries whatever the page size."""
    return queryset.select_related(
        "category", "area", "department", "reporter", "handler"
    ).prefetch_related(
        Prefetch("photos", queryset=ReportPhoto.objects.order_by("sort_order", "pk"))
    )


def public_reports():
    return with_listing_data(Report.objects.filter(is_public=True))


def recent_addresses(text, *, limit, days=90):
    """Public reports of the last ``days`` whose written address contains ``text``, newest
    first; never a sensitive category's, whose address the public may not learn."""
    since = timezone.now() - timedelta(days=days)
    return (
        Report.objects.filter(
            is_public=True,
            category__sensitive=False,
            created_at__gte=since,
            address__icontains=text,
        )
        .select_related("category")
        .order_by("-created_at", "-pk")[:limit]
    )


def report_by_id(pk):
    try:
        return with_listing_data(Report.objects.all()).select_related("reporter").get(pk=int(pk))
    except (Report.DoesNotExist, TypeError, ValueError):
        return None


def report_visible_to(user, pk):
    """The report ``pk`` names if ``user`` may see it; None otherwise, so that a hidden
    report's existence is not revealed."""
    report = report_by_id(pk)
    if report is None or not can_see(user, report):
        return None
    return report


def filter_reports(
    queryset,
    *,
    area=None,
    viewer=None,
    category=None,
    family=None,
    states=None,
    bbox=None,
    overdue=None,
):
    """Narrow a reports queryset by the filters every list offers.

    ``bbox`` is ``(min_lat, min_lon, max_lat, max_lon)``. An area finer than a street finds
    sensitive reports only for ``viewer``'s own and staff ones (``privacy.within_area``).
    """
    if area is not None:
        queryset = queryset.filter(within_area(area, viewer))
    if category is not None:
        queryset = queryset.filter(category=category)
    if family is not None:
        queryset = queryset.filter(state__in=FAMILY_STATES[family])
    if states:
        queryset = queryset.filter(state__in=states)
    if bbox is not None:
        queryset = in_public_box(queryset, *bbox)
    if overdue:
        queryset = queryset.filter(overdue_filter())
    return queryset


def in_public_box(queryset, min_lat, min_lon, max_lat, max_lon):
    """Reports whose public coordinates lie in the box (see ``privacy.shown_location``).

    Filtering on the exact columns would let a series of small boxes find a sensitive report's
    spot. The exact columns still narrow the rows by index first, in the box widened by what
    coarsening can move a point: half a step, as a coarse point is the centre of the
    step-wide square its exact point lies in (and a hair more for floating point), no wider.
    """
    margin = settings.REPORTS_COARSE_DEGREES / 2 + 1e-9
    return with_public_coordinates(
        queryset.filter(
            lat__gte=min_lat - margin,
            lat__lte=max_lat + margin,
            lon__gte=min_lon - margin,
            lon__lte=max_lon + margin,
        )
    ).filter(
        public_lat__gte=min_lat,
        public_lat__lte=max_lat,
        public_lon__gte=min_lon,
        public_lon__lte=max_lon,
    )


def overdue_filter(now=None):
    now = now or timezone.now()
    return Q(state=State.SUBMITTED, accept_deadline__lt=now) | Q(
        state__in=OPEN_STATES[1:], resolve_deadline__lt=now
    )


def is_overdue(report, now=None):
    now = now or timezone.now()
    if report.state == State.SUBMITTED:
        return report.accept_deadline is not None and report.accept_deadline < now
    if report.state in OPEN_STATES:
        return report.resolve_deadline is not None and report.resolve_deadline < now
    return False


def reports_of(user):
    return with_listing_data(Report.objects.filter(reporter=user))


def staff_queue(user):
    """Reports the user works on or oversees: their departments' and, for a leader, every
    report in their area (all of them for platform admins)."""
    queryset = with_listing_data(Report.objects.all()).select_related("handler", "reporter")
    department_ids = staff_department_ids(user)
    if department_ids is None:
        return queryset
    mine = Q(department_id__in=department_ids)
    area_path = leader_area_path(user)
    if area_path is not None:
        mine |= Q(area_path__startswith=area_path)
    return queryset.filter(mine)


def by_priority(queryset):
    """Most pressing first (urgent, high, normal), then newest first."""
    return queryset.annotate(priority_rank=PRIORITY_ORDER).order_by(
        "priority_rank", "-created_at", "-pk"
    )


def follow_ups_for(user, *, open_only=True):
    """The follow-up calls the user's departments owe, where they supervise (every one for
    platform admins), the soonest due first."""
    follow_ups = FollowUp.objects.select_related("report__category", "report__area", "rating")
    if not is_platform_admin(user):
        supervised = [
            department_id
            for department_id, roles in department_roles(user).items()
            if MemberRole.SUPERVISOR in roles
        ]
        follow_ups = follow_ups.filter(department_id__in=supervised)
    if open_only:
        follow_ups = follow_ups.filter(outcome="")
    return follow_ups.order_by("due_at", "pk")


def timeline(report, *, public_only):
    events = ReportEvent.objects.filter(report=report).select_related("actor")
    if public_only:
        events = events.filter(is_public=True)
    return events.prefetch_related("photos").order_by("created_at", "pk")


def distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance (haversine), accurate to well under a metre at these ranges."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def nearby_open_reports(lat, lon, radius_m, *, category=None, exclude=None, limit=20):
    """Open reports within ``radius_m`` of a point, nearest first, as ``(report, metres)``.

    A bounding box on the indexed columns narrows the rows; the exact distance decides. Used by
    the app before submitting ("is it one of these?") and by staff looking for the original.
    """
    dlat = radius_m / METRES_PER_DEGREE
    dlon = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 1e-6))
    # Distances are measured to the coordinates the public sees, so that asking from many
    # points cannot triangulate a sensitive report's exact spot.
    queryset = in_public_box(
        Report.objects.filter(is_public=True, state__in=OPEN_STATES),
        lat - dlat,
        lon - dlon,
        lat + dlat,
        lon + dlon,
    )
    if category is not None:
        queryset = queryset.filter(category=category)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    # Only coordinates for the candidates; full rows for the few that are close enough.
    candidates = []
    for pk, report_lat, report_lon in queryset.values_list("pk", "public_lat", "public_lon"):
        metres = distance_m(lat, lon, report_lat, report_lon)
        if metres <= radius_m:
            candidates.append((metres, pk))
    candidates.sort()
    candidates = candidates[:limit]
    rows = public_reports().in_bulk([pk for _metres, pk in candidates])
    return [(rows[pk], metres) for metres, pk in candidates]


def response_templates_for(category, action=None):
    """Active templates offered for the category (and the action, when given)."""
    templates = ResponseTemplate.objects.filter(is_active=True).filter(
        Q(categories=None) | Q(categories=category)
    )
    if action:
        templates = templates.filter(Q(for_action="") | Q(for_action=action))
    return templates.distinct().order_by("title")


def photo_by_id(pk):
    """A stored photo with its report (what the permission check needs), or None."""
    try:
        return ReportPhoto.objects.select_related("report").get(pk=int(pk))
    except (ReportPhoto.DoesNotExist, TypeError, ValueError):
        return None


# The public events whose message is the department's word: a resident's rating comment or
# reopening reason is public too, but it is not what the agency says about the report.
AGENCY_EVENT_KINDS = frozenset(
    {
        EventKind.ACCEPTED,
        EventKind.REJECTED,
        EventKind.ASSIGNED,
        EventKind.STARTED,
        EventKind.RESOLVED,
        EventKind.RECATEGORISED,
        EventKind.UPDATE,
        EventKind.MERGED,
        EventKind.CLOSED,
    }
)


def latest_agency_notes(report_ids):
    """``{report id: the newest public message its department wrote}`` for the reports that
    have one, in one query and without loading the events' other columns."""
    notes = {}
    rows = (
        ReportEvent.objects.filter(
            report_id__in=report_ids, is_public=True, kind__in=AGENCY_EVENT_KINDS
        )
        .exclude(message="")
        .order_by("report_id", "-created_at", "-pk")
        .values_list("report_id", "message")
    )
    for report_id, message in rows:
        notes.setdefault(report_id, message)
    return notes


def first_photo_ids(report_ids, kind):
    """``{report id: the id of its first photo of this kind}``, in one query."""
    first = {}
    rows = (
        ReportPhoto.objects.filter(report_id__in=report_ids, kind=kind)
        .order_by("report_id", "sort_order", "pk")
        .values_list("report_id", "pk")
    )
    for report_id, pk in rows:
        first.setdefault(report_id, pk)
    return first


def with_public_events(queryset):
    """Give each report ``public_events_newest_first``: one extra query for the whole page."""
    return queryset.prefetch_related(
        Prefetch(
            "events",
            queryset=ReportEvent.objects.filter(is_public=True).order_by("-created_at", "-pk"),
            to_attr="public_events_newest_first",
        )
    )


def supported_ids(user, reports):
    """The ids among ``reports`` that ``user`` supports, in one query."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Support.objects.filter(user=user, report__in=list(reports)).values_list(
            "report_id", flat=True
        )
    )


COMMENT_ORDERING = ("created_at", "pk")


def visible_comments(report):
    """The comments anyone sees on ``report``: none on a report that is not public."""
    if not report.is_public:
        return Comment.objects.none()
    return Comment.objects.filter(report=report, hidden=False).select_related("author")


def flagged_comments():
    """Comments waiting for a moderator (flagged, or hidden by flags), most flagged first, with
    their open flags."""
    return (
        Comment.objects.filter(Q(flag_count__gt=0) | Q(hidden_by_flags=True))
        .select_related("author", "report")
        .prefetch_related(
            Prefetch("flags", queryset=CommentFlag.objects.filter(open=True), to_attr="open_flags")
        )
        .order_by("-flag_count", "-pk")
    )


def first_comments(reports, limit):
    """``{report id: its first ``limit`` visible comments}`` for many reports, in one query."""
    public = [report.pk for report in reports if report.is_public]
    by_report = {report.pk: [] for report in reports}
    rows = (
        Comment.objects.filter(report_id__in=public, hidden=False)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("report_id")],
                order_by=[F(name).asc() for name in COMMENT_ORDERING],
            )
        )
        .filter(place__lte=limit)
        .select_related("author")
        .order_by("report_id", *COMMENT_ORDERING)
    )
    for row in rows:
        by_report[row.report_id].append(row)
    return by_report


def followed_among(user, reports):
    """The ids among ``reports`` that ``user`` follows, in one query."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Follower.objects.filter(user=user, report__in=list(reports)).values_list(
            "report_id", flat=True
        )
    )


def has_supported(user, report):
    if not getattr(user, "is_authenticated", False):
        return False
    return report.supports.filter(user=user).exists()


def rerouted_by_suggestions():
    """How many reports the smart intake's suggestions moved: filed under the suggested
    category by automatic dispatch, moved by staff taking the suggestion, and every staff
    recategorisation (the corrections the next training learns from)."""
    moves = ReportEvent.objects.filter(kind=EventKind.RECATEGORISED)
    return {
        "automatic": moves.filter(data__auto=True).count(),
        "accepted": moves.filter(data__suggestion=True).count(),
        "corrections": moves.filter(actor__isnull=False).count(),
    }
