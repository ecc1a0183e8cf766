"""Breaking changes between the committed ``frontend_schema/schema.graphql`` (what the app was
built against) and the code's schema fail unless ``frontend_schema/CHANGELOG.md`` records each
one, on a line of its own, as graphql-core's ``find_breaking_changes`` describes it:

    - `FIELD_REMOVED` Viewer.nickname was removed.

Dangerous changes (an optional argument added, an enum value added…) are reported as warnings.
"""

import re
import warnings
from pathlib import Path

import pytest
from graphql import build_schema, find_breaking_changes, find_dangerous_changes, print_schema

from civic.api.schema import schema

CONTRACT = Path(__file__).resolve().parents[2] / "frontend_schema"
RECORDED = re.compile(r"^- `([A-Z_]+)` (.+?)\s*$", re.M)


def unrecorded_breaking_changes(committed_sdl, changelog):
    """Breaking changes from ``committed_sdl`` to the code's schema that ``changelog`` does not
    record, as ``(type, description)``; dangerous changes are warned about."""
    committed = build_schema(committed_sdl)
    # Both sides built from SDL: graphene's own scalar classes would otherwise count as a change
    # of kind.
    current = build_schema(print_schema(schema.graphql_schema))
    for change in find_dangerous_changes(committed, current):
        warnings.warn(
            f"Dangerous API change: {change.type.name} {change.description}", stacklevel=2
        )
    recorded = set(RECORDED.findall(changelog))
    return [
        (change.type.name, change.description)
        for change in find_breaking_changes(committed, current)
        if (change.type.name, change.description) not in recorded
    ]


def test_breaking_changes_to_the_committed_schema_are_recorded_in_the_changelog():
    missing = unrecorded_breaking_changes(
        (CONTRACT / "schema.graphql").read_text(), (CONTRACT / "CHANGELOG.md").read_text()
    )
    assert missing == [], (
        "The code breaks the app's contract. If it must, tell the app developers: add to "
        "frontend_schema/CHANGELOG.md\n" + "\n".join(f"- `{t}` {d}" for t, d in missing)
    )


def test_a_removed_field_is_caught_until_the_changelog_records_it():
    code_sdl = print_schema(schema.graphql_schema)
    assert "type Viewer {" in code_sdl
    # As if the app had been built against a schema where Viewer had a nickname.
    committed = code_sdl.replace("type Viewer {", "type Viewer {\n  nickname: String", 1)
    removed = ("FIELD_REMOVED", "Viewer.nickname was removed.")

    assert unrecorded_breaking_changes(committed, "") == [removed]
    assert unrecorded_breaking_changes(committed, (CONTRACT / "CHANGELOG.md").read_text()) == [
        removed
    ]
    changelog = "## Next\n\n- `FIELD_REMOVED` Viewer.nickname was removed.\n"
    assert unrecorded_breaking_changes(committed, changelog) == []
    # A mention elsewhere in the text does not count: the line is the record.
    assert unrecorded_breaking_changes(committed, "We dropped Viewer.nickname was removed.") == [
        removed
    ]


def test_a_dangerous_change_is_reported_but_does_not_fail():
    code_sdl = print_schema(schema.graphql_schema)
    # As if the app had been built before the ALL period existed: the code adds an enum value.
    committed = code_sdl.replace("  MONTH\n  ALL\n}", "  MONTH\n}", 1)
    assert committed != code_sdl
    with pytest.warns(UserWarning, match="VALUE_ADDED_TO_ENUM ALL was added to enum type"):
        assert unrecorded_breaking_changes(committed, "") == []
