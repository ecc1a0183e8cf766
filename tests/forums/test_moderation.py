"""Flags, hiding, restoring, locking, moving and banning: who may, what it changes, what is
logged and who is told."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civic.core.errors import Forbidden, NotFound
from civic.core.roles import Role
from forums import events, queries, services
from forums.models import (
    Board,
    FlagStatus,
    ModerationAction,
    ModerationKind,
    Visibility,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_events():
    log = []

    def handler(sender, **kwargs):
        log.append(kwargs)

    events.content_hidden.connect(handler)
    yield log
    events.content_hidden.disconnect(handler)


def test_enough_flags_hide_a_thread_until_a_moderator_reviews_it(
    spaces,
    people,
    thread_by,
    make_user,
    thresholds,
    hidden_events,
    django_capture_on_commit_callbacks,
):
    thread = thread_by(people.resident)
    with django_capture_on_commit_callbacks(execute=True):
        services.flag(people.other, thread, reason="spam", note="广告")
        services.flag(people.other, thread, reason="abuse")  # the same person again: no effect
        thread.refresh_from_db()
        assert (thread.flag_count, thread.hidden) == (1, False)
        services.flag(make_user(Role.RESIDENT), thread, reason="spam")
    thread.refresh_from_db()
    assert thread.hidden
    assert thread.hidden_by_flags
    assert [(e["thread"], e["post"], e["author"]) for e in hidden_events] == [
        (thread, None, people.resident)
    ]
    assert ModerationAction.objects.get().kind == ModerationKind.AUTO_HIDE
    # Gone from lists; the author and moderators still open it.
    assert thread not in queries.threads(people.other, space=spaces.public)
    assert queries.thread_for(people.other, thread.pk) is None
    assert queries.thread_for(people.resident, thread.pk) == thread
    assert queries.thread_for(people.editor, thread.pk) == thread
    queue = queries.moderation_queue(people.editor)
    assert list(queue.threads) == [thread]
    assert [f.reason for f in queue.threads[0].open_flags] == ["spam", "spam"]
    assert list(queries.moderation_queue(people.other).threads) == []

    services.dismiss_flags(people.editor, thread, reason="不是广告")
    thread.refresh_from_db()
    assert (thread.hidden, thread.flag_count) == (False, 0)
    assert thread in queries.threads(people.other, space=spaces.public)
    assert set(thread.flags.values_list("status", flat=True)) == {FlagStatus.DISMISSED}
    assert list(queries.moderation_queue(people.editor).threads) == []


def test_hiding_a_post_tells_its_author_and_is_logged(
    people, thread_by, hidden_events, django_capture_on_commit_callbacks
):
    thread = thread_by(people.resident)
    post = services.reply(people.other, thread, body="不当言论")
    with pytest.raises(Forbidden):
        services.hide(people.resident, post, reason="我不喜欢")
    with django_capture_on_commit_callbacks(execute=True):
        services.hide(people.editor, post, reason="人身攻击")
    assert hidden_events[0]["post"] == post
    assert hidden_events[0]["author"] == people.other
    assert hidden_events[0]["reason"] == "人身攻击"
    action = ModerationAction.objects.get()
    assert (action.kind, action.actor, action.post, action.reason) == (
        ModerationKind.HIDE,
        people.editor,
        post,
        "人身攻击",
    )
    assert post not in queries.posts_of(people.resident, thread)
    assert post in queries.posts_of(people.other, thread)  # its author sees it, marked hidden
    services.restore(people.editor, post)
    assert post in queries.posts_of(people.resident, thread)


def test_group_moderators_moderate_their_group_only(spaces, people, make_user):
    owner = make_user(Role.RESIDENT)
    group = services.create_group(owner, name="绿化小组")
    moderator = make_user(Role.RESIDENT)
    membership = services.join_group(moderator, group)
    services.set_member_role(owner, membership, role="moderator")
    with pytest.raises(Forbidden):
        services.set_member_role(moderator, membership, role="owner")
    inside = services.create_thread(
        people.resident, space=spaces.public, group=group, title="组内", body="x"
    )
    outside = services.create_thread(people.resident, space=spaces.public, title="组外", body="x")
    services.lock(moderator, inside)
    with pytest.raises(Forbidden):
        services.lock(moderator, outside)
    with pytest.raises(services.ThreadLocked):
        services.reply(people.other, inside, body="锁了还回复")
    services.ban(moderator, people.other, group=group, reason="捣乱")
    with pytest.raises(Forbidden):
        services.ban(moderator, people.other, space=spaces.public, reason="捣乱")


def test_a_ban_stops_posting_until_it_ends(spaces, people, thread_by, time_machine):
    thread = thread_by(people.resident)
    services.ban(
        people.editor,
        people.other,
        space=spaces.public,
        until=timezone.now() + timedelta(days=1),
        reason="刷屏",
    )
    for attempt in (
        lambda: services.reply(people.other, thread, body="x"),
        lambda: thread_by(people.other),
        lambda: services.react(people.other, thread),
    ):
        with pytest.raises(Forbidden):
            attempt()
    assert ModerationAction.objects.get().target_user == people.other
    time_machine.move_to(timezone.now() + timedelta(days=2))
    assert services.reply(people.other, thread, body="回来了").pk


def test_move_between_boards_and_into_a_private_group(spaces, people, thread_by, make_user):
    board = Board.objects.create(space=spaces.public, slug="traffic", name="交通")
    other_space_board = Board.objects.create(space=spaces.leadership, slug="lead", name="内部")
    thread = thread_by(people.resident)
    assert services.move(people.editor, thread, board=board).board == board
    with pytest.raises(services.WrongPlace):
        services.move(people.editor, thread, board=other_space_board)
    group = services.create_group(
        make_user(Role.RESIDENT), name="私密", visibility=Visibility.PRIVATE
    )
    services.move(people.editor, thread, group=group)
    thread.refresh_from_db()
    assert thread.is_private
    assert queries.thread_for(people.resident, thread.pk) is None  # not a member
    assert ModerationAction.objects.filter(kind=ModerationKind.MOVE).count() == 2


def test_authors_edit_and_delete_their_own_only(people, thread_by):
    thread = thread_by(people.resident)
    with pytest.raises(Forbidden):
        services.edit_thread(people.other, thread, title="改别人的")
    post = services.reply(people.other, thread, body="回复")
    with pytest.raises(Forbidden):
        services.delete_post(people.resident, post)
    services.delete_post(people.other, post)
    thread.refresh_from_db()
    assert (thread.reply_count, thread.engagement) == (0, 0)
    services.delete_thread(people.resident, thread)
    assert queries.thread_for(people.resident, thread.pk) is None
    assert queries.thread_for(people.editor, thread.pk) == thread
    services.restore(people.editor, thread)
    assert queries.thread_for(people.other, thread.pk) == thread


def test_no_liking_or_flagging_your_own(people, thread_by):
    thread = thread_by(people.resident)
    with pytest.raises(services.OwnContent):
        services.react(people.resident, thread)
    with pytest.raises(services.OwnContent):
        services.flag(people.resident, thread, reason="spam")
    with pytest.raises(services.FlagReasonInvalid):
        services.flag(people.other, thread, reason="because")
    services.react(people.other, thread)
    services.react(people.other, thread)  # twice: still one like
    thread.refresh_from_db()
    assert (thread.like_count, thread.engagement) == (1, 1)
    services.react(people.other, thread, on=False)
    thread.refresh_from_db()
    assert (thread.like_count, thread.engagement) == (0, 0)


def test_groups_join_leave_and_private_by_invitation(spaces, people, make_user):
    owner = make_user(Role.RESIDENT)
    open_group = services.create_group(owner, name="跑步团")
    membership = services.join_group(people.resident, open_group)
    assert membership.status == "active"
    assert services.join_group(people.resident, open_group) == membership
    open_group.refresh_from_db()
    assert open_group.member_count == 2
    services.leave_group(people.resident, open_group)
    open_group.refresh_from_db()
    assert open_group.member_count == 1
    with pytest.raises(services.OwnerCannotLeave):
        services.leave_group(owner, open_group)
    private = services.create_group(owner, name="楼长群", visibility=Visibility.PRIVATE)
    with pytest.raises(NotFound):
        services.join_group(people.resident, private)
    assert private not in queries.groups_for(people.resident)
    services.add_member(owner, private, people.resident)
    assert private in queries.groups_for(people.resident)


def test_a_group_made_private_takes_its_threads_out_of_sight(spaces, people, make_user):
    owner = make_user(Role.RESIDENT)
    group = services.create_group(owner, name="业委会")
    thread = services.create_thread(
        owner, space=spaces.public, group=group, title="账目公开", body="x"
    )
    assert thread in queries.threads(people.resident, space=spaces.public)
    with pytest.raises(Forbidden):
        services.edit_group(people.resident, group, visibility=Visibility.PRIVATE)
    services.edit_group(owner, group, visibility=Visibility.PRIVATE, name="业委会（内部）")
    assert thread not in queries.threads(people.resident, space=spaces.public)
    assert queries.thread_for(people.resident, thread.pk) is None
    assert queries.thread_for(owner, thread.pk) is not None
    services.edit_group(people.editor, group, visibility=Visibility.CLOSED)
    assert queries.thread_for(people.resident, thread.pk) is not None
