"""Services name an error's field in snake_case; the API shows it in camelCase, as the client
sent it. ``client_field_name`` is the one place that maps one to the other."""

import pytest
from graphql import GraphQLError
from graphql_relay import to_global_id

from civic.accounts import services
from civic.api.errors import format_error
from civic.core.api.mutations import client_field_name
from civic.core.errors import NotFound

pytestmark = pytest.mark.django_db

UPDATE = """
mutation U($input: UpdateProfileInput!) {
  updateProfile(input: $input) { errors { field code } viewer { displayName } }
}
"""


@pytest.mark.parametrize(
    ("field", "shown"),
    [
        ("home_area_id", "homeAreaId"),
        ("phone", "phone"),
        ("homeAreaId", "homeAreaId"),  # the API layer's own names are already the client's
        ("", ""),
        (None, None),
    ],
)
def test_client_field_name_is_camel_case(field, shown):
    assert client_field_name(field) == shown


def test_a_service_error_with_a_snake_case_field_reaches_the_client_in_camel_case(
    client, gql, make_user
):
    user = make_user()
    missing_area = 999_999
    with pytest.raises(NotFound) as refused:
        services.update_profile(user, home_area_id=missing_area)
    assert refused.value.field == "home_area_id"

    client.force_login(user)
    payload = gql(UPDATE, {"input": {"homeAreaId": to_global_id("Area", missing_area)}})
    assert payload["data"]["updateProfile"] == {
        "errors": [{"field": "homeAreaId", "code": "not_found"}],
        "viewer": None,
    }


def test_a_top_level_error_names_its_field_in_camel_case():
    refused = NotFound(field="area_id")
    error = GraphQLError(refused.message, path=["leaderboard"], original_error=refused)
    assert format_error(error)["extensions"] == {"field": "areaId", "code": "not_found"}
