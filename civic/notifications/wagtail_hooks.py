"""The outbox in the admin, read-only: what was sent, what waits for a retry and why, what was
given up. Platform admins (and whoever holds ``notifications.view_delivery``) see it under
Settings."""

from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from civic.core.permissions import ViewOnlyPermissionPolicy

from .models import Delivery

register_permission_policy(Delivery, ViewOnlyPermissionPolicy(Delivery))


class DeliveryIndexView(generic.IndexView):
    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "notification",
                label=_("Notification"),
                accessor=lambda d: d.notification.title,
                get_url=lambda d: self.get_inspect_url(d),
            ),
            Column("user", label=_("User"), accessor=lambda d: d.notification.user),
            Column("channel", label=_("Channel"), accessor="get_channel_display"),
            Column("state", label=_("State"), accessor="get_state_display", sort_key="state"),
            Column("attempts", label=_("Attempts"), sort_key="attempts"),
            DateColumn("next_attempt_at", label=_("Next attempt"), sort_key="next_attempt_at"),
            Column("last_error", label=_("Last error")),
        ]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("notification__user")


class DeliveryViewSet(ModelViewSet):
    model = Delivery
    index_view_class = DeliveryIndexView
    icon = "mail"
    menu_label = _("Notification outbox")
    add_to_settings_menu = True
    list_filter = ["state", "channel"]
    ordering = ["-created_at", "-id"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "notification",
        "channel",
        "target",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "provider_id",
        "created_at",
        "sent_at",
    ]
    copy_view_enabled = False
    add_to_reference_index = False

    def get_urlpatterns(self):
        # Deliveries are made by the outbox, never by hand: a list and a page each.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename="view_delivery")


@hooks.register("register_admin_viewset")
def register_outbox():
    return DeliveryViewSet("notification_outbox", url_prefix="notifications/outbox")
