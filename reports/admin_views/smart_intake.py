"""The smart intake's page for platform admins: how the classifier's newest version did on the
held-out slice of recent reports (accuracy, precision and recall per category, the confusions),
how many reports its suggestions re-routed, its versions, and training a new one."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from civic.core.errors import DomainError
from civic.core.permissions import can_manage_core

from .. import queries, services
from ..classify import runtime
from ..models import Category, ClassifierModel

SMART_INTAKE = "smart_intake"


def _percent(value):
    return None if value is None else round(value * 100, 1)


class SmartIntakeView(WagtailAdminTemplateMixin, View):
    template_name = "reports/admin/smart_intake.html"
    page_title = _("Smart intake")
    header_icon = "cogs"
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_core(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render_to_response(self.get_context_data())

    def post(self, request):
        try:
            row = services.train_classifier(request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, gettext("Classifier version %(version)s trained.") % {"version": row.pk}
            )
        return redirect(reverse(f"{SMART_INTAKE}:index"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(ClassifierModel.objects.select_related("trained_by")[:10])
        latest = versions[0] if versions else None
        metrics = latest.metrics if latest else {}
        names = {c.service_code: c.localized_name for c in Category.objects.all()}
        _row, model = runtime.current()
        context.update(
            latest=latest,
            versions=versions,
            top1=_percent(metrics.get("top1")),
            top3=_percent(metrics.get("top3")),
            evaluated=metrics.get("evaluated"),
            held_out_since=metrics.get("held_out_since"),
            per_category=[
                {
                    "name": names.get(code, code),
                    "precision": _percent(figures["precision"]),
                    "recall": _percent(figures["recall"]),
                    "support": figures["support"],
                }
                for code, figures in metrics.get("per_category", {}).items()
            ],
            confusions=[
                {"actual": names.get(actual, actual), "suggested": names.get(said, said), "n": n}
                for actual, said, n in metrics.get("confusions", [])
            ],
            rerouted=queries.rerouted_by_suggestions(),
            memory_mb=round(model.memory_bytes() / 2**20, 1) if model is not None else None,
        )
        return context
