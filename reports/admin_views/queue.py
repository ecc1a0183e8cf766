"""The staff's work queue: the reports of their departments, filtered, searched and ordered by
the most pressing deadline; and the URLs of the queue's screens."""

import django_filters
from django import forms
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    Column,
    DateColumn,
    StatusFlagColumn,
    StatusTagColumn,
    TitleColumn,
)
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets.button import HeaderButton

from civic.areas.models import AreaKind
from civic.areas.queries import attach_ancestors, districts
from civic.core.admin_search import LimitedSearchMixin
from civic.core.text import search_text
from civic.departments.models import Department

from .. import classify, queries
from ..models import OPEN_STATES, Category, Report, State
from ..permissions import is_reports_staff, staff_department_ids

QUEUE = "report_queue"  # the URL namespace of the queue's viewset


def queue_url(name, *args):
    return reverse(f"{QUEUE}:{name}", args=args)


def load_report(pk):
    """The report a screen of the queue is about, with what its pages show."""
    return get_object_or_404(
        Report.objects.select_related(
            "category",
            "area",
            "department",
            "handler",
            "reporter",
            "submitted_by",
            "duplicate_of__category",
        ),
        pk=pk,
    )


# The clock a report is on: accepting while submitted, resolving while open after that.
DEADLINE = Case(
    When(state=State.SUBMITTED, then=F("accept_deadline")),
    When(state__in=OPEN_STATES[1:], then=F("resolve_deadline")),
    default=Value(None),
    output_field=DateTimeField(),
)


def queue_queryset(user):
    """The reports the user works on, with what the queue shows, in a fixed number of
    queries."""
    return (
        queries.staff_queue(user)
        .prefetch_related(None)  # the queue shows no photos
        .defer("area__boundary")  # nor maps
        .annotate(deadline=DEADLINE, priority_rank=queries.PRIORITY_ORDER)
    )


def _departments_of(request):
    if request is None:
        return Department.objects.none()
    ids = staff_department_ids(request.user)
    departments = Department.objects.all()
    return departments if ids is None else departments.filter(pk__in=ids)


class ReportFilterSet(WagtailFilterSet):
    state = django_filters.MultipleChoiceFilter(
        label=_("State"), choices=State.choices, widget=forms.CheckboxSelectMultiple
    )
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=_departments_of)
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.all()
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=lambda request: districts().defer("boundary"),
        method="filter_district",
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        empty_label=_("All"),
        method="filter_overdue",
    )

    class Meta:
        model = Report
        fields = ["state", "department", "category", "district", "overdue"]

    def filter_district(self, queryset, name, value):
        return queries.filter_reports(queryset, area=value) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(queries.overdue_filter())
        if value == "no":
            return queryset.exclude(queries.overdue_filter())
        return queryset


def search_reports(queryset, query):
    """A report number ("123" or "#123") finds that report; other words search the
    description and address. SearchTooLong beyond ``SEARCH_MAX_LENGTH``."""
    query = search_text(query)
    number = query.lstrip("#")
    if number.isdigit():
        return queryset.filter(pk=int(number))
    if query:
        return queryset.filter(Q(description__icontains=query) | Q(address__icontains=query))
    return queryset


class DeadlineColumn(Column):
    cell_template_name = "reports/admin/deadline_cell.html"


def _district_label(report):
    """The district a report is in (its deepest area when it is in none)."""
    chain = [*getattr(report.area, "prefetched_ancestors", []), report.area]
    district = next((area for area in chain if area.kind == AreaKind.DISTRICT), report.area)
    return district.localized_name


def _suggestion_label(report):
    suggestion = getattr(report, "suggestion", None)
    if suggestion is None:
        return ""
    return gettext("%(name)s (%(percent)s %%)") % {
        "name": suggestion.category.localized_name,
        "percent": round(suggestion.confidence * 100),
    }


def is_overdue(report, now=None):
    deadline = getattr(report, "deadline", None)
    return deadline is not None and deadline < (now or timezone.now())


class ReportQueueView(LimitedSearchMixin, IndexView):
    """The reports of the user's departments (a leader's: their area's), the most urgent
    first and then the most pressing deadline."""

    template_name = "reports/admin/queue_index.html"
    filterset_class = ReportFilterSet
    default_ordering = "deadline"
    page_title = _("Work queue")
    search_fields = ["description", "address"]  # enables the search box; see search_reports
    search_backend_name = None

    def get_base_queryset(self):
        return queue_queryset(self.request.user)

    def search_queryset(self, queryset):
        return search_reports(queryset, self.search_query) if self.is_searching else queryset

    def order_queryset(self, queryset):
        ordering = self.ordering or self.default_ordering
        if ordering.lstrip("-") == "deadline":
            deadline = F("deadline")
            first = (
                deadline.desc(nulls_last=True)
                if ordering.startswith("-")
                else deadline.asc(nulls_last=True)
            )
            # The most pressing: urgent before high before normal, each by its deadline.
            return queryset.order_by("priority_rank", first, "pk")
        return queryset.order_by(ordering, "pk")

    def paginate_queryset(self, queryset, page_size):
        paginator, page, _rows, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = list(page.object_list)
        # Every row's district in one query for the whole page, and the suggestions.
        attach_ancestors([report.area for report in page.object_list])
        suggestions = classify.disagreements(page.object_list)
        for report in page.object_list:
            report.suggestion = suggestions.get(report.pk)
        return paginator, page, page.object_list, is_paginated

    def get_inspect_url(self, instance):
        return queue_url("inspect", instance.pk)

    def get_list_more_buttons(self, instance):
        return []

    @cached_property
    def header_buttons(self):
        if not is_reports_staff(self.request.user):
            return []
        return [
            HeaderButton(
                gettext("Enter a hotline call"), url=queue_url("hotline"), icon_name="plus"
            )
        ]

    @cached_property
    def columns(self):
        now = timezone.now()
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="report"),
            TitleColumn(
                "id",
                label=pgettext_lazy("report number", "Number"),
                accessor=lambda report: f"#{report.pk}",
                get_url=self.get_inspect_url,
                get_title_id=lambda report: f"report_{report.pk}_title",
                sort_key="id",
            ),
            Column(
                "category",
                label=_("Category"),
                accessor="category.localized_name",
                sort_key="category__sort_order",
            ),
            Column(
                "suggestion",
                label=_("Suggested category"),
                accessor=_suggestion_label,
            ),
            StatusTagColumn(
                "state",
                label=_("State"),
                accessor="get_state_display",
                primary=lambda report: report.is_open,
                sort_key="state",
            ),
            Column(
                "priority",
                label=_("Priority"),
                accessor="get_priority_display",
                sort_key="priority_rank",
            ),
            Column("department", label=_("Department"), accessor="department"),
            Column("handler", label=_("Handler"), accessor="handler"),
            Column("district", label=_("District"), accessor=_district_label),
            DateColumn(
                "created_at", label=pgettext_lazy("date column", "Submitted"), sort_key="created_at"
            ),
            DeadlineColumn("deadline", label=_("Deadline"), sort_key="deadline"),
            StatusFlagColumn(
                "overdue",
                label=_("Overdue"),
                accessor=lambda report: is_overdue(report, now),
                true_label=_("Overdue"),
            ),
            Column(
                "escalation_level",
                label=_("Escalation"),
                accessor=lambda report: report.escalation_level or None,
                sort_key="escalation_level",
            ),
        ]
