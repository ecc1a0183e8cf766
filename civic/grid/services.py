"""Every change in the grid: posts, verification tasks and check-ins, patrols and their points.

Each function takes the acting user first and checks permission here. A report's state only
moves through the reports services (``request_verification``, ``record_check_in``,
``confirm_on_site``, ``resolve_on_site``, ``mark_invalid``), so its timeline shows each step.
Retries from a phone (the same ``client_request_id``, the same point ids) change nothing.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from civic.areas.geometry import check_coordinates
from civic.areas.models import AreaKind
from civic.core.errors import DomainError, FieldError, Forbidden
from civic.core.permissions import SYSTEM, can_manage_core, require, require_signed_in
from reports import services as reports
from reports.models import Channel, Report, State

from . import geo
from .errors import (
    POINT_CODES,
    NotAGridCell,
    NotCheckedIn,
    NotOnSite,
    NotYourCell,
    PatrolActive,
    PatrolInvalid,
    PhotoRequired,
    TaskClosed,
)
from .models import DONE_STATES, CheckIn, Patrol, PatrolPoint, Post, PostRole, Task, TaskState
from .permissions import is_worker_of


def _setting(name, default):
    return getattr(settings, name, default)


# --- Posts ----------------------------------------------------------------------------------

SUPERVISED_KINDS = (AreaKind.GRID, AreaKind.COMMUNITY, AreaKind.STREET)


@transaction.atomic
def assign_post(actor, area, user, *, role, work_phone="", show_to_residents=False):
    """Make ``user`` a worker of a grid cell, or a supervisor of a cell, community or street.
    Assigning again updates the phone and the consent."""
    require(can_manage_core(actor))
    if role not in PostRole.values:
        raise DomainError(gettext("Choose a role."), field="role", code="invalid_choice")
    if role == PostRole.WORKER and area.kind != AreaKind.GRID:
        raise NotAGridCell(field="area")
    if role == PostRole.SUPERVISOR and area.kind not in SUPERVISED_KINDS:
        raise DomainError(
            gettext("Supervisors look after a grid cell, a community or a street."),
            field="area",
            code="invalid_choice",
        )
    work_phone = (work_phone or "").strip()
    if len(work_phone) > 32:
        raise DomainError(gettext("At most 32 characters."), field="work_phone", code="max_length")
    post, _created = Post.objects.update_or_create(
        area=area,
        user=user,
        role=role,
        defaults={"work_phone": work_phone, "show_to_residents": bool(show_to_residents)},
    )
    return post


@transaction.atomic
def remove_post(actor, post):
    require(can_manage_core(actor))
    post.delete()


@transaction.atomic
def set_consent(actor, post, *, work_phone, show_to_residents):
    """The person themself (or a platform admin) says whether residents may see their name
    and work phone."""
    require(getattr(actor, "pk", None) == post.user_id or can_manage_core(actor))
    return assign_post(
        SYSTEM,
        post.area,
        post.user,
        role=post.role,
        work_phone=work_phone,
        show_to_residents=show_to_residents,
    )


# --- Verification tasks ---------------------------------------------------------------------


def _pick_worker(cell):
    """The cell's worker with the fewest open tasks (the longest serving on a tie)."""
    posts = (
        Post.objects.filter(area=cell, role=PostRole.WORKER)
        .annotate(
            open_tasks=Count(
                "user__grid_tasks",
                filter=~Q(user__grid_tasks__state__in=DONE_STATES),
            )
        )
        .select_related("user")
        .order_by("open_tasks", "pk")
    )
    post = posts.first()
    return post.user if post else None


def open_task(report):
    """Send a new report of a category that needs verification to a worker of its grid cell,
    with the task's own deadline. Nothing for other reports, reports filed on patrol (the
    worker was there), or cells without a worker. Idempotent."""
    if (
        not report.category.needs_verification
        or report.channel == Channel.PATROL
        or report.area.kind != AreaKind.GRID
        # The event may arrive late (after a batch of changes committed together): as it is now.
        or not Report.objects.filter(pk=report.pk, state=State.SUBMITTED).exists()
    ):
        return None
    existing = Task.objects.filter(report=report).first()
    if existing is not None:
        return existing
    worker = _pick_worker(report.area)
    if worker is None:
        return None
    with transaction.atomic():
        reports.request_verification(SYSTEM, report, verifier=worker)
        task, _created = Task.objects.get_or_create(
            report=report,
            defaults={
                "area": report.area,
                "worker": worker,
                "deadline": timezone.now()
                + timedelta(hours=_setting("GRID_VERIFICATION_HOURS", 4)),
            },
        )
    return task


def close_task_handled_elsewhere(report):
    """Staff triaged the report before the worker did: the task is no longer to do."""
    Task.objects.filter(report=report).exclude(state__in=DONE_STATES).exclude(
        report__state=State.SUBMITTED
    ).update(state=TaskState.WITHDRAWN, done_at=timezone.now())


def _own_task(actor, task):
    require_signed_in(actor)
    task = (
        Task.objects.select_for_update().select_related("report__category", "area").get(pk=task.pk)
    )
    if task.worker_id != actor.pk:
        raise Forbidden()
    return task


def check_in(actor, task, *, lat, lon, photos=(), client_request_id=""):
    """The worker is on site: inside the cell, or within ``GRID_CHECK_IN_RADIUS_M`` of the
    report. A photo when the category asks for one."""
    check_coordinates(lat, lon)
    client_request_id = (client_request_id or "").strip()[:64]
    with transaction.atomic():
        task = _own_task(actor, task)
        if client_request_id:
            done = CheckIn.objects.filter(worker=actor, client_request_id=client_request_id)
            if done.exists():
                return task
        if task.state in DONE_STATES:
            raise TaskClosed()
        report = task.report
        distance = geo.distance_m(lat, lon, report.lat, report.lon)
        inside = geo.inside(task.area.boundary, lat, lon)
        radius = _setting("GRID_CHECK_IN_RADIUS_M", 200)
        if not inside and distance > radius:
            raise NotOnSite(
                gettext(
                    "You are %(distance)s m from the report: check in inside the grid cell or "
                    "within %(radius)s m of it."
                )
                % {"distance": round(distance), "radius": radius},
                field="location",
            )
        if report.category.verification_photo_required and not photos:
            raise PhotoRequired(field="photos")
        reports.record_check_in(actor, report, lat=lat, lon=lon, distance_m=distance, photos=photos)
        CheckIn.objects.create(
            task=task,
            worker=actor,
            lat=lat,
            lon=lon,
            distance_m=distance,
            inside_cell=inside,
            client_request_id=client_request_id,
        )
        task.state = TaskState.CHECKED_IN
        task.save(update_fields=["state"])
    return task


def _finish(actor, task, outcome, act):
    with transaction.atomic():
        task = _own_task(actor, task)
        if task.state == outcome:
            return task
        if task.state in DONE_STATES:
            raise TaskClosed()
        if task.state != TaskState.CHECKED_IN:
            raise NotCheckedIn()
        task.report = act(task.report)
        task.state = outcome
        task.done_at = timezone.now()
        task.save(update_fields=["state", "done_at"])
    return task


def confirm(actor, task, *, message=""):
    """The problem is there: the report is accepted and goes on to dispatch."""
    return _finish(
        actor,
        task,
        TaskState.CONFIRMED,
        lambda report: reports.confirm_on_site(actor, report, message=message),
    )


def resolve_here(actor, task, *, message, photos=()):
    """小事不出网格: fixed on the spot, with an after photo."""
    return _finish(
        actor,
        task,
        TaskState.RESOLVED,
        lambda report: reports.resolve_on_site(actor, report, message=message, photos=photos),
    )


def mark_invalid(actor, task, *, reason, message):
    return _finish(
        actor,
        task,
        TaskState.INVALID,
        lambda report: reports.mark_invalid(actor, report, reason=reason, message=message),
    )


# --- Patrols --------------------------------------------------------------------------------


def start_patrol(actor, area, *, client_request_id=""):
    require_signed_in(actor)
    client_request_id = (client_request_id or "").strip()[:64]
    with transaction.atomic():
        if client_request_id:
            existing = Patrol.objects.filter(
                worker=actor, client_request_id=client_request_id
            ).first()
            if existing is not None:
                return existing
        if area.kind != AreaKind.GRID:
            raise NotAGridCell(field="area_id")
        if not is_worker_of(actor, area):
            raise NotYourCell(field="area_id")
        if Patrol.objects.filter(worker=actor, ended_at__isnull=True).exists():
            raise PatrolActive()
        return Patrol.objects.create(
            worker=actor,
            area=area,
            client_request_id=client_request_id,
            started_at=timezone.now(),
        )


@dataclass
class PointsResult:
    patrol: Patrol
    accepted: int = 0
    duplicates: int = 0
    rejected: list = field(default_factory=list)  # FieldError per refused point


def _point_time(value):
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = parse_datetime(str(value))
        except ValueError:
            parsed = None
    if parsed is None:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.utc)
    return parsed


def _check_point(index, point, earliest, latest):
    """The point as a PatrolPoint's fields, or the FieldError refusing it."""

    def refused(code):
        return FieldError(f"points.{index}", code, POINT_CODES[code])

    client_id = str(point.get("client_id") or "").strip()
    if not client_id or len(client_id) > 64:
        return refused("client_id_required")
    lat, lon = point.get("lat"), point.get("lon")
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in (lat, lon)) or not (
        -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0, 0)
    ):
        return refused("invalid_coordinates")
    recorded_at = _point_time(point.get("recorded_at"))
    if recorded_at is None or not earliest <= recorded_at <= latest:
        return refused("time_out_of_range")
    return {"client_id": client_id, "lat": lat, "lon": lon, "recorded_at": recorded_at}


def record_points(actor, patrol, points):
    """Add a batch of GPS points (``client_id``, ``lat``, ``lon``, ``recorded_at``). Batches may
    arrive twice and out of order (the track is ordered by time); points already stored are
    counted as duplicates, bad points are refused one by one, the rest are kept."""
    require_signed_in(actor)
    if patrol.worker_id != actor.pk:
        raise Forbidden()
    points = list(points or ())
    if len(points) > _setting("GRID_MAX_POINTS_PER_BATCH", 1000):
        raise PatrolInvalid(POINT_CODES["batch_too_large"], field="points", code="batch_too_large")
    slack = timedelta(minutes=5)
    # A late batch may arrive after the patrol ended: its points count if they were recorded
    # during the patrol.
    latest = (patrol.ended_at or timezone.now()) + slack
    result = PointsResult(patrol=patrol)
    valid = {}
    for index, point in enumerate(points):
        checked = _check_point(index, point, patrol.started_at - slack, latest)
        if isinstance(checked, FieldError):
            result.rejected.append(checked)
        elif checked["client_id"] in valid:
            result.duplicates += 1
        else:
            valid[checked["client_id"]] = checked
    with transaction.atomic():
        known = set(
            PatrolPoint.objects.filter(patrol=patrol, client_id__in=list(valid)).values_list(
                "client_id", flat=True
            )
        )
        new = [PatrolPoint(patrol=patrol, **p) for cid, p in valid.items() if cid not in known]
        # A concurrent retry of the same batch may insert first: the constraint keeps one.
        PatrolPoint.objects.bulk_create(new, ignore_conflicts=True)
        result.accepted = len(new)
        result.duplicates += len(known)
        if patrol.ended_at is not None and new:
            _compute_figures(patrol)
    return result


def _compute_figures(patrol):
    track = list(
        PatrolPoint.objects.filter(patrol=patrol)
        .order_by("recorded_at", "client_id")
        .values_list("lat", "lon")
    )
    patrol.length_m = geo.track_length_m(track)
    patrol.coverage = geo.coverage(patrol.area.boundary, track)
    patrol.duration_s = int((patrol.ended_at - patrol.started_at).total_seconds())
    patrol.save(update_fields=["length_m", "coverage", "duration_s"])


def end_patrol(actor, patrol):
    """End the patrol: its length, duration and coverage are computed from its points."""
    require_signed_in(actor)
    if patrol.worker_id != actor.pk:
        raise Forbidden()
    with transaction.atomic():
        patrol = Patrol.objects.select_for_update().select_related("area").get(pk=patrol.pk)
        if patrol.ended_at is not None:
            return patrol
        patrol.ended_at = timezone.now()
        patrol.save(update_fields=["ended_at"])
        _compute_figures(patrol)
    return patrol


def file_patrol_report(actor, patrol, **report):
    """A problem the worker found on patrol: a report on the ``patrol`` channel (counted in
    the worker's figures, earning them no points)."""
    require_signed_in(actor)
    if patrol.worker_id != actor.pk:
        raise Forbidden()
    return reports.submit_report(actor, channel=Channel.PATROL, **report)


# --- Retention ------------------------------------------------------------------------------


def delete_old_tracks(now=None):
    """Delete the points of patrols older than ``GRID_TRACK_RETENTION_DAYS``; the patrols'
    figures stay. Returns how many tracks were deleted. Idempotent."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=_setting("GRID_TRACK_RETENTION_DAYS", 90))
    old = Patrol.objects.filter(started_at__lt=cutoff, track_deleted=False)
    ids = list(old.values_list("pk", flat=True))
    with transaction.atomic():
        PatrolPoint.objects.filter(patrol_id__in=ids).delete()
        Patrol.objects.filter(pk__in=ids).update(track_deleted=True)
    return len(ids)
