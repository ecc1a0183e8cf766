"""The load benchmark's URLconf (``ROOT_URLCONF=tests.bench.urls``, set by
``bench_load.py`` for its gunicorn only): the project's URLs plus the bare view the app's reads
are compared with."""

from django.http import JsonResponse
from django.urls import include, path

from reports.models import Report


def bare(request, pk):
    """A bare Django view: one row by its primary key, as JSON."""
    row = Report.objects.values("id", "state", "created_at").filter(pk=pk).first()
    return JsonResponse({"report": row})


urlpatterns = [
    path("bench/bare/<int:pk>/", bare),
    path("", include("civic.urls")),
]
