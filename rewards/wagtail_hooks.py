"""Staff screens for rewards: the catalogue (a viewset), voucher code import, the fulfilment queue
(fulfil, cancel with refund), the ledger (read-only) with an adjustment form.

The ledger has no edit or delete screens: entries are never changed; a correction is a new
adjustment entry, recorded in the audit log.
"""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from civic.admin_menu import PermittedMenuItem
from civic.core.admin_search import LimitedSearchMixin
from civic.core.admin_views import ServiceDeleteView, ServiceErrorsMixin
from civic.core.permissions import RulePermissionPolicy

from . import admin_views, permissions
from .admin_forms import RewardItemForm
from .models import ItemKind, RewardItem
from .services import delete_item

REWARDS_MENU_HOOK = "register_rewards_menu_item"


def _codes_url(item):
    if item.kind != ItemKind.VOUCHER:
        return None
    return reverse("rewards_admin:import_codes", args=[item.pk])


class RewardItemIndexView(LimitedSearchMixin, generic.IndexView):
    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column(
                "name",
                label=_("Name"),
                accessor="localized_name",
                get_url=self.get_edit_url,
                sort_key="name",
            ),
            Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
            Column("cost", label=_("Cost in points"), sort_key="cost"),
            Column("stock", label=_("Stock"), sort_key="stock"),
            BooleanColumn("is_active", label=_("Active"), sort_key="is_active"),
            TitleColumn(
                "codes",
                label=_("Voucher codes"),
                accessor=lambda item: _("Import codes") if _codes_url(item) else "",
                get_url=_codes_url,
            ),
        ]


class RewardItemCreateView(ServiceErrorsMixin, generic.CreateView):
    pass


class RewardItemEditView(ServiceErrorsMixin, generic.EditView):
    pass


class RewardItemDeleteView(ServiceDeleteView):
    delete_service = staticmethod(delete_item)


# The catalogue's buttons and screens follow the rule its services check.
register_permission_policy(
    RewardItem, RulePermissionPolicy(RewardItem, may_change=permissions.can_manage_catalogue)
)


class RewardItemViewSet(ModelViewSet):
    model = RewardItem
    index_view_class = RewardItemIndexView
    add_view_class = RewardItemCreateView
    edit_view_class = RewardItemEditView
    delete_view_class = RewardItemDeleteView
    icon = "pick"
    menu_label = _("Catalogue")
    menu_name = "reward_items"
    ordering = ["sort_order", "cost"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "name_en"]
    search_backend_name = None
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("kind"),
            FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
            FieldPanel("description"),
            FieldPanel("description_en"),
            FieldPanel("image"),
            FieldRowPanel([FieldPanel("cost"), FieldPanel("stock"), FieldPanel("per_user_limit")]),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("available_from"), FieldPanel("available_until")]),
                    FieldPanel("district"),
                ],
                heading=_("Availability"),
            ),
            FieldPanel("is_active"),
            FieldPanel("sort_order"),
        ],
        base_form_class=RewardItemForm,
    )


class RewardsViewSetGroup(ViewSetGroup):
    menu_label = _("Rewards")
    menu_name = "rewards"
    menu_icon = "pick"
    menu_order = 160
    items = (RewardItemViewSet("reward_item_admin", url_prefix="rewards/items"),)
    submenu_hook = REWARDS_MENU_HOOK


@hooks.register("register_admin_viewset")
def register_rewards_group():
    return RewardsViewSetGroup()


@hooks.register(REWARDS_MENU_HOOK)
def fulfilment_menu_item():
    return PermittedMenuItem(
        _("Fulfilment queue"),
        reverse("rewards_admin:queue"),
        icon_name="tasks",
        order=200,
        check=permissions.can_fulfil,
    )


@hooks.register(REWARDS_MENU_HOOK)
def ledger_menu_item():
    return PermittedMenuItem(
        _("Ledger"),
        reverse("rewards_admin:ledger"),
        icon_name="list-ul",
        order=300,
        check=permissions.can_view_ledger,
    )


@hooks.register("register_admin_urls")
def register_rewards_urls():
    return [
        path(
            "rewards/",
            (
                [
                    path("queue/", admin_views.queue, name="queue"),
                    path("queue/<int:pk>/fulfil/", admin_views.fulfil, name="fulfil"),
                    path("queue/<int:pk>/cancel/", admin_views.cancel, name="cancel"),
                    path("ledger/", admin_views.ledger, name="ledger"),
                    path("ledger/adjust/", admin_views.adjust, name="adjust"),
                    path("items/<int:pk>/codes/", admin_views.import_codes, name="import_codes"),
                ],
                "rewards_admin",
                "rewards_admin",
            ),
        )
    ]


@hooks.register("register_log_actions")
def register_rewards_log_actions(actions):
    actions.register_action("rewards.adjust", _("Adjust points"), _("Points adjusted"))
    actions.register_action("rewards.fulfil", _("Fulfil redemption"), _("Redemption fulfilled"))
    actions.register_action(
        "rewards.cancel", _("Cancel redemption"), _("Redemption cancelled and refunded")
    )


@hooks.register("register_permissions")
def register_rewards_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="rewards",
        codename__in=[
            "adjust_points",
            "fulfil_redemption",
            "view_ledgerentry",
            "add_rewarditem",
            "change_rewarditem",
            "delete_rewarditem",
        ],
    )
