"""Hotline calls: staff enter a report for someone who phoned."""

import uuid

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .. import admin_forms, queries
from ..models import Channel
from ..permissions import can_see_staff_details, is_reports_staff
from ..views import submit_report_form
from .queue import queue_url


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
