"""Web forms for the portal's report pages. They only shape what a person typed; the rules
(what a category needs, where it is handled, what a photo must be) are the services'. Their
refusals come back through ``add_service_errors`` and are shown beside the field concerned."""

import math

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civic.core.i18n import localized
from civic.core.moderation import FlagReason

from .models import Family, QuestionType

LOCATION_FROM_PHOTO = "photo"
LOCATION_FROM_POINT = "point"
# Names of the page's inputs for the photos kept from an earlier attempt (one token each).
KEPT_PHOTOS = "draft_photos"
REMOVED_PHOTOS = "remove_draft_photos"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one (or more) ``<input type=file multiple>`` of the same name. Each
    file is checked by the photo service (which names the one it refuses), not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [upload for upload in files if upload]


def question_field_name(category, question):
    return f"q__{category.service_code}__{question.code}"


def _question_field(question):
    """A lenient field for one question: the service checks the answer, so that a question of a
    category the reporter did not choose can never block the form."""
    label = question.localized_label
    common = {"label": label, "required": False}
    kind = question.datatype
    if kind == QuestionType.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **common)
    if kind == QuestionType.NUMBER:
        return forms.CharField(
            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            max_length=40,
            **common,
        )
    if kind == QuestionType.DATETIME:
        return forms.CharField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), max_length=40, **common
        )
    options = [(key, localized(name, name_en)) for key, name, name_en in question.option_list]
    if kind == QuestionType.SINGLE:
        if len(options) <= 5:
            return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        return forms.ChoiceField(choices=[("", "—"), *options], **common)
    if kind == QuestionType.MULTI:
        return forms.MultipleChoiceField(
            choices=options, widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.CharField(max_length=255, **common)


class ReportForm(forms.Form):
    """Report a problem. ``categories`` are the active categories (each with its questions
    prefetched); every category's questions are fields, grouped per category in the page, and
    only the chosen category's answers are sent."""

    category = forms.ChoiceField(label=_("What is the problem?"))
    description = forms.CharField(
        label=_("Describe it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is wrong, and anything that helps to find it."),
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_(
            "Photos of the problem. Location, camera and other details in the files are removed "
            "before anything is stored."
        ),
    )
    location = forms.ChoiceField(
        label=_("Where is it?"),
        choices=[
            (LOCATION_FROM_PHOTO, _("Use the photo's location")),
            (LOCATION_FROM_POINT, _("A point I put on the map or type in")),
        ],
        initial=LOCATION_FROM_PHOTO,
        widget=forms.RadioSelect,
    )
    lat = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    address = forms.CharField(
        label=_("Address or landmark (optional)"), required=False, max_length=255
    )
    is_anonymous = forms.BooleanField(
        label=_("Report anonymously"),
        required=False,
        help_text=_("Even the department's staff will not see who you are."),
    )
    show_name = forms.BooleanField(
        label=_("Show my name on the public page"),
        required=False,
    )
    client_request_id = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The photos kept from an earlier attempt (``DraftPhoto``s), set by ``keep_photos``.
        self.kept_photos = []
        self.categories = {category.service_code: category for category in categories}
        self.fields["category"].choices = [("", _("Choose a category"))] + [
            (code, category.localized_name) for code, category in self.categories.items()
        ]
        self.fields["description"].max_length = settings.REPORTS_MAX_DESCRIPTION
        self.fields["description"].widget.attrs["maxlength"] = settings.REPORTS_MAX_DESCRIPTION
        photos = self.fields["photos"].widget
        photos.attrs.update({"accept": "image/*", "multiple": True})
        # field name -> (category code, question code)
        self.question_fields = {}
        self.question_groups = []
        for code, category in self.categories.items():
            names = []
            for question in category.questions.all():
                name = question_field_name(category, question)
                self.fields[name] = _question_field(question)
                self.fields[name].question_required = question.required
                self.question_fields[name] = (code, question.code)
                names.append(name)
            if names:
                self.question_groups.append((category, names))

    def grouped_questions(self):
        """``[(category, [bound field, …]), …]`` for the template."""
        return [
            (category, [self[name] for name in names]) for category, names in self.question_groups
        ]

    def clean(self):
        data = super().clean()
        code = data.get("category")
        data["category"] = self.categories.get(code) if code else None
        # Only the chosen category's questions count; the others' fields are not sent by the
        # page (or are left over from another choice).
        for name, (category_code, _question) in self.question_fields.items():
            if category_code != code:
                self._errors.pop(name, None)
                data.pop(name, None)
        if data.get("location") == LOCATION_FROM_PHOTO:
            data["lat"] = data["lon"] = None
        elif data.get("location") == LOCATION_FROM_POINT and not {"lat", "lon"} & set(self.errors):
            lat, lon = data.get("lat"), data.get("lon")
            if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
                self.add_error(
                    "location",
                    _(
                        "Put a pin on the map or type the latitude and longitude, or use the "
                        "photo's location."
                    ),
                )
        return data

    def answers(self):
        """The chosen category's answers, as the service takes them."""
        category = self.cleaned_data.get("category")
        if category is None:
            return {}
        answers = {}
        for name, (code, question_code) in self.question_fields.items():
            if code != category.service_code:
                continue
            value = self.cleaned_data.get(name)
            if value not in (None, "", []):
                answers[question_code] = value
        return answers

    def new_photos(self):
        """The files chosen in this submission."""
        return [upload for upload in self.files.getlist(self.add_prefix("photos")) if upload]

    def kept_photo_tokens(self):
        """The tokens of the photos kept from an earlier attempt that are sent again."""
        return self.data.getlist(self.kept_photos_name) if self.is_bound else []

    def removed_photo_tokens(self):
        """The kept photos the person chose to remove."""
        return self.data.getlist(self.removed_photos_name) if self.is_bound else []

    @property
    def kept_photos_name(self):
        return self.add_prefix(KEPT_PHOTOS)

    @property
    def removed_photos_name(self):
        return self.add_prefix(REMOVED_PHOTOS)

    def keep_photos(self, kept):
        """Carry ``services.keep_draft_photos``'s drafts into the page, and its refusals."""
        self.kept_photos = kept.drafts
        for error in kept.errors:
            self.add_error("photos", error.message)

    def submission(self):
        """The cleaned form as ``services.submit_report`` arguments; the caller adds the
        channel (and what only its channel has, such as a caller's contact). Its photos are
        the kept drafts (``keep_photos``), new files included."""
        data = self.cleaned_data
        return {
            "category": data["category"],
            "description": data["description"],
            "lat": data["lat"],
            "lon": data["lon"],
            "draft_photos": [draft.token for draft in self.kept_photos],
            "answers": self.answers(),
            "is_anonymous": data["is_anonymous"],
            "show_name": data.get("show_name", False),
            "address": data["address"],
            "client_request_id": data["client_request_id"],
        }

    def add_service_errors(self, exc):
        """Show a service's ``DomainError`` beside the fields it names."""
        category = self.cleaned_data.get("category")
        for error in exc.errors:
            self.add_error(self._field_for(error.field, category), error.message)

    def _field_for(self, field, category):
        if field in ("lat", "lon", "location", "photos", "description", "address"):
            return field
        if field in ("category", "is_anonymous", "show_name"):
            return field
        if field and field.startswith("answers.") and category is not None:
            name = f"q__{category.service_code}__{field.removeprefix('answers.')}"
            if name in self.fields:
                return name
        return None


# The portal's rating in words, as residents say it, on the service's 1-5 scale.
RATING_WORDS = [
    ("5", _("Satisfied")),
    ("3", _("Fairly satisfied")),
    ("1", _("Not satisfied")),
]


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Are you satisfied with how it was fixed?"),
        choices=RATING_WORDS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=settings.REPORTS_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # One per form shown, so a double submit makes one comment.
    client_request_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class CommentFlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why?"), choices=FlagReason.choices)


def add_errors(form, exc):
    """Put a service's field errors on a small form (its own fields, or the form itself)."""
    for error in exc.errors:
        form.add_error(error.field if error.field in form.fields else None, error.message)


class ReportFilterForm(forms.Form):
    """The filters of the map and list of reports (all optional; a bad value is ignored)."""

    category = forms.ChoiceField(label=_("Category"), required=False)
    family = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Family.choices],
    )
    district = forms.ChoiceField(label=_("District"), required=False)

    def __init__(self, *args, categories=(), districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {category.service_code: category for category in categories}
        self.districts = {district.code: district for district in districts}
        self.fields["category"].choices = [("", _("All categories"))] + [
            (code, category.localized_name) for code, category in self.categories.items()
        ]
        self.fields["district"].choices = [("", _("All districts"))] + [
            (code, district.localized_name) for code, district in self.districts.items()
        ]

    def filters(self):
        """Keyword arguments for ``queries.filter_reports`` from the valid filters."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "category": self.categories.get(data.get("category") or ""),
            "family": data.get("family") or None,
            "area": self.districts.get(data.get("district") or ""),
        }
