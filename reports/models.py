"""Snap-and-report: categories and their routing, reports, their photos and timeline.

The state machine itself lives in ``services.py``; the tables here only hold what it decides,
with constraints for what must never happen whatever the code does (two reports for one
retried submission, two ratings, a negative SLA).
"""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from civic.core.i18n import LocalizedName, localized
from civic.core.moderation import FlagReason


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")


# The order of priorities, most pressing first (queues sort on it; a raise never lowers).
PRIORITY_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2}


def higher_priority(*priorities):
    """The most pressing of the priorities given (blank ones ignored)."""
    return min((p for p in priorities if p), key=PRIORITY_RANK.__getitem__, default=Priority.NORMAL)


class Category(LocalizedName, ClusterableModel):
    """A kind of problem residents report: an Open311 service."""

    service_code = models.SlugField(_("service code"), max_length=64, unique=True)
    description = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    group = models.CharField(_("group (Chinese)"), max_length=60, blank=True)
    group_en = models.CharField(_("group (English)"), max_length=60, blank=True)
    keywords = models.CharField(
        _("keywords"),
        max_length=255,
        blank=True,
        help_text=_("Words residents might use for it, separated by commas."),
    )
    default_department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("default department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="default_categories",
        help_text=_("Handles it wherever it serves, unless a routing rule says otherwise."),
    )
    accept_sla_hours = models.PositiveIntegerField(
        _("hours to accept"), default=24, validators=[MinValueValidator(1)]
    )
    resolve_sla_hours = models.PositiveIntegerField(
        _("hours to resolve"), default=72, validators=[MinValueValidator(1)]
    )
    default_priority = models.CharField(
        _("default priority"),
        max_length=8,
        choices=Priority.choices,
        default=Priority.NORMAL,
        help_text=_(
            "Urgent and high reports get shorter deadlines; urgent ones reach the "
            "department's on-duty staff at once."
        ),
    )
    allows_anonymous = models.BooleanField(
        _("allows anonymous reports"),
        default=True,
        help_text=_("The reporter may hide their identity from the department's staff too."),
    )
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("The public sees an approximate location only."),
    )
    needs_verification = models.BooleanField(
        _("needs verification on site"),
        default=False,
        help_text=_(
            "A new report in a grid cell with a worker first goes to the worker, who checks it "
            "on site (核查)."
        ),
    )
    verification_photo_required = models.BooleanField(
        _("check-in needs a photo"),
        default=False,
        help_text=_("The grid worker must send a photo when checking in on site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "service_code"]

    def __str__(self):
        return self.localized_name

    @property
    def localized_group(self):
        return localized(self.group, self.group_en)

    @property
    def localized_description(self):
        return localized(self.description, self.description_en)

    @property
    def keyword_list(self):
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class QuestionType(models.TextChoices):
    """Open311 GeoReport v2 attribute datatypes."""

    STRING = "string", _("Short text")
    NUMBER = "number", pgettext_lazy("answer type", "Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("One choice from a list")
    MULTI = "multivaluelist", _("Several choices from a list")


LIST_TYPES = {QuestionType.SINGLE, QuestionType.MULTI}


class CategoryQuestion(models.Model):
    """An extra question the reporter answers (an Open311 attribute)."""

    category = ParentalKey(Category, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=64)
    label = models.CharField(_("question (Chinese)"), max_length=200)
    label_en = models.CharField(_("question (English)"), max_length=200, blank=True)
    datatype = models.CharField(
        _("answer type"), max_length=16, choices=QuestionType.choices, default=QuestionType.STRING
    )
    required = models.BooleanField(_("required"), default=False)
    options = models.TextField(
        _("options"),
        blank=True,
        help_text=_("For list answers, one per line: key | 中文 | English."),
    )
    raises_priority_to = models.CharField(
        _("raises the priority to"),
        max_length=8,
        choices=Priority.choices,
        blank=True,
        help_text=_(
            "A report answering with one of the options below gets at least this "
            "priority (e.g. “is anyone in danger?” → yes: urgent)."
        ),
    )
    raising_options = models.CharField(
        _("options that raise it"),
        max_length=255,
        blank=True,
        help_text=_("Option keys, separated by commas."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="unique_question_code")
        ]

    def __str__(self):
        return self.localized_label

    @property
    def localized_label(self):
        return localized(self.label, self.label_en)

    @property
    def option_list(self):
        """``[(key, name, name_en), …]`` parsed from the options text."""
        parsed = []
        for line in self.options.splitlines():
            parts = [part.strip() for part in line.split("|")]
            if parts and parts[0]:
                name = parts[1] if len(parts) > 1 and parts[1] else parts[0]
                name_en = parts[2] if len(parts) > 2 else ""
                parsed.append((parts[0], name, name_en))
        return parsed

    @property
    def raising_option_keys(self):
        return {key.strip() for key in self.raising_options.split(",") if key.strip()}

    def priority_for(self, answer):
        """The priority this answer asks for, or "" when it raises nothing."""
        if not self.raises_priority_to or answer in (None, ""):
            return ""
        given = set(answer) if isinstance(answer, list) else {str(answer)}
        return self.raises_priority_to if given & self.raising_option_keys else ""

    def clean(self):
        if self.raises_priority_to and not self.raising_option_keys <= {
            key for key, _name, _en in self.option_list
        }:
            raise ValidationError(
                {"raising_options": _("Name options of this question, by their keys.")}
            )
        if self.datatype in LIST_TYPES and not self.option_list:
            raise ValidationError({"options": _("A list question needs at least one option.")})
        keys = [key for key, _name, _en in self.option_list]
        if len(keys) != len(set(keys)):
            raise ValidationError({"options": _("Option keys must be different.")})


class RoutingRule(models.Model):
    """In this area (and everything inside it), this category goes to this department.

    The rule on the deepest area containing a report wins over shallower rules and over the
    category's default department.
    """

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="routes"
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="routes",
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "area"], name="unique_route_per_area")
        ]

    def __str__(self):
        return f"{self.category} · {self.area} → {self.department}"


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")


class Family(models.TextChoices):
    OPEN = "open", _("Open")
    FIXED = "fixed", _("Fixed")
    CLOSED_NOT_FIXED = "closed_not_fixed", _("Closed, not fixed")


FAMILY_STATES = {
    Family.OPEN: (State.SUBMITTED, State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS),
    Family.FIXED: (State.RESOLVED, State.CLOSED),
    Family.CLOSED_NOT_FIXED: (State.REJECTED, State.DUPLICATE),
}
STATE_FAMILY = {state: family for family, states in FAMILY_STATES.items() for state in states}
OPEN_STATES = FAMILY_STATES[Family.OPEN]


class Channel(models.TextChoices):
    APP = "app", _("Phone app")
    WEB = "web", _("Web portal")
    HOTLINE = "hotline", _("Hotline (entered by staff)")
    OPEN311 = "open311", _("Open311 client")
    PATROL = "patrol", _("Grid patrol")
    WARNING = "warning", _("City vital-sign warning (entered by staff)")


# Staff file these for the city, not for themselves: no reporter account, no points.
STAFF_CHANNELS = (Channel.HOTLINE, Channel.WARNING)


class LocationSource(models.TextChoices):
    GIVEN = "given", _("Given by the reporter")
    PHOTO = "photo", _("From the photo")


class RejectReason(models.TextChoices):
    NOT_OURS = "not_ours", _("Not the city's responsibility")
    INSUFFICIENT = "insufficient", _("Not enough information")
    NOT_A_PROBLEM = "not_a_problem", _("Not a problem")
    ABUSIVE = "abusive", _("Abusive or spam (hidden from the public)")


class Report(models.Model):
    # Its foreign keys to the category, department and reporter have no index of their own:
    # the indexes in Meta begin with them.
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="reports",
        db_index=False,
    )
    description = models.TextField(_("description"))
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    location_source = models.CharField(
        _("location from"), max_length=8, choices=LocationSource.choices
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    # The area's tree path, so "in this district" is an indexed prefix match (report_area_path).
    area_path = models.CharField(max_length=255, editable=False)
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("department"),
        null=True,
        on_delete=models.PROTECT,
        related_name="reports",
        db_index=False,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_reports",
    )
    # The grid worker who verifies the report on site before the department triages it; set
    # by ``request_verification`` (the grid app), kept afterwards as the record of who did.
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified on site by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.SUBMITTED
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        db_index=False,
    )
    # Who typed it in: the reporter themself, or staff taking a hotline call. Retries are
    # recognised per submitter.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    client_request_id = models.CharField(max_length=64, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    show_name = models.BooleanField(_("show the reporter's name"), default=False)
    # Contact details of someone without an account (a hotline caller, an Open311 client's
    # user). Staff only.
    contact = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    support_count = models.PositiveIntegerField(_("supporters"), default=0)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(_("rating comment"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    accept_deadline = models.DateTimeField(_("accept by"), null=True, blank=True)
    resolve_deadline = models.DateTimeField(_("resolve by"), null=True, blank=True)
    # Indexed by report_feed (newest first, the id breaking ties); a second index on the time
    # alone made PostgreSQL walk it and sort each page.
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the reporter was last asked "is it fixed?" before the automatic close: once per
    # resolution (a reopened and resolved again report is asked again).
    close_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "client_request_id"],
                condition=~Q(client_request_id=""),
                name="one_report_per_client_request",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="rating_between_1_and_5",
            ),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="report_feed"),
            models.Index(fields=["lat", "lon"], name="report_location"),
            # "Is it one of these?": the open public reports near a point. Open reports are a
            # small, steady share of all of them, so the search costs what the answer does
            # however long the history grows.
            models.Index(
                fields=["lat", "lon"],
                condition=Q(is_public=True, state__in=OPEN_STATES),
                name="report_open_location",
            ),
            # Prefix matches ("in this district"); the pattern operators serve LIKE 'path%'
            # in any collation, and equality too.
            models.Index(
                fields=["area_path"], opclasses=["varchar_pattern_ops"], name="report_area_path"
            ),
            models.Index(fields=["category", "lat"], name="report_category_location"),
            models.Index(fields=["state", "resolve_deadline"], name="report_resolve_sla"),
            models.Index(fields=["state", "accept_deadline"], name="report_accept_sla"),
            models.Index(fields=["department", "state"], name="report_queue"),
            models.Index(fields=["reporter", "-created_at"], name="report_mine"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.category}"

    @property
    def family(self):
        return STATE_FAMILY[self.state]

    @property
    def is_open(self):
        return self.state in OPEN_STATES


def _stored_name(photo, kind):
    # Named by content, so a stored name reveals nothing about the upload.
    digest = hashlib.sha256(f"{photo.checksum}:{photo.report_id}:{kind}".encode()).hexdigest()
    return f"reports/{digest[:2]}/{digest}_{kind}.jpg"


def display_path(photo, filename):
    return _stored_name(photo, "display")


def thumbnail_path(photo, filename):
    return _stored_name(photo, "thumb")


def source_path(photo, filename):
    # The upload waiting to be decoded: never served, deleted once its copies are made.
    return f"report-sources/{secrets.token_hex(16)}.heic"


class PhotoKind(models.TextChoices):
    REPORT = "report", _("Reported problem")
    AFTER = "after", _("After the work")
    CHECK_IN = "check_in", _("Checked in on site")


class ReportPhoto(models.Model):
    """A photo as stored: upright copies without any metadata. The upload itself is not kept."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    event = models.ForeignKey(
        "ReportEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="photos"
    )
    kind = models.CharField(max_length=8, choices=PhotoKind.choices, default=PhotoKind.REPORT)
    # Empty while the photo waits for a background job to decode its ``source`` (HEIC).
    display = models.FileField(upload_to=display_path, max_length=200, blank=True)
    thumbnail = models.FileField(upload_to=thumbnail_path, max_length=200, blank=True)
    source = models.FileField(upload_to=source_path, max_length=200, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    checksum = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return f"#{self.report_id} {self.kind} {self.pk}"

    @property
    def is_processed(self):
        return bool(self.display)


def _draft_path(draft, kind):
    # Random, unrelated to the token: a file name gives nobody a way to claim the draft.
    return f"drafts/{secrets.token_hex(16)}_{kind}.jpg"


def draft_display_path(draft, filename):
    return _draft_path(draft, "display")


def draft_thumbnail_path(draft, filename):
    return _draft_path(draft, "thumb")


class DraftPhoto(models.Model):
    """A cleaned photo kept for a report not filed yet (its form came back with a problem), so
    that the resident need not choose it again. Only its owner may see or use it, through its
    opaque token; it is never served publicly and expires (``REPORTS_DRAFT_PHOTO_HOURS``).
    Filing the report moves it into a ``ReportPhoto``."""

    token = models.CharField(max_length=64, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    display = models.FileField(upload_to=draft_display_path, max_length=200)
    thumbnail = models.FileField(upload_to=draft_thumbnail_path, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    original_width = models.PositiveIntegerField()
    original_height = models.PositiveIntegerField()
    checksum = models.CharField(max_length=64)
    source_format = models.CharField(max_length=8)
    # What the photo's EXIF said, kept only for the owner's report (its location may come
    # from the photo); the stored copies carry no metadata.
    gps_lat = models.FloatField(null=True, blank=True)
    gps_lon = models.FloatField(null=True, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("draft photo")
        verbose_name_plural = _("draft photos")

    def __str__(self):
        return f"draft {self.pk} of {self.owner_id}"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    ASSIGNED = "assigned", _("Assigned")
    STARTED = "started", _("Work started")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Reopened")
    RATED = "rated", _("Rated")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged as a duplicate")
    DUPLICATE_ADDED = "duplicate_added", _("A duplicate was merged in")
    SUPPORTED = "supported", _("Supported")
    RECATEGORISED = "recategorised", _("Category changed")
    UPDATE = "update", _("Public update")
    NOTE = "note", _("Internal note")
    ESCALATED = "escalated", _("Escalated")
    VERIFICATION = "verification", _("Sent for verification on site")
    CHECKED_IN = "checked_in", _("Checked in on site")
    PRIORITY = "priority", _("Priority changed")
    INSTRUCTED = "instructed", _("Instruction issued")
    INSTRUCTION_ACKNOWLEDGED = "instr_acked", _("Instruction acknowledged")
    INSTRUCTION_ANSWERED = "instr_answered", _("Instruction answered")
    INSTRUCTION_ESCALATED = "instr_escalated", _("Instruction overdue")
    FOLLOW_UP_OPENED = "followup_opened", _("Follow-up call opened")
    CALLBACK = "callback", _("Follow-up call recorded")


class ReportEvent(models.Model):
    """One line of a report's timeline. Public events are what the reporter and the public see;
    the others are for staff only."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    is_public = models.BooleanField(default=True)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["report", "created_at"], name="report_timeline")]

    def __str__(self):
        return f"#{self.report_id} {self.kind}"


class Support(models.Model):
    """ "Me too": a resident backs a report (or reported a duplicate of it)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_supports"
    )
    via_duplicate = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="one_support_per_user")
        ]

    def __str__(self):
        return f"#{self.report_id} ← {self.user_id}"


class Follower(models.Model):
    """A resident who asked to hear of a report's public events without backing it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_reports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="one_follow_per_user")
        ]

    def __str__(self):
        return f"#{self.report_id} ← {self.user_id}"


class Comment(models.Model):
    """A signed-in resident's words on a public report, moderated by the forums' rules
    (``civic.core.moderation``): flags, enough of them hide it, moderators hide and restore.
    ``body`` is sanitised HTML (``civic.core.sanitise``)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"))
    client_request_id = models.CharField(max_length=64, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("why hidden"), max_length=500, blank=True)
    hidden_by_flags = models.BooleanField(default=False)
    flag_count = models.PositiveIntegerField(_("flags"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on a report")
        verbose_name_plural = _("comments on reports")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_request_id"],
                condition=~Q(client_request_id=""),
                name="one_comment_per_request",
            )
        ]
        indexes = [
            models.Index(fields=["report", "created_at"], name="report_comments"),
            models.Index(fields=["author", "created_at"], name="comments_by_author"),
        ]

    def __str__(self):
        return f"#{self.report_id} comment {self.pk}"


class CommentFlag(models.Model):
    """A resident's report of a comment to the moderators; one per person and comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_flag_per_comment_user")
        ]

    def __str__(self):
        return f"comment {self.comment_id} ← {self.user_id}"


class ResponseTemplate(models.Model):
    """A reply staff pick instead of typing the same words again."""

    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text (Chinese)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    for_action = models.CharField(
        _("for"),
        max_length=16,
        blank=True,
        choices=[
            (EventKind.REJECTED, _("Rejecting")),
            (EventKind.RESOLVED, _("Resolving")),
            (EventKind.UPDATE, _("Public updates")),
        ],
        help_text=_("Offered with this action; blank offers it everywhere."),
    )
    categories = models.ManyToManyField(
        Category,
        verbose_name=_("categories"),
        blank=True,
        help_text=_("Offered for these categories only; none offers it for all."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def localized_text(self):
        return localized(self.text, self.text_en)


def classifier_path(instance, filename):
    return f"classifier/{filename}"


class ClassifierModel(models.Model):
    """One trained version of the smart intake's text classifier (``reports.classify``): its
    arrays in a file kept through Django's storage, and how well it did on the held-out slice of
    recent reports when it was trained. The newest one answers; older ones stay for the record."""

    file = models.FileField(upload_to=classifier_path, max_length=200)
    categories = models.JSONField(default=list)  # the service codes it knows, in its order
    history_examples = models.PositiveIntegerField(default=0)
    corrections = models.PositiveIntegerField(default=0)
    metrics = models.JSONField(default=dict, blank=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("classifier model")
        verbose_name_plural = _("classifier models")

    def __str__(self):
        return f"classifier v{self.pk}"


class Rating(models.Model):
    """Every rating a reporter gave, in order: after a redo they rate again, and the report's
    ``rating`` is the latest; these rows keep the history (and what each rating opened)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    # The round of work it rates: 0 the first, one more after each reopening or redo.
    round = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["report", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "round"], name="one_rating_per_round"),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="rating_stars_between_1_and_5"
            ),
        ]

    def __str__(self):
        return f"#{self.report_id} ★{self.stars}"


class InstructionState(models.TextChoices):
    ISSUED = "issued", _("Waiting for acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged, waiting for the answer")
    ANSWERED = "answered", _("Answered")


class Instruction(models.Model):
    """A leader's (or supervisor's) written instruction on a report (批示 / 督办): the
    department must acknowledge it and answer it, each by a deadline, or it escalates."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="instructions")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="instructions",
    )
    text = models.TextField(_("instruction"))
    state = models.CharField(
        _("state"), max_length=16, choices=InstructionState.choices, default=InstructionState.ISSUED
    )
    acknowledge_by = models.DateTimeField(_("acknowledge by"))
    answer_by = models.DateTimeField(_("answer by"))
    new_deadline = models.DateTimeField(_("new deadline for the report"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # 0 on time; 1 the department's supervisors told it is late; 2 the issuer told.
    escalation_level = models.PositiveSmallIntegerField(default=0)
    client_request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issued_by", "client_request_id"],
                condition=~Q(client_request_id=""),
                name="one_instruction_per_client_request",
            )
        ]
        indexes = [models.Index(fields=["state", "acknowledge_by"], name="instruction_due")]

    def __str__(self):
        return f"#{self.report_id} {self.get_state_display()}"

    @property
    def is_open(self):
        return self.state != InstructionState.ANSWERED


class FollowUpReason(models.TextChoices):
    LOW_RATING = "low_rating", _("Rated one or two stars")
    REOPENED = "reopened", _("Reopened by the reporter")


class CallbackOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Explained, and the resident accepts")
    REDO = "redo", _("Redo the work")
    ESCALATE = "escalate", _("Escalate to the leaders")


class FollowUp(models.Model):
    """A callback (回访) the department's supervisor owes a dissatisfied reporter."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="follow_ups")
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    reason = models.CharField(_("why"), max_length=16, choices=FollowUpReason.choices)
    rating = models.ForeignKey(
        Rating, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    due_at = models.DateTimeField(_("call back by"))
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    # The callback, once recorded.
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    reached = models.BooleanField(_("resident reached"), null=True, blank=True)
    resident_view = models.TextField(_("what the resident said"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=CallbackOutcome.choices, blank=True
    )

    class Meta:
        verbose_name = _("follow-up call")
        verbose_name_plural = _("follow-up calls")
        ordering = ["due_at", "pk"]
        constraints = [
            # One open follow-up per report: a second bad rating or reopen joins it.
            models.UniqueConstraint(
                fields=["report"], condition=Q(outcome=""), name="one_open_follow_up"
            )
        ]

    def __str__(self):
        return f"#{self.report_id} {self.get_reason_display()}"

    @property
    def is_open(self):
        return not self.outcome
