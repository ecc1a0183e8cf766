"""The two-tier discussion: spaces, boards, community groups, threads, posts, reactions,
follows, flags, moderation, bans and the nominations that carry threads up (DESIGN §7).

What must never happen whatever the code does is a database constraint: two reactions or flags
by one person on one item, a thread nominated twice, two leadership threads for one origin or one
case study, two copies of one leadership thread shared down, a retried post stored twice.
State changes live in ``services.py``; these tables hold what it decides.
"""

import math
from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from civic.core.i18n import LocalizedName
from civic.core.moderation import FlagReason

# DESIGN §7: hot = sign(s)·log10(max(|s|, 1)) + (created - 2024-01-01) / 45000 s.
HOT_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
HOT_SECONDS = 45000


def hot_score(engagement, created_at):
    sign = (engagement > 0) - (engagement < 0)
    age = (created_at - HOT_EPOCH).total_seconds()
    return sign * math.log10(max(abs(engagement), 1)) + age / HOT_SECONDS


@register_setting(icon="group")
class ForumSettings(BaseGenericSetting):
    """Thresholds for promotion and moderation, edited in the admin (Settings → Forums)."""

    nomination_window_days = models.PositiveIntegerField(
        _("nomination window (days)"),
        default=7,
        help_text=_("A thread is nominated automatically only within this many days of starting."),
    )
    nomination_min_participants = models.PositiveIntegerField(
        _("participants needed"),
        default=5,
        help_text=_("Distinct people who took part (the author and those who replied)."),
    )
    nomination_min_likes = models.PositiveIntegerField(_("likes needed"), default=10)
    flag_hide_threshold = models.PositiveIntegerField(
        _("flags that hide content"),
        default=3,
        help_text=_("Content flagged by this many people is hidden until a moderator reviews it."),
    )

    class Meta:
        verbose_name = _("forums")


class SpaceKind(models.TextChoices):
    PUBLIC = "public", _("Public")
    LEADERSHIP = "leadership", _("Leadership")


class Space(LocalizedName):
    kind = models.CharField(_("kind"), max_length=16, choices=SpaceKind.choices)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.localized_name

    @property
    def is_leadership(self):
        return self.kind == SpaceKind.LEADERSHIP


class Board(LocalizedName):
    """A topic within a space (transport, housing…)."""

    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.CASCADE, related_name="boards"
    )
    slug = models.SlugField(_("slug"), max_length=64)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["space", "slug"], name="forums_unique_board_slug")
        ]

    def __str__(self):
        return self.localized_name


class Visibility(models.TextChoices):
    OPEN = "open", _("Open: anyone may join")
    CLOSED = "closed", _("Closed: ask to join")
    PRIVATE = "private", _("Private: members only")


class Group(models.Model):
    """A community group in the public space.

    Open and closed groups are listed and their threads are public, like the rest of the
    public space; only members post in a closed group. A private group and its threads are
    invisible to everyone but its members (and moderators of the whole forum).
    """

    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="groups"
    )
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.OPEN
    )
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A neighbourhood group's area."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="owned_forum_groups",
    )
    member_count = models.PositiveIntegerField(_("members"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("community group")
        verbose_name_plural = _("community groups")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def is_private(self):
        return self.visibility == Visibility.PRIVATE


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MODERATOR = "moderator", _("Moderator")
    MEMBER = "member", _("Member")


class MemberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    ACTIVE = "active", _("Member")


class GroupMembership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_memberships"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    status = models.CharField(
        _("status"), max_length=8, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="forums_one_membership")
        ]
        indexes = [models.Index(fields=["group", "status", "created_at"], name="forums_members")]

    def __str__(self):
        return f"{self.group_id} ← {self.user_id} ({self.role}, {self.status})"

    @property
    def is_active(self):
        return self.status == MemberStatus.ACTIVE

    @property
    def moderates(self):
        return self.is_active and self.role in (MemberRole.OWNER, MemberRole.MODERATOR)


class TaggedThread(TaggedItemBase):
    content_object = models.ForeignKey(
        "Thread", on_delete=models.CASCADE, related_name="tagged_items"
    )


_LISTED = Q(deleted=False, hidden=False)


class Thread(models.Model):
    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="threads"
    )
    board = models.ForeignKey(
        Board,
        verbose_name=_("board"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads",
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="forum_threads",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), help_text=_("Sanitised HTML."))
    tags = TaggableManager(through=TaggedThread, blank=True, verbose_name=_("tags"))
    report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_threads",
    )
    case_study = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("case study"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_threads",
    )
    # Copied from the space and the group so that every listing filters on the thread's own
    # columns (an index scan, no joins): who may read it depends on these.
    is_leadership = models.BooleanField(default=False, editable=False)
    is_private = models.BooleanField(default=False, editable=False)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("why hidden"), max_length=255, blank=True)
    # Hidden because enough people flagged it, waiting for a moderator (dismissing the flags
    # shows it again).
    hidden_by_flags = models.BooleanField(default=False)
    locked = models.BooleanField(_("locked"), default=False)
    deleted = models.BooleanField(_("deleted"), default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Open (undecided) flags; content with any is neither listed as hot nor nominated.
    flag_count = models.PositiveIntegerField(_("flags"), default=0)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    participant_count = models.PositiveIntegerField(_("participants"), default=1)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    # s = likes + 2 × replies by others (DESIGN §7), and the hot rank made from it.
    engagement = models.IntegerField(_("engagement"), default=0)
    hot = models.FloatField(_("hot"), default=0.0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    # Provenance both ways: a promoted leadership thread points at its public origin; a public
    # copy shared down points at its leadership thread.
    origin = models.OneToOneField(
        "self",
        verbose_name=_("promoted from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="promoted_as",
    )
    shared_from = models.OneToOneField(
        "self",
        verbose_name=_("shared from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shared_as",
    )
    promoted_at = models.DateTimeField(_("promoted at"), null=True, blank=True)
    has_official_response = models.BooleanField(_("has an official response"), default=False)
    client_request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_request_id"],
                condition=~Q(client_request_id=""),
                name="forums_one_thread_per_client_request",
            ),
            models.UniqueConstraint(
                fields=["case_study"],
                condition=Q(is_leadership=True),
                name="forums_one_leadership_thread_per_case_study",
            ),
        ]
        indexes = [
            models.Index(
                fields=["space", "-created_at", "-id"], condition=_LISTED, name="forums_space_new"
            ),
            models.Index(
                fields=["space", "-hot", "-id"], condition=_LISTED, name="forums_space_hot"
            ),
            models.Index(
                fields=["group", "-created_at", "-id"], condition=_LISTED, name="forums_group_new"
            ),
            models.Index(
                fields=["group", "-hot", "-id"], condition=_LISTED, name="forums_group_hot"
            ),
            models.Index(
                fields=["board", "-created_at", "-id"], condition=_LISTED, name="forums_board_new"
            ),
            models.Index(
                fields=["board", "-hot", "-id"], condition=_LISTED, name="forums_board_hot"
            ),
            models.Index(fields=["author", "-created_at"], name="forums_thread_author"),
        ]

    def __str__(self):
        return self.title

    def rank(self):
        """Recompute ``hot`` from ``engagement`` (callers save it with the engagement change)."""
        self.hot = hot_score(self.engagement, self.created_at)

    @property
    def badges(self):
        """Short codes the interfaces turn into badges: promoted, from_leadership,
        official_response, locked, hidden."""
        found = []
        if self.promoted_at:
            found.append("promoted")
        if self.shared_from_id:
            found.append("from_leadership")
        if self.has_official_response:
            found.append("official_response")
        if self.locked:
            found.append("locked")
        if self.hidden:
            found.append("hidden")
        return found


class ThreadRevision(models.Model):
    """A thread as it was before an edit."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200)
    body = models.TextField()
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.thread_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class Post(models.Model):
    """A reply in a thread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="forum_posts",
    )
    body = models.TextField(_("body"), help_text=_("Sanitised HTML."))
    official_response = models.BooleanField(_("official response"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("why hidden"), max_length=255, blank=True)
    # Hidden because enough people flagged it, waiting for a moderator (dismissing the flags
    # shows it again).
    hidden_by_flags = models.BooleanField(default=False)
    deleted = models.BooleanField(_("deleted"), default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    flag_count = models.PositiveIntegerField(_("flags"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    client_request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_request_id"],
                condition=~Q(client_request_id=""),
                name="forums_one_post_per_client_request",
            ),
        ]
        indexes = [
            models.Index(fields=["thread", "created_at", "id"], name="forums_thread_posts"),
            models.Index(fields=["thread", "author"], name="forums_thread_participants"),
            models.Index(
                fields=["thread"], condition=Q(official_response=True), name="forums_official"
            ),
        ]

    def __str__(self):
        return f"#{self.thread_id}/{self.pk}"


class PostRevision(models.Model):
    """A post as it was before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.post_id} @ {self.created_at:%Y-%m-%d %H:%M}"


def _one_item_per_row(prefix):
    """A reaction or flag is on a thread (``post`` empty) or on one of its posts; one per person
    per item."""
    return [
        models.UniqueConstraint(
            fields=["user", "thread"],
            condition=Q(post__isnull=True),
            name=f"forums_one_{prefix}_per_thread",
        ),
        models.UniqueConstraint(
            fields=["user", "post"],
            condition=Q(post__isnull=False),
            name=f"forums_one_{prefix}_per_post",
        ),
    ]


class Reaction(models.Model):
    """A like, on a thread or on one of its posts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_reactions"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reactions")
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = _one_item_per_row("reaction")

    def __str__(self):
        return f"{self.user_id} ♥ {self.thread_id}/{self.post_id or '-'}"


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_follows"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="forums_one_follow"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.thread_id}"


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Waiting for review")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Flag(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_flags"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="flags")
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = _one_item_per_row("flag")
        indexes = [models.Index(fields=["status", "thread"], name="forums_open_flags")]

    def __str__(self):
        return f"{self.user_id} ⚑ {self.thread_id}/{self.post_id or '-'} ({self.reason})"


class ModerationKind(models.TextChoices):
    HIDE = "hide", _("Hidden")
    AUTO_HIDE = "auto_hide", _("Hidden by flags")
    RESTORE = "restore", _("Restored")
    DISMISS_FLAGS = "dismiss_flags", _("Flags dismissed")
    LOCK = "lock", _("Locked")
    UNLOCK = "unlock", _("Unlocked")
    MOVE = "move", _("Moved")
    DELETE = "delete", _("Deleted")
    BAN = "ban", _("Banned")


class ModerationAction(models.Model):
    """The moderation log: who did what to which item, why and when."""

    kind = models.CharField(_("action"), max_length=16, choices=ModerationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="moderation_actions"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="moderation_actions"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.kind} {self.thread_id}/{self.post_id or '-'}"


class Ban(models.Model):
    """The user may not post (nor react) in a space or a group, until a time or for good."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_bans"
    )
    space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.CASCADE)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
        constraints = [
            models.CheckConstraint(
                condition=Q(space__isnull=True, group__isnull=False)
                | Q(space__isnull=False, group__isnull=True),
                name="forums_ban_space_or_group",
            )
        ]
        indexes = [models.Index(fields=["user", "until"], name="forums_ban_user")]

    def __str__(self):
        return f"{self.user_id} ⊘ {self.space_id or self.group_id}"


class NominationKind(models.TextChoices):
    AUTO = "auto", _("Automatic")
    MANUAL = "manual", _("By an editor")


class NominationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    PROMOTED = "promoted", _("Promoted")
    DECLINED = "declined", _("Declined")


class Nomination(models.Model):
    """A public thread proposed for the leadership space. One per thread, ever: a declined
    thread is not proposed again however often it crosses the thresholds."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="nominations")
    kind = models.CharField(_("kind"), max_length=8, choices=NominationKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NominationStatus.choices,
        default=NominationStatus.PENDING,
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("why nominated"), max_length=500, blank=True)
    participants_at_nomination = models.PositiveIntegerField(default=0)
    likes_at_nomination = models.PositiveIntegerField(default=0)
    score_at_nomination = models.IntegerField(default=0)
    created_at = models.DateTimeField(_("nominated at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("why"), max_length=500, blank=True)
    score_at_decision = models.IntegerField(null=True, blank=True)
    participants_at_decision = models.PositiveIntegerField(null=True, blank=True)
    likes_at_decision = models.PositiveIntegerField(null=True, blank=True)
    leadership_thread = models.OneToOneField(
        Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(fields=["thread"], name="forums_nominated_once"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="forums_nomination_queue")]

    def __str__(self):
        return f"{self.thread_id} ({self.status})"
