"""Small helpers for the portal's report templates."""

from django import template

from reports.models import Family

register = template.Library()


@register.filter
def family_label(report):
    """The state's family (open / fixed / closed, not fixed) in words."""
    return Family(report.family).label


@register.filter
def first_photo(report):
    """The report's first photo (from the prefetched list), or None."""
    photos = list(report.photos.all())
    return photos[0] if photos else None
