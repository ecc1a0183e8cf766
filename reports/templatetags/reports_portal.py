"""Small helpers for the portal's report templates."""

from django import template
from django.contrib.auth.models import AnonymousUser

from reports import privacy
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


@register.simple_tag(takes_context=True)
def public_view(context, report):
    """``{% public_view report as shown %}``: the report's place and reporter as the page's
    viewer may see them (``privacy.public_view``); no template reads them off the report."""
    request = context.get("request")
    return privacy.public_view(report, getattr(request, "user", None) or AnonymousUser())
