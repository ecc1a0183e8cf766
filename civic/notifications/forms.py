from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import queries
from .models import AlertDelivery, Channel, Kind

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PreferencesForm(forms.Form):
    """A push and an email checkbox per kind, quiet hours and the language messages are
    written in."""

    language = forms.ChoiceField(
        label=_("Language of notifications and emails"),
        required=False,
        choices=[("", _("The platform's default")), *settings.LANGUAGES],
    )
    quiet_start = forms.TimeField(label=_("Quiet from"), required=False, widget=TIME)
    quiet_end = forms.TimeField(label=_("Quiet until"), required=False, widget=TIME)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        current = queries.channels_by_kind(user)
        quiet = queries.quiet_hours_of(user)
        self.fields["language"].initial = user.language
        self.fields["quiet_start"].initial = quiet.start if quiet else None
        self.fields["quiet_end"].initial = quiet.end if quiet else None
        self.rows = []
        for kind in Kind:
            names = []
            for channel in Channel:
                name = f"{kind.value}__{channel.value}"
                self.fields[name] = forms.BooleanField(
                    label=f"{kind.label}: {channel.label}",
                    required=False,
                    initial=current[kind][channel],
                )
                names.append(name)
            self.rows.append((kind.label, [self[name] for name in names]))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("quiet_start"), cleaned.get("quiet_end")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Give both ends of the quiet hours, or neither."))
        return cleaned

    def kinds(self):
        return [
            (
                kind,
                self.cleaned_data[f"{kind.value}__{Channel.PUSH.value}"],
                self.cleaned_data[f"{kind.value}__{Channel.EMAIL.value}"],
            )
            for kind in Kind
        ]

    def quiet_hours(self):
        start, end = self.cleaned_data["quiet_start"], self.cleaned_data["quiet_end"]
        return (start, end) if start is not None else None


RADII = [(100, "100 m"), (300, "300 m"), (500, "500 m"), (1000, "1 km"), (2000, "2 km")]


class AreaAlertForm(forms.Form):
    """Watch my community, or a circle around a point chosen on the map (or typed)."""

    where = forms.ChoiceField(
        label=_("Where"),
        choices=[("community", _("My community")), ("circle", _("Around a point on the map"))],
        widget=forms.RadioSelect,
        initial="community",
    )
    lat = forms.FloatField(label=_("Latitude"), required=False)
    lon = forms.FloatField(label=_("Longitude"), required=False)
    radius_m = forms.TypedChoiceField(
        label=_("Distance around it"), choices=RADII, coerce=int, initial=500, required=False
    )
    delivery = forms.ChoiceField(
        label=_("How to tell me"),
        choices=AlertDelivery.choices,
        widget=forms.RadioSelect,
        initial=AlertDelivery.PUSH,
    )
