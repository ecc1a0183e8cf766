"""The contract with the phone app: the committed schema, its operations, its error codes."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from graphql import parse, validate

import civic.urls  # noqa: F401  (imports every interface, so every error code is registered)
from civic.api.documents import operation_files, with_fragments
from civic.api.schema import schema
from civic.api.validation import validation_rules
from civic.core.errors import ERROR_CODES

CONTRACT = Path(__file__).resolve().parents[2] / "frontend_schema"


def test_committed_schema_matches_the_code(tmp_path):
    generated = tmp_path / "schema.graphql"
    call_command("graphql_schema", out=str(generated), stdout=open("/dev/null", "w"))  # noqa: SIM115
    committed = (CONTRACT / "schema.graphql").read_text()
    assert generated.read_text().strip() == committed.strip(), (
        "frontend_schema/schema.graphql is out of date: run "
        "`DEBUG=true .venv/bin/python manage.py graphql_schema` and note the change for the app"
    )


FRAGMENTS, _OPERATIONS = operation_files()
OPERATIONS = sorted(CONTRACT / "operations" / f"{name}.graphql" for name in _OPERATIONS)


def _with_fragments(text):
    return with_fragments(text, FRAGMENTS)


def test_there_are_operations_to_check():
    assert len(OPERATIONS) >= 5


@pytest.mark.parametrize("path", OPERATIONS, ids=[p.stem for p in OPERATIONS])
def test_each_app_operation_validates_against_the_schema_and_limits(path):
    document = parse(_with_fragments(path.read_text()))
    errors = validate(schema.graphql_schema, document, validation_rules())
    assert errors == []


@pytest.mark.parametrize("name", sorted(FRAGMENTS))
def test_each_shared_fragment_is_used_by_some_operation(name):
    assert any(f"...{name}" in path.read_text() for path in OPERATIONS)


def test_an_operation_using_a_removed_field_would_fail_validation():
    errors = validate(
        schema.graphql_schema, parse("query { viewer { nickname } }"), validation_rules()
    )
    assert "Cannot query field 'nickname'" in errors[0].message


def test_every_error_code_the_code_can_send_is_documented():
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", (CONTRACT / "README.md").read_text(), re.M))
    assert set(ERROR_CODES) - documented == set()
