"""Names kept in two languages in the database (Chinese, and optionally English)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def is_english() -> bool:
    return (get_language() or "").startswith("en")


def localized(chinese, english):
    """The English name when the active language is English and there is one; else Chinese."""
    return english if english and is_english() else chinese


class LocalizedName(models.Model):
    """The zh/en name pair: a Chinese name every row has, and an English one where it is known.

    A model needing other lengths or labels redeclares the field; ``localized_name`` stays.
    """

    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        abstract = True

    @property
    def localized_name(self):
        return localized(self.name, self.name_en)
