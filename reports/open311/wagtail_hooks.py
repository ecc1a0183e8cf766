"""Open311 API keys in the Wagtail admin, for platform admins: issue a key (shown once), edit
its owner and limit, revoke it. Keys are never deleted, so the reports a key filed keep saying
who sent them; issuing and revoking are in the audit log."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from civic.core.permissions import is_platform_admin
from civic.core.roles import Role

from . import services
from .models import ApiKey

ADMIN = "open311_keys"


class ApiKeyPolicy(BasePermissionPolicy):
    """Platform admins only, the rule the services check; nobody deletes a key."""

    def user_has_permission(self, user, action):
        return action != "delete" and is_platform_admin(user)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(
            Q(groups__name=Role.ADMIN.value) | Q(is_superuser=True), is_active=True
        )


register_permission_policy(ApiKey, ApiKeyPolicy(ApiKey))


class ApiKeyIndexView(generic.IndexView):
    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column("name", label=_("Owner"), get_url=self.get_edit_url, sort_key="name"),
            Column("prefix", label=_("Key starts with")),
            Column("contact", label=_("Contact")),
            Column("rate_limit", label=_("Requests per minute")),
            BooleanColumn("is_active", label=_("Active"), sort_key="is_active"),
            DateColumn("created_at", label=_("Issued"), sort_key="created_at"),
            DateColumn("last_used_at", label=_("Last used")),
        ]

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.is_active:
            buttons.append(
                MenuItem(
                    _("Revoke"),
                    url=reverse(f"{ADMIN}:revoke", args=[instance.pk]),
                    icon_name="bin",
                    priority=30,
                )
            )
        return buttons


@method_decorator(never_cache, name="dispatch")
class ApiKeyCreateView(generic.CreateView):
    """Issues the key through the service and shows it once, on this response only: it is not
    stored, so it cannot be shown again."""

    def save_instance(self):
        data = self.form.cleaned_data
        self.issued = services.issue_key(
            self.request.user,
            name=data["name"],
            contact=data["contact"],
            rate_limit=data["rate_limit"],
        )
        return self.issued.api_key

    def save_action(self):
        return TemplateResponse(
            self.request,
            "open311/admin/key_issued.html",
            {
                "api_key": self.issued.api_key,
                "raw_key": self.issued.raw,
                "index_url": reverse(f"{ADMIN}:index"),
                "page_title": _("Open311 API key issued"),
                "header_icon": "key",
            },
        )


class RevokeView(View):
    """Asks to confirm, then revokes: the key stops working at once."""

    def dispatch(self, request, pk):
        if not is_platform_admin(request.user):
            raise PermissionDenied
        self.api_key = get_object_or_404(ApiKey, pk=pk)
        return super().dispatch(request, pk)

    def get(self, request, pk):
        return TemplateResponse(
            request,
            "open311/admin/confirm_revoke.html",
            {
                "api_key": self.api_key,
                "index_url": reverse(f"{ADMIN}:index"),
                "page_title": _("Revoke Open311 API key"),
                "header_icon": "key",
            },
        )

    def post(self, request, pk):
        services.revoke_key(request.user, self.api_key)
        messages.success(
            request, _("The key of “%(name)s” is revoked.") % {"name": self.api_key.name}
        )
        return redirect(f"{ADMIN}:index")


class ApiKeyViewSet(ModelViewSet):
    model = ApiKey
    icon = "key"
    menu_label = _("Open311 API keys")
    menu_name = "open311-keys"
    add_to_admin_menu = False
    index_view_class = ApiKeyIndexView
    add_view_class = ApiKeyCreateView
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    list_filter = ["is_active"]
    ordering = ["-created_at"]
    edit_handler = ObjectList([FieldPanel("name"), FieldPanel("contact"), FieldPanel("rate_limit")])

    def get_urlpatterns(self):
        revoke = path("<int:pk>/revoke/", RevokeView.as_view(), name="revoke")
        return [*super().get_urlpatterns(), revoke]

    def get_permissions_to_register(self):
        # The policy asks permissions.py, not model permissions: none to grant to groups (a
        # queryset: Wagtail's group form unions every viewset's).
        return Permission.objects.none()


api_key_viewset = ApiKeyViewSet(ADMIN, url_prefix="open311-keys")


@hooks.register("register_admin_viewset")
def register_open311_keys():
    return api_key_viewset


@hooks.register("register_settings_menu_item")
def register_open311_menu_item():
    return api_key_viewset.get_menu_item()


@hooks.register("register_log_actions")
def register_open311_log_actions(actions):
    actions.register_action("open311.revoke", _("Revoke API key"), _("Open311 API key revoked"))
