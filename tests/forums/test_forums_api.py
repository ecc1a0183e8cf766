"""The forums over GraphQL (HTTP through the test client): the loop up and back down, what
each viewer may see, and the conventions (payload errors, NotFound for what is out of reach)."""

import pytest
from django.utils import translation
from graphene.relay import Node

from civic.core.roles import Role
from forums import services
from forums.models import Nomination, Thread, Visibility

pytestmark = pytest.mark.django_db

THREAD_FIELDS = """
  id title body authorName tags badges replyCount likeCount participantCount viewerLiked
  viewerFollows space { slug kind } origin { id title } promotedTo { id }
  sharedFrom { id } officialResponses { body authorName officialResponse }
"""

CREATE = (
    """
mutation($input: CreateThreadInput!) {
  createThread(input: $input) { errors { field code message } thread { %s } }
}"""
    % THREAD_FIELDS
)

REPLY = """
mutation($input: ReplyInput!) {
  reply(input: $input) { errors { field code } post { id body authorName } }
}"""

REACT = """
mutation($input: ReactInput!) {
  react(input: $input) { errors { code } thread { likeCount viewerLiked } post { id likeCount } }
}"""

THREAD = (
    """
query($id: ID!) {
  thread(id: $id) { %s posts(first: 50) { edges { node { id body officialResponse } } } }
}"""
    % THREAD_FIELDS
)

THREADS = (
    """
query($space: String!, $order: ThreadOrder, $first: Int, $after: String, $tag: String,
      $groupId: ID) {
  threads(space: $space, order: $order, first: $first, after: $after, tag: $tag,
          groupId: $groupId) {
    edges { node { %s } }
    pageInfo { hasNextPage endCursor }
  }
}"""
    % THREAD_FIELDS
)

NOMINATIONS = """
{ nominations { edges { node { id kind status participantsAtNomination likesAtNomination
  thread { id } } } } }"""

PROMOTE = """
mutation($input: PromoteNominationInput!) {
  promoteNomination(input: $input) {
    errors { code } nomination { status decisionReason scoreAtDecision decidedByName }
    leadershipThread { id title origin { id } space { kind } }
  }
}"""

MARK = """
mutation($input: MarkOfficialResponseInput!) {
  markOfficialResponse(input: $input) { errors { code } post { officialResponse } }
}"""

SHARE = (
    """
mutation($input: ShareThreadDownInput!) {
  shareThreadDown(input: $input) { errors { code } thread { %s } }
}"""
    % THREAD_FIELDS
)


def _gid(obj):
    return Node.to_global_id(
        {"Thread": "ForumThread", "Post": "ForumPost", "Group": "ForumGroup"}[type(obj).__name__],
        obj.pk,
    )


def test_the_loop_through_graphql(
    gql, as_user, spaces, people, thresholds, make_user, django_capture_on_commit_callbacks
):
    as_user(people.resident)
    created = gql(
        CREATE,
        {
            "input": {
                "space": "public",
                "title": "公交站没有遮雨棚",
                "body": "<p>下雨天等车<strong>很难受</strong></p><script>alert(1)</script>",
                "tags": ["交通"],
                "clientRequestId": "t-1",
            }
        },
    )["data"]["createThread"]
    assert created["errors"] == []
    thread = created["thread"]
    assert thread["body"] == "<p>下雨天等车<strong>很难受</strong></p>"
    assert thread["viewerFollows"] is True
    # A retry returns the same thread.
    again = gql(
        CREATE,
        {"input": {"space": "public", "title": "x", "body": "y", "clientRequestId": "t-1"}},
    )["data"]["createThread"]["thread"]
    assert again["id"] == thread["id"]

    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            as_user(make_user(Role.RESIDENT))
            replied = gql(REPLY, {"input": {"threadId": thread["id"], "body": f"赞同 {n}"}})
            assert replied["data"]["reply"]["errors"] == []
            liked = gql(REACT, {"input": {"itemId": thread["id"]}})["data"]["react"]
            assert liked["thread"]["viewerLiked"] is True
    assert liked["thread"]["likeCount"] == 2

    as_user(people.editor)
    nominations = gql(NOMINATIONS)["data"]["nominations"]["edges"]
    assert len(nominations) == 1
    nomination = nominations[0]["node"]
    assert nomination["kind"] == "AUTO"
    assert nomination["thread"]["id"] == thread["id"]
    assert (nomination["participantsAtNomination"], nomination["likesAtNomination"]) == (3, 2)

    with django_capture_on_commit_callbacks(execute=True):
        promoted = gql(
            PROMOTE, {"input": {"nominationId": nomination["id"], "reason": "民生问题"}}
        )["data"]["promoteNomination"]
    assert promoted["errors"] == []
    assert promoted["nomination"]["status"] == "PROMOTED"
    assert promoted["nomination"]["scoreAtDecision"] == 2 + 2 * 2
    leadership = promoted["leadershipThread"]
    assert leadership["origin"]["id"] == thread["id"]
    assert leadership["space"]["kind"] == "LEADERSHIP"

    as_user(people.leader)
    answer = gql(REPLY, {"input": {"threadId": leadership["id"], "body": "下月加装。"}})
    post_id = answer["data"]["reply"]["post"]["id"]
    marked = gql(MARK, {"input": {"postId": post_id}})["data"]["markOfficialResponse"]
    assert marked == {"errors": [], "post": {"officialResponse": True}}

    # The resident sees the answer on the public thread, and nothing of the leadership thread.
    as_user(people.resident)
    seen = gql(THREAD, {"id": thread["id"]})["data"]["thread"]
    assert seen["officialResponses"] == [
        {
            "body": "<p>下月加装。</p>",
            "authorName": answer["data"]["reply"]["post"]["authorName"],
            "officialResponse": True,
        }
    ]
    assert "promoted" in seen["badges"]
    assert "official_response" in seen["badges"]
    assert seen["promotedTo"] is None
    assert gql(THREAD, {"id": leadership["id"]})["data"]["thread"] is None

    # Down: a leader shares a leadership thread; it appears publicly with its badge.
    as_user(people.leader)
    own = services.create_thread(
        people.leader, space=spaces.leadership, title="全区推广雨棚", body="经验做法"
    )
    shared = gql(SHARE, {"input": {"threadId": _gid(own), "title": "雨棚将在全区推广"}})["data"][
        "shareThreadDown"
    ]["thread"]
    assert shared["badges"] == ["from_leadership"]
    assert shared["sharedFrom"] == {"id": _gid(own)}
    as_user(people.resident)
    listed = gql(THREADS, {"space": "public"})["data"]["threads"]["edges"]
    public = [edge["node"] for edge in listed if edge["node"]["id"] == shared["id"]]
    assert public[0]["badges"] == ["from_leadership"]
    assert public[0]["sharedFrom"] is None  # the original stays in the leadership space


def test_leadership_content_never_reaches_a_resident(
    gql, as_user, spaces, people, thread_by, make_user
):
    secret = thread_by(people.leader, space=spaces.leadership, title="内部机密讨论", tags=["机密"])
    secret_post = services.reply(people.editor, secret, body="机密回复内容")
    public = thread_by(people.resident, title="公开讨论 机密 二字")
    nomination = services.nominate(people.editor, public, reason="r")
    leadership_copy = services.promote(people.editor, nomination, reason="r")
    services.reply(people.leader, leadership_copy, body="领导层内部意见")
    for viewer in (None, people.resident, people.staff):
        as_user(viewer)
        spaces_seen = gql("{ forumSpaces { slug kind } }")["data"]["forumSpaces"]
        assert [s["kind"] for s in spaces_seen] == ["PUBLIC"]
        body = gql(THREADS, {"space": "leadership"}, expect_errors=True)
        assert body["errors"][0]["extensions"]["code"] == "not_found"
        for order in ("NEW", "HOT", "TOP_WEEK"):
            edges = gql(THREADS, {"space": "public", "order": order})["data"]["threads"]["edges"]
            assert {e["node"]["id"] for e in edges} == {_gid(public)}
        found = gql('{ searchThreads(text: "机密") { edges { node { id title } } } }')
        assert [e["node"]["id"] for e in found["data"]["searchThreads"]["edges"]] == [_gid(public)]
        assert gql(THREAD, {"id": _gid(secret)})["data"]["thread"] is None
        assert (
            gql("query($id: ID!) { node(id: $id) { id } }", {"id": _gid(secret)})["data"]["node"]
            is None
        )
        node = "query($id: ID!) { node(id: $id) { id } }"
        assert gql(node, {"id": _gid(secret_post)})["data"]["node"] is None
        liked = gql(REACT, {"input": {"itemId": _gid(secret_post)}}, expect_errors=True)
        if viewer is not None:
            assert liked["data"]["react"]["errors"][0]["code"] == "not_found"
        seen = gql(THREAD, {"id": _gid(public)})["data"]["thread"]
        assert seen["promotedTo"] is None
        text = str(seen)
        assert "领导层内部意见" not in text
        assert "机密回复内容" not in text
        reply_in_secret = gql(
            REPLY, {"input": {"threadId": _gid(secret), "body": "x"}}, expect_errors=True
        )
        if viewer is None:
            assert reply_in_secret["errors"][0]["extensions"]["code"] == "unauthenticated"
        else:
            assert reply_in_secret["data"]["reply"]["errors"][0]["code"] == "not_found"
    as_user(people.leader)
    edges = gql(THREADS, {"space": "leadership"})["data"]["threads"]["edges"]
    assert {e["node"]["id"] for e in edges} == {_gid(secret), _gid(leadership_copy)}


def test_private_group_content_only_for_members(gql, as_user, spaces, people, make_user):
    owner = make_user(Role.RESIDENT)
    group = services.create_group(owner, name="楼委会", visibility=Visibility.PRIVATE)
    member = make_user(Role.RESIDENT)
    services.add_member(owner, group, member)
    secret = services.create_thread(
        member, space=spaces.public, group=group, title="楼内私事", body="只给成员看"
    )
    open_thread = services.create_thread(
        people.resident, space=spaces.public, title="公开话题", body="大家都能看"
    )
    groups_query = "{ forumGroups { edges { node { id name visibility } } } }"
    for viewer in (None, people.resident, people.leader):
        as_user(viewer)
        assert gql(groups_query)["data"]["forumGroups"]["edges"] == []
        edges = gql(THREADS, {"space": "public"})["data"]["threads"]["edges"]
        assert [e["node"]["id"] for e in edges] == [_gid(open_thread)]
        found = gql('{ searchThreads(text: "私事") { edges { node { id } } } }')
        assert found["data"]["searchThreads"]["edges"] == []
        assert gql(THREAD, {"id": _gid(secret)})["data"]["thread"] is None
        body = gql(THREADS, {"space": "public", "groupId": _gid(group)}, expect_errors=True)
        assert body["errors"][0]["extensions"]["code"] == "not_found"
    as_user(member)
    assert len(gql(groups_query)["data"]["forumGroups"]["edges"]) == 1
    edges = gql(THREADS, {"space": "public", "groupId": _gid(group)})["data"]["threads"]["edges"]
    assert [e["node"]["id"] for e in edges] == [_gid(secret)]
    as_user(people.editor)  # forum moderators see everything they moderate
    assert gql(THREAD, {"id": _gid(secret)})["data"]["thread"]["title"] == "楼内私事"


JOIN = """
mutation($input: JoinGroupInput!) {
  joinGroup(input: $input) {
    errors { code } membership { id status role } group { memberCount }
  }
}"""


def test_closed_group_join_request_is_approved_by_its_moderator(
    gql, as_user, spaces, people, make_user
):
    owner = make_user(Role.RESIDENT)
    group = services.create_group(owner, name="河道志愿者", visibility=Visibility.CLOSED)
    thread = services.create_thread(
        owner, space=spaces.public, group=group, title="巡河安排", body="周六上午"
    )
    as_user(people.resident)
    # closed groups are readable by everyone, but only members post
    assert gql(THREAD, {"id": _gid(thread)})["data"]["thread"]["title"] == "巡河安排"
    refused = gql(
        REPLY, {"input": {"threadId": _gid(thread), "body": "我也来"}}, expect_errors=True
    )
    assert refused["errors"][0]["extensions"]["code"] == "forbidden"
    joined = gql(JOIN, {"input": {"groupId": _gid(group)}})["data"]["joinGroup"]
    assert joined["membership"]["status"] == "PENDING"
    assert joined["group"]["memberCount"] == 1
    approve = """mutation($input: ApproveMemberInput!) {
      approveMember(input: $input) { errors { code } membership { status } group { memberCount } }
    }"""
    body = gql(approve, {"input": {"membershipId": joined["membership"]["id"]}}, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "forbidden"
    as_user(owner)
    pending = gql('{ forumGroup(slug: "%s") { pendingMembers { id memberName } } }' % group.slug)
    assert [m["id"] for m in pending["data"]["forumGroup"]["pendingMembers"]] == [
        joined["membership"]["id"]
    ]
    approved = gql(approve, {"input": {"membershipId": joined["membership"]["id"]}})
    assert approved["data"]["approveMember"]["membership"]["status"] == "ACTIVE"
    assert approved["data"]["approveMember"]["group"]["memberCount"] == 2
    as_user(people.resident)
    replied = gql(REPLY, {"input": {"threadId": _gid(thread), "body": "我也来"}})
    assert replied["data"]["reply"]["errors"] == []


def test_user_errors_come_back_in_the_payload(gql, as_user, people):
    as_user(people.resident)
    body = gql(
        CREATE,
        {"input": {"space": "public", "title": " ", "body": "<script>x</script>"}},
        headers={"Accept-Language": "en"},
    )
    errors = body["data"]["createThread"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("title", "title_required")]
    body = gql(
        CREATE,
        {"input": {"space": "public", "title": "t", "body": "<script>x</script><p> </p>"}},
        headers={"Accept-Language": "en"},
    )
    assert body["data"]["createThread"]["errors"][0]["code"] == "body_empty"
    assert (
        body["data"]["createThread"]["errors"][0]["message"]
        == "Write something: the text is empty."
    )
    assert not Thread.objects.exists()


def test_promote_twice_through_graphql_makes_one_leadership_thread(gql, as_user, people, thread_by):
    thread = thread_by(people.resident)
    nomination = services.nominate(people.editor, thread, reason="r")
    as_user(people.editor)
    ids = {
        gql(
            PROMOTE,
            {
                "input": {
                    "nominationId": Node.to_global_id("ForumNomination", nomination.pk),
                    "reason": "双击",
                }
            },
        )["data"]["promoteNomination"]["leadershipThread"]["id"]
        for _ in range(2)
    }
    assert len(ids) == 1
    assert Thread.objects.filter(origin=thread).count() == 1
    assert Nomination.objects.get().status == "promoted"
    as_user(people.resident)
    body = gql(
        PROMOTE,
        {
            "input": {
                "nominationId": Node.to_global_id("ForumNomination", nomination.pk),
                "reason": "x",
            }
        },
    )
    assert body["data"]["promoteNomination"]["errors"][0]["code"] == "not_found"


VIEW = """
query($id: ID!, $after: String) {
  thread(id: $id) { viewCount posts(first: 2, after: $after) { pageInfo { endCursor } } }
}"""


def test_a_thread_counts_a_view_when_opened_not_when_loading_more_replies(
    gql, people, thread_by, engage
):
    thread = engage(thread_by(people.resident), replies=5)
    thread_id = Node.to_global_id("ForumThread", thread.pk)

    def views():
        thread.refresh_from_db()
        return thread.view_count

    cursor = gql(VIEW, {"id": thread_id})["data"]["thread"]["posts"]["pageInfo"]["endCursor"]
    assert views() == 1
    assert gql(VIEW, {"id": thread_id, "after": cursor})["data"]["thread"]["posts"]
    assert views() == 1
    literal = (
        'query($id: ID!) { thread(id: $id) { more: posts(after: "%s") { edges { cursor } } } }'
    )
    assert gql(literal % cursor, {"id": thread_id})["data"]["thread"]["more"]["edges"]
    assert views() == 1
    gql("query($id: ID!) { thread(id: $id) { title } }", {"id": thread_id})
    gql(VIEW, {"id": thread_id, "after": None})
    assert views() == 3


def test_promoting_a_thread_hidden_since_its_nomination_is_refused(gql, as_user, people, thread_by):
    thread = thread_by(people.resident)
    nomination = services.nominate(people.editor, thread, reason="r")
    services.hide(people.editor, thread, reason="广告")
    as_user(people.editor)
    variables = {
        "input": {
            "nominationId": Node.to_global_id("ForumNomination", nomination.pk),
            "reason": "升",
        }
    }
    body = gql(
        """mutation($input: PromoteNominationInput!) {
          promoteNomination(input: $input) { errors { code message } leadershipThread { id } }
        }""",
        variables,
        headers={"Accept-Language": "zh-hans"},
    )["data"]["promoteNomination"]
    with translation.override("zh-hans"):
        message = str(services.NominatedThreadRemoved.default_message)
    with translation.override("en"):
        assert message != str(services.NominatedThreadRemoved.default_message)
    assert body == {
        "errors": [{"code": "nominated_thread_removed", "message": message}],
        "leadershipThread": None,
    }
    assert not Thread.objects.filter(origin=thread).exists()
    assert Nomination.objects.get().status == "pending"
