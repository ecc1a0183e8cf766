from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import CivicUserCreationForm, CivicUserEditForm


class UserViewSet(WagtailUserViewSet):
    """Wagtail's user admin with the profile fields (display name, phone, home area)."""

    create_template_name = "accounts/admin/user_create.html"
    edit_template_name = "accounts/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return CivicUserEditForm if for_update else CivicUserCreationForm
