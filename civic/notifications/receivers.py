"""Notifications for what happens in the other apps, in reaction to their events.

Who hears of what:

* the reporter, the supporters and the followers of a report: accepted, rejected, started,
  resolved, closed, reopened, recategorised, merged (saying which report they now support),
  public updates (never internal notes: ``report_noted`` has no receiver here); each once;
* an urgent report (submitted urgent, or raised to urgent): the department's staff on duty,
  pushed at once whatever their quiet hours (its dispatchers when nobody is on duty);
* a leader's instruction: the department's dispatchers and supervisors and the report's
  handler when issued; the issuer when acknowledged or answered; when late, the department's
  supervisors (level 1), then the issuer (level 2);
* a follow-up call to make: the department's supervisors; a callback ending in "escalate":
  the leaders over the report's area;
* the reporter of a resolved report, some hours before it closes by itself: "is it fixed?"
  (once per resolution);
* the reporter and the followers of a public report: a resident's comment on it (not its
  author); a comment's author, when a moderator (or enough flags) hid it, with the reason;
* the handler a report is assigned to;
* an overdue report's escalation, by level: 1 the handler (the department's dispatchers while
  nobody is assigned), 2 the department's supervisors, 3 the leaders whose home area contains the
  report (its district's, or the city's), or the supervisors again when it has no such leader;
* the followers of a forum thread: a reply in it (if they may still read it);
* the author of a thread promoted to the leadership space;
* the participants (its author and those who replied) and followers of a public thread that
  a leader's reply in its leadership copy answers officially;
* the author of a thread or reply a moderator (or enough flags) hid, with the reason;
* someone whose request to join a group was approved;
* a resident whose reward was handed over, or who earned a badge;
* a resident whose report points the daily cap held back (once a day: the ledger shows each);
* a resident with an area alert holding a new or resolved public report's public place (once
  per report and kind, however many of their alerts hold it): pushed, in the inbox only, or
  kept for the daily email digest, as the most immediate of their alerts there asks.

Nobody is told of what they did themselves. Each notification's key names the event, so an event
delivered twice notifies once.
"""

import hashlib
from contextlib import nullcontext

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext
from wagtail.admin.admin_url_finder import AdminURLFinder

from civic.accounts import events as account_events
from civic.areas.queries import ancestor_paths, area_at
from civic.core.receivers import safely
from civic.core.roles import Role
from civic.departments import queries as department_queries
from civic.departments.models import MemberRole, Membership
from forums import events as forum_events
from forums.models import Follow, Post
from forums.permissions import can_see_thread
from reports import events as report_events
from reports.models import CallbackOutcome, Follower, Priority, RejectReason, Support
from reports.privacy import shown_area, shown_location
from rewards import events as reward_events

from .models import AlertDelivery, Kind
from .queries import alert_subscribers
from .services import forget_user, inbox_only, notify, personal_data


def _others(user_ids, actor):
    ids = set(user_ids) - {None, getattr(actor, "pk", None)}
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")


def _residents(report, actor):
    """The reporter, the supporters and the followers, each once, except whoever acted."""
    supporters = Support.objects.filter(report=report).values_list("user_id", flat=True)
    followers = Follower.objects.filter(report=report).values_list("user_id", flat=True)
    return _others([report.reporter_id, *supporters, *followers], actor)


def _tell_residents(report, event, actor, kind, message):
    for user in _residents(report, actor):
        notify(
            user,
            kind,
            key=f"report:{report.pk}:event:{event.pk}",
            message=message,
            link=f"civic://reports/{report.pk}",
            url=reverse("reports:detail", args=[report.pk]),
            data={"reportId": report.pk},
        )


def _tell_staff(users, report, event, kind, message, **data):
    for user in users:
        notify(
            user,
            kind,
            key=f"report:{report.pk}:event:{event.pk}",
            message=message,
            link=f"civic://reports/{report.pk}",
            url=AdminURLFinder(user).get_edit_url(report) or "",
            data={"reportId": report.pk, **data},
        )


def on_accepted(report, event, actor=None, **kwargs):
    _tell_residents(
        report,
        event,
        actor,
        Kind.REPORT_ACCEPTED,
        lambda: (
            gettext("Report #%(number)s accepted") % {"number": report.pk},
            event.message
            or gettext("%(department)s will deal with your %(category)s report.")
            % {
                "department": report.department.localized_name,
                "category": report.category.localized_name,
            },
        ),
    )


def _reason(event):
    """The reason in the reader's language, and what staff wrote if it is more than the reason
    (which the reports app writes, in the staff's language, when they wrote nothing)."""
    reason = event.data.get("reason")
    if reason not in RejectReason.values:
        return event.message
    label = RejectReason(reason).label
    in_any_language = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            in_any_language.add(str(label))
    if event.message and event.message not in in_any_language:
        return f"{label}\n{event.message}"
    return str(label)


def on_rejected(report, event, actor=None, **kwargs):
    _tell_residents(
        report,
        event,
        actor,
        Kind.REPORT_REJECTED,
        lambda: (
            gettext("Report #%(number)s not taken up") % {"number": report.pk},
            _reason(event),
        ),
    )


def on_resolved(report, event, actor=None, **kwargs):
    _tell_residents(
        report,
        event,
        actor,
        Kind.REPORT_RESOLVED,
        lambda: (gettext("Report #%(number)s resolved") % {"number": report.pk}, event.message),
    )
    _tell_area_watchers(
        report,
        actor,
        Kind.AREA_REPORT_RESOLVED,
        lambda: gettext("Resolved near you: %(category)s") % _category(report),
    )


def on_submitted(report, event, actor=None, **kwargs):
    if report.priority == Priority.URGENT:
        _tell_on_duty(report)
    _tell_area_watchers(
        report,
        actor,
        Kind.AREA_NEW_REPORT,
        lambda: gettext("New report near you: %(category)s") % _category(report),
    )


def _category(report):
    return {"category": report.category.localized_name}


def _tell_area_watchers(report, actor, kind, title):
    """Everyone with an area alert holding the report's public place, once each (not its
    reporter, nor whoever acted). Only the public place is used and told: a sensitive report's
    coarse point and its street, never its exact spot, address or cell."""
    if not report.is_public:
        return
    public = AnonymousUser()
    lat, lon, _exact = shown_location(report, public)
    area = shown_area(report, public)
    watchers = alert_subscribers(lat, lon, [found.pk for found in area_at(lat, lon)])
    for user in _others(set(watchers) - {report.reporter_id}, actor):
        delivery = watchers[user.pk]
        # Only "at once" is pushed (and emailed by preference); the rest wait in the inbox,
        # the digest's marked for the daily email.
        with nullcontext() if delivery == AlertDelivery.PUSH else inbox_only():
            notify(
                user,
                kind,
                key=f"area:report:{report.pk}:{kind}",
                message=lambda: (title(), area.localized_name if area else ""),
                link=f"civic://reports/{report.pk}",
                url=reverse("reports:detail", args=[report.pk]),
                data={"reportId": report.pk, "lat": lat, "lon": lon}
                | ({"digest": True} if delivery == AlertDelivery.DIGEST else {}),
            )


def on_updated(report, event, actor=None, **kwargs):
    _tell_residents(
        report,
        event,
        actor,
        Kind.REPORT_UPDATE,
        lambda: (gettext("News on report #%(number)s") % {"number": report.pk}, event.message),
    )


def on_close_reminder_due(report, closes_at=None, **kwargs):
    if report.reporter is None:
        return
    notify(
        report.reporter,
        Kind.REPORT_FIXED_PROMPT,
        key=f"report:{report.pk}:fixed-prompt:{report.resolved_at.isoformat()}",
        message=lambda: (
            gettext("Is it fixed? Report #%(number)s") % {"number": report.pk},
            gettext(
                "Your report was marked resolved. Tell us whether the problem is fixed before "
                "it closes by itself on %(date)s."
            )
            % {"date": formats.date_format(timezone.localtime(closes_at), "DATETIME_FORMAT")},
        ),
        link=f"civic://reports/{report.pk}",
        url=reverse("reports:detail", args=[report.pk]),
        data={"reportId": report.pk},
    )


def on_report_commented(report, comment, actor=None, **kwargs):
    followers = Follower.objects.filter(report=report).values_list("user_id", flat=True)
    for user in _others([report.reporter_id, *followers], actor):
        notify(
            user,
            Kind.REPORT_COMMENT,
            key=f"report:{report.pk}:comment:{comment.pk}",
            message=lambda: (
                gettext("New comment on report #%(number)s") % {"number": report.pk},
                _excerpt(comment.body),
            ),
            link=f"civic://reports/{report.pk}",
            url=reverse("reports:detail", args=[report.pk]) + f"#comment-{comment.pk}",
            data={"reportId": report.pk, "commentId": comment.pk},
        )


def on_report_comment_hidden(report, comment, reason="", actor=None, **kwargs):
    # As for forum posts: hidden again later for another reason is news again.
    digest = hashlib.sha256(reason.encode()).hexdigest()[:16]
    for user in _others([comment.author_id], actor):
        notify(
            user,
            Kind.CONTENT_HIDDEN,
            key=f"report-comment-hidden:{comment.pk}:{digest}",
            message=lambda: (
                gettext("Your comment on report #%(number)s was hidden") % {"number": report.pk},
                reason,
            ),
            link=f"civic://reports/{report.pk}",
            url=reverse("reports:detail", args=[report.pk]),
            data={"reportId": report.pk, "commentId": comment.pk},
        )


def _public_event(kind, title, body=None):
    """A receiver telling the residents of a report about a public event: ``title`` takes the
    report's number, ``body`` the report and event (the event's message by default)."""

    def receiver(report, event, actor=None, **kwargs):
        _tell_residents(
            report,
            event,
            actor,
            kind,
            lambda: (
                title() % {"number": report.pk},
                body(report, event) if body else event.message,
            ),
        )

    return receiver


on_started = _public_event(
    Kind.REPORT_STARTED, lambda: gettext("Work started on report #%(number)s")
)
on_closed = _public_event(Kind.REPORT_CLOSED, lambda: gettext("Report #%(number)s closed"))
on_reopened = _public_event(Kind.REPORT_REOPENED, lambda: gettext("Report #%(number)s reopened"))
on_recategorised = _public_event(
    Kind.REPORT_RECATEGORISED,
    lambda: gettext("Report #%(number)s moved to another category"),
    lambda report, event: "\n".join(
        part
        for part in (
            gettext("Now: %(category)s, handled by %(department)s.")
            % {
                "category": report.category.localized_name,
                "department": report.department.localized_name,
            },
            event.message,
        )
        if part
    ),
)


def on_merged(report, event, actor=None, original=None, **kwargs):
    original_pk = original.pk if original is not None else event.data.get("original")
    _tell_residents(
        report,
        event,
        actor,
        Kind.REPORT_MERGED,
        lambda: (
            gettext("Report #%(number)s merged into #%(original)s")
            % {"number": report.pk, "original": original_pk},
            "\n".join(
                part
                for part in (
                    gettext(
                        "The same problem was reported before: you now support report "
                        "#%(original)s and hear of its progress."
                    )
                    % {"original": original_pk},
                    event.message,
                )
                if part
            ),
        ),
    )


def _urgent_recipients(report, now):
    on_duty = department_queries.on_duty(report.department_id, now)
    if on_duty.exists():
        return on_duty
    dispatchers = Membership.objects.filter(
        department_id=report.department_id, role=MemberRole.DISPATCHER
    ).values_list("user_id", flat=True)
    return _others(dispatchers, None)


def _tell_on_duty(report):
    if report.department_id is None:
        return
    for user in _urgent_recipients(report, timezone.now()):
        notify(
            user,
            Kind.REPORT_URGENT,
            # Once a report: urgent at submission (its category or answers) and urgent by the
            # intake's danger cues are the same news for the person on duty.
            key=f"report:{report.pk}:urgent",
            message=lambda: (
                gettext("Urgent: report #%(number)s") % {"number": report.pk},
                f"{report.category.localized_name} · {report.area.localized_name}: "
                f"{report.description[:200]}",
            ),
            link=f"civic://reports/{report.pk}",
            url=AdminURLFinder(user).get_edit_url(report) or "",
            data={"reportId": report.pk, "priority": report.priority},
            urgent=True,
        )


def on_prioritised(report, event, **kwargs):
    if event.data.get("priority") == Priority.URGENT and report.is_open:
        _tell_on_duty(report)


def _instruction_message(report, instruction, title):
    return lambda: (
        title() % {"number": report.pk},
        Truncator(instruction.answer or instruction.text).chars(300),
    )


def on_instruction_issued(report, event, instruction=None, actor=None, **kwargs):
    answering = Membership.objects.filter(
        department_id=instruction.department_id,
        role__in=[MemberRole.DISPATCHER, MemberRole.SUPERVISOR],
    ).values_list("user_id", flat=True)
    _tell_staff(
        _others([*answering, report.handler_id], actor),
        report,
        event,
        Kind.INSTRUCTION,
        _instruction_message(
            report, instruction, lambda: gettext("Instruction on report #%(number)s")
        ),
        instructionId=instruction.pk,
    )


def _tell_issuer(report, event, instruction, actor, title):
    _tell_staff(
        _others([instruction.issued_by_id], actor),
        report,
        event,
        Kind.INSTRUCTION,
        _instruction_message(report, instruction, title),
        instructionId=instruction.pk,
    )


def on_instruction_acknowledged(report, event, instruction=None, actor=None, **kwargs):
    _tell_issuer(
        report,
        event,
        instruction,
        actor,
        lambda: gettext("Your instruction on report #%(number)s was acknowledged"),
    )


def on_instruction_answered(report, event, instruction=None, actor=None, **kwargs):
    _tell_issuer(
        report,
        event,
        instruction,
        actor,
        lambda: gettext("Your instruction on report #%(number)s was answered"),
    )


def on_instruction_escalated(report, event, instruction=None, level=None, **kwargs):
    title = lambda: gettext("Instruction on report #%(number)s is late")  # noqa: E731
    if level == 1:
        supervisors = Membership.objects.filter(
            department_id=instruction.department_id, role=MemberRole.SUPERVISOR
        ).values_list("user_id", flat=True)
        _tell_staff(
            _others(supervisors, None),
            report,
            event,
            Kind.INSTRUCTION,
            _instruction_message(report, instruction, title),
            instructionId=instruction.pk,
            level=level,
        )
    else:
        _tell_issuer(report, event, instruction, None, title)


def on_follow_up_opened(report, event, follow_up=None, **kwargs):
    supervisors = Membership.objects.filter(
        department_id=follow_up.department_id, role=MemberRole.SUPERVISOR
    ).values_list("user_id", flat=True)
    _tell_staff(
        _others(supervisors, None),
        report,
        event,
        Kind.FOLLOW_UP,
        lambda: (
            gettext("Call back the reporter of #%(number)s") % {"number": report.pk},
            str(follow_up.get_reason_display()),
        ),
        followUpId=follow_up.pk,
    )


def on_callback_recorded(report, event, follow_up=None, actor=None, **kwargs):
    if follow_up.outcome != CallbackOutcome.ESCALATE:
        return
    _tell_staff(
        _area_leaders(report).exclude(pk=getattr(actor, "pk", None)),
        report,
        event,
        Kind.FOLLOW_UP,
        lambda: (
            gettext("A dissatisfied reporter's case #%(number)s escalated to you")
            % {"number": report.pk},
            follow_up.resident_view,
        ),
        followUpId=follow_up.pk,
    )


def on_assigned(report, event, actor=None, handler=None, **kwargs):
    if handler is None:
        return  # sent to another department, whose dispatchers see it in their queue
    _tell_staff(
        _others([handler.pk], actor),
        report,
        event,
        Kind.REPORT_ASSIGNED,
        lambda: (
            gettext("Report #%(number)s assigned to you") % {"number": report.pk},
            event.message or f"{report.category.localized_name}: {report.description[:200]}",
        ),
    )


def on_sent_for_verification(report, event, verifier=None, **kwargs):
    """The grid worker has a report to check on site (a resident: their task list, not the
    admin)."""
    if verifier is None:
        return
    notify(
        verifier,
        Kind.VERIFICATION_TASK,
        key=f"report:{report.pk}:event:{event.pk}",
        message=lambda: (
            gettext("Report #%(number)s to verify on site") % {"number": report.pk},
            f"{report.category.localized_name}: {report.description[:200]}",
        ),
        link="civic://grid/tasks",
        url=reverse("grid:tasks"),
        data={"reportId": report.pk},
        urgent=report.priority == Priority.URGENT,
    )


def escalation_recipients(report, level):
    members = Membership.objects.filter(department_id=report.department_id)
    if level == 1:
        if report.handler_id:
            return _others([report.handler_id], None)
        roles = [MemberRole.DISPATCHER]
    else:
        roles = [MemberRole.SUPERVISOR]
    if level >= 3:
        leaders = _area_leaders(report)
        if leaders.exists():
            return leaders
    return _others(members.filter(role__in=roles).values_list("user_id", flat=True), None)


def _area_leaders(report):
    return get_user_model().objects.filter(
        groups__name=Role.LEADER.value,
        home_area__path__in=ancestor_paths(report.area_path),
        is_active=True,
    )


def on_escalated(report, event, level=None, **kwargs):
    level = level or event.data.get("level")
    _tell_staff(
        escalation_recipients(report, level),
        report,
        event,
        Kind.REPORT_ESCALATED,
        lambda: (
            gettext("Report #%(number)s is overdue (level %(level)s)")
            % {"number": report.pk, "level": level},
            gettext("%(category)s in %(area)s is past its deadline.")
            % {"category": report.category.localized_name, "area": report.area.localized_name},
        ),
        level=level,
    )


def _excerpt(html, words=40):
    return Truncator(strip_tags(html)).words(words)


def _tell_about_thread(users, thread, kind, key, message, post=None):
    url = reverse("forums:thread", args=[thread.pk])
    for user in users:
        if not can_see_thread(user, thread):
            continue  # left the private group, say: no longer theirs to read
        notify(
            user,
            kind,
            key=key,
            message=message,
            link=f"civic://forums/threads/{thread.pk}",
            url=f"{url}#post-{post.pk}" if post else url,
            data={"threadId": thread.pk, **({"postId": post.pk} if post else {})},
        )


def on_post_created(thread, post, actor=None, **kwargs):
    followers = Follow.objects.filter(thread=thread).values_list("user_id", flat=True)
    _tell_about_thread(
        _others(followers, post.author or actor),
        thread,
        Kind.THREAD_REPLY,
        f"forum-post:{post.pk}",
        lambda: (
            gettext("New reply in “%(title)s”") % {"title": thread.title},
            _excerpt(post.body),
        ),
        post=post,
    )


def on_thread_promoted(thread, actor=None, **kwargs):
    _tell_about_thread(
        _others([thread.author_id], actor),
        thread,
        Kind.THREAD_PROMOTED,
        f"thread:{thread.pk}:promoted",
        lambda: (
            gettext("Your thread was promoted to the leadership"),
            gettext("“%(title)s” is now discussed in the leadership space.")
            % {"title": thread.title},
        ),
    )


def on_official_response(thread, post, actor=None, **kwargs):
    repliers = Post.objects.filter(thread=thread, hidden=False, deleted=False).values_list(
        "author_id", flat=True
    )
    followers = Follow.objects.filter(thread=thread).values_list("user_id", flat=True)
    _tell_about_thread(
        _others([thread.author_id, *repliers, *followers], actor),
        thread,
        Kind.OFFICIAL_RESPONSE,
        f"forum-official:{post.pk}",
        lambda: (
            gettext("Official response to “%(title)s”") % {"title": thread.title},
            _excerpt(post.body),
        ),
    )


def on_content_hidden(thread, post=None, author=None, reason="", actor=None, **kwargs):
    # Hiding again after a restore, for another reason, is news again; the same event
    # delivered twice is not.
    digest = hashlib.sha256(reason.encode()).hexdigest()[:16]
    item = f"post:{post.pk}" if post else f"thread:{thread.pk}"
    _tell_about_thread(
        _others([getattr(author, "pk", None)], actor),
        thread,
        Kind.CONTENT_HIDDEN,
        f"forum-hidden:{item}:{digest}",
        lambda: (
            (
                gettext("Your reply in “%(title)s” was hidden")
                if post
                else gettext("Your thread “%(title)s” was hidden")
            )
            % {"title": thread.title},
            reason,
        ),
        post=post,
    )


def on_member_approved(group, membership, actor=None, **kwargs):
    for user in _others([membership.user_id], actor):
        notify(
            user,
            Kind.MEMBERSHIP_APPROVED,
            key=f"forum-member:{membership.pk}:approved",
            message=lambda: (gettext("You joined %(group)s") % {"group": group.name}, ""),
            link=f"civic://forums/groups/{group.slug}",
            url=reverse("forums:group", args=[group.slug]),
            data={"groupSlug": group.slug},
        )


def on_redemption_fulfilled(redemption, **kwargs):
    notify(
        redemption.user,
        Kind.REDEMPTION_FULFILLED,
        key=f"redemption:{redemption.pk}:fulfilled",
        message=lambda: (
            gettext("Your reward is ready"),
            (redemption.item.localized_name + ("\n" + redemption.note if redemption.note else "")),
        ),
        link="civic://rewards",
        url=reverse("rewards:my_points"),
        data={"redemptionId": redemption.pk},
    )


def on_badge_earned(user, badge, **kwargs):
    notify(
        user,
        Kind.BADGE_EARNED,
        key=f"badge:{badge.code}",
        message=lambda: (
            gettext("New badge: %(name)s") % {"name": badge.name},
            str(badge.description),
        ),
        link="civic://rewards",
        url=reverse("rewards:my_points"),
        data={"badge": badge.code},
    )


def on_points_withheld(user, entry, **kwargs):
    notify(
        user,
        Kind.POINTS_WITHHELD,
        key=f"points-withheld:{timezone.localdate(entry.created_at).isoformat()}",
        message=lambda: (
            gettext("Daily limit on points from reports reached"),
            entry.withheld_reason,
        ),
        link="civic://rewards",
        url=reverse("rewards:my_points"),
        data={"entryId": entry.pk},
    )


RECEIVERS = {
    report_events.report_submitted: on_submitted,
    report_events.report_accepted: on_accepted,
    report_events.report_rejected: on_rejected,
    report_events.report_resolved: on_resolved,
    report_events.close_reminder_due: on_close_reminder_due,
    report_events.report_commented: on_report_commented,
    report_events.report_comment_hidden: on_report_comment_hidden,
    report_events.report_updated: on_updated,
    report_events.report_assigned: on_assigned,
    report_events.report_escalated: on_escalated,
    report_events.report_started: on_started,
    report_events.report_closed: on_closed,
    report_events.report_reopened: on_reopened,
    report_events.report_recategorised: on_recategorised,
    report_events.report_merged: on_merged,
    report_events.report_prioritised: on_prioritised,
    report_events.report_sent_for_verification: on_sent_for_verification,
    report_events.instruction_issued: on_instruction_issued,
    report_events.instruction_acknowledged: on_instruction_acknowledged,
    report_events.instruction_answered: on_instruction_answered,
    report_events.instruction_escalated: on_instruction_escalated,
    report_events.follow_up_opened: on_follow_up_opened,
    report_events.callback_recorded: on_callback_recorded,
    forum_events.post_created: on_post_created,
    forum_events.thread_promoted: on_thread_promoted,
    forum_events.official_response: on_official_response,
    forum_events.content_hidden: on_content_hidden,
    forum_events.member_approved: on_member_approved,
    reward_events.redemption_fulfilled: on_redemption_fulfilled,
    reward_events.badge_earned: on_badge_earned,
    reward_events.points_withheld: on_points_withheld,
}
_connected = []


def on_account_deleted(sender, user, **kwargs):
    # Not wrapped in safely: it runs inside the deleting transaction, which must fail with it.
    forget_user(user)


def on_personal_data_requested(sender, user, **kwargs):
    return personal_data(user)


def connect():
    account_events.account_deleted.connect(
        on_account_deleted, dispatch_uid="notifications.forget_user"
    )
    account_events.personal_data_requested.connect(
        on_personal_data_requested, dispatch_uid="notifications.personal_data"
    )
    for signal, receiver in RECEIVERS.items():
        wrapped = safely(receiver)
        _connected.append(wrapped)  # signals hold weak references
        signal.connect(wrapped, dispatch_uid=f"notifications.{receiver.__name__}")
