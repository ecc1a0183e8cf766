"""The grid's portal pages: who looks after a cell (for residents), and the worker's task list
with navigation links (for the phone's browser)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from civic.areas.models import AreaKind
from civic.areas.queries import area_by_id, attach_ancestors

from . import navigation, queries


@require_GET
def cell(request, pk):
    area = area_by_id(pk)
    if area is None or area.kind != AreaKind.GRID:
        raise Http404
    (area,) = attach_ancestors([area])
    return render(
        request,
        "grid/cell.html",
        {"area": area, "workers": list(queries.public_workers(area))},
    )


@login_required
@require_GET
def my_tasks(request):
    tasks = list(queries.tasks_of(request.user)[:100])
    rows = [
        (
            task,
            navigation.links(
                task.report.lat, task.report.lon, task.report.address or task.area.localized_name
            ),
        )
        for task in tasks
    ]
    return render(request, "grid/my_tasks.html", {"rows": rows, "now": timezone.now()})
