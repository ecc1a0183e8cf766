"""Supervision in the Wagtail admin: a supervisor picks one of their areas and a day, and sees
the daily summary per worker and cell, the tasks with their check-ins, and the day's patrol
tracks on a map. Only supervisors (of some area) get in; they see their own areas only."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from civic.areas.fields import AreaChoiceField
from civic.areas.models import Area

from . import queries
from .maps import track_map
from .permissions import covered_by, supervised_area_paths


class SupervisionForm(forms.Form):
    area = AreaChoiceField(label=_("Area"), queryset=Area.objects.none(), empty_label=None)
    date = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, paths, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(covered_by(paths)).order_by("path")


class SupervisionView(WagtailAdminTemplateMixin, View):
    template_name = "grid/admin/supervision.html"
    page_title = _("Grid supervision")
    header_icon = "site"
    http_method_names = ["get"]
    LIMIT = 100

    def dispatch(self, request):
        self.paths = supervised_area_paths(request.user)
        if not self.paths:
            raise PermissionDenied
        return super().dispatch(request)

    def get(self, request):
        today = timezone.localdate()
        data = request.GET if "area" in request.GET else None
        form = SupervisionForm(data, paths=self.paths)
        area, day = None, today
        if form.is_valid():
            area, day = form.cleaned_data["area"], form.cleaned_data["date"]
        else:
            area = form.fields["area"].queryset.first()
            if data is None:
                form = SupervisionForm(initial={"area": area, "date": today}, paths=self.paths)
        context = {"form": form, "area": area, "day": day}
        if area is not None:
            start, end = queries.day_bounds(day)
            tasks = list(
                queries.supervised_tasks(request.user).filter(area__path__startswith=area.path)[
                    : self.LIMIT
                ]
            )
            patrols = list(
                queries.with_tracks(queries.supervised_patrols(request.user)).filter(
                    area__path__startswith=area.path, started_at__gte=start, started_at__lt=end
                )[: self.LIMIT]
            )
            cells = {p.area_id: p.area.boundary for p in patrols}
            check_ins = [
                (f"#{task.report_id} {c.created_at:%H:%M}", c.lat, c.lon)
                for task in tasks
                for c in task.check_ins.all()
                if start <= c.created_at < end
            ]
            context.update(
                rows=queries.daily_summary(area, day),
                tasks=tasks,
                patrols=patrols,
                map=track_map(
                    list(cells.values()) or [area.boundary],
                    [
                        (
                            f"{p.worker} {p.started_at:%H:%M}",
                            [(point.lat, point.lon) for point in queries.track(p)],
                        )
                        for p in patrols
                    ],
                    check_ins,
                    label=_("Patrol tracks and check-ins"),
                ),
            )
        return self.render_to_response(self.get_context_data(**context))
