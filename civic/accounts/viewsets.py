from wagtail.users.views import users
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import CivicUserCreationForm, CivicUserEditForm


class SuperuserFieldMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "may_grant_superuser": self.request.user.is_superuser}


class CreateView(SuperuserFieldMixin, users.CreateView):
    pass


class EditView(SuperuserFieldMixin, users.EditView):
    pass


class UserViewSet(WagtailUserViewSet):
    """Wagtail's user admin with the profile fields (display name, phone, home area)."""

    add_view_class = CreateView
    edit_view_class = EditView
    create_template_name = "accounts/admin/user_create.html"
    edit_template_name = "accounts/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return CivicUserEditForm if for_update else CivicUserCreationForm
