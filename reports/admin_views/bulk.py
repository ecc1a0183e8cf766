"""The queue's bulk actions: one service call per selected report, and a message saying which
reports were not changed and why."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.admin.views.bulk_action import BulkAction

from civic.core.errors import AccessError, DomainError
from civic.core.text import SearchTooLong

from .. import admin_forms, services
from ..models import Report
from ..permissions import can_triage, staff_department_ids
from .queue import ReportFilterSet, queue_queryset, search_reports


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
