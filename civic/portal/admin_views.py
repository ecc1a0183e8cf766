"""Case study actions in the Wagtail admin: adopt into one's district, recommend to leadership,
and start a draft from a resolved report. Thin: the services check permissions and refuse with
a ``DomainError``, shown as a message."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from civic.core.errors import AccessError, DomainError
from civic.core.permissions import is_editor
from forums import queries as forum_queries
from reports import queries as report_queries
from reports.models import Family, Report

from . import queries, services
from .models import CaseStudyPage, DistrictPage
from .permissions import can_add_under


class _CaseStudyAction(WagtailAdminTemplateMixin, View):
    template_name = "portal/admin/case_study_action.html"
    header_icon = "doc-full"
    http_method_names = ["get", "post"]

    def dispatch(self, request, page_id):
        if not is_editor(request.user):
            raise PermissionDenied
        self.page = get_object_or_404(CaseStudyPage, pk=page_id).original
        return super().dispatch(request, page_id)

    def get_page_subtitle(self):
        return self.page.title

    def get(self, request, page_id):
        return self.render_to_response(self.get_context_data(form=self.make_form()))

    def post(self, request, page_id):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                return self.act(form)
            except DomainError as exc:
                messages.error(request, exc.message)
            except AccessError as exc:
                raise PermissionDenied(exc.message) from exc
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        return super().get_context_data(page=self.page, **kwargs)


class AdoptForm(forms.Form):
    district_page = forms.ModelChoiceField(
        label=_("Adopt into"), queryset=DistrictPage.objects.none(), empty_label=None
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district_page"].queryset = DistrictPage.objects.filter(
            pk__in=[page.pk for page in choices]
        )


class AdoptView(_CaseStudyAction):
    """Adopt another district's case study into a district the editor may add pages to."""

    page_title = _("Adopt a case study")

    def make_form(self, data=None):
        # Districts where adopting would be refused are left out; the service checks again.
        choices = [
            page
            for page in queries.district_pages()
            if page.area_id != self.page.district_id and can_add_under(self.request.user, page)
        ]
        return AdoptForm(data, choices=choices)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=gettext(
                "An adopted case study appears under your district and stays the same as the "
                "original: when its district publishes a change, your copy changes too."
            ),
            submit_label=gettext("Adopt"),
            **kwargs,
        )

    def act(self, form):
        district_page = form.cleaned_data["district_page"]
        alias = services.adopt_case_study(self.request.user, self.page, district_page=district_page)
        messages.success(
            self.request,
            gettext("“%(title)s” is adopted by %(district)s.")
            % {"title": self.page.title, "district": district_page.title},
        )
        return redirect("wagtailadmin_explore", alias.get_parent().pk)


class RecommendForm(forms.Form):
    note = forms.CharField(
        label=_("Why leaders should read it"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class RecommendView(_CaseStudyAction):
    page_title = _("Recommend to leadership")

    def make_form(self, data=None):
        return RecommendForm(data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=gettext(
                "The case study is posted in the leadership space as a thread that links to it. "
                "A case study is recommended once."
            ),
            submit_label=gettext("Recommend"),
            **kwargs,
        )

    def act(self, form):
        services.recommend_to_leadership(
            self.request.user, self.page, note=form.cleaned_data["note"]
        )
        messages.success(
            self.request,
            gettext("“%(title)s” is recommended to leadership.") % {"title": self.page.title},
        )
        return redirect("wagtailadmin_explore", self.page.get_parent().pk)


class StartView(WagtailAdminTemplateMixin, View):
    """Start a draft case study from a resolved report in one's districts, or from a thread
    promoted to the leadership space; the draft opens in the page editor."""

    template_name = "portal/admin/start.html"
    page_title = _("Start a case study")
    header_icon = "doc-full"
    http_method_names = ["get", "post"]
    LIMIT = 50

    def dispatch(self, request):
        self.district_pages = queries.districts_to_start_in(request.user)
        if not self.district_pages:
            raise PermissionDenied
        return super().dispatch(request)

    def get(self, request):
        reports = []
        for district_page in self.district_pages:
            reports += [
                (district_page, report)
                for report in report_queries.filter_reports(
                    report_queries.public_reports(), area=district_page.area, family=Family.FIXED
                ).order_by("-created_at", "-id")[: self.LIMIT]
            ]
        threads = (
            forum_queries.visible_threads(request.user)
            .filter(is_leadership=True, origin__isnull=False)
            .order_by("-promoted_at", "-id")[: self.LIMIT]
        )
        return self.render_to_response(
            self.get_context_data(
                reports=reports, threads=threads, district_pages=self.district_pages
            )
        )

    def post(self, request):
        try:
            if "thread" in request.POST:
                page = self._from_thread(request)
            else:
                report = get_object_or_404(Report, pk=request.POST.get("report"))
                page = services.draft_case_study_from_report(request.user, report)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("portal_admin:start")
        except AccessError as exc:
            raise PermissionDenied(exc.message) from exc
        messages.success(request, gettext("A draft case study was started."))
        return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))

    def _from_thread(self, request):
        thread = forum_queries.visible_threads(request.user).filter(pk=request.POST.get("thread"))
        thread = get_object_or_404(thread)
        district_page = get_object_or_404(
            DistrictPage, pk=request.POST.get("district_page") or self.district_pages[0].pk
        )
        return services.draft_case_study_from_thread(
            request.user, thread, district_page=district_page
        )
