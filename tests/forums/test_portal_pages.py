"""The forum pages through HTTP: reading, posting, liking, flagging, groups, and what each kind
of viewer sees."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums import services
from forums.models import Board, Flag, GroupMembership, MemberStatus, Post, Reaction, Thread

EN = {"Accept-Language": "en"}


def _csrfless(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def board(spaces):
    return Board.objects.create(
        space=spaces.public, slug="transport", name="交通", name_en="Transport"
    )


def test_index_space_board_and_thread_render_in_both_languages(
    client, spaces, people, board, thread_by
):
    thread = thread_by(people.resident, board=board, tags=["路灯"])
    for language, word in (("en", "Forums"), ("zh-hans", "论坛")):
        headers = {"Accept-Language": language}
        for url in (
            "/forums/",
            f"/forums/s/{spaces.public.slug}/",
            f"/forums/s/{spaces.public.slug}/b/transport/",
            f"/forums/t/{thread.pk}/",
            "/forums/groups/",
            "/forums/search/?q=路灯",
        ):
            response = client.get(url, headers=headers)
            assert response.status_code == 200, url
            assert word in response.content.decode(), (url, language)
        assert (
            thread.title in client.get(f"/forums/s/{spaces.public.slug}/?tag=路灯").content.decode()
        )


def test_anonymous_reads_but_must_sign_in_to_post(client, spaces, people, thread_by):
    thread = thread_by(people.resident)
    assert client.get(f"/forums/t/{thread.pk}/").status_code == 200
    response = client.post(f"/forums/t/{thread.pk}/reply/", {"body": "hi"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Post.objects.exists()


def test_view_counter_counts_page_views(client, people, thread_by):
    thread = thread_by(people.resident)
    client.get(f"/forums/t/{thread.pk}/")
    client.get(f"/forums/t/{thread.pk}/")
    assert client.get(f"/forums/t/{thread.pk}/?page=2").status_code == 200
    thread.refresh_from_db()
    assert thread.view_count == 2


def test_create_thread_with_tags_board_and_report_then_edit_and_delete(
    client, spaces, people, board
):
    client.force_login(people.resident)
    url = f"/forums/s/{spaces.public.slug}/new/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"title": "t", "body": "text", "tags": "a,b,c,d,e,f", "client_request_id": "a1"},
        headers=EN,
    )
    assert response.status_code == 200
    assert "At most 5 tags, of at most 30 characters each." in response.content.decode()
    response = client.post(
        url,
        {
            "title": "公交站台",
            "body": "站台没有遮雨棚",
            "board": board.pk,
            "tags": "公交, 雨棚",
            "client_request_id": "a2",
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/forums/t/{thread.pk}/"
    assert thread.board == board
    assert set(thread.tags.names()) == {"公交", "雨棚"}
    # A retried submission (same hidden id) does not post twice.
    client.post(url, {"title": "公交站台", "body": "站台没有遮雨棚", "client_request_id": "a2"})
    assert Thread.objects.count() == 1
    response = client.post(
        url, {"title": "x", "body": "y", "report": 999999, "client_request_id": "a3"}, headers=EN
    )
    assert "There is no report with this number." in response.content.decode()

    response = client.post(
        f"/forums/t/{thread.pk}/edit/", {"title": "公交站台漏雨", "body": "更新", "tags": "公交"}
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.title == "公交站台漏雨"
    assert thread.revisions.count() == 1

    client.force_login(people.other)
    assert client.get(f"/forums/t/{thread.pk}/edit/").status_code == 403
    assert client.post(f"/forums/t/{thread.pk}/delete/").status_code == 403
    thread.refresh_from_db()
    assert not thread.deleted

    client.force_login(people.resident)
    client.post(f"/forums/t/{thread.pk}/delete/")
    assert client.get(f"/forums/t/{thread.pk}/").status_code == 404
    assert "公交站台漏雨" not in client.get(f"/forums/s/{spaces.public.slug}/").content.decode()


def test_reply_like_follow_flag_and_own_post_edit(client, spaces, people, thread_by):
    thread = thread_by(people.resident)
    client.force_login(people.other)
    page = client.get(f"/forums/t/{thread.pk}/").content.decode()
    request_id = re.search(r'name="client_request_id" value="([0-9a-f]+)"', page).group(1)
    response = client.post(
        f"/forums/t/{thread.pk}/reply/", {"body": "我也看到了", "client_request_id": request_id}
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#post-{post.pk}")
    client.post(
        f"/forums/t/{thread.pk}/reply/", {"body": "我也看到了", "client_request_id": request_id}
    )
    assert Post.objects.count() == 1

    response = client.post(f"/forums/t/{thread.pk}/reply/", {"body": "<p> </p>"}, headers=EN)
    assert response.status_code == 400
    assert "Write something: the text is empty." in response.content.decode()

    client.post(f"/forums/t/{thread.pk}/like/", {"on": "1"})
    client.post(f"/forums/t/{thread.pk}/like/", {"on": "1"})
    thread.refresh_from_db()
    assert thread.like_count == 1
    assert (
        'aria-pressed="true" class="like"' in client.get(f"/forums/t/{thread.pk}/").content.decode()
    )
    client.post(f"/forums/t/{thread.pk}/like/", {"on": "0"})
    thread.refresh_from_db()
    assert thread.like_count == 0

    client.post(f"/forums/t/{thread.pk}/follow/", {"on": "0"})
    assert not thread.follows.filter(user=people.other).exists()

    response = client.post(f"/forums/t/{thread.pk}/flag/", {"reason": "nonsense"})
    assert response.status_code == 200
    assert not Flag.objects.exists()
    client.post(f"/forums/t/{thread.pk}/flag/", {"reason": "spam", "note": "广告"})
    assert Flag.objects.get().reason == "spam"

    client.post(f"/forums/p/{post.pk}/edit/", {"body": "改过了"})
    post.refresh_from_db()
    assert "改过了" in post.body

    client.force_login(people.resident)
    client.post(f"/forums/p/{post.pk}/like/", {"on": "1"})
    assert Reaction.objects.filter(post=post, user=people.resident).exists()
    assert client.get(f"/forums/p/{post.pk}/edit/").status_code == 403
    response = client.post(f"/forums/t/{thread.pk}/like/", {"on": "1"}, headers=EN, follow=True)
    assert "You cannot do this to what you wrote yourself." in response.content.decode()


def test_locked_thread_shows_no_reply_form(client, people, thread_by):
    thread = thread_by(people.resident)
    services.lock(people.editor, thread, reason="吵架")
    client.force_login(people.other)
    body = client.get(f"/forums/t/{thread.pk}/", headers=EN).content.decode()
    assert "This thread is locked" in body
    assert 'name="body"' not in body


def test_thread_list_cursor_pages_through_every_thread_once(client, spaces, people, thread_by):
    made = {thread_by(people.resident, title=f"话题{n:02d}").title for n in range(45)}
    seen, url = [], f"/forums/s/{spaces.public.slug}/?order=new"
    while url:
        body = client.get(url).content.decode()
        seen += re.findall(r">(话题\d\d)</a>", body)
        more = re.search(r'href="\?([^"]*cursor=[^"]+)" *>', body) or re.search(
            r'rel="next" href="\?([^"]+)"', body
        )
        url = (
            f"/forums/s/{spaces.public.slug}/?{more.group(1).replace('&amp;', '&')}"
            if more
            else None
        )
    assert len(seen) == 45
    assert set(seen) == made
    assert client.get(f"/forums/s/{spaces.public.slug}/?cursor=garbage").status_code == 400


def _queries(client, url):
    # Warm first: making users between the two counts moves the permission cache's version on,
    # and the first page after that reads the viewer's permissions again (2 queries).
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_page_size(client, spaces, people, thread_by, make_user):
    client.force_login(people.leader)
    for n in range(3):
        thread_by(people.resident, title=f"t{n}", tags=["a", "b"])
    few = _queries(client, f"/forums/s/{spaces.public.slug}/?order=hot")
    for n in range(25):
        thread_by(make_user(), title=f"u{n}", tags=["c"])
    many = _queries(client, f"/forums/s/{spaces.public.slug}/?order=hot")
    assert many == few

    thread = thread_by(people.resident)
    services.reply(people.other, thread, body="1")
    few = _queries(client, f"/forums/t/{thread.pk}/")
    for n in range(25):
        services.react(people.other, services.reply(make_user(), thread, body=f"r{n}"))
    many = _queries(client, f"/forums/t/{thread.pk}/")
    assert many == few


def test_groups_join_request_approve_and_private_invisibility(client, people, spaces, make_user):
    owner = make_user()
    open_group = services.create_group(owner, name="跑步爱好者", slug="runners")
    closed = services.create_group(owner, name="业委会", slug="hoa", visibility="closed")
    private = services.create_group(owner, name="楼长群", slug="wardens", visibility="private")
    secret = services.create_thread(
        owner, space=spaces.public, group=private, title="秘密楼长话题", body="只给楼长看"
    )

    client.force_login(people.resident)
    client.post("/forums/groups/runners/join/")
    assert GroupMembership.objects.get(group=open_group, user=people.resident).is_active
    client.post("/forums/groups/hoa/join/")
    membership = GroupMembership.objects.get(group=closed, user=people.resident)
    assert membership.status == MemberStatus.PENDING
    assert (
        client.post(
            f"/forums/groups/hoa/members/{membership.pk}/", {"decision": "approve"}
        ).status_code
        == 403
    )

    for url in (
        "/forums/groups/",
        "/forums/",
        f"/forums/s/{spaces.public.slug}/",
        "/forums/search/?q=秘密",
    ):
        body = client.get(url).content.decode()
        assert "楼长群" not in body, url
        assert "秘密楼长话题" not in body, url
    assert client.get("/forums/groups/wardens/").status_code == 404
    assert client.get(f"/forums/t/{secret.pk}/").status_code == 404
    assert client.post("/forums/groups/wardens/join/").status_code == 404

    client.force_login(owner)
    page = client.get("/forums/groups/hoa/").content.decode()
    assert people.resident.display_name in page or "Approve" in page or "批准" in page
    client.post(f"/forums/groups/hoa/members/{membership.pk}/", {"decision": "approve"})
    membership.refresh_from_db()
    assert membership.is_active
    assert "秘密楼长话题" in client.get("/forums/groups/wardens/").content.decode()

    client.force_login(people.resident)
    client.post("/forums/groups/runners/leave/")
    assert not GroupMembership.objects.filter(group=open_group, user=people.resident).exists()
