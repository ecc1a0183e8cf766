"""Hostile input shared by the tests that throw it at every entry point: cursors a client could
forge, and the schema's connections with what each needs to run."""

import base64
import json

from civic.api.schema import schema


def b64(text):
    return base64.urlsafe_b64encode(text.encode()).decode()


# None of these came from a list (some would be well-typed keys of one if they were not
# signed); each must be refused as ``invalid_cursor``.
HOSTILE_CURSORS = [
    "WzEsIDJd",  # [1, 2]
    b64("[null, null]"),
    b64("[null]"),
    "not base64 at all!",
    "=",
    b64("[]"),
    b64("[1, 2, 3]"),
    b64('["x", "y"]'),
    b64('["x"]'),
    b64("[0, 0]"),
    b64('["2026-01-01T00:00:00+00:00", 1]'),
    b64("[1e400, 1]"),
    b64("[NaN, 1]"),
    b64("[-Infinity, 1]"),
    b64("[99999999999999999999999999, 99999999999999999999999999]"),
    b64("[-99999999999999999999999999, 1]"),
    b64("[[1], [2]]"),
    b64('[{"a": 1}, 2]'),
    b64("[true, false]"),
    b64('["2026-13-45T99:00:00", 1]'),
    b64('["9999-12-31T23:59:59-23:59", 1]'),
    b64('["0001-01-01T00:00:00+14:00", 1]'),
    b64('"a string"'),
    b64("[1, 2]") + ":forged-signature",
    "WzEsMl0:1vQm3H:",
    b64("{}"),
    b64("[" * 3000),
    b64('["a\\u0000b", 1]'),
    b64('["\\ud800", 1]'),
    "x" * 100_000,
]

# Arguments a field cannot run without, chosen so that the list has rows to page through.
REQUIRED_ARGUMENTS = {
    "threads": {"space": "public"},
    "searchThreads": {"text": "路灯"},
}


def connection_fields():
    """The name of every Query field that takes an ``after`` cursor."""
    fields = schema.graphql_schema.query_type.fields
    return sorted(name for name, field in fields.items() if "after" in field.args)


def connection_query(name, **arguments):
    """A query of the connection ``name`` after ``$after``, with its required arguments (and
    any given) as literals."""
    given = {**REQUIRED_ARGUMENTS.get(name, {}), **arguments}
    literals = "".join(f", {key}: {value}" for key, value in _literals(given))
    return f"query($after: String) {{ {name}(after: $after{literals}) {{ edges {{ cursor }} }} }}"


def _literals(arguments):
    for key, value in arguments.items():
        yield key, (value.name if hasattr(value, "name") else json.dumps(value))


class Enum:
    """An enum value for ``connection_query`` (written bare, not quoted)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        # Shown in test ids, which must be the same in every pytest-xdist worker.
        return self.name
