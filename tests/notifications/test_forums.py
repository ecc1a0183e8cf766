"""The forums' events reach the right people: followers of a thread hear of replies, an author
of their thread's promotion, a public thread's participants and followers of the official
response."""

import pytest

from civic.notifications.models import Kind, Notification
from forums import services
from forums.permissions import can_see_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def inbox(user):
    return list(
        Notification.objects.filter(user=user).order_by("id").values_list("kind", "title", "url")
    )


def test_followers_hear_of_replies_but_not_of_their_own(people, thread_by, committed, make_user):
    people.resident.language = "en"
    people.resident.save()
    thread = committed(thread_by, people.resident, title="Broken lamp")
    follower = make_user()
    committed(services.follow, follower, thread)
    body = "<p>Same <b>here</b>, since May</p>"
    post = committed(services.reply, people.other, thread, body=body)
    url = f"/forums/t/{thread.pk}/#post-{post.pk}"
    assert inbox(people.resident) == [(Kind.THREAD_REPLY, "New reply in “Broken lamp”", url)]
    assert inbox(follower) == [(Kind.THREAD_REPLY, "“Broken lamp”有新回复", url)]
    assert inbox(people.other) == []  # their own reply (they now follow the thread)
    reply = Notification.objects.get(user=people.resident)
    assert reply.body == "Same here, since May"
    assert reply.link == f"civic://forums/threads/{thread.pk}"
    assert reply.data == {"threadId": thread.pk, "postId": post.pk}
    committed(services.reply, people.resident, thread, body="<p>Thanks</p>")
    assert [kind for kind, _t, _u in inbox(people.other)] == [Kind.THREAD_REPLY]


def test_promotion_and_the_official_response_go_back_down(people, thread_by, committed, make_user):
    thread = committed(thread_by, people.resident, title="路灯坏了")
    committed(services.reply, people.other, thread, body="<p>我也看到了</p>")
    follower = make_user()
    committed(services.follow, follower, thread)
    nomination = committed(services.nominate, people.editor, thread, reason="很多人关心")
    leadership = committed(services.promote, people.editor, nomination, reason="值得讨论")
    promoted = Notification.objects.get(user=people.resident, kind=Kind.THREAD_PROMOTED)
    assert promoted.title == "您的帖子已提交领导讨论"
    assert promoted.url == f"/forums/t/{thread.pk}/"  # the public thread, which they can read
    answer = committed(services.reply, people.leader, leadership, body="<p>本周内修好。</p>")
    committed(services.mark_official_response, people.leader, answer)
    told = Notification.objects.filter(kind=Kind.OFFICIAL_RESPONSE)
    assert sorted(told.values_list("user_id", flat=True)) == sorted(
        [people.resident.pk, people.other.pk, follower.pk]
    )
    official = told.get(user=people.other)
    assert official.title == "“路灯坏了”有官方回复"
    assert official.body == "本周内修好。"
    assert official.url == f"/forums/t/{thread.pk}/"
    # The leader heard of nothing they did themselves; the leadership thread's replies reach
    # only its followers who may read it (the promoting editor).
    assert not Notification.objects.filter(user=people.leader).exists()
    inside = Notification.objects.filter(url__startswith=f"/forums/t/{leadership.pk}/")
    assert [n.user for n in inside] == [people.editor]
    assert can_see_thread(people.editor, leadership)
    assert not can_see_thread(people.resident, leadership)


def test_an_author_hears_why_their_reply_was_hidden(people, thread_by, committed):
    thread = committed(thread_by, people.resident, title="路灯坏了")
    post = committed(services.reply, people.other, thread, body="<p>广告</p>")
    committed(services.hide, people.editor, post, reason="广告内容")
    hidden = Notification.objects.get(user=people.other, kind=Kind.CONTENT_HIDDEN)
    assert (hidden.title, hidden.body) == ("您在“路灯坏了”中的回复已被隐藏", "广告内容")
    assert hidden.url == f"/forums/t/{thread.pk}/#post-{post.pk}"


def test_a_closed_groups_new_member_hears_they_were_let_in(people, committed):
    group = committed(services.create_group, people.resident, name="东门邻里", visibility="closed")
    membership = committed(services.join_group, people.other, group)
    assert not Notification.objects.filter(user=people.other).exists()
    committed(services.approve_member, people.resident, membership)
    joined = Notification.objects.get(user=people.other)
    assert (joined.kind, joined.title) == (Kind.MEMBERSHIP_APPROVED, "您已加入东门邻里")
    assert joined.link == f"civic://forums/groups/{group.slug}"


def test_followers_who_lost_access_hear_nothing_of_what_they_may_no_longer_read(
    people, spaces, thread_by, committed, make_user
):
    from civic.accounts.services import revoke_role
    from civic.core.roles import Role
    from forums.models import Visibility

    # A former leader still follows a leadership thread.
    former_leader = make_user(Role.LEADER)
    leadership = committed(thread_by, people.leader, space=spaces.leadership, title="预算讨论")
    committed(services.follow, former_leader, leadership)
    revoke_role(former_leader, Role.LEADER)
    # A former member still follows a private group's thread.
    group = committed(
        services.create_group, people.resident, name="楼道邻居", visibility=Visibility.PRIVATE
    )
    former_member = make_user()
    committed(services.add_member, people.resident, group, former_member)
    private = committed(thread_by, people.resident, group=group, title="楼道的事")
    committed(services.follow, former_member, private)
    committed(services.leave_group, former_member, group)

    committed(services.reply, people.leader, leadership, body="<p>明年的预算</p>")
    committed(services.reply, people.resident, private, body="<p>只给成员看</p>")

    assert inbox(former_leader) == []
    assert inbox(former_member) == []
