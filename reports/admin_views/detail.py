"""A report's page for staff: everything about it they may see (the reporter as far as privacy
allows, a hotline caller's contact details, answers, photos, map, timeline, residents'
comments) and the forms of the actions they may take next."""

import math

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.admin.views.generic import InspectView

from civic.areas.maps import svg_map
from civic.areas.models import Area, AreaKind
from civic.areas.queries import ancestor_paths
from civic.departments.models import Department

from .. import admin_forms, classify, queries
from ..models import (
    LIST_TYPES,
    OPEN_STATES,
    CallbackOutcome,
    EventKind,
    PhotoKind,
    Priority,
    ReportPhoto,
    State,
)
from ..permissions import can_see_staff_details, can_triage
from ..privacy import anonymous_label, can_see_reporter, reporter_name
from .actions import action_forms
from .comments import staff_comments
from .queue import load_report, queue_url


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


class ReportDetailView(InspectView):
    """Everything staff need about one report, and the forms for what they may do next."""

    template_name = "reports/admin/report_detail.html"

    def get_object(self, queryset=None):
        report = load_report(self.pk)
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
            comments=staff_comments(report, user),
            map=report_map(report),
            duplicates=list(report.duplicates.order_by("pk")),
            actions=action_forms(report, user),
            suggestion=self._suggestion(report, user),
            recategorise_url=queue_url("act", report.pk, "recategorise"),
        )
        return context

    @staticmethod
    def _suggestion(report, user):
        """The smart intake's category when it disagrees with the report's, for staff who may
        move it (one click: the recategorise action)."""
        if not report.is_open or not can_triage(user, report):
            return None
        return classify.disagreement(
            report, classify.suggest(report.description, report.lat, report.lon, first=1)
        )

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
        if event.kind == EventKind.PRIORITY and data.get("priority") in Priority.values:
            return gettext("Priority: %(priority)s") % {
                "priority": Priority(data["priority"]).label
            }
        if event.kind == EventKind.INSTRUCTION_ESCALATED:
            return gettext("Escalation level %(level)s") % {"level": data.get("level")}
        if event.kind == EventKind.CALLBACK and data.get("outcome") in CallbackOutcome.values:
            reached = gettext("reached") if data.get("reached") else gettext("not reached")
            return f"{CallbackOutcome(data['outcome']).label} · {reached}"
        return ""
