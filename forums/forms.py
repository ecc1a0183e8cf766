"""Web forms for the forum pages. They only shape what a person typed; the rules are the
services', whose refusals come back through ``add_errors`` beside the field concerned."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FlagReason
from .services import MAX_TAGS


def add_errors(form, exc):
    """Put a service's field errors on the form (its own fields, or the form itself)."""
    for error in exc.errors:
        form.add_error(error.field if error.field in form.fields else None, error.message)


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    board = forms.TypedChoiceField(label=_("Board"), required=False, coerce=int, empty_value=None)
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=200,
        help_text=_("Up to %(count)s, separated by commas.") % {"count": MAX_TAGS},
    )
    report = forms.IntegerField(
        label=_("Report number"),
        required=False,
        min_value=1,
        help_text=_("Optional: the number of a report this thread is about."),
    )
    client_request_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, boards=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["board"], self.fields["report"], self.fields["client_request_id"]
        elif boards:
            self.fields["board"].choices = [("", _("No board")), *[(b.pk, b) for b in boards]]
        else:
            del self.fields["board"]

    def tag_list(self):
        # Chinese keyboards type a full-width comma.
        return self.cleaned_data.get("tags", "").replace("，", ",").split(",")


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}))
    client_request_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class PostEditForm(forms.Form):
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"), choices=FlagReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Anything the moderators should know"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ShareForm(forms.Form):
    title = forms.CharField(label=_("Title for the public"), max_length=200)
    body = forms.CharField(label=_("Text for the public"), widget=forms.Textarea(attrs={"rows": 8}))
