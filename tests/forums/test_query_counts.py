"""SQL queries per thread list and per thread page do not grow with the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphene.relay import Node

from civic.accounts.roles import Role
from forums import services
from forums.models import Board

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
