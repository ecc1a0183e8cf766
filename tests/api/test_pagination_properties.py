"""Keyset paging, for any page size and any mix of equal sort keys: every row once, in order."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic.core.permissions import SYSTEM
from civic.departments.models import Department
from civic.departments.services import create_department

pytestmark = pytest.mark.django_db

QUERY = """query($first: Int, $after: String) {
  departments(first: $first, after: $after) {
    edges { node { code } } pageInfo { hasNextPage endCursor }
  }
}"""


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(count=st.integers(min_value=0, max_value=23), size=st.integers(min_value=1, max_value=50))
def test_walking_the_pages_returns_every_row_once_in_order(gql, count, size):
    Department.objects.all().delete()
    for n in range(count):
        create_department(SYSTEM, code=f"d{n:03}", name=f"部门{n}")
    seen, after, pages = [], None, 0
    while True:
        page = gql(QUERY, {"first": size, "after": after})["data"]["departments"]
        pages += 1
        seen += [edge["node"]["code"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [f"d{n:03}" for n in range(count)]
    assert pages == max(1, -(-count // size))


def test_ties_on_the_first_key_are_broken_by_the_last():
    """Lists ordered by a non-unique key end with a unique one; the cursor keeps both."""
    from civic.core.api.pagination import paginate
    from civic.departments.schema.types import DepartmentConnection

    for n in range(7):
        create_department(SYSTEM, code=f"t{n}", name="同名")
    ordering = ("name", "code")
    seen, after = [], None
    while True:
        page = paginate(
            DepartmentConnection, Department.objects.all(), ordering=ordering, first=2, after=after
        )
        seen += [edge.node.code for edge in page.edges]
        if not page.page_info.has_next_page:
            break
        after = page.page_info.end_cursor
    assert seen == [f"t{n}" for n in range(7)]
