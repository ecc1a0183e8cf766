"""Admin screens of the grid: the posts (who works or supervises which area), for platform
admins in the "City" menu; the supervision screen, for supervisors."""

from django import forms
from django.contrib.auth import get_user_model
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from civic.admin_menu import PermittedMenuItem
from civic.areas.fields import AreaChoiceField, areas_of_kinds
from civic.areas.menus import CITY_MENU_HOOK
from civic.core.admin_views import ServiceDeleteView, ServiceErrorsMixin
from civic.core.permissions import core_model_policy

from . import admin_views
from .models import Post
from .permissions import supervised_area_paths
from .services import SUPERVISED_KINDS, assign_post, remove_post


class PostForm(WagtailAdminModelForm):
    area = AreaChoiceField(label=_("Area"), queryset=areas_of_kinds(SUPERVISED_KINDS))
    email = forms.EmailField(label=_("Person's email"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["email"].initial = self.instance.user.email

    def clean_email(self):
        user = get_user_model().objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if user is None:
            raise forms.ValidationError(_("Nobody has an account with this email."))
        return user

    def save(self, commit=True):
        data = self.cleaned_data
        if self.instance.pk and (
            self.instance.area_id != data["area"].pk
            or self.instance.user_id != data["email"].pk
            or self.instance.role != data["role"]
        ):
            remove_post(self.for_user, self.instance)
        self.instance = assign_post(
            self.for_user,
            data["area"],
            data["email"],
            role=data["role"],
            work_phone=data["work_phone"],
            show_to_residents=data["show_to_residents"],
        )
        return self.instance


class PostIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("area", "user")

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column("user", label=_("Person"), get_url=self.get_edit_url),
            Column("role", label=_("Role"), accessor="get_role_display", sort_key="role"),
            Column("area", label=_("Area")),
            Column("work_phone", label=_("Work phone")),
            BooleanColumn("show_to_residents", label=_("Shown to residents")),
        ]


class PostCreateView(ServiceErrorsMixin, generic.CreateView):
    pass


class PostEditView(ServiceErrorsMixin, generic.EditView):
    pass


class PostDeleteView(ServiceDeleteView):
    delete_service = staticmethod(remove_post)


register_permission_policy(Post, core_model_policy(Post))


class PostViewSet(ModelViewSet):
    model = Post
    icon = "group"
    menu_label = _("Grid posts")
    menu_name = "grid-posts"
    menu_hook = CITY_MENU_HOOK
    menu_order = 3
    index_view_class = PostIndexView
    add_view_class = PostCreateView
    edit_view_class = PostEditView
    delete_view_class = PostDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    ordering = ["area__path", "role"]
    list_filter = ["role", "show_to_residents"]
    search_fields = ["user__email", "user__display_name", "area__code", "area__name"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("area"),
            FieldPanel("email"),
            FieldPanel("role"),
            FieldPanel("work_phone"),
            FieldPanel("show_to_residents"),
        ],
        base_form_class=PostForm,
    )


@hooks.register("register_admin_viewset")
def register_post_viewset():
    return PostViewSet("grid_posts")


@hooks.register("register_admin_urls")
def register_supervision_urls():
    return [
        path(
            "grid/supervision/",
            admin_views.SupervisionView.as_view(),
            name="grid_supervision",
        )
    ]


@hooks.register("register_admin_menu_item")
def register_supervision_menu_item():
    return PermittedMenuItem(
        _("Grid supervision"),
        reverse("grid_supervision"),
        icon_name="site",
        order=260,
        check=supervised_area_paths,
    )
