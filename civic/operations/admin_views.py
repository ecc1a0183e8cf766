"""The operations dashboard in the Wagtail admin: tiles, trend, breakdowns, the grid of open
and overdue reports, the month's rankings, each table exported as CSV or XLSX, and a printable
monthly report per department. Thin: the services scope and refuse."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from civic.areas.models import Area, AreaKind
from civic.core.errors import AccessError, DomainError
from civic.core.tiles import tile_settings
from civic.departments.models import Department
from reports.models import Category, Channel

from . import services
from .exports import FORMATS, table_response
from .permissions import can_see_statistics
from .tables import dashboard_tables, headline_table, rankings_tables, trend_chart


class FilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.exclude(kind=AreaKind.GRID).order_by("path"),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.order_by("sort_order", "service_code"),
        to_field_name="service_code",
        required=False,
        empty_label=_("All"),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("All")), *Channel.choices], required=False
    )
    trend = forms.ChoiceField(
        label=_("Trend by"),
        choices=[("week", _("Week")), ("day", _("Day")), ("month", _("Month"))],
        required=False,
    )

    def statistics_filter(self):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return services.StatisticsFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            area=data.get("area"),
            department=data.get("department"),
            category=data.get("category"),
            channel=data.get("channel") or "",
        )

    def trend_by(self):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("trend") or "week"


def _read(request):
    """``(form, statistics, rankings)`` for the request's filters; a refusal is a 403, a
    filter the service refuses falls back to the defaults with the error on the form."""
    if not can_see_statistics(request.user):
        raise PermissionDenied
    form = FilterForm(request.GET or None)
    try:
        try:
            stats = services.statistics(
                request.user, form.statistics_filter(), trend_by=form.trend_by()
            )
        except DomainError as exc:
            form.is_valid()
            form.add_error(None, exc.message)
            stats = services.statistics(request.user, services.StatisticsFilter())
        month = f"{stats.date_to:%Y-%m}"
        rankings = services.rankings(request.user, month, area=stats.filter.area)
    except AccessError as exc:
        raise PermissionDenied(exc.message) from exc
    return form, stats, rankings


def _charts(stats):
    """What the page's charts draw, for the script."""
    return {
        "trend": trend_chart(stats.trend),
        **{
            name: {
                "labels": [row["label"] for row in rows],
                "open": [row.get("open") or 0 for row in rows],
                "received": [row["received"] for row in rows],
            }
            for name, rows in (
                ("category", stats.by_category),
                ("department", stats.by_department),
                ("channel", stats.by_channel),
                ("area", stats.by_area),
            )
        },
        "grid": [
            {
                "code": cell["area"].code,
                "name": cell["area"].localized_name,
                "lon": round(cell["area"].centre[1], 5),
                "lat": round(cell["area"].centre[0], 5),
                "open": cell["open"],
                "overdue": cell["overdue"],
            }
            for cell in stats.grid
        ],
    }


class DashboardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "operations/admin/dashboard.html"
    page_title = _("Operations centre")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        form, stats, rankings = _read(self.request)
        tables = dashboard_tables(stats)
        ranking_tables = rankings_tables(rankings)
        return super().get_context_data(
            form=form,
            stats=stats,
            tables=tables,
            breakdowns=[tables[name] for name in ("category", "department", "channel", "area")],
            rankings=rankings,
            ranking_tables=ranking_tables,
            query=self.request.GET.urlencode(),
            charts=_charts(stats),
            map=tile_settings(),
            departments=Department.objects.order_by("code"),
            **kwargs,
        )


def export_table(request, name, fmt):
    """One dashboard table with the page's filters, as ``fmt`` (csv or xlsx)."""
    if fmt not in FORMATS:
        raise Http404
    _form, stats, rankings = _read(request)
    tables = {**dashboard_tables(stats), **rankings_tables(rankings)}
    if name not in tables:
        raise Http404
    stamp = f"{stats.date_from:%Y%m%d}-{stats.date_to:%Y%m%d}"
    return table_response(tables[name], fmt, f"{name}-{stamp}")


class MonthlyReportView(TemplateView):
    """A department's month on one printable page."""

    template_name = "operations/admin/monthly.html"

    def get_context_data(self, **kwargs):
        request = self.request
        if not can_see_statistics(request.user):
            raise PermissionDenied
        department = Department.objects.filter(code=request.GET.get("department", "")).first()
        if department is None:
            raise Http404
        month = request.GET.get("month") or f"{timezone.localdate():%Y-%m}"
        try:
            first, last = services.parse_month(month)
            stats = services.statistics(
                request.user,
                services.StatisticsFilter(date_from=first, date_to=last, department=department),
                trend_by="day",
            )
            rankings = services.rankings(request.user, month)
        except AccessError as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            raise Http404(exc.message) from exc
        tables = dashboard_tables(stats)
        row = next((r for r in rankings.departments if r["key"] == department.code), None)
        return super().get_context_data(
            department=department,
            month=rankings.period,
            headline=headline_table(stats.headline),
            tables=[tables["category"], tables["area"], tables["trend"]],
            ranking=row,
            formula=rankings.formula,
            **kwargs,
        )
