"""Forms behind the staff's report screens. They only collect input: each action's service
decides whether the change is allowed and valid, and its refusal is what staff see."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from civic.accounts.models import phone_validator
from civic.areas.fields import AreaChoiceField, areas_of_kinds
from civic.areas.models import Area, AreaKind
from civic.core.i18n import localized
from civic.departments.models import Department, Membership

from . import classify, queries
from .forms import ReportForm
from .models import (
    CallbackOutcome,
    Category,
    EventKind,
    FollowUp,
    Instruction,
    InstructionState,
    Priority,
    RejectReason,
    Report,
    ResponseTemplate,
)

MESSAGE_LIMIT = 2000


def response_templates(report):
    """``{event kind: [template, …]}`` of the active templates offered for the report's
    category, in one query; a template for no action in particular is offered with each."""
    templates = (
        ResponseTemplate.objects.filter(is_active=True)
        .filter(Q(categories__isnull=True) | Q(categories=report.category_id))
        .distinct()
        .order_by("title", "pk")
    )
    offered = {EventKind.REJECTED: [], EventKind.RESOLVED: [], EventKind.UPDATE: []}
    for template in templates:
        for kind, chosen in offered.items():
            if template.for_action in ("", kind):
                chosen.append(template)
    return offered


class TemplateChoiceField(forms.ChoiceField):
    """A response template, offered by its text so that choosing one fills the message box
    (Wagtail's ``w-sync`` controller copies the option's value into it)."""

    def to_python(self, value):
        # Browsers send line breaks as CRLF; the choices hold the text as stored.
        return super().to_python(value).replace("\r\n", "\n")


class MultipleImageInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several image uploads; the service checks each and says which one it refuses."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ActionForm(forms.Form):
    """Base of the forms on a report's page. Each is prefixed with its action's name so that
    several can share one page."""

    def __init__(self, *args, report, user, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.user = user


def _message_field(label=None, *, required=False, help_text=""):
    return forms.CharField(
        label=label or _("Message"),
        required=required,
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


class CommentModerationForm(forms.Form):
    """Hide a comment on a report (the reason is required: its author is told) or show it
    again (no reason)."""

    reason = forms.CharField(label=_("Why hide it"), required=False, max_length=500)


class MessageForm(ActionForm):
    message = _message_field(help_text=_("Optional. The reporter sees it on the timeline."))


class NoteForm(ActionForm):
    message = _message_field(
        _("Note"), required=True, help_text=_("Staff only: the reporter never sees it.")
    )


class TemplatedMessageForm(ActionForm):
    """A message the reporter reads, which staff may start from a response template."""

    template_kind = None
    message_required = False
    message_help = _("The reporter sees it on the timeline.")

    def __init__(self, *args, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"] = _message_field(help_text=self.message_help)
        offered = (templates or {}).get(self.template_kind, [])
        if offered:
            self.fields["template"] = TemplateChoiceField(
                label=_("Response template"),
                required=False,
                choices=[("", _("(write your own)"))]
                + [(template.localized_text, template.title) for template in offered],
                help_text=_("Choosing one copies its text into the message; edit it as needed."),
            )
            self.fields["template"].widget.attrs.update(
                {
                    "data-controller": "w-sync",
                    "data-action": "change->w-sync#apply",
                    "data-w-sync-target-value": f"#{self['message'].auto_id}",
                }
            )
            self.order_fields([name for name in self.fields if name != "message"] + ["message"])

    def clean(self):
        cleaned = super().clean()
        message = (cleaned.get("message") or "").strip() or cleaned.get("template") or ""
        if self.message_required and not message and "message" not in self.errors:
            self.add_error("message", _("Write the message or choose a response template."))
        cleaned["message"] = message
        return cleaned


class RejectForm(TemplatedMessageForm):
    template_kind = EventKind.REJECTED
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectReason.choices)


class ResolveForm(TemplatedMessageForm):
    template_kind = EventKind.RESOLVED
    message_required = True
    message_help = _("Say what was done; the reporter reads it.")
    photos = MultipleImageField(
        label=_("Photos after the work"),
        required=False,
        help_text=_("JPEG, PNG, WebP, HEIC or AVIF. Location and camera data are removed."),
    )


class UpdateForm(TemplatedMessageForm):
    template_kind = EventKind.UPDATE
    message_required = True
    message_help = _("Public: the reporter and everyone who can see the report read it.")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


def department_members(department):
    User = get_user_model()
    if department is None:
        return User.objects.none()
    return (
        User.objects.filter(department_memberships__department=department, is_active=True)
        .distinct()
        .order_by("display_name", "email", "pk")
    )


class AssignForm(ActionForm):
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        help_text=_("Choose another department to send the report there for its staff to assign."),
    )
    handler = StaffChoiceField(
        label=_("Handler"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("A member of the report's department."),
    )
    message = _message_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True)
        self.fields["department"].initial = self.report.department_id
        self.fields["handler"].queryset = department_members(self.report.department_id)
        self.fields["handler"].initial = self.report.handler_id


class RecategoriseForm(ActionForm):
    category = forms.ModelChoiceField(label=_("New category"), queryset=Category.objects.none())
    message = _message_field()
    # Set by the one-click "use the suggestion" button, so the re-routing is counted.
    suggested = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = queries.categories_offered_in(self.report.area).exclude(
            pk=self.report.category_id
        )


def merge_candidates(report, *, radius_m=200, limit=10):
    """Open reports near this one, the likeliest duplicate first (by what the texts mean, the
    words they share and the distance), as (report, metres, similarity)."""
    return classify.similar_reports(
        report.description, report.lat, report.lon, radius_m=radius_m, exclude=report, limit=limit
    )


class MergeForm(ActionForm):
    original = forms.TypedChoiceField(
        label=_("Nearby reports, the likeliest duplicate first"),
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
        empty_value=None,
    )
    number = forms.IntegerField(
        label=_("Or the report number"),
        required=False,
        min_value=1,
        help_text=_("The number of the report this one duplicates, without the #."),
    )
    message = _message_field()

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is None:
            candidates = merge_candidates(self.report)
        self.fields["original"].choices = [
            (
                candidate.pk,
                _("#%(id)s, %(similarity)s %% alike, %(distance)s m away, %(state)s: %(text)s")
                % {
                    "id": candidate.pk,
                    "similarity": round(similarity * 100),
                    "distance": round(metres),
                    "state": candidate.get_state_display(),
                    "text": (candidate.description or "")[:80],
                },
            )
            for candidate, metres, similarity in candidates
        ]
        if not candidates:
            del self.fields["original"]

    def clean(self):
        cleaned = super().clean()
        chosen = {value for value in (cleaned.get("original"), cleaned.get("number")) if value}
        if not chosen:
            raise forms.ValidationError(_("Choose the report this one duplicates."))
        if len(chosen) > 1:
            raise forms.ValidationError(_("Choose one report: a nearby one or a number."))
        number = chosen.pop()
        target = Report.objects.filter(pk=number).first()
        if target is None:
            raise forms.ValidationError(_("There is no report #%(id)s.") % {"id": number})
        cleaned["target"] = target
        return cleaned


# --- Bulk actions --------------------------------------------------------------------------


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        departments = sorted(
            {membership.department.localized_name for membership in obj.scoped_memberships}
        )
        return f"{obj} ({', '.join(departments)})" if departments else str(obj)


def handlers_for(department_ids):
    """Members of these departments (all of them for None), each with the memberships that put
    them there, in two queries."""
    User = get_user_model()
    memberships = Membership.objects.select_related("department")
    users = User.objects.filter(is_active=True, department_memberships__isnull=False)
    if department_ids is not None:
        memberships = memberships.filter(department_id__in=department_ids)
        users = users.filter(department_memberships__department_id__in=department_ids)
    return (
        users.distinct()
        .order_by("display_name", "email", "pk")
        .prefetch_related(
            Prefetch("department_memberships", queryset=memberships, to_attr="scoped_memberships")
        )
    )


class BulkAssignForm(forms.Form):
    handler = HandlerChoiceField(
        label=_("Handler"),
        queryset=get_user_model().objects.none(),
        help_text=_("Each report goes to this handler, who must belong to its department."),
    )
    message = _message_field()

    def __init__(self, *args, department_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers_for(department_ids)


def option_label(question, key):
    """The name of a list answer's option in the interface language."""
    for option_key, name, name_en in question.option_list:
        if option_key == key:
            return localized(name, name_en)
    return key


# --- Hotline calls ---------------------------------------------------------------------------


class HotlineForm(ReportForm):
    """Staff type in a report a caller gives over the phone. The portal's form with its
    per-category questions, less the photo-location choice and the "show my name" option, plus
    the caller's contact details (kept for staff) and a district or grid cell whose centre
    stands in when the caller cannot say exactly where."""

    area = AreaChoiceField(
        label=_("District or grid cell"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("(none: use the coordinates)"),
        help_text=_(
            "When the caller cannot give coordinates, the report is placed at the centre of "
            "this area."
        ),
    )
    caller_name = forms.CharField(label=_("Caller's name"), required=False, max_length=100)
    caller_phone = forms.CharField(
        label=_("Caller's phone"),
        required=False,
        max_length=20,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    caller_email = forms.EmailField(label=_("Caller's email"), required=False, max_length=254)

    field_order = [
        "category",
        "description",
        "lat",
        "lon",
        "area",
        "address",
        "caller_name",
        "caller_phone",
        "caller_email",
        "is_anonymous",
        "photos",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The location comes from typed coordinates or the area; photos may still carry GPS.
        del self.fields["location"]
        del self.fields["show_name"]
        self.fields["category"].label = _("Category")
        self.fields["description"].label = _("What the caller reports")
        self.fields["description"].help_text = _(
            "What is wrong, and anything that helps to find it."
        )
        self.fields["address"].label = _("Address or landmark")
        self.fields["lat"].help_text = _("Decimal degrees, for example 40.4168.")
        self.fields["lon"].help_text = _("Decimal degrees, for example -3.7038.")
        self.fields["area"].queryset = areas_of_kinds([AreaKind.DISTRICT, AreaKind.GRID]).defer(
            "boundary"
        )
        self.fields["is_anonymous"].label = _("The caller wants to stay anonymous")
        self.fields["is_anonymous"].help_text = _(
            "Only for categories that accept anonymous reports. The caller's name is then not "
            "recorded."
        )
        self.anonymous_codes = [
            code for code, category in self.categories.items() if category.allows_anonymous
        ]
        self.order_fields(self.field_order)

    def clean(self):
        data = super().clean()
        lat, lon = data.get("lat"), data.get("lon")
        if not {"lat", "lon"} & set(self.errors):
            if (lat is None) != (lon is None):
                self.add_error(
                    "lat" if lat is None else "lon",
                    _("Type both the latitude and the longitude, or neither."),
                )
            elif lat is None and data.get("area") is not None:
                data["lat"], data["lon"] = data["area"].centre
        if data.get("is_anonymous") and (data.get("caller_name") or "").strip():
            self.add_error(
                "caller_name",
                _("An anonymous caller's name is not recorded: leave it empty."),
            )
        return data

    def submission(self):
        return {**super().submission(), "contact": self.contact()}

    def contact(self):
        """The caller's contact details as the service keeps them (staff only)."""
        data = self.cleaned_data
        given = {
            "name": (data.get("caller_name") or "").strip(),
            "phone": (data.get("caller_phone") or "").strip(),
            "email": (data.get("caller_email") or "").strip(),
        }
        return {key: value for key, value in given.items() if value}

    def _field_for(self, field, category):
        if field in ("location", "lat", "lon"):
            # Beside what gave the place: the chosen area, or the typed coordinates.
            typed = self.data.get(self.add_prefix("lat"), "").strip()
            return "area" if self.cleaned_data.get("area") and not typed else "lat"
        if field == "contact":
            return "caller_phone"
        return super()._field_for(field, category)


class PriorityForm(ActionForm):
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        help_text=_("Urgent: a quarter of the category's hours, high: half; counted again."),
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].initial = self.report.priority


class InstructionForm(ActionForm):
    text = _message_field(_("Instruction"), required=True)
    new_deadline = forms.DateTimeField(
        label=_("New deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Optional: the report's new deadline, and the answer's."),
    )
    department = forms.ModelChoiceField(
        label=_("Reassign to"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Optional: another department to handle the report."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True).exclude(
            pk=self.report.department_id
        )


class AcknowledgeForm(ActionForm):
    instruction = forms.ModelChoiceField(
        label=_("Instruction"), queryset=Instruction.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instruction"].queryset = self.report.instructions.filter(
            state=InstructionState.ISSUED
        )


class AnswerForm(ActionForm):
    instruction = forms.ModelChoiceField(
        label=_("Instruction"), queryset=Instruction.objects.none()
    )
    answer = _message_field(_("Answer"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instruction"].queryset = self.report.instructions.exclude(
            state=InstructionState.ANSWERED
        )


class CallbackForm(ActionForm):
    follow_up = forms.ModelChoiceField(label=_("Follow-up call"), queryset=FollowUp.objects.none())
    reached = forms.BooleanField(label=_("The resident was reached"), required=False)
    resident_view = _message_field(_("What the resident said"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CallbackOutcome.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up"].queryset = self.report.follow_ups.filter(outcome="")
