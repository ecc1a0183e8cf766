from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter

from civic.admin_menu import PermittedMenuItem
from civic.core.permissions import is_editor

from . import admin_views, queries
from .models import CaseStudyPage
from .permissions import can_recommend


@hooks.register("register_admin_urls")
def register_case_study_urls():
    urls = [
        path("<int:page_id>/adopt/", admin_views.AdoptView.as_view(), name="adopt"),
        path("<int:page_id>/recommend/", admin_views.RecommendView.as_view(), name="recommend"),
        path("start/", admin_views.StartView.as_view(), name="start"),
    ]
    return [path("case-studies/", include((urls, "portal_admin"), namespace="portal_admin"))]


@hooks.register("register_admin_menu_item")
def register_start_menu_item():
    # Only for those the start view lets in: an editor of no district would be turned away.
    return PermittedMenuItem(
        _("Start a case study"),
        reverse("portal_admin:start"),
        icon_name="doc-full",
        order=250,
        check=queries.districts_to_start_in,
    )


def _case_study_buttons(page, user):
    page = page.specific_deferred
    if not isinstance(page, CaseStudyPage) or not page.live or not is_editor(user):
        return
    original = page.original
    yield Button(
        _("Adopt into my district"),
        reverse("portal_admin:adopt", args=[original.pk]),
        icon_name="copy",
        priority=60,
    )
    if can_recommend(user, original) and not hasattr(original, "leadership_recommendation"):
        yield Button(
            _("Recommend to leadership"),
            reverse("portal_admin:recommend", args=[original.pk]),
            icon_name="pick",
            priority=61,
        )


@hooks.register("register_page_listing_more_buttons")
def case_study_listing_buttons(page, user, next_url=None):
    yield from _case_study_buttons(page, user)


@hooks.register("register_page_header_buttons")
def case_study_header_buttons(page, user, view_name, next_url=None):
    yield from _case_study_buttons(page, user)


@hooks.register("register_log_actions")
def register_case_study_log_actions(actions):
    @actions.register_action("portal.adopt_case_study")
    class AdoptFormatter(LogFormatter):
        label = _("Adopt case study")

        def format_message(self, log_entry):
            return _("Adopted by %(district)s") % {"district": log_entry.data.get("district", "")}

    actions.register_action(
        "portal.recommend_to_leadership",
        _("Recommend to leadership"),
        _("Recommended to leadership"),
    )
    actions.register_action(
        "portal.draft_from_report",
        _("Start from a report"),
        _("Started from a resolved report"),
    )
    actions.register_action(
        "portal.draft_from_thread",
        _("Start from a thread"),
        _("Started from a promoted thread"),
    )
