"""Read helpers for the grid: who looks after a cell, a worker's tasks and patrols, what a
supervisor may see, and the daily summary (a fixed number of grouped queries, however many
cells)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, F, Max, Prefetch, Q, Sum
from django.utils import timezone

from civic.areas.models import AreaKind
from civic.areas.queries import area_at
from reports.models import Channel, Report

from .models import DONE_STATES, CheckIn, Patrol, PatrolPoint, Post, PostRole, Task, TaskState
from .permissions import can_see_activity, covered_by, supervised_area_paths


def cell_at(lat, lon):
    """The grid cell containing the point, or None."""
    found = area_at(lat, lon)
    if found and found[-1].kind == AreaKind.GRID:
        return found[-1]
    return None


def public_workers(area):
    """The cell's workers who agreed to be shown to residents: their posts, with the user."""
    return (
        Post.objects.filter(area=area, role=PostRole.WORKER, show_to_residents=True)
        .select_related("user")
        .order_by("pk")
    )


def public_workers_of(areas):
    """``{area id: [posts]}`` for many areas in one query."""
    found = {}
    posts = Post.objects.filter(
        area__in=list(areas), role=PostRole.WORKER, show_to_residents=True
    ).select_related("user")
    for post in posts.order_by("pk"):
        found.setdefault(post.area_id, []).append(post)
    return found


def _tasks():
    return Task.objects.select_related("report__category", "area", "worker").prefetch_related(
        Prefetch("check_ins", queryset=CheckIn.objects.order_by("created_at", "pk"))
    )


def tasks_of(worker, *, open_only=False):
    """A worker's tasks: those to do first, soonest deadline first."""
    qs = _tasks().filter(worker=worker)
    if open_only:
        qs = qs.exclude(state__in=DONE_STATES)
    return qs.annotate(is_done=Q(state__in=DONE_STATES)).order_by("is_done", "deadline", "pk")


def task_for(user, pk):
    """The task if the user may see it (its worker or a supervisor of its cell), else None."""
    try:
        task = _tasks().get(pk=int(pk))
    except (Task.DoesNotExist, TypeError, ValueError):
        return None
    return task if can_see_activity(user, task.worker_id, task.area) else None


def supervised_tasks(user):
    """The tasks of the cells the user supervises, latest first."""
    paths = supervised_area_paths(user)
    return _tasks().filter(covered_by(paths, field="area__path")).order_by("-created_at", "-pk")


def _ordered_points():
    return Prefetch("points", queryset=PatrolPoint.objects.order_by("recorded_at", "client_id"))


def with_tracks(patrols):
    """Patrols with their points loaded in one query (for a list that shows the tracks)."""
    return patrols.prefetch_related(_ordered_points())


def patrols_of(worker):
    return Patrol.objects.filter(worker=worker).select_related("area", "worker")


def supervised_patrols(user):
    paths = supervised_area_paths(user)
    return (
        Patrol.objects.filter(covered_by(paths, field="area__path"))
        .select_related("area", "worker")
        .order_by("-started_at", "-pk")
    )


def patrol_for(user, pk):
    """The patrol if the user may see it (its worker or a supervisor of its cell), else None."""
    try:
        patrol = Patrol.objects.select_related("area", "worker").get(pk=int(pk))
    except (Patrol.DoesNotExist, TypeError, ValueError):
        return None
    return patrol if can_see_activity(user, patrol.worker_id, patrol.area) else None


def track(patrol):
    """The patrol's points in the order they were recorded (prefetched by ``with_tracks`` or
    read now)."""
    cached = getattr(patrol, "_prefetched_objects_cache", {}).get("points")
    if cached is not None:
        return list(cached)
    return list(PatrolPoint.objects.filter(patrol=patrol).order_by("recorded_at", "client_id"))


@dataclass
class SummaryRow:
    worker_id: int
    worker_name: str
    area_id: int
    area_code: str
    area_name: str
    area_name_en: str
    patrols: int = 0
    patrol_seconds: int = 0
    distance_m: float = 0.0
    coverage: float = 0.0
    reports_found: int = 0
    tasks_verified: int = 0
    tasks_on_time: int = 0


def day_bounds(day):
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def daily_summary(area, day):
    """One row per worker and cell under ``area`` for the (local) ``day``: patrol count, time
    and distance, the best coverage of a patrol, reports found on patrol, tasks verified and
    verified on time. Four queries, whatever the number of cells."""
    start, end = day_bounds(day)
    under = {"area__path__startswith": area.path}
    rows = {}
    posts = (
        Post.objects.filter(role=PostRole.WORKER, **under)
        .values_list(
            "user_id",
            "user__display_name",
            "user__username",
            "area_id",
            "area__code",
            "area__name",
            "area__name_en",
        )
        .order_by("area__path", "user_id")
    )
    for user_id, display_name, username, area_id, code, name, name_en in posts:
        rows[(user_id, area_id)] = SummaryRow(
            user_id, display_name or username, area_id, code, name, name_en
        )
    patrols = (
        Patrol.objects.filter(started_at__gte=start, started_at__lt=end, **under)
        .values("worker_id", "area_id")
        .annotate(
            n=Count("pk"), seconds=Sum("duration_s"), length=Sum("length_m"), best=Max("coverage")
        )
    )
    for p in patrols:
        row = rows.get((p["worker_id"], p["area_id"]))
        if row is not None:
            row.patrols, row.patrol_seconds = p["n"], p["seconds"] or 0
            row.distance_m, row.coverage = p["length"] or 0.0, p["best"] or 0.0
    found = (
        Report.objects.filter(
            channel=Channel.PATROL,
            created_at__gte=start,
            created_at__lt=end,
            area_path__startswith=area.path,
        )
        .values("reporter_id", "area_id")
        .annotate(n=Count("pk"))
    )
    for r in found:
        row = rows.get((r["reporter_id"], r["area_id"]))
        if row is not None:
            row.reports_found = r["n"]
    verified = (
        Task.objects.filter(
            done_at__gte=start,
            done_at__lt=end,
            state__in=(TaskState.CONFIRMED, TaskState.RESOLVED, TaskState.INVALID),
            **under,
        )
        .values("worker_id", "area_id")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(done_at__lte=F("deadline"))))
    )
    for t in verified:
        row = rows.get((t["worker_id"], t["area_id"]))
        if row is not None:
            row.tasks_verified, row.tasks_on_time = t["n"], t["on_time"]
    return list(rows.values())
