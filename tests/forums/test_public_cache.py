"""The public thread list shared by anonymous readers (civic.core.public_cache) follows the
forum at once: a new thread shows, a deleted one goes; a member's private group stays theirs."""

import json

from django.test import Client

from forums import services

THREADS = """query Threads($space: String!) {
  threads(space: $space, order: NEW, first: 10) { edges { node { title } } }
}"""


def titles(client):
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": THREADS, "variables": {"space": "public"}}),
        content_type="application/json",
    )
    body = response.json()
    assert "errors" not in body, body
    return [edge["node"]["title"] for edge in body["data"]["threads"]["edges"]]


def test_a_new_thread_shows_and_a_deleted_one_goes(people, thread_by):
    anonymous = Client()
    thread_by(people.resident, title="路灯坏了")
    assert titles(anonymous) == ["路灯坏了"]
    assert titles(anonymous) == ["路灯坏了"]
    second = thread_by(people.other, title="井盖丢了")
    assert titles(anonymous) == ["井盖丢了", "路灯坏了"]
    services.delete_thread(people.other, second)
    assert titles(anonymous) == ["路灯坏了"]
