"""The area picker other apps' admin forms use: areas in tree order, labelled as the tree."""

from django import forms
from django.db.models import Q

from .models import Area, AreaKind

# Every kind that can contain other areas (and is few enough to list in a select).
NON_GRID_KINDS = [kind for kind in AreaKind.values if kind != AreaKind.GRID]


def tree_label(area, text=None):
    """``text`` (the area's name and code by default), indented by the area's depth so that a
    flat list reads as the tree."""
    return f"{'— ' * (area.depth - 1)}{text or area}"


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return tree_label(obj)


class AreaMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return tree_label(obj)


def areas_of_kinds(kinds, *, also=None):
    """Areas of the given kinds in tree order, plus ``also`` (a queryset or list of areas) so
    that a value already chosen elsewhere stays a valid choice."""
    wanted = Q(kind__in=kinds)
    if also is not None:
        wanted |= Q(pk__in=also)
    return Area.objects.filter(wanted).order_by("path")
