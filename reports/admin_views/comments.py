"""Residents' comments on a report, on its staff page: every comment, hidden ones too, and
for the report's department staff (and the forums' moderators) the form to hide one, saying
why (its author is told), or to show it again. The same services and rules as the forums'
moderation queue (``reports.services.comments``)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View

from civic.core.admin_actions import Action, ActionTable, take_action

from .. import admin_forms, services
from ..models import Comment
from ..permissions import can_moderate_comment, can_see_staff_details
from ..privacy import comment_author_name
from .queue import load_report, queue_url

COMMENT_ACTIONS = ActionTable(
    Action(
        "hide",
        _("Hide"),
        admin_forms.CommentModerationForm,
        can_moderate_comment,
        (),
        lambda user, comment, data: services.hide_comment(user, comment.pk, reason=data["reason"]),
        _("Comment hidden: its author is told why."),
        button_class="serious",
    ),
    Action(
        "restore",
        _("Show again"),
        admin_forms.CommentModerationForm,
        can_moderate_comment,
        (),
        lambda user, comment, data: services.restore_comment(user, comment.pk),
        _("Comment shown again."),
    ),
)


def staff_comments(report, user):
    """Every comment on ``report``, oldest first, each with ``shown_name`` and, when ``user``
    may moderate, the ``action`` to take on it (hide, or restore a hidden one) and its URL."""
    comments = list(
        Comment.objects.filter(report=report).select_related("author").order_by("created_at", "pk")
    )
    for comment in comments:
        comment.report = report
    # Who may moderate depends on the user and the report only: asked once.
    may_moderate = bool(comments) and can_moderate_comment(user, comments[0])
    for comment in comments:
        comment.shown_name = comment_author_name(comment, report, user)
        name = "restore" if comment.hidden else "hide"
        comment.action = COMMENT_ACTIONS.get(name) if may_moderate else None
        comment.action_url = queue_url("comment", report.pk, comment.pk, name)
    return comments


class CommentActionView(View):
    """Hides or restores one comment from the report's page, and goes back to its comments."""

    http_method_names = ["post"]

    def post(self, request, pk, comment_id, action):
        spec = COMMENT_ACTIONS.get(action)
        report = load_report(pk)
        comment = Comment.objects.filter(pk=comment_id, report=report).first()
        if spec is None or comment is None:
            raise Http404
        comment.report = report
        if not can_see_staff_details(request.user, report) or not spec.allowed(
            request.user, comment
        ):
            raise PermissionDenied
        take_action(request, spec, comment, spec.form_class(request.POST))
        return redirect(queue_url("inspect", report.pk) + "#report-comments")
