"""Moderation over GraphQL: the queue, hide/restore, dismiss flags, lock, move, ban."""

import pytest
from graphene.relay import Node

from civic.core.roles import Role
from forums import services
from forums.models import Ban, Board, ModerationAction

pytestmark = pytest.mark.django_db

QUEUE = """{ moderationQueue { flagCount hiddenByFlags thread { id } post { id }
  flags { reason note } } }"""


def _gid(kind, obj):
    return Node.to_global_id(kind, obj.pk)


def _mutate(gql, name, input_type, payload, variables, **kwargs):
    query = "mutation($input: %s!) { %s(input: $input) { errors { field code } %s } }" % (
        input_type,
        name,
        payload,
    )
    return gql(query, {"input": variables}, **kwargs)


def test_the_moderation_loop_through_graphql(
    client, gql, spaces, people, thread_by, thresholds, make_user
):
    thread = thread_by(people.resident)
    post = services.reply(people.other, thread, body="广告：便宜卖房")
    for _ in range(2):
        services.flag(make_user(Role.RESIDENT), post, reason="spam", note="广告")

    client.force_login(people.resident)
    assert gql(QUEUE, expect_errors=True)["errors"][0]["extensions"]["code"] == "forbidden"
    page = "query($id: ID!) { thread(id: $id) { posts { edges { node { id } } } } }"
    seen = gql(page, {"id": _gid("ForumThread", thread)})["data"]["thread"]["posts"]["edges"]
    assert seen == []  # hidden by flags

    client.force_login(people.editor)
    queue = gql(QUEUE)["data"]["moderationQueue"]
    assert queue == [
        {
            "flagCount": 2,
            "hiddenByFlags": True,
            "thread": {"id": _gid("ForumThread", thread)},
            "post": {"id": _gid("ForumPost", post)},
            "flags": [{"reason": "SPAM", "note": "广告"}] * 2,
        }
    ]
    body = _mutate(
        gql,
        "hideContent",
        "HideContentInput",
        "post { hidden }",
        {"itemId": _gid("ForumPost", post), "reason": "广告"},
    )
    assert body["data"]["hideContent"] == {"errors": [], "post": {"hidden": True}}
    assert gql(QUEUE)["data"]["moderationQueue"] == []
    body = _mutate(
        gql,
        "banAuthor",
        "BanAuthorInput",
        "",
        {"itemId": _gid("ForumPost", post), "reason": "发广告", "until": "2099-01-01T00:00:00Z"},
    )
    assert body["data"]["banAuthor"]["errors"] == []
    assert Ban.objects.get().user == people.other

    board = Board.objects.create(space=spaces.public, slug="housing", name="住房")
    body = _mutate(
        gql,
        "moveThread",
        "MoveThreadInput",
        "thread { board { slug } }",
        {"threadId": _gid("ForumThread", thread), "board": "housing", "reason": "归类"},
    )
    assert body["data"]["moveThread"]["thread"]["board"] == {"slug": board.slug}
    body = _mutate(
        gql,
        "lockThread",
        "LockThreadInput",
        "thread { locked badges }",
        {"threadId": _gid("ForumThread", thread)},
    )
    assert body["data"]["lockThread"]["thread"] == {"locked": True, "badges": ["locked"]}
    body = _mutate(
        gql,
        "restoreContent",
        "RestoreContentInput",
        "post { hidden }",
        {"itemId": _gid("ForumPost", post)},
    )
    assert body["data"]["restoreContent"]["post"] == {"hidden": False}
    kinds = list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["auto_hide", "hide", "ban", "move", "lock", "restore"]

    client.force_login(people.other)
    body = _mutate(
        gql,
        "reply",
        "ReplyInput",
        "post { id }",
        {"threadId": _gid("ForumThread", thread), "body": "再来"},
        expect_errors=True,
    )
    assert body["errors"][0]["extensions"]["code"] == "forbidden"  # banned


def test_hide_needs_a_reason_and_a_moderator(client, gql, people, thread_by):
    thread = thread_by(people.resident)
    client.force_login(people.other)
    body = _mutate(
        gql,
        "hideContent",
        "HideContentInput",
        "thread { id }",
        {"itemId": _gid("ForumThread", thread), "reason": "x"},
        expect_errors=True,
    )
    assert body["errors"][0]["extensions"]["code"] == "forbidden"
    client.force_login(people.editor)
    body = _mutate(
        gql,
        "hideContent",
        "HideContentInput",
        "thread { id }",
        {"itemId": _gid("ForumThread", thread), "reason": " "},
    )
    assert body["data"]["hideContent"]["errors"] == [{"field": "reason", "code": "reason_required"}]
