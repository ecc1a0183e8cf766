"""Staff screens of the vital signs: the leadership screen (体征大屏) and its data, a warning
with its timeline and actions, the CSV import of readings, issuing and revoking API keys.
Thin: the services check and refuse."""

import uuid

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from civic.core.errors import AccessError, DomainError
from civic.core.tiles import tile_settings
from reports.models import Category

from . import services
from .models import LEVEL_COLOURS, CloseCause, Domain, Level, SourceKey
from .permissions import can_manage_vitals, can_see_vitals


def _level_label(level):
    return str(Level(level).label) if level else str(_("Normal"))


def _rounded(value):
    return None if value is None else round(value, 3)


def screen_data(user):
    """What the screen draws, for ``user``: the signs by domain and the live warnings."""
    signs = services.vital_signs(user)
    domains = []
    for domain in Domain:
        cards = [
            {
                "code": sign.indicator.code,
                "name": sign.indicator.localized_name,
                "unit": sign.indicator.unit,
                "value": _rounded(sign.value),
                "level": sign.level,
                "levelLabel": _level_label(sign.level),
                "colour": LEVEL_COLOURS[sign.level],
                "trend": [[time.isoformat(), _rounded(value)] for time, value in sign.trend],
                "trendDirection": sign.direction_of_trend,
                "openWarnings": sign.open_warnings,
            }
            for sign in signs
            if sign.indicator.domain == domain
        ]
        if cards:
            domains.append({"key": domain.value, "label": str(domain.label), "signs": cards})
    live = services.warnings(user).exclude(state="closed")[:200]
    warnings = [
        {
            "id": warning.pk,
            "indicator": warning.indicator.localized_name,
            "area": warning.area.localized_name,
            "level": warning.level,
            "levelLabel": _level_label(warning.level),
            "colour": warning.colour,
            "value": _rounded(warning.value),
            "lat": warning.area.centre[0],
            "lon": warning.area.centre[1],
            "url": reverse("vitals_admin:warning", args=[warning.pk]),
        }
        for warning in live
    ]
    return {"generated": timezone.now().isoformat(), "domains": domains, "warnings": warnings}


class AdminPage(WagtailAdminTemplateMixin, TemplateView):
    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


def _require_viewer(user):
    if not can_see_vitals(user):
        raise PermissionDenied


class ScreenView(AdminPage):
    """The leadership screen: every indicator by domain, the warnings map, refreshed."""

    template_name = "vitals/admin/screen.html"
    page_title = _("City vital signs")
    header_icon = "pick"

    def dispatch(self, request, *args, **kwargs):
        _require_viewer(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["data"] = screen_data(self.request.user)
        context["map"] = tile_settings()
        context["levels"] = [(level.label, LEVEL_COLOURS[level.value]) for level in Level]
        context["normal_colour"] = LEVEL_COLOURS[None]
        return context


def screen_json(request):
    _require_viewer(request.user)
    return JsonResponse(screen_data(request.user))


class WorkForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    report = forms.IntegerField(label=_("Report number to link"), required=False, min_value=1)


class DispatchForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True)
    )
    description = forms.CharField(
        label=_("What to do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    # One per form shown: a double click files one report.
    client_request_id = forms.CharField(widget=forms.HiddenInput, max_length=64)


class CloseForm(forms.Form):
    cause = forms.ChoiceField(label=_("Cause"), choices=CloseCause.choices)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class WarningView(AdminPage):
    """A warning, its evidence and timeline; acknowledge, work (a note, a linked report) and
    close it."""

    template_name = "vitals/admin/warning.html"
    header_icon = "warning"

    def dispatch(self, request, pk):
        try:
            self.warning = services.warning_for(request.user, pk)
        except (AccessError, DomainError):
            raise PermissionDenied from None
        return super().dispatch(request, pk)

    def get_page_title(self):
        return str(self.warning)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            warning=self.warning,
            entries=self.warning.entries.select_related("author", "report"),
            work_form=kwargs.get("work_form") or WorkForm(),
            dispatch_form=kwargs.get("dispatch_form")
            or DispatchForm(
                initial={
                    "client_request_id": f"warning-{self.warning.pk}-{uuid.uuid4().hex[:16]}",
                    "description": f"{self.warning.indicator.localized_name} · "
                    f"{self.warning.area.localized_name}: {self.warning.value:g} "
                    f"{self.warning.indicator.unit}",
                }
            ),
            close_form=kwargs.get("close_form") or CloseForm(),
        )
        return context

    def post(self, request, pk):
        action = request.POST.get("action")
        forms_by_action = {"work": WorkForm, "dispatch": DispatchForm, "close": CloseForm}
        form = forms_by_action.get(action, forms.Form)(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))
        data = form.cleaned_data
        try:
            if action == "acknowledge":
                services.acknowledge(request.user, pk)
            elif action == "work":
                services.work(request.user, pk, note=data["note"], report_id=data["report"])
            elif action == "dispatch":
                services.dispatch_report(request.user, pk, **data)
            elif action == "close":
                services.close(request.user, pk, cause=data["cause"], note=data["note"])
        except AccessError as exc:
            messages.error(request, exc.message)
        except DomainError as exc:
            for error in exc.errors:
                messages.error(request, error.message)
        else:
            messages.success(request, _("Done."))
        return redirect("vitals_admin:warning", pk)


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"), help_text=_("Columns: sensor, time (ISO 8601 with zone), value, unit.")
    )


class CsvImportView(AdminPage):
    template_name = "vitals/admin/import.html"
    page_title = _("Import readings")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_vitals(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", CsvImportForm())
        return super().get_context_data(**kwargs)

    def post(self, request):
        form = CsvImportForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            try:
                text = form.cleaned_data["file"].read().decode("utf-8-sig")
                result = services.ingest(services.readings_from_csv(text))
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text."))
            except DomainError as exc:
                form.add_error("file", exc.message)
        return self.render_to_response(self.get_context_data(form=form, result=result))


class IssueKeyForm(forms.Form):
    name = forms.CharField(label=_("System"), max_length=120)
    rate_limit = forms.IntegerField(label=_("Requests per minute"), min_value=1, initial=120)


class KeysView(AdminPage):
    """The keys systems push readings with: issue one (shown once: only its hash is kept),
    revoke one."""

    template_name = "vitals/admin/keys.html"
    page_title = _("Sensor API keys")
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_vitals(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", IssueKeyForm())
        return super().get_context_data(keys=SourceKey.objects.all(), **kwargs)

    def post(self, request):
        form = IssueKeyForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        issued = services.issue_key(
            request.user, name=form.cleaned_data["name"], rate_limit=form.cleaned_data["rate_limit"]
        )
        return self.render_to_response(self.get_context_data(issued=issued))


class RevokeKeyView(View):
    def post(self, request, pk):
        if not can_manage_vitals(request.user):
            raise PermissionDenied
        key = get_object_or_404(SourceKey, pk=pk)
        services.revoke_key(request.user, key)
        messages.success(request, _("The key of “%(name)s” is revoked.") % {"name": key.name})
        return redirect("vitals_admin:keys")
