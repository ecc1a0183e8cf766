"""The two-tier loop through the services: up (engagement → nomination → promotion) and back
down (official response, sharing down), with the events it sends and what it pays."""

from datetime import timedelta

import pytest
from django.db.models import Sum

from civic.core.errors import Forbidden
from civic.core.roles import Role
from forums import events, queries, services
from forums.models import (
    HOT_EPOCH,
    Nomination,
    NominationKind,
    NominationStatus,
    Thread,
    hot_score,
)
from rewards.models import LedgerEntry, RewardSettings

pytestmark = pytest.mark.django_db


SIGNALS = (
    "thread_created",
    "post_created",
    "thread_nominated",
    "thread_promoted",
    "official_response",
    "thread_shared_down",
    "content_hidden",
    "member_approved",
)


@pytest.fixture
def received():
    """Signals sent, as ``[(name, kwargs)]``."""
    log = []
    handlers = {}
    for name in SIGNALS:

        def handler(sender, name=name, **kwargs):
            log.append((name, kwargs))

        handlers[name] = handler
        getattr(events, name).connect(handler)
    yield log
    for name, handler in handlers.items():
        getattr(events, name).disconnect(handler)


def _names(log):
    return [name for name, _kwargs in log]


def test_hot_follows_the_design_formula(people, thread_by, engage, thresholds):
    thread = thread_by(people.resident)
    age = (thread.created_at - HOT_EPOCH).total_seconds() / 45000
    assert thread.hot == pytest.approx(age)
    services.reply(people.resident, thread, body="作者自己的回复")  # not counted: by the author
    engage(thread, replies=2, likes=3)
    assert thread.engagement == 3 + 2 * 2
    assert thread.hot == pytest.approx(hot_score(7, thread.created_at))
    assert thread.hot == pytest.approx(age + 0.8450980400142568)
    assert thread.reply_count == 3
    assert thread.participant_count == 3
    assert thread.like_count == 3


def test_the_full_loop_up_and_back_down(
    spaces, people, thread_by, engage, thresholds, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        origin = thread_by(people.resident, tags=["交通", "路灯"])
        engage(origin, replies=1, likes=2)
        assert not Nomination.objects.exists()  # 2 participants, 2 likes: not yet
        engage(origin, replies=1)
    nomination = Nomination.objects.get(thread=origin)
    assert nomination.kind == NominationKind.AUTO
    assert nomination.nominated_by is None
    assert (nomination.participants_at_nomination, nomination.likes_at_nomination) == (3, 2)
    assert _names(received).count("thread_nominated") == 1
    assert list(queries.nomination_queue(people.editor)) == [nomination]

    # More engagement after the nomination nominates nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        engage(origin, replies=2, likes=3)
    assert Nomination.objects.filter(thread=origin).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        leadership = services.promote(people.editor, nomination, reason="群众关心的问题")
    origin.refresh_from_db()
    nomination.refresh_from_db()
    assert leadership.is_leadership
    assert leadership.space == spaces.leadership
    assert leadership.origin == origin
    assert origin.promoted_as == leadership
    assert "promoted" in origin.badges
    assert set(leadership.tags.names()) == {"交通", "路灯"}
    assert nomination.status == NominationStatus.PROMOTED
    assert nomination.decided_by == people.editor
    assert nomination.decision_reason == "群众关心的问题"
    assert nomination.score_at_decision == origin.engagement == 5 + 2 * 4
    assert nomination.leadership_thread == leadership
    promoted = [kw for name, kw in received if name == "thread_promoted"]
    assert len(promoted) == 1
    assert promoted[0]["thread"] == origin
    assert promoted[0]["leadership_thread"] == leadership
    assert promoted[0]["nomination"] == nomination
    assert promoted[0]["actor"] == people.editor
    # rewards paid the public thread's author
    paid = LedgerEntry.objects.filter(account__user=people.resident)
    assert paid.aggregate(total=Sum("amount"))["total"] == RewardSettings.load().thread_promoted

    # A leader answers; the answer is shown on the public thread.
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.reply(people.leader, leadership, body="<p>本周内修好。</p>")
        services.mark_official_response(people.leader, answer)
    origin.refresh_from_db()
    assert origin.has_official_response
    assert "official_response" in origin.badges
    assert list(queries.official_responses(origin)) == [answer]
    official = [kw for name, kw in received if name == "official_response"]
    assert [(kw["thread"], kw["post"]) for kw in official] == [(origin, answer)]

    # Down: a leadership thread shared to the public, edited first.
    with django_capture_on_commit_callbacks(execute=True):
        public = services.share_down(
            people.leader, leadership, title="路灯维修进展", body="<p>已安排维修。</p>"
        )
    assert not public.is_leadership
    assert public.space == spaces.public
    assert public.shared_from == leadership
    assert "from_leadership" in public.badges
    assert public.title == "路灯维修进展"
    listed = queries.threads(people.other, space=spaces.public)
    assert public in listed
    # Sharing again returns the same copy.
    assert services.share_down(people.leader, leadership) == public
    assert _names(received).count("thread_shared_down") == 1


def test_promotion_pays_once_however_often_the_event_arrives(
    people, thread_by, django_capture_on_commit_callbacks
):
    thread = thread_by(people.resident)
    nomination = services.nominate(people.editor, thread, reason="值得讨论")
    with django_capture_on_commit_callbacks(execute=True):
        leadership = services.promote(people.editor, nomination, reason="好")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.promote(people.editor, nomination, reason="again") == leadership
    events.thread_promoted.send(
        sender="forums", thread=thread, leadership_thread=leadership, nomination=nomination
    )
    entries = LedgerEntry.objects.filter(account__user=people.resident)
    assert entries.count() == 1
    assert entries.get().idempotency_key == f"thread:{thread.pk}:promoted:{people.resident.pk}"


def test_never_nominated_or_promoted_twice(people, thread_by, engage, thresholds):
    thread = thread_by(people.resident)
    first = services.nominate(people.editor, thread, reason="一")
    assert services.nominate(people.editor, thread, reason="二") == first
    engage(thread, replies=4, likes=4)  # crosses the automatic thresholds too
    assert Nomination.objects.filter(thread=thread).count() == 1
    services.decline(people.editor, first, reason="不是领导层的事")
    with pytest.raises(services.NominationDecided):
        services.promote(people.editor, first, reason="改主意")
    engage(thread, replies=2, likes=2)
    assert Nomination.objects.filter(thread=thread).count() == 1
    assert Thread.objects.filter(origin=thread).count() == 0


@pytest.mark.parametrize("removal", ["hidden", "deleted", "hidden_by_flags"])
def test_a_thread_hidden_or_deleted_after_its_nomination_is_not_promoted(
    people, thread_by, make_user, thresholds, removal
):
    thread = thread_by(people.resident)
    nomination = services.nominate(people.editor, thread, reason="值得讨论")
    if removal == "hidden":
        services.hide(people.editor, thread, reason="广告")
    elif removal == "deleted":
        services.delete_thread(people.resident, thread)
    else:
        for _ in range(thresholds.flag_hide_threshold):
            services.flag(make_user(Role.RESIDENT), thread, reason="spam")
    with pytest.raises(services.NominatedThreadRemoved):
        services.promote(people.editor, nomination, reason="升")
    nomination.refresh_from_db()
    thread.refresh_from_db()
    assert nomination.status == NominationStatus.PENDING
    assert thread.promoted_at is None
    assert not Thread.objects.filter(origin=thread).exists()
    # Restored, it can be promoted.
    services.restore(people.editor, thread)
    assert services.promote(people.editor, nomination, reason="升").origin == thread


def test_only_editors_nominate_and_decide(people, thread_by):
    thread = thread_by(people.resident)
    for who in (people.resident, people.leader, people.staff):
        with pytest.raises(Forbidden):
            services.nominate(who, thread, reason="x")
    nomination = services.nominate(people.admin, thread, reason="管理员也可以")
    for who in (people.resident, people.leader):
        with pytest.raises(Forbidden):
            services.promote(who, nomination, reason="x")
        with pytest.raises(Forbidden):
            services.decline(who, nomination, reason="x")
    with pytest.raises(services.ReasonRequired):
        services.promote(people.editor, nomination, reason="  ")


def test_no_automatic_nomination_outside_the_window_or_when_flagged(
    people, thread_by, engage, thresholds, time_machine
):
    old = thread_by(people.resident, title="旧帖")
    time_machine.move_to(old.created_at + timedelta(days=8))
    engage(old, replies=3, likes=3)
    assert not Nomination.objects.filter(thread=old).exists()

    flagged = thread_by(people.resident, title="被举报")
    services.flag(people.other, flagged, reason="spam")
    engage(flagged, replies=3, likes=3)
    assert not Nomination.objects.filter(thread=flagged).exists()


def test_official_response_needs_a_leaders_reply_in_a_promoted_thread(
    spaces, people, thread_by, make_user
):
    plain = thread_by(people.leader, space=spaces.leadership, title="领导层讨论")
    post = services.reply(people.leader, plain, body="意见")
    with pytest.raises(services.NotPromotedThread):
        services.mark_official_response(people.leader, post)
    nomination = services.nominate(people.editor, thread_by(people.resident), reason="r")
    leadership = services.promote(people.editor, nomination, reason="r")
    other_leader = make_user(Role.LEADER)
    post = services.reply(people.leader, leadership, body="答复")
    with pytest.raises(Forbidden):
        services.mark_official_response(other_leader, post)  # not theirs, not an editor
    with pytest.raises(Forbidden):
        services.mark_official_response(people.resident, post)
    assert services.mark_official_response(people.editor, post).official_response


def test_case_study_gets_exactly_one_leadership_thread(people, portal):
    _home, pages = portal
    page = pages["D1"]
    first = services.open_leadership_thread_for_case_study(
        people.editor, page=page, title="案例：路灯", summary="做法和效果"
    )
    again = services.open_leadership_thread_for_case_study(
        people.editor, page=page, title="另一个标题", summary="x"
    )
    assert first == again
    assert first.is_leadership
    assert first.case_study_id == page.pk
    with pytest.raises(Forbidden):
        services.open_leadership_thread_for_case_study(
            people.resident, page=page, title="t", summary="s"
        )


def test_sharing_down_is_for_leaders_and_editors_and_leadership_threads(spaces, people, thread_by):
    leadership = thread_by(people.leader, space=spaces.leadership, title="内部")
    for who in (people.resident, people.staff):
        with pytest.raises(Forbidden):
            services.share_down(who, leadership)
    with pytest.raises(services.NotLeadershipThread):
        services.share_down(people.leader, thread_by(people.resident))
    public = services.share_down(people.editor, leadership, body="<p>编辑后的版本</p>")
    assert public.body == "<p>编辑后的版本</p>"
    assert public.title == leadership.title


def test_a_view_is_one_update(people, thread_by, django_assert_num_queries):
    thread = thread_by(people.resident)
    with django_assert_num_queries(1):
        services.record_view(thread)
    thread.refresh_from_db()
    assert thread.view_count == 1
