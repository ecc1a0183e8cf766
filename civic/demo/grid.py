"""The grid demo: a worker for every grid cell of 清河市 (the demo grid worker keeps their
community; every other community gets a worker of its own), the demo supervisor over every
street, a week of patrols with their tracks, and reports waiting for verification on site, some
already checked in and confirmed. Runs after the reports demo; built through the services (a
patrol's week-old times are set afterwards, as the reports demo back-dates its history).

Running it again creates nothing twice: users by email, reports and patrols by their client
request ids."""

import math
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape

from civic.accounts.models import User
from civic.accounts.services import grant_role
from civic.areas.models import Area, AreaKind
from civic.areas.queries import areas_of_kind
from civic.core.permissions import SYSTEM
from civic.core.roles import Role
from civic.grid import services
from civic.grid.models import Patrol, PatrolPoint, PostRole, Task, TaskState
from reports import services as reports
from reports.models import Category

from .accounts import DEMO_PASSWORD, GRID_WORKER_COMMUNITY

GRID_WORKER = "grid@demo.civic"
SUPERVISOR = "supervisor@demo.civic"
VERIFIED_CATEGORIES = ("illegal-dumping", "street-vending", "overflowing-bin")
PHOTO_AT_CHECK_IN = "street-vending"
DAYS = 7
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = "建华秀英国强志明海燕文静红梅晓东丽娟永刚春生桂兰"
WAITING = [
    ("illegal-dumping", "楼道口有人倒了一堆装修垃圾。", "Building rubble dumped at the stairs."),
    ("overflowing-bin", "垃圾桶已经满了两天没人清。", "The bin has been full for two days."),
    ("street-vending", "早市摊贩占了整条人行道。", "Morning stalls take the whole pavement."),
    ("illegal-dumping", "河边草地上有人扔了旧沙发。", "An old sofa left on the riverside grass."),
    ("overflowing-bin", "垃圾桶周围堆满了垃圾袋。", "Bags piled around the bin."),
]


def _worker_email(community):
    return f"grid-{community.code.lower()}@demo.civic"


def _worker_name(n):
    return (
        SURNAMES[n % len(SURNAMES)] + GIVEN[(2 * n) % len(GIVEN)] + GIVEN[(2 * n + 1) % len(GIVEN)]
    )


def _seed_posts(progress):
    """Every cell gets a worker; returns ``{worker: [cells]}``."""
    workers = {}
    password_hash = None
    for n, community in enumerate(progress(list(areas_of_kind(AreaKind.COMMUNITY)))):
        cells = list(areas_of_kind(AreaKind.GRID, within=community))
        if not cells:
            continue
        if community.code == GRID_WORKER_COMMUNITY:
            user = User.objects.filter(email=GRID_WORKER).first()
        else:
            email = _worker_email(community)
            user = User.objects.filter(email=email).first()
            if user is None:
                password_hash = password_hash or make_password(DEMO_PASSWORD)
                user = User.objects.create(
                    username=email,
                    email=email,
                    password=password_hash,
                    display_name=_worker_name(n),
                    home_area=community,
                )
                grant_role(user, Role.RESIDENT)
        if user is None:
            continue
        for m, cell in enumerate(cells):
            services.assign_post(
                SYSTEM,
                cell,
                user,
                role=PostRole.WORKER,
                work_phone=f"0592-55{n:02d}{m:03d}",
                show_to_residents=True,
            )
        workers[user] = cells
    supervisor = User.objects.filter(email=SUPERVISOR).first()
    if supervisor is not None:
        for street in areas_of_kind(AreaKind.STREET):
            services.assign_post(SYSTEM, street, supervisor, role=PostRole.SUPERVISOR)
    return workers


def _lawnmower(cell, passes=4, step_m=60):
    """A patrol's path: passes east and west across the cell, kept inside it."""
    boundary = shape(cell.boundary)
    min_lon, min_lat, max_lon, max_lat = boundary.bounds
    metres_per_lon = 111_195 * math.cos(math.radians((min_lat + max_lat) / 2))
    steps = max(int((max_lon - min_lon) * metres_per_lon / step_m), 2)
    path = []
    for p in range(passes):
        lat = min_lat + (max_lat - min_lat) * (p + 0.5) / passes
        row = [min_lon + (max_lon - min_lon) * i / steps for i in range(steps + 1)]
        if p % 2:
            row.reverse()
        path += [(lat, lon) for lon in row if boundary.contains(Point(lon, lat))]
    return path


def _seed_patrols(workers, progress):
    today = timezone.localdate()
    created = 0
    for worker, cells in progress(list(workers.items())):
        for day in range(DAYS, 0, -1):
            cell = cells[day % len(cells)]
            key = f"demo-{cell.code}-{(today - timedelta(days=day)).isoformat()}"
            if Patrol.objects.filter(worker=worker, client_request_id=key).exists():
                continue
            path = _lawnmower(cell)
            if len(path) < 2:
                continue
            minutes = 40 + 5 * (day % 4)
            with transaction.atomic():
                patrol = services.start_patrol(worker, cell, client_request_id=key)
                # Started ``minutes`` ago, so the points fall within it; then moved back by days.
                began = timezone.now() - timedelta(minutes=minutes)
                Patrol.objects.filter(pk=patrol.pk).update(started_at=began)
                patrol.started_at = began
                every = timedelta(minutes=minutes) / len(path)
                services.record_points(
                    worker,
                    patrol,
                    [
                        {
                            "client_id": f"{key}-{i}",
                            "lat": lat,
                            "lon": lon,
                            "recorded_at": began + i * every,
                        }
                        for i, (lat, lon) in enumerate(path)
                    ],
                )
                patrol = services.end_patrol(worker, patrol)
                shift = timedelta(days=day, hours=2 + day % 3)
                Patrol.objects.filter(pk=patrol.pk).update(
                    started_at=patrol.started_at - shift, ended_at=patrol.ended_at - shift
                )
                points = list(PatrolPoint.objects.filter(patrol=patrol))
                for point in points:
                    point.recorded_at -= shift
                PatrolPoint.objects.bulk_update(points, ["recorded_at"])
            created += 1
    return created


def _seed_waiting_reports():
    """Reports in the demo grid worker's cells that wait for verification; the first two are
    checked in and confirmed, the third only checked in."""
    categories = {
        c.service_code: c for c in Category.objects.filter(service_code__in=VERIFIED_CATEGORIES)
    }
    for code, category in categories.items():
        if not category.needs_verification:
            category.needs_verification = True
            category.verification_photo_required = code == PHOTO_AT_CHECK_IN
            reports.save_category(SYSTEM, category)
    resident = User.objects.filter(email="resident@demo.civic").first()
    worker = User.objects.filter(email=GRID_WORKER).first()
    community = Area.objects.filter(code=GRID_WORKER_COMMUNITY).first()
    if not (resident and worker and community and categories):
        return
    cells = list(areas_of_kind(AreaKind.GRID, within=community))
    for n, (code, description, _english) in enumerate(WAITING):
        if code not in categories:
            continue
        cell = cells[n % len(cells)]
        centre = shape(cell.boundary).representative_point()
        with transaction.atomic():
            report = reports.submit_report(
                resident,
                category=categories[code],
                description=description,
                lat=centre.y,
                lon=centre.x,
                client_request_id=f"grid-demo-{n}",
            )
            task = services.open_task(report)
        if task is None or task.state != TaskState.OPEN or task.worker_id != worker.pk:
            continue
        if n < 3 and code != PHOTO_AT_CHECK_IN:
            services.check_in(worker, task, lat=centre.y, lon=centre.x)
        if n < 2 and Task.objects.get(pk=task.pk).state == TaskState.CHECKED_IN:
            services.confirm(worker, task, message="现场核实属实。")


def seed(progress=iter):
    """Create what is missing of the grid demo; returns the number of patrols created."""
    with transaction.atomic():
        workers = _seed_posts(progress)
        created = _seed_patrols(workers, progress)
        _seed_waiting_reports()
    return created
