"""Template helpers for the forum pages."""

from django import template

from .. import queries

register = template.Library()


@register.filter
def author_name(user):
    """How the forums name a person (never their email address)."""
    return queries.author_name(user)
