"""Names kept in two languages in the database (Chinese, and optionally English)."""

from django.utils.translation import get_language


def localized(chinese, english):
    """The English name when the active language is English and there is one; else Chinese."""
    return english if english and (get_language() or "").startswith("en") else chinese
