"""Comments on public reports: through GraphQL, the report page and the moderators' admin
queue. Sanitised, moderated by the forums' rules (flags, bans, moderators), closed on hidden
reports, rate limited, and never telling who an anonymous reporter is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from civic.core.errors import Forbidden
from civic.core.roles import Role
from civic.notifications.models import Kind, Notification
from forums import services as forum_services
from forums.models import ForumSettings
from reports import services
from reports.models import Comment
from tests.forums.conftest import spaces  # noqa: F401  (fixture)
from tests.reports.test_reports_api import phones  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

COMMENT = """mutation M($input: CommentOnReportInput!) {
  commentOnReport(input: $input) {
    errors { field code message }
    comment { id body authorName byReporter isMine }
  } }"""
FLAG = """mutation M($input: FlagReportCommentInput!) {
  flagReportComment(input: $input) { errors { field code } } }"""
COMMENTS = """query Q($id: ID!, $first: Int, $after: String) { report(id: $id) {
  comments(first: $first, after: $after) {
    edges { node { id body authorName byReporter } }
    pageInfo { hasNextPage endCursor } } } }"""


def comment_on(api, report, body, **extra):
    variables = {"input": {"reportId": to_global_id("Report", report.pk), "body": body, **extra}}
    return api(COMMENT, variables)["data"]["commentOnReport"]


def listed(api, report, **variables):
    data = api(COMMENTS, {"id": to_global_id("Report", report.pk), **variables})["data"]
    return data["report"] and data["report"]["comments"]


def codes(answer):
    return [error["code"] for error in answer["errors"]]


def test_residents_comment_and_everyone_reads_sanitised(world, phones, submit):  # noqa: F811
    report = submit()
    answer = comment_on(
        phones["neighbour"],
        report,
        '<p onclick="x()">也遇到了<script>alert(1)</script><a href="javascript:x">链接</a></p>',
        clientRequestId="c1",
    )
    assert answer["errors"] == []
    body = answer["comment"]["body"]
    assert "<script" not in body
    assert "onclick" not in body
    assert "javascript:" not in body
    assert answer["comment"]["authorName"] == "Bob Neighbour"
    assert answer["comment"]["isMine"] is True
    # A phone retrying the same comment makes one.
    again = comment_on(phones["neighbour"], report, "也遇到了", clientRequestId="c1")
    assert again["comment"]["id"] == answer["comment"]["id"]
    plain = comment_on(phones["resident"], report, "谢谢\n\n第二段")
    assert plain["comment"]["body"] == "<p>谢谢</p><p>第二段</p>"
    assert plain["comment"]["byReporter"] is True
    seen = listed(phones["anonymous"], report)
    assert [edge["node"]["body"] for edge in seen["edges"]] == [body, plain["comment"]["body"]]


def test_refusals_have_stable_codes(world, phones, submit, settings):  # noqa: F811
    report = submit()
    rid = to_global_id("Report", report.pk)
    anonymous = phones["anonymous"](COMMENT, {"input": {"reportId": rid, "body": "hi"}})
    assert anonymous["errors"][0]["extensions"]["code"] == "unauthenticated"
    assert codes(comment_on(phones["neighbour"], report, "  <p> </p> ")) == ["body_empty"]
    too_long = "长" * (settings.REPORTS_COMMENT_MAX_LENGTH + 1)
    assert codes(comment_on(phones["neighbour"], report, too_long)) == ["body_too_long"]
    settings.REPORTS_COMMENTS_PER_HOUR = 2
    for n in range(2):
        assert comment_on(phones["neighbour"], report, f"第{n}条")["errors"] == []
    assert codes(comment_on(phones["neighbour"], report, "第三条")) == ["comment_rate_limited"]
    bad_cursor = phones["anonymous"](COMMENTS, {"id": rid, "after": "forged"})
    assert bad_cursor["errors"][0]["extensions"]["code"] == "invalid_cursor"


def test_a_hidden_report_takes_and_shows_no_comments(world, phones, submit):  # noqa: F811
    report = submit()
    comment_on(phones["neighbour"], report, "先评论一句")
    services.reject(world.dispatcher, report, reason="abusive")
    # Others do not learn it exists; its reporter learns comments are closed.
    assert codes(comment_on(phones["neighbour"], report, "再评论")) == ["not_found"]
    assert codes(comment_on(phones["resident"], report, "为什么")) == ["comments_closed"]
    assert listed(phones["resident"], report) == {
        "edges": [],
        "pageInfo": {"hasNextPage": False, "endCursor": None},
    }
    hidden_comment = Comment.objects.get()
    node = phones["admin"](
        "query Q($id: ID!) { node(id: $id) { id } }",
        {"id": to_global_id("ReportComment", hidden_comment.pk)},
    )
    assert node["data"]["node"] is None


def test_an_anonymous_reporters_comments_do_not_name_them(
    world,
    phones,  # noqa: F811
    submit,
    as_user,
):
    report = submit(category=world.noise, is_anonymous=True, description="楼上夜里装修")
    assert comment_on(phones["resident"], report, "还在继续")["errors"] == []
    for name in ("neighbour", "anonymous"):
        seen = listed(phones[name], report)
        assert seen["edges"][0]["node"]["authorName"] == "上报人"  # "the reporter"
        assert "Alice" not in str(seen)
        assert "resident@example.org" not in str(seen)
    page = as_user(world.neighbour, language="en").get(f"/reports/{report.pk}/").content.decode()
    assert "还在继续" in page
    assert "Alice" not in page
    assert "resident@example.org" not in page


def test_flags_hide_at_the_forums_threshold_and_a_ban_bars_comments(
    world,
    phones,  # noqa: F811
    submit,
    spaces,  # noqa: F811
    make_user,
):
    forum = ForumSettings.load()
    forum.flag_hide_threshold = 2
    forum.save()
    report = submit()
    made = comment_on(phones["neighbour"], report, "买药加微信")["comment"]
    own = phones["neighbour"](FLAG, {"input": {"commentId": made["id"], "reason": "SPAM"}})
    assert own["data"]["flagReportComment"]["errors"][0]["code"] == "own_content"
    for _ in range(2):  # flagging twice counts once
        flagged = phones["resident"](FLAG, {"input": {"commentId": made["id"], "reason": "SPAM"}})
        assert flagged["data"]["flagReportComment"]["errors"] == []
    assert Comment.objects.get().flag_count == 1
    third = make_user(email="third@example.org")
    services.flag_comment(third, Comment.objects.get().pk, reason="spam")
    assert listed(phones["anonymous"], report)["edges"] == []

    editor = make_user(Role.EDITOR, email="editor@example.org")
    forum_services.ban(editor, world.neighbour, space=spaces.public, reason="spam")
    assert codes(comment_on(phones["neighbour"], report, "换个号再来")) == ["commenting_barred"]


def test_comments_page_and_the_query_count_is_flat(world, phones, submit, settings):  # noqa: F811
    settings.GRAPHQL_MAX_COST = 1_000_000
    settings.REPORTS_COMMENTS_PER_HOUR = 100
    reports = [submit(lat=40 + n / 100, client_request_id=f"n{n}") for n in range(12)]
    for report in reports:
        for n in range(3):
            services.comment(world.neighbour, report, body=f"评论 {n}")
        services.comment(world.resident, report, body="reporter")
    first = listed(phones["anonymous"], reports[0], first=3)
    assert first["pageInfo"]["hasNextPage"] is True
    rest = listed(phones["anonymous"], reports[0], first=3, after=first["pageInfo"]["endCursor"])
    assert [edge["node"]["body"] for edge in rest["edges"]] == ["<p>reporter</p>"]

    query = """query Q($first: Int) { reports(first: $first) { edges { node {
      isFollowing comments(first: 2) { edges { node { body authorName byReporter } }
      pageInfo { hasNextPage } } } } } }"""
    counts = {}
    for size in (3, 12):
        with CaptureQueriesContext(connection) as queries:
            result = phones["neighbour"](query, {"first": size})
        edges = result["data"]["reports"]["edges"]
        assert len(edges) == size
        assert all(len(edge["node"]["comments"]["edges"]) == 2 for edge in edges)
        assert all(edge["node"]["comments"]["pageInfo"]["hasNextPage"] for edge in edges)
        counts[size] = len(queries)
    assert counts[3] == counts[12], counts


def test_the_reporter_and_followers_hear_of_a_comment(
    world,
    submit,
    make_user,
    django_capture_on_commit_callbacks,
):
    report = submit()
    follower = make_user(email="follower@example.org")
    services.follow(follower, report)
    with django_capture_on_commit_callbacks(execute=True):
        made = services.comment(world.neighbour, report, body="我也看到了")
    told = Notification.objects.filter(kind=Kind.REPORT_COMMENT)
    assert sorted(told.values_list("user", flat=True)) == sorted([world.resident.pk, follower.pk])
    assert told.first().url == f"/reports/{report.pk}/#comment-{made.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        services.comment(world.resident, report, body="谢谢")
    assert not told.filter(user=world.resident).exclude(data__commentId=made.pk).exists()


def test_the_report_page_form_and_flag(world, submit, as_user):
    report = submit()
    signed_out = as_user(None, language="en").get(f"/reports/{report.pk}/").content.decode()
    assert "Sign in to comment." in signed_out
    browser = as_user(world.neighbour, language="en")
    page = browser.get(f"/reports/{report.pk}/").content.decode()
    assert f'action="/reports/{report.pk}/comment/"' in page
    for _ in range(2):  # a double submit of the same form
        response = browser.post(
            f"/reports/{report.pk}/comment/",
            {"body": "<strong>路灯</strong>也坏了", "client_request_id": "f1"},
        )
        assert response.status_code == 302
    made = Comment.objects.get()
    assert made.body == "<p><strong>路灯</strong>也坏了</p>"
    assert response["Location"] == f"/reports/{report.pk}/#comment-{made.pk}"
    empty = browser.post(f"/reports/{report.pk}/comment/", {"body": " "})
    assert empty.status_code == 200
    assert "errorlist" in empty.content.decode()

    flagger = as_user(world.resident, language="en")
    flag_url = f"/reports/{report.pk}/comments/{made.pk}/flag/"
    assert f'action="{flag_url}"' in flagger.get(f"/reports/{report.pk}/").content.decode()
    assert flagger.post(flag_url, {"reason": "abuse"}).status_code == 302
    made.refresh_from_db()
    assert made.flag_count == 1


def test_a_moderator_hides_a_comment_in_the_admin_and_its_author_is_told(
    world,
    submit,
    as_user,
    make_user,
    django_capture_on_commit_callbacks,
):
    report = submit()
    made = services.comment(world.neighbour, report, body="广告广告")
    services.flag_comment(world.resident, made.pk, reason="spam")
    editor = make_user(Role.EDITOR, email="editor@example.org")
    admin = as_user(editor, language="en")
    queue = admin.get("/admin/forums/moderation/").content.decode()
    assert "Comments on reports" in queue
    assert "广告广告" in queue
    assert as_user(world.neighbour).get("/admin/forums/moderation/").status_code in (302, 403)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(editor, language="en").post(
            f"/admin/forums/moderation/comment/{made.pk}/",
            {"action": "hide", "reason": "广告"},
        )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.hidden
    assert made.flag_count == 0
    page = as_user(world.resident).get(f"/reports/{report.pk}/").content.decode()
    assert "广告广告" not in page
    told = Notification.objects.get(user=world.neighbour, kind=Kind.CONTENT_HIDDEN)
    assert told.body == "广告"
    # A resident cannot hide comments; the report's department staff can.
    with pytest.raises(Forbidden):
        services.hide_comment(world.resident, made.pk, reason="x")
    services.restore_comment(world.dispatcher, made.pk)
    assert not Comment.objects.get().hidden


def test_department_staff_hide_and_restore_a_comment_from_the_reports_page(
    world,
    phones,  # noqa: F811
    submit,
    as_user,
    django_capture_on_commit_callbacks,
):
    from django.urls import reverse

    report = submit()
    comment_on(phones["neighbour"], report, "广告：低价代办证件")
    kept = comment_on(phones["resident"], report, "坑还在")["comment"]["body"]
    advert = Comment.objects.get(body__contains="广告")
    page_url = reverse("report_queue:inspect", args=[report.pk])
    hide_url = reverse("report_queue:comment", args=[report.pk, advert.pk, "hide"])
    restore_url = reverse("report_queue:comment", args=[report.pk, advert.pk, "restore"])
    staff = as_user(world.dispatcher, language="en")
    page = staff.get(page_url).content.decode()
    assert "低价代办证件" in page
    assert hide_url in page
    # Hiding needs a reason: without one, nothing changes and the page says why.
    answer = staff.post(hide_url, {"reason": "  "}, follow=True)
    advert.refresh_from_db()
    assert not advert.hidden
    assert "Give a reason." in answer.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff.post(hide_url, {"reason": "广告"}, follow=True)
    advert.refresh_from_db()
    assert advert.hidden
    assert advert.hidden_reason == "广告"
    page = answer.content.decode()
    assert "Hidden because: 广告" in page
    assert restore_url in page
    public = listed(phones["anonymous"], report)["edges"]
    assert [edge["node"]["body"] for edge in public] == [kept]
    assert Notification.objects.filter(user=world.neighbour, kind=Kind.CONTENT_HIDDEN).exists()
    staff.post(restore_url)
    advert.refresh_from_db()
    assert not advert.hidden
    assert len(listed(phones["anonymous"], report)["edges"]) == 2
    # Another department's staff and residents are refused, and nothing changes.
    for outsider in (world.other_staff, world.neighbour):
        assert as_user(outsider).post(hide_url, {"reason": "x"}).status_code in (302, 403)
        advert.refresh_from_db()
        assert not advert.hidden
    assert hide_url not in as_user(world.other_staff).get(page_url).content.decode()


def test_the_staff_pages_queries_do_not_grow_with_its_comments(
    world,
    phones,  # noqa: F811
    submit,
    as_user,
):
    from django.urls import reverse

    report = submit()
    staff = as_user(world.dispatcher, language="en")
    page_url = reverse("report_queue:inspect", args=[report.pk])
    counts = {}
    for total in (2, 8):
        while Comment.objects.filter(report=report).count() < total:
            writer = phones["neighbour"] if total == 2 else phones["resident"]
            comment_on(writer, report, f"第{Comment.objects.count()}条")
        staff.get(page_url)  # warm the per-user caches
        with CaptureQueriesContext(connection) as queries:
            page = staff.get(page_url).content.decode()
        assert page.count('name="reason"') >= total
        counts[total] = len(queries)
    assert counts[2] == counts[8], counts
