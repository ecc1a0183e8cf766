"""Admin forms for rewards. They collect input; the services check the rules and save."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from civic.core.admin_views import ServiceModelForm

from .services import create_item, update_item


class RewardItemForm(ServiceModelForm):
    """The catalogue's form: it checks the fields; the services check the rule and save."""

    create_service = staticmethod(create_item)
    update_service = staticmethod(update_item)


class AdjustForm(forms.Form):
    email = forms.EmailField(label=_("Resident's email"))
    amount = forms.IntegerField(
        label=_("Points"), help_text=_("Positive to add, negative to take away.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No user has this email."), code="not_found")
        self.user = user
        return email


class ImportCodesForm(forms.Form):
    codes = forms.CharField(
        label=_("Codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One code per line."),
    )
    file = forms.FileField(
        label=_("CSV file"), required=False, help_text=_("The first column holds the codes.")
    )

    def text(self):
        parts = [self.cleaned_data.get("codes") or ""]
        upload = self.cleaned_data.get("file")
        if upload:
            parts.append(upload.read().decode("utf-8-sig", errors="replace"))
        return "\n".join(parts)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)
