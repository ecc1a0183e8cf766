"""SQL queries per thread list and per thread page do not grow with the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphene.relay import Node

from civic.core.roles import Role
from forums import services
from forums.models import Board, Visibility

pytestmark = pytest.mark.django_db

LIST = """
query($first: Int, $order: ThreadOrder) {
  threads(space: "public", first: $first, order: $order) {
    edges { node {
      id title body authorName tags badges replyCount likeCount participantCount viewCount hot
      createdAt lastActivityAt isMine viewerLiked viewerFollows canEdit canModerate locked hidden
      space { slug kind name } board { slug name } group { slug name visibility }
      origin { id } sharedFrom { id } promotedTo { id } sharedTo { id }
      officialResponses { id body authorName }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""

PAGE = """
query($id: ID!, $first: Int) {
  thread(id: $id) {
    id title body authorName tags badges viewerLiked viewerFollows canEdit
    officialResponses { id body }
    posts(first: $first) {
      edges { node { id body authorName likeCount isMine viewerLiked canEdit officialResponse
                     hidden createdAt editedAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
}"""


@pytest.fixture
def many(spaces, people, make_user):
    """45 public threads of every kind, mixed so that any 10 in a row hold each kind (boards,
    groups, tags; every 5th promoted with an official response; after every 7th one shared down
    from the leadership space), and one thread with 45 replies the viewer liked."""
    board = Board.objects.create(space=spaces.public, slug="traffic", name="交通")
    group = services.create_group(people.other, name="邻里")
    authors = [make_user(Role.RESIDENT) for _ in range(5)]
    threads = []
    for n in range(45):
        thread = services.create_thread(
            authors[n % 5],
            space=spaces.public,
            title=f"话题 {n}",
            body="内容",
            board=board if n % 2 else None,
            group=group if n % 3 == 0 else None,
            tags=[f"标签{n % 4}", "共同"],
        )
        services.react(people.resident, thread)
        threads.append(thread)
        if n % 5 == 0:
            nomination = services.nominate(people.editor, thread, reason="r")
            leadership = services.promote(people.editor, nomination, reason="r")
            answer = services.reply(people.leader, leadership, body="答复")
            services.mark_official_response(people.leader, answer)
        if n % 7 == 0:
            source = services.create_thread(
                people.leader, space=spaces.leadership, title=f"内部 {n}", body="x"
            )
            services.react(people.resident, services.share_down(people.leader, source))
    long_thread = threads[-1]
    for n in range(45):
        post = services.reply(authors[n % 5], long_thread, body=f"回复 {n}")
        services.react(people.resident, post)
    return long_thread


def _count(client, gql, query, variables):
    with CaptureQueriesContext(connection) as queries:
        body = gql(query, variables)
    return len(queries), body


@pytest.mark.parametrize("viewer", ["resident", "editor", None])
def test_thread_list_queries_do_not_grow_with_page_size(client, gql, people, many, viewer):
    if viewer:
        client.force_login(getattr(people, viewer))
    for order in ("NEW", "HOT", "TOP_WEEK"):
        small, body = _count(client, gql, LIST, {"first": 10, "order": order})
        assert len(body["data"]["threads"]["edges"]) == 10
        large, body = _count(client, gql, LIST, {"first": 40, "order": order})
        assert len(body["data"]["threads"]["edges"]) == 40
        assert large == small, order
        edges = body["data"]["threads"]["edges"][:10]
        assert any(e["node"]["officialResponses"] for e in edges), order
        assert any("from_leadership" in e["node"]["badges"] for e in edges), order


@pytest.mark.parametrize("viewer", ["resident", "editor", None])
def test_thread_page_queries_do_not_grow_with_page_size(client, gql, people, many, viewer):
    if viewer:
        client.force_login(getattr(people, viewer))
    thread_id = Node.to_global_id("ForumThread", many.pk)
    small, body = _count(client, gql, PAGE, {"id": thread_id, "first": 3})
    assert len(body["data"]["thread"]["posts"]["edges"]) == 3
    large, body = _count(client, gql, PAGE, {"id": thread_id, "first": 45})
    assert len(body["data"]["thread"]["posts"]["edges"]) == 45
    assert large == small
    liked = [e["node"]["viewerLiked"] for e in body["data"]["thread"]["posts"]["edges"]]
    assert all(liked) == (viewer == "resident")


CURATED_LIST = """
query($first: Int) {
  threads(space: "public", first: $first) {
    edges { node { id nomination { id status } group { slug pendingMembers { memberName } } } }
  }
}"""


def test_nominations_and_join_requests_in_a_list_do_not_grow_with_page_size(
    client, gql, people, many
):
    client.force_login(people.editor)
    small, body = _count(client, gql, CURATED_LIST, {"first": 10})
    large, body = _count(client, gql, CURATED_LIST, {"first": 40})
    nodes = [edge["node"] for edge in body["data"]["threads"]["edges"]]
    assert len(nodes) == 40
    assert large == small
    assert any(node["nomination"] for node in nodes)
    assert any(node["nomination"] is None for node in nodes)
    assert all(node["group"]["pendingMembers"] == [] for node in nodes if node["group"])


NOMINATIONS = """
query($first: Int) {
  nominations(status: PROMOTED, first: $first) {
    edges { node { id thread { id viewerLiked nomination { id } } } }
  }
}"""


def test_nomination_queue_threads_do_not_grow_with_page_size(client, gql, people, many):
    client.force_login(people.editor)
    small, body = _count(client, gql, NOMINATIONS, {"first": 3})
    large, body = _count(client, gql, NOMINATIONS, {"first": 9})
    edges = body["data"]["nominations"]["edges"]
    assert len(edges) == 9
    assert large == small
    assert all(edge["node"]["thread"]["nomination"]["id"] == edge["node"]["id"] for edge in edges)


GROUPS = """
query($first: Int) {
  forumGroups(first: $first) {
    edges { node { slug canModerate viewerMembership { status }
                   pendingMembers { memberName status } } }
  }
}"""


@pytest.fixture
def closed_groups(people, make_user):
    """12 closed groups owned by ``people.other``, each with two requests to join."""
    groups = [
        services.create_group(people.other, name=f"小组 {n}", visibility=Visibility.CLOSED)
        for n in range(12)
    ]
    for group in groups:
        for _ in range(2):
            services.join_group(make_user(Role.RESIDENT), group)
    return groups


@pytest.mark.parametrize("viewer", ["editor", "other", "resident"])
def test_group_list_join_requests_do_not_grow_with_page_size(
    client, gql, people, closed_groups, viewer
):
    client.force_login(getattr(people, viewer))
    small, body = _count(client, gql, GROUPS, {"first": 3})
    large, body = _count(client, gql, GROUPS, {"first": 12})
    nodes = [edge["node"] for edge in body["data"]["forumGroups"]["edges"]]
    assert len(nodes) == 12
    assert large == small
    pending = [node["pendingMembers"] for node in nodes]
    if viewer == "resident":
        assert pending == [None] * 12
    else:
        assert all(len(requests) == 2 for requests in pending)
        assert {r["status"] for requests in pending for r in requests} == {"PENDING"}


# Was 16 before the thread look-up stopped prefetching tags a reply does not show.
REPLY_QUERIES = 15
REPLY = """
mutation($input: ReplyInput!) {
  reply(input: $input) { errors { code } post { id body authorName likeCount } }
}"""


def test_a_reply_takes_a_fixed_few_queries(gql_as, people, thread_by):
    thread = thread_by(people.resident)
    gql = gql_as(people.other)
    thread_id = Node.to_global_id("ForumThread", thread.pk)

    def reply(n):
        variables = {"input": {"threadId": thread_id, "body": f"<p>回复 {n}</p>"}}
        with CaptureQueriesContext(connection) as queries:
            body = gql(REPLY, variables)
        assert body["data"]["reply"]["errors"] == []
        return len(queries)

    reply(0)  # the first reply also makes the replier a participant and follower
    assert reply(1) == reply(2) <= REPLY_QUERIES
