"""The forums in the Wagtail admin: a "Forums" menu with the moderation queue and the promotion
review queue, shown to forum moderators (editors and platform admins) only. The thresholds
(``ForumSettings``) are under Settings → Forums."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from civic.admin_menu import PermittedMenuItem

from . import admin_views
from .permissions import can_curate, is_forum_moderator

FORUMS_MENU_HOOK = "register_forums_menu_item"


@hooks.register(FORUMS_MENU_HOOK)
def moderation_menu_item():
    return PermittedMenuItem(
        _("Moderation queue"),
        reverse("forums_admin:moderation"),
        icon_name="warning",
        order=100,
        check=is_forum_moderator,
    )


@hooks.register(FORUMS_MENU_HOOK)
def review_menu_item():
    return PermittedMenuItem(
        _("Promotion review"),
        reverse("forums_admin:review"),
        icon_name="arrow-up",
        order=200,
        check=can_curate,
    )


@hooks.register("register_admin_menu_item")
def forums_menu():
    return SubmenuMenuItem(
        _("Forums"),
        Menu(register_hook_name=FORUMS_MENU_HOOK),
        icon_name="group",
        name="forums",
        order=170,
    )


@hooks.register("register_admin_urls")
def register_forums_urls():
    urls = [
        path("moderation/", admin_views.moderation_queue, name="moderation"),
        path(
            "moderation/<str:kind>/<int:pk>/",
            admin_views.moderate,
            name="moderate",
        ),
        path("review/", admin_views.review_queue, name="review"),
        path("review/<int:pk>/", admin_views.decide, name="decide"),
        path("review/nominate/", admin_views.nominate, name="nominate"),
    ]
    return [path("forums/", include((urls, "forums_admin"), namespace="forums_admin"))]
