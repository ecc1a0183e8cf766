"""The whole loop through the pages a person uses: residents reply and like a public thread
until it is nominated, an editor promotes it in the admin review queue, a leader sees it in the
leadership forum with its origin and answers officially, the answer shows on the public thread,
and a leadership thread shared down carries its badge. And a resident never gets leadership
content from any page."""

import re

import pytest

from civic.core.roles import Role
from forums import services
from forums.models import Nomination, NominationStatus, Post, Thread

EN = {"Accept-Language": "en"}
SECRET_TITLE = "领导内部讨论预算"
SECRET_BODY = "仅限领导阅读的预算细节"


def _post_as(client, user, url, data=None, **kw):
    client.force_login(user)
    return client.post(url, data or {}, **kw)


@pytest.mark.django_db
def test_the_loop_through_the_portal_and_the_admin(client, spaces, people, thresholds, make_user):
    public = services.create_thread(
        people.resident, space=spaces.public, title="小区门口积水", body="一下雨就积水"
    )
    url = f"/forums/t/{public.pk}/"
    # Three distinct participants (author + two repliers) and two likes cross the thresholds.
    for n in range(2):
        replier = make_user(Role.RESIDENT)
        _post_as(client, replier, f"{url}reply/", {"body": f"我家门口也是 {n}"})
        _post_as(client, replier, f"{url}like/", {"on": "1"})
    nomination = Nomination.objects.get(thread=public)
    assert nomination.kind == "auto"
    assert nomination.status == NominationStatus.PENDING

    # A resident cannot reach the review queue; the editor promotes from it.
    client.force_login(people.resident)
    assert client.get("/admin/forums/review/").status_code in (302, 403)
    client.force_login(people.editor)
    page = client.get("/admin/forums/review/", headers=EN).content.decode()
    assert "小区门口积水" in page
    assert "Promote" in page
    response = client.post(
        f"/admin/forums/review/{nomination.pk}/",
        {"decision": "promote", "reason": "涉及排水改造"},
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    leadership = nomination.leadership_thread
    assert nomination.status == NominationStatus.PROMOTED
    assert leadership.origin_id == public.pk
    assert nomination.decision_reason == "涉及排水改造"
    assert nomination.decided_by == people.editor

    # The leader finds it in the leadership space, with a link to where it came from.
    client.force_login(people.leader)
    listing = client.get(f"/forums/s/{spaces.leadership.slug}/").content.decode()
    assert f"/forums/t/{leadership.pk}/" in listing
    page = client.get(f"/forums/t/{leadership.pk}/", headers=EN).content.decode()
    assert f'href="/forums/t/{public.pk}/"' in page
    assert "Promoted from the public forum" in page
    client.post(f"/forums/t/{leadership.pk}/reply/", {"body": "区里已安排排水改造，下月施工"})
    answer = Post.objects.get(thread=leadership)
    page = client.get(f"/forums/t/{leadership.pk}/", headers=EN).content.decode()
    assert f"/forums/p/{answer.pk}/official/" in page
    client.post(f"/forums/p/{answer.pk}/official/")
    answer.refresh_from_db()
    assert answer.official_response

    # The public thread shows the official response to everyone, and the promotion marker;
    # only those allowed get the link up.
    client.logout()
    page = client.get(url, headers=EN).content.decode()
    assert "区里已安排排水改造" in page
    assert "Official response" in page
    assert "Promoted to the leadership forum" in page
    assert f"/forums/t/{leadership.pk}/" not in page
    for listing in ("/forums/", f"/forums/s/{spaces.public.slug}/"):
        page = client.get(listing, headers=EN).content.decode()
        assert "Promoted to the leadership forum" in page
        assert f"/forums/t/{leadership.pk}/" not in page
    client.force_login(people.leader)
    assert f"/forums/t/{leadership.pk}/" in client.get(url).content.decode()
    listing = client.get(f"/forums/s/{spaces.public.slug}/").content.decode()
    assert f"/forums/t/{leadership.pk}/" in listing

    # Down: the leader shares a leadership thread, edited for publication.
    inner = services.create_thread(
        people.leader, space=spaces.leadership, title=SECRET_TITLE, body=SECRET_BODY
    )
    assert client.get(f"/forums/t/{inner.pk}/share/").status_code == 200
    response = client.post(
        f"/forums/t/{inner.pk}/share/", {"title": "明年预算公开征求意见", "body": "欢迎提出建议"}
    )
    shared = Thread.objects.get(shared_from=inner)
    assert response["Location"] == f"/forums/t/{shared.pk}/"
    page = client.get(f"/forums/t/{shared.pk}/", headers=EN).content.decode()
    assert "From the leadership forum" in page
    assert f"/forums/t/{inner.pk}/" in page
    client.force_login(people.resident)
    page = client.get(f"/forums/t/{shared.pk}/", headers=EN).content.decode()
    assert "From the leadership forum" in page
    assert "明年预算公开征求意见" in page
    assert f"/forums/t/{inner.pk}/" not in page
    assert SECRET_BODY not in page


def test_editor_nominates_from_the_thread_page_and_the_queue(client, spaces, people):
    one = services.create_thread(people.resident, space=spaces.public, title="一", body="一")
    two = services.create_thread(people.resident, space=spaces.public, title="二", body="二")
    _post_as(client, people.resident, f"/forums/t/{one.pk}/nominate/", {"reason": "x"})
    assert not Nomination.objects.exists()
    page = client.get(f"/forums/t/{one.pk}/").content.decode()
    assert f"/forums/t/{one.pk}/nominate/" not in page
    client.force_login(people.editor)
    assert f"/forums/t/{one.pk}/nominate/" in client.get(f"/forums/t/{one.pk}/").content.decode()
    client.post(f"/forums/t/{one.pk}/nominate/", {"reason": "值得讨论"})
    client.post(
        "/admin/forums/review/nominate/", {"thread": f"/forums/t/{two.pk}/", "reason": "同上"}
    )
    assert set(Nomination.objects.values_list("thread_id", "kind")) == {
        (one.pk, "manual"),
        (two.pk, "manual"),
    }
    nomination = Nomination.objects.get(thread=two)
    client.post(f"/admin/forums/review/{nomination.pk}/", {"decision": "decline", "reason": ""})
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.PENDING
    client.post(f"/admin/forums/review/{nomination.pk}/", {"decision": "decline", "reason": "重复"})
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.DECLINED
    page = client.get("/admin/forums/review/?status=declined").content.decode()
    assert "重复" in page


def test_a_resident_gets_no_leadership_content_anywhere(client, spaces, people, make_user):
    inner = services.create_thread(
        people.leader, space=spaces.leadership, title=SECRET_TITLE, body=SECRET_BODY, tags=["预算"]
    )
    reply = services.reply(people.editor, inner, body="领导回复内容保密")
    group = services.create_group(make_user(), name="公开小组", slug="open-one")
    services.create_thread(people.resident, space=spaces.public, title="公开话题", body="预算")
    pk, slug = inner.pk, spaces.leadership.slug
    for viewer in (None, people.resident, people.staff):
        if viewer is None:
            client.logout()
        else:
            client.force_login(viewer)
        for url in (
            "/forums/",
            f"/forums/s/{spaces.public.slug}/",
            f"/forums/s/{spaces.public.slug}/?order=hot",
            f"/forums/s/{spaces.public.slug}/?order=top_week",
            f"/forums/s/{spaces.public.slug}/?tag=预算",
            "/forums/search/?q=预算",
            "/forums/groups/",
            f"/forums/groups/{group.slug}/",
        ):
            body = client.get(url).content.decode()
            assert SECRET_TITLE not in body, (viewer, url)
            assert SECRET_BODY not in body, (viewer, url)
            assert f"/forums/s/{slug}/" not in body
            assert f"/forums/t/{pk}/" not in body
        for url in (f"/forums/s/{slug}/", f"/forums/t/{pk}/", f"/forums/t/{pk}/share/"):
            assert client.get(url).status_code in (404, 302), (viewer, url)
        assert client.get(f"/forums/p/{reply.pk}/flag/").status_code in (404, 302)
        assert client.post(f"/forums/t/{pk}/reply/", {"body": "x"}).status_code in (404, 302)
        assert client.post(f"/forums/t/{pk}/like/").status_code in (404, 302)
        assert client.post(f"/forums/p/{reply.pk}/like/").status_code in (404, 302)
    assert inner.posts.count() == 1
    assert inner.reactions.count() == 0
    client.force_login(people.leader)
    assert SECRET_TITLE in client.get(f"/forums/s/{slug}/").content.decode()
    assert SECRET_TITLE in client.get("/forums/search/?q=预算").content.decode()
    assert re.search(f'href="/forums/s/{slug}/"', client.get("/forums/").content.decode())
