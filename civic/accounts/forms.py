"""The Wagtail user forms, with this platform's profile fields."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from civic.areas.fields import NON_GRID_KINDS, AreaChoiceField, areas_of_kinds
from civic.areas.models import Area

PROFILE_FIELDS = ["display_name", "phone", "home_area"]


class ProfileFieldsMixin(forms.ModelForm):
    # People here are known by their display name; Wagtail's required first and last names do
    # not fit Chinese names and most accounts (signed up with an email alone) have none.
    first_name = forms.CharField(required=False, label=_("First Name"))
    last_name = forms.CharField(required=False, label=_("Last Name"))
    home_area = AreaChoiceField(label=_("Home area"), queryset=Area.objects.none(), required=False)

    def __init__(self, *args, may_grant_superuser=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Platform admins manage roles; only a superuser may make another superuser, or a
        # platform admin could raise anyone (themselves included) above every check.
        if not may_grant_superuser:
            self.fields.pop("is_superuser", None)
        # Grid cells are too many to list; one already chosen (in the app) stays a choice.
        chosen = [self.instance.home_area_id] if self.instance.home_area_id else None
        self.fields["home_area"].queryset = areas_of_kinds(NON_GRID_KINDS, also=chosen)


class CivicUserCreationForm(ProfileFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PROFILE_FIELDS)


class CivicUserEditForm(ProfileFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PROFILE_FIELDS)
