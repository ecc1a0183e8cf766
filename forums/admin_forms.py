"""The forms of the forum admin's actions. They only read what the moderator sent (a reason
may be empty here: the services that need one refuse it)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Board, Group


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, strip=False)


class MoveForm(ReasonForm):
    board = forms.ModelChoiceField(Board.objects.all(), label=_("Move to board"), required=False)
    group = forms.ModelChoiceField(Group.objects.all(), label=_("or group"), required=False)


class BanForm(ReasonForm):
    where = forms.CharField(label=_("Ban from"), required=False)  # "group", else the space
    days = forms.IntegerField(
        label=_("Ban for days (empty: for good)"), min_value=0, required=False
    )
