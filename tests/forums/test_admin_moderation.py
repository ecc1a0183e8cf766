"""The moderation queue in the Wagtail admin: flagged items wait there, each action goes through
its service and lands in the moderation log; only forum moderators get in."""

import pytest

from civic.core.roles import Role
from forums import permissions, services
from forums.models import Ban, Board, ModerationAction, ModerationKind

EN = {"Accept-Language": "en"}


@pytest.fixture
def flagged(spaces, people, thresholds, make_user):
    """A thread hidden by two flags and a reply flagged once."""
    thread = services.create_thread(
        people.resident, space=spaces.public, title="卖房广告", body="低价卖房"
    )
    post = services.reply(people.resident, thread, body="加我微信")
    services.flag(make_user(), post, reason="personal_data", note="留了微信号")
    for _n in range(2):
        services.flag(make_user(), thread, reason="spam")
    thread.refresh_from_db()
    assert thread.hidden
    assert thread.hidden_by_flags
    return thread, post


def test_non_editors_are_refused(client, people, flagged):
    thread, _post = flagged
    for user in (people.resident, people.leader, people.staff):
        client.force_login(user)
        assert client.get("/admin/forums/moderation/").status_code in (302, 403), user
        response = client.post(
            f"/admin/forums/moderation/thread/{thread.pk}/", {"action": "restore", "reason": "x"}
        )
        assert response.status_code in (302, 403)
        thread.refresh_from_db()
        assert thread.hidden
    menu = client.get("/admin/").content.decode()
    assert "/admin/forums/moderation/" not in menu


def test_queue_lists_flagged_items_with_reasons(client, people, flagged):
    _thread, _post = flagged
    client.force_login(people.editor)
    page = client.get("/admin/forums/moderation/", headers=EN).content.decode()
    assert "卖房广告" in page
    assert "Spam or advertising" in page
    assert "留了微信号" in page
    assert "/admin/forums/moderation/" in client.get("/admin/").content.decode()


def test_dismiss_restores_flag_hidden_content_and_logs(client, people, flagged):
    thread, _post = flagged
    client.force_login(people.editor)
    client.post(
        f"/admin/forums/moderation/thread/{thread.pk}/", {"action": "dismiss", "reason": "误报"}
    )
    thread.refresh_from_db()
    assert not thread.hidden
    assert thread.flag_count == 0
    entry = ModerationAction.objects.filter(kind=ModerationKind.DISMISS_FLAGS).get()
    assert entry.actor == people.editor
    assert entry.reason == "误报"
    page = client.get("/admin/forums/moderation/", headers=EN).content.decode()
    assert "卖房广告" not in page.split("<h2>Replies</h2>")[0]


def test_hide_needs_a_reason_then_hides_the_reply(client, people, flagged):
    _thread, post = flagged
    client.force_login(people.editor)
    response = client.post(
        f"/admin/forums/moderation/post/{post.pk}/",
        {"action": "hide", "reason": ""},
        headers=EN,
        follow=True,
    )
    assert "Give a reason." in response.content.decode()
    post.refresh_from_db()
    assert not post.hidden
    client.post(f"/admin/forums/moderation/post/{post.pk}/", {"action": "hide", "reason": "隐私"})
    post.refresh_from_db()
    assert post.hidden
    assert post.hidden_reason == "隐私"
    assert post.flag_count == 0
    client.post(
        f"/admin/forums/moderation/post/{post.pk}/", {"action": "restore", "reason": "已删号"}
    )
    post.refresh_from_db()
    assert not post.hidden
    kinds = list(ModerationAction.objects.filter(post=post).values_list("kind", flat=True))
    assert ModerationKind.HIDE in kinds
    assert ModerationKind.RESTORE in kinds


def test_lock_move_and_ban(client, spaces, people, flagged):
    thread, _post = flagged
    board = Board.objects.create(space=spaces.public, slug="market", name="二手")
    client.force_login(people.editor)
    url = f"/admin/forums/moderation/thread/{thread.pk}/"
    client.post(url, {"action": "lock", "reason": "争吵"})
    client.post(url, {"action": "move", "board": board.pk, "reason": "放到二手版"})
    thread.refresh_from_db()
    assert thread.locked
    assert thread.board == board
    client.post(url, {"action": "ban", "where": "space", "days": "7", "reason": "反复发广告"})
    ban = Ban.objects.get(user=people.resident)
    assert ban.space == spaces.public
    assert ban.until is not None
    assert ban.reason == "反复发广告"
    assert permissions.is_banned(people.resident, space=spaces.public)
    kinds = set(ModerationAction.objects.values_list("kind", flat=True))
    assert {ModerationKind.LOCK, ModerationKind.MOVE, ModerationKind.BAN} <= kinds
    assert client.post("/admin/forums/moderation/bogus/1/", {"action": "hide"}).status_code == 404


def test_editors_may_edit_forum_settings(client, make_user):
    editor = make_user(Role.EDITOR)
    client.force_login(editor)
    response = client.get("/admin/settings/forums/forumsettings/", follow=True)
    assert response.status_code == 200
    assert 'name="nomination_min_likes"' in response.content.decode()
    client.force_login(make_user(Role.STAFF))
    response = client.get("/admin/settings/forums/forumsettings/", follow=True)
    assert 'name="nomination_min_likes"' not in response.content.decode()
