"""The follow-up calls (回访) a supervisor's departments owe dissatisfied reporters, the soonest
due first: each links to its report, whose page records the call."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView

from .. import queries
from .queue import QUEUE

FOLLOW_UPS = "report_follow_ups"  # the URL namespace of the list's viewset


def _is_late(follow_up):
    return follow_up.due_at < timezone.now()


def _stars(follow_up):
    return follow_up.rating.stars if follow_up.rating else ""


def _due(follow_up):
    due = date_format(timezone.localtime(follow_up.due_at), "SHORT_DATETIME_FORMAT")
    return gettext("%(due)s · late") % {"due": due} if _is_late(follow_up) else due


class FollowUpIndexView(IndexView):
    page_title = _("Follow-up calls")
    header_icon = "mail"
    default_ordering = "due_at"
    paginate_by = 50

    def get_base_queryset(self):
        return queries.follow_ups_for(self.request.user).select_related("department")

    def order_queryset(self, queryset):
        return queryset  # the soonest due first, as the query orders them

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "report",
                label=_("Report"),
                accessor=lambda follow_up: follow_up.report,
                get_url=lambda follow_up: reverse(f"{QUEUE}:inspect", args=[follow_up.report_id]),
            ),
            Column("category", label=_("Category"), accessor="report.category"),
            Column("reason", label=_("Why"), accessor="get_reason_display"),
            Column("rating", label=_("Stars"), accessor=_stars),
            Column("department", label=_("Department"), accessor="department"),
            DateColumn("created_at", label=_("Opened at")),
            StatusTagColumn("due_at", label=_("Call back by"), accessor=_due, primary=_is_late),
        ]
