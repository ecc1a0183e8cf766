"""Whatever a client sends — lone surrogates, NUL, a novel, right-to-left and zero-width marks,
emoji, text that looks like SQL or HTML, numbers as strings, forged cursors — to any argument of
any mutation or query, the answer is a stable error code or a result: never ``internal_error``,
never HTTP 500.

The fields come from the schema itself, so a mutation or a list added later is covered without
touching this test.
"""

import json
import re

import pytest
from django.test import Client
from graphql import (
    get_named_type,
    get_nullable_type,
    is_enum_type,
    is_input_object_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic.api.schema import schema
from civic.core.permissions import SYSTEM
from civic.core.roles import Role
from civic.departments.models import MemberRole
from civic.departments.services import add_member
from forums import services as forum_services
from forums.models import Space, SpaceKind
from tests.api.hostile import HOSTILE_CURSORS

pytestmark = pytest.mark.django_db

HOSTILE_TEXT = st.sampled_from(
    [
        "a\ud800b",
        "\udfff",
        "a\x00b",
        "\x00",
        "x" * 100_000,
        "坑" * 100_000,
        "\u202eevil\u202c \u200f",
        "zero\u200bwidth\u200d\ufeff",
        "👍🏽👨‍👩‍👧🀄",
        "'; DROP TABLE reports_report; --",
        '" OR 1=1 --',
        "<script>alert(1)</script><img src=x onerror=alert(1)>",
        "{{ 7*7 }} ${7*7} %s %(x)s",
        "12345",
        "-1",
        "1e400",
        "NaN",
        "0x1F",
        "",
        " \t\n",
        "null",
        "true",
        "../../etc/passwd",
        "%00",
    ]
) | st.text(max_size=40)
SCALARS = {
    "Int": st.sampled_from([0, 1, -1, 2**31 - 1, -(2**31)]) | st.integers(-1000, 1000),
    "Float": st.sampled_from([0.0, -90.5, 181.0, 1e308, -1e308]) | st.floats(-200, 200),
    "Boolean": st.booleans(),
    "Upload": st.none(),
}
# The signed-in user leaves at the end, so that the rest of the run still has one.
LAST = ("deleteMyAccount",)


def value_for(argument_type, ids):
    """Values a client could send for ``argument_type``: every string a hostile one."""
    inner = get_nullable_type(argument_type)
    if is_list_type(inner):
        strategy = st.lists(value_for(inner.of_type, ids), max_size=3)
    elif is_input_object_type(inner):
        fields = {
            name: value_for(field.type, ids)
            for name, field in inner.fields.items()
            if name != "clientMutationId"
        }
        required = {n for n, field in inner.fields.items() if is_non_null_type(field.type)}
        strategy = st.fixed_dictionaries(
            {n: s for n, s in fields.items() if n in required},
            optional={n: s for n, s in fields.items() if n not in required},
        )
    elif is_enum_type(inner):
        strategy = st.sampled_from(list(inner.values))
    elif inner.name == "ID":
        strategy = st.sampled_from(ids) | HOSTILE_TEXT
    else:
        strategy = SCALARS.get(inner.name, HOSTILE_TEXT)
    if not is_non_null_type(argument_type):
        strategy = st.none() | strategy
    return strategy


def arguments_for(field, ids):
    strategies = {}
    for name, argument in field.args.items():
        strategy = value_for(argument.type, ids)
        if name == "after":
            strategy = st.sampled_from(HOSTILE_CURSORS) | strategy
        strategies[name] = strategy
    return st.fixed_dictionaries(strategies)


def document(operation, name, field):
    declared = ", ".join(f"${arg}: {argument.type}" for arg, argument in field.args.items())
    passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    named = get_named_type(field.type)
    if is_leaf_type(named):
        selection = ""
    elif "errors" in getattr(named, "fields", {}):
        selection = "{ __typename errors { field code } }"
    else:
        selection = "{ __typename }"
    return f"{operation}({declared}) {{ {name}({passed}) {selection} }}"


def targets():
    """``(operation, name, field)`` for every mutation and every query that takes arguments."""
    graphql_schema = schema.graphql_schema
    found = [
        ("query", name, field)
        for name, field in sorted(graphql_schema.query_type.fields.items())
        if field.args
    ]
    mutations = sorted(graphql_schema.mutation_type.fields.items(), key=lambda f: f[0] in LAST)
    found += [("mutation", name, field) for name, field in mutations]
    return found


@pytest.fixture
def clients(world, submit, make_user, settings):
    """A resident and a staff member (dispatcher and platform admin) signed in, with a report,
    a thread and a reply to aim at."""
    settings.GRAPHQL_MUTATION_RATE_PER_USER = ""
    settings.GRAPHQL_MUTATION_RATE_PER_IP = ""
    staff = make_user(Role.ADMIN, superuser=True)
    add_member(SYSTEM, world.roads, staff, MemberRole.DISPATCHER)
    submit()
    public = Space.objects.get_or_create(slug="public", defaults={"kind": SpaceKind.PUBLIC})[0]
    thread = forum_services.create_thread(world.resident, space=public, title="灯", body="坏了")
    forum_services.reply(staff, thread, body="收到")
    signed_in = []
    for user in (world.resident, staff):
        client = Client()
        client.force_login(user)
        signed_in.append(client)
    return signed_in


def _ids(client):
    """Real IDs of the objects above, so that mutations get past "not found" to the text."""
    query = """{
      reports(first: 5) { edges { node { id } } }
      threads(space: "public") { edges { node { id posts { edges { node { id } } } } } }
      departments { edges { node { id } } }
      areas(first: 3) { edges { node { id } } }
      notifications { edges { node { id } } }
    }"""
    response = client.post("/graphql/", {"query": query}, content_type="application/json")
    assert "errors" not in response.json()
    return sorted(set(re.findall(r'"id":\s*"([^"]+)"', response.content.decode())))


def test_hostile_input_anywhere_is_never_a_server_error(clients):
    ids = _ids(clients[1])

    for operation, name, field in targets():
        _check(clients, name, document(operation, name, field), arguments_for(field, ids))


def _check(clients, name, query, arguments):
    """A few examples of ``arguments`` for one field (shrunk to the simplest if one fails)."""

    @settings(
        max_examples=4,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(who=st.sampled_from(clients), variables=arguments)
    def answers_without_a_server_error(who, variables):
        response = who.post(
            "/graphql/",
            json.dumps({"query": query, "variables": variables}),
            content_type="application/json",
        )
        assert response.status_code != 500, (name, variables)
        body = response.json()
        codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
        assert "internal_error" not in codes, (name, variables, body)

    answers_without_a_server_error()
