"""The search box of our admin listings, with the platform's limit on search text."""

from django.core.exceptions import ValidationError
from wagtail.admin import messages
from wagtail.admin.forms.search import SearchForm

from civic.core.text import SearchTooLong, search_text


class LimitedSearchForm(SearchForm):
    def clean_q(self):
        try:
            return search_text(self.cleaned_data["q"])
        except SearchTooLong as exc:
            raise ValidationError(exc.message, code=exc.code) from None


class LimitedSearchMixin:
    """For a Wagtail ``IndexView``: search text longer than ``SEARCH_MAX_LENGTH`` is not run
    (Wagtail then lists without searching) and the page says why, the text kept in the box."""

    def get_search_form(self):
        if not self.is_searchable:
            return None
        return LimitedSearchForm(
            self.request.GET if self.search_kwarg in self.request.GET else None
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.search_form is not None and self.search_form.errors:
            for error in self.search_form.errors.get("q", []):
                messages.error(self.request, error)
        return context
