"""The staff's report screens in the Wagtail admin: the work queue, a report's page with the
actions staff may take on it, its photos, and the queue's bulk actions.

The views are thin. What staff may see and do comes from ``permissions.py`` and ``privacy.py``;
every change is a call to a service, whose refusal (``DomainError``) is shown as a message.
"""

import math
import uuid
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    Column,
    DateColumn,
    StatusFlagColumn,
    StatusTagColumn,
    TitleColumn,
)
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from civic.areas.maps import svg_map
from civic.areas.models import Area, AreaKind
from civic.areas.queries import ancestor_paths, attach_ancestors, districts
from civic.core.admin_search import LimitedSearchMixin
from civic.core.errors import AccessError, DomainError
from civic.core.text import SearchTooLong, search_text
from civic.departments.models import Department

from . import admin_forms, queries, services
from .models import (
    LIST_TYPES,
    OPEN_STATES,
    Category,
    Channel,
    EventKind,
    PhotoKind,
    Report,
    ReportPhoto,
    State,
)
from .permissions import (
    can_note,
    can_see_staff_details,
    can_triage,
    can_work_on,
    is_reports_staff,
    staff_department_ids,
)
from .privacy import anonymous_label, can_see_reporter, reporter_name
from .views import submit_report_form

QUEUE = "report_queue"  # the URL namespace of the queue's viewset
NEARBY_RADIUS_M = 200


def queue_url(name, *args):
    return reverse(f"{QUEUE}:{name}", args=args)


# --- The work queue -----------------------------------------------------------------------------

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
        .annotate(deadline=DEADLINE)
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


def is_overdue(report, now=None):
    deadline = getattr(report, "deadline", None)
    return deadline is not None and deadline < (now or timezone.now())


class ReportQueueView(LimitedSearchMixin, IndexView):
    """The reports of the user's departments, the most pressing deadline first."""

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
            return queryset.order_by(first, "pk")
        return queryset.order_by(ordering, "pk")

    def paginate_queryset(self, queryset, page_size):
        paginator, page, _rows, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = list(page.object_list)
        # Every row's district in one query for the whole page.
        attach_ancestors([report.area for report in page.object_list])
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
            StatusTagColumn(
                "state",
                label=_("State"),
                accessor="get_state_display",
                primary=lambda report: report.is_open,
                sort_key="state",
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


# --- A report's page ----------------------------------------------------------------------------


def _pin(lat, lon, size):
    """A small round marker as a polygon, for ``svg_map``."""
    lon_size = size / max(math.cos(math.radians(lat)), 0.01)
    ring = [
        [lon + lon_size * math.cos(step * math.pi / 8), lat + size * math.sin(step * math.pi / 8)]
        for step in range(16)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def report_map(report):
    """An inline SVG of the report's district with its grid cell and a pin at the point."""
    chain = list(Area.objects.filter(path__in=ancestor_paths(report.area_path)).order_by("depth"))
    if not chain:
        return ""
    district = next((area for area in chain if area.kind == AreaKind.DISTRICT), chain[-1])
    deepest = chain[-1]
    span = max(district.max_lat - district.min_lat, district.max_lon - district.min_lon)
    shapes = [{"geometry": district.boundary, "title": district.localized_name}]
    if deepest.pk != district.pk:
        shapes.append(
            {
                "geometry": deepest.boundary,
                "title": deepest.localized_name,
                "css_class": "area area--cell",
                "named": False,
            }
        )
    shapes.append(
        {
            "geometry": _pin(report.lat, report.lon, span * 0.025),
            "title": gettext("The reported place"),
            "css_class": "report-pin",
            "named": False,
        }
    )
    return svg_map(
        shapes,
        label=gettext("Map of %(district)s with the reported place")
        % {"district": district.localized_name},
    )


@dataclass
class Action:
    name: str
    label: str
    form_class: type
    allowed: object  # (user, report) -> bool, from permissions.py
    states: tuple  # states in which the action makes sense; empty for any
    run: object  # (user, report, cleaned_data) -> report, calling the service
    success: str
    description: str = ""
    button_class: str = ""


def _run_merge(user, report, data):
    return services.merge(user, report, data["target"], message=data["message"])


ACTIONS = {
    action.name: action
    for action in [
        Action(
            "accept",
            _("Accept"),
            admin_forms.MessageForm,
            can_triage,
            (State.SUBMITTED,),
            lambda user, report, data: services.accept(user, report, message=data["message"]),
            _("Report #%(id)s accepted."),
            _("Your department takes it on; the resolving deadline starts."),
        ),
        Action(
            "assign",
            _("Assign"),
            admin_forms.AssignForm,
            can_triage,
            (State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS),
            lambda user, report, data: services.assign(
                user,
                report,
                department=data["department"],
                handler=data["handler"],
                message=data["message"],
            ),
            _("Report #%(id)s assigned."),
        ),
        Action(
            "start",
            _("Start the work"),
            admin_forms.MessageForm,
            can_work_on,
            (State.ASSIGNED,),
            lambda user, report, data: services.start(user, report, message=data["message"]),
            _("Work on report #%(id)s started."),
        ),
        Action(
            "resolve",
            _("Resolve"),
            admin_forms.ResolveForm,
            can_work_on,
            (State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS),
            lambda user, report, data: services.resolve(
                user, report, message=data["message"], photos=data["photos"]
            ),
            _("Report #%(id)s resolved."),
        ),
        Action(
            "update",
            _("Public update"),
            admin_forms.UpdateForm,
            can_work_on,
            (),
            lambda user, report, data: services.post_update(
                user, report, message=data["message"], public=True
            ),
            _("Update posted on report #%(id)s."),
        ),
        Action(
            "note",
            _("Internal note"),
            admin_forms.NoteForm,
            can_note,
            (),
            lambda user, report, data: services.post_update(
                user, report, message=data["message"], public=False
            ),
            _("Note added to report #%(id)s."),
        ),
        Action(
            "recategorise",
            _("Change the category"),
            admin_forms.RecategoriseForm,
            can_triage,
            OPEN_STATES,
            lambda user, report, data: services.recategorise(
                user, report, data["category"], message=data["message"]
            ),
            _("Report #%(id)s moved to another category."),
            _("If another department handles the new category, the report goes to it."),
        ),
        Action(
            "merge",
            _("Merge as a duplicate"),
            admin_forms.MergeForm,
            can_triage,
            OPEN_STATES,
            _run_merge,
            _("Report #%(id)s merged as a duplicate."),
            _("Closes this report as a copy of another; its reporter becomes a supporter."),
        ),
        Action(
            "reject",
            _("Reject"),
            admin_forms.RejectForm,
            can_triage,
            OPEN_STATES,
            lambda user, report, data: services.reject(
                user, report, reason=data["reason"], message=data["message"]
            ),
            _("Report #%(id)s rejected."),
            button_class="serious",
        ),
    ]
}


def available_actions(user, report):
    """The actions the user may take on the report now, in the order staff work."""
    return [
        action
        for action in ACTIONS.values()
        if (not action.states or report.state in action.states) and action.allowed(user, report)
    ]


def _load_report(pk):
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


class ReportDetailView(InspectView):
    """Everything staff need about one report, and the forms for what they may do next."""

    template_name = "reports/admin/report_detail.html"

    def get_object(self, queryset=None):
        report = _load_report(self.pk)
        if not can_see_staff_details(self.request.user, report):
            raise PermissionDenied
        return report

    def get_page_title(self):
        return gettext("Report #%(id)s") % {"id": self.object.pk}

    def get_page_subtitle(self):
        return self.object.category.localized_name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": queue_url("index"), "label": gettext("Work queue")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_fields_context(self):
        return []  # the template lays the report out itself

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, user = self.object, self.request.user
        photos = list(ReportPhoto.objects.filter(report=report).order_by("sort_order", "pk"))
        context.update(
            report=report,
            deadline=self._deadline(report),
            overdue=self._deadline(report) is not None and self._deadline(report) < timezone.now(),
            reporter=reporter_name(report, user) or anonymous_label(),
            reporter_account=report.reporter if can_see_reporter(user, report) else None,
            contact=contact_details(report) if can_see_staff_details(user, report) else [],
            answers=self._answers(report),
            photos=photos,
            report_photos=[photo for photo in photos if photo.kind == PhotoKind.REPORT],
            after_photos=[photo for photo in photos if photo.kind == PhotoKind.AFTER],
            timeline=self._timeline(report, user),
            map=report_map(report),
            duplicates=list(report.duplicates.order_by("pk")),
            actions=self._action_forms(report, user),
        )
        return context

    @staticmethod
    def _deadline(report):
        if report.state == State.SUBMITTED:
            return report.accept_deadline
        if report.state in OPEN_STATES:
            return report.resolve_deadline
        return None

    @staticmethod
    def _answers(report):
        shown = []
        for question in report.category.questions.all():
            if question.code not in report.answers:
                continue
            value = report.answers[question.code]
            if question.datatype in LIST_TYPES:
                keys = value if isinstance(value, list) else [value]
                value = ", ".join(admin_forms.option_label(question, key) for key in keys)
            shown.append((question.localized_label, value))
        return shown

    def _timeline(self, report, user):
        events = list(queries.timeline(report, public_only=False))
        departments = {
            department.code: department
            for department in Department.objects.filter(
                code__in={e.data.get("department") for e in events if e.data.get("department")}
            )
        }
        for event in events:
            event.actor_label = self._actor_label(event, report, user)
            event.details = self._details(event, departments)
        return events

    @staticmethod
    def _actor_label(event, report, user):
        if event.actor_id is None:
            return gettext("The platform")
        if event.actor_id == report.reporter_id:
            return reporter_name(report, user) or anonymous_label()
        if event.kind == EventKind.SUPPORTED:
            return anonymous_label()
        return str(event.actor)

    @staticmethod
    def _details(event, departments):
        data = event.data
        if event.kind == EventKind.ASSIGNED and data.get("department") in departments:
            return gettext("Department: %(name)s") % {
                "name": departments[data["department"]].localized_name
            }
        if event.kind == EventKind.RECATEGORISED:
            return gettext("Category: %(old)s → %(new)s") % {
                "old": data.get("category_from", ""),
                "new": data.get("category_to", ""),
            }
        if event.kind == EventKind.MERGED:
            return gettext("Duplicate of #%(id)s") % {"id": data.get("original")}
        if event.kind == EventKind.DUPLICATE_ADDED:
            return gettext("#%(id)s was merged into this report") % {"id": data.get("duplicate")}
        if event.kind == EventKind.RATED:
            return gettext("Rating: %(rating)s of 5") % {"rating": data.get("rating")}
        if event.kind == EventKind.ESCALATED:
            return gettext("Escalation level %(level)s") % {"level": data.get("level")}
        return ""

    def _action_forms(self, report, user):
        actions = available_actions(user, report)
        if not actions:
            return []
        templates = admin_forms.response_templates(report)
        shown = []
        for action in actions:
            kwargs = {"report": report, "user": user, "templates": templates, "prefix": action.name}
            if action.name == "merge":
                kwargs["candidates"] = admin_forms.merge_candidates(
                    report, radius_m=NEARBY_RADIUS_M
                )
            form = action.form_class(**kwargs)
            if action.name == "recategorise" and not form.fields["category"].queryset.exists():
                continue
            shown.append(
                {
                    "action": action,
                    "form": form,
                    "url": queue_url("act", report.pk, action.name),
                }
            )
        return shown


class ReportActionView(View):
    """Takes one action's form from a report's page, calls the service, and goes back."""

    http_method_names = ["post"]

    def post(self, request, pk, action):
        spec = ACTIONS.get(action)
        if spec is None:
            raise Http404
        report = _load_report(pk)
        user = request.user
        if not can_see_staff_details(user, report) or not spec.allowed(user, report):
            raise PermissionDenied
        back = queue_url("inspect", report.pk)
        kwargs = {"report": report, "user": user, "prefix": action}
        if action in ("reject", "resolve", "update"):
            kwargs["templates"] = admin_forms.response_templates(report)
        form = spec.form_class(request.POST, request.FILES, **kwargs)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else None
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
            return redirect(back)
        try:
            spec.run(user, report, form.cleaned_data)
        except DomainError as exc:
            for error in exc.errors:
                messages.error(request, error.message)
        except AccessError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, spec.success % {"id": report.pk})
        return redirect(back)


# --- Hotline calls ------------------------------------------------------------------------------


def contact_details(report):
    """``[(label, value, link), …]`` of the contact details a report keeps for staff (a hotline
    caller's), the known ones first and labelled."""
    known = {
        "name": (gettext("Caller's name"), ""),
        "phone": (gettext("Caller's phone"), "tel:"),
        "email": (gettext("Caller's email"), "mailto:"),
        "open311_client": (gettext("Sent through the Open311 client"), ""),
    }
    shown = []
    for key, (label, scheme) in known.items():
        value = report.contact.get(key)
        if value:
            shown.append((label, value, f"{scheme}{value}" if scheme else ""))
    other = gettext("Contact")
    for key, value in sorted(report.contact.items()):
        if key not in known and value:
            shown.append((f"{other} · {key}", value, ""))
    return shown


class HotlineCallView(WagtailAdminTemplateMixin, View):
    """Staff enter a report for someone who phoned the hotline. The service files it with the
    hotline channel, no reporter account, and the caller's contact details for staff."""

    template_name = "reports/admin/hotline_form.html"
    page_title = _("Enter a hotline call")
    header_icon = "tasks"
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        if not is_reports_staff(request.user):
            raise PermissionDenied
        self.categories = list(queries.active_categories())
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": queue_url("index"), "label": gettext("Work queue")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request):
        form = admin_forms.HotlineForm(
            initial={"client_request_id": uuid.uuid4().hex}, categories=self.categories
        )
        return self._render(form)

    def post(self, request):
        form = admin_forms.HotlineForm(request.POST, request.FILES, categories=self.categories)
        report = submit_report_form(request.user, form, channel=Channel.HOTLINE)
        if report is not None:
            return self._done(report)
        messages.error(request, gettext("The call was not entered: check the form."))
        return self._render(form)

    def _done(self, report):
        user = self.request.user
        if can_see_staff_details(user, report):
            messages.success(
                self.request, gettext("Hotline call entered as report #%(id)s.") % {"id": report.pk}
            )
            return redirect(queue_url("inspect", report.pk))
        # Routed to a department the user does not work for: say where it went.
        messages.success(
            self.request,
            gettext("Hotline call entered as report #%(id)s and sent to %(department)s.")
            % {"id": report.pk, "department": report.department or "—"},
        )
        return redirect(queue_url("index"))

    def _render(self, form):
        context = self.get_context_data(
            form=form,
            anonymous_codes=form.anonymous_codes,
            action_url=queue_url("hotline"),
        )
        return self.render_to_response(context)


# --- Bulk actions on the queue -----------------------------------------------------------------


class ReportBulkAction(BulkAction):
    """Runs one service per selected report; reports who succeeded and who failed and why."""

    models = [Report]
    template_name = "reports/admin/bulk_confirm.html"
    done_message = ""
    failed_message = ""

    def check_perm(self, report):
        return can_triage(self.request.user, report)

    def get_actionable_objects(self):
        user = self.request.user
        ids = self.request.GET.getlist("id")
        queue = queue_queryset(user)
        if "all" in ids:
            # "All in listing": the queue as filtered when the action was chosen.
            filters = ReportFilterSet(self.request.GET, queryset=queue, request=self.request)
            reports = filters.qs if filters.is_valid() else queue.none()
            try:
                reports = search_reports(reports, self.request.GET.get("q"))
            except SearchTooLong:
                reports = reports.none()  # the listing refused it too: nothing was listed
        else:
            reports = queue.filter(pk__in=[int(pk) for pk in ids if pk.isdigit()])
        objects, without_access = [], []
        for report in reports.order_by("pk"):
            (objects if self.check_perm(report) else without_access).append(report)
        return objects, {"items_with_no_access": without_access}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            header_icon="warning",
            action_label=self.display_name,
            action_description=self.description,
        )
        return context

    def get_execution_context(self):
        return {"bulk_action": self}

    @classmethod
    def execute_action(cls, objects, bulk_action=None, **kwargs):
        return bulk_action.run_each(objects), 0

    def run_each(self, reports):
        done, failed = 0, []
        for report in reports:
            try:
                self.perform(report)
            except (DomainError, AccessError) as exc:
                failed.append((report, exc.message))
            else:
                done += 1
        if failed:
            messages.error(
                self.request,
                ngettext(
                    "%(count)s report was not changed: %(reasons)s",
                    "%(count)s reports were not changed: %(reasons)s",
                    len(failed),
                )
                % {
                    "count": len(failed),
                    "reasons": "; ".join(f"#{report.pk}: {reason}" for report, reason in failed),
                },
            )
        return done

    def perform(self, report):
        raise NotImplementedError

    def get_success_message(self, num_parent_objects, num_child_objects):
        if not num_parent_objects:
            return None
        return self.success_message(num_parent_objects)


class AcceptBulkAction(ReportBulkAction):
    display_name = _("Accept")
    action_type = "accept"
    aria_label = _("Accept the selected reports")
    description = _("Each report is accepted by your department; resolving deadlines start.")
    action_priority = 10

    def perform(self, report):
        services.accept(self.request.user, report)

    def success_message(self, count):
        return ngettext("%(count)s report accepted.", "%(count)s reports accepted.", count) % {
            "count": count
        }


class AssignBulkAction(ReportBulkAction):
    display_name = _("Assign")
    action_type = "assign"
    aria_label = _("Assign the selected reports to a handler")
    description = _("Each report goes to the handler you choose.")
    action_priority = 20
    form_class = admin_forms.BulkAssignForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["department_ids"] = staff_department_ids(self.request.user)
        return kwargs

    def perform(self, report):
        services.assign(
            self.request.user,
            report,
            handler=self.cleaned_form.cleaned_data["handler"],
            message=self.cleaned_form.cleaned_data["message"],
        )

    def success_message(self, count):
        return ngettext(
            "%(count)s report assigned to %(handler)s.",
            "%(count)s reports assigned to %(handler)s.",
            count,
        ) % {"count": count, "handler": self.cleaned_form.cleaned_data["handler"]}
