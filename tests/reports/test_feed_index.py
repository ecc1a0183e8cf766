"""A deep page of the reports feed is an index seek on PostgreSQL: the keyset cursor bounds the
feed index, so reading page 100 costs what page 1 does."""

import pytest

from civic.core.api.pagination import cursor_for
from reports.models import Report
from tests.bench.scale_data import fill
from tests.explain import captured, index_seeks, needs_postgresql, plan, rows_thrown_away

pytestmark = pytest.mark.skipif(**needs_postgresql)

FEED = """
query($after: String) {
  reports(first: 20, after: $after) { edges { node { number } } pageInfo { endCursor } }
}"""
ORDER = ("-created_at", "-id")


def test_a_deep_feed_page_seeks_the_feed_index_instead_of_filtering(world, gql):
    fill(reports=3000, photos=False)
    deep = Report.objects.filter(is_public=True).order_by(*ORDER)[2000]
    after = cursor_for(deep, ORDER)

    def deep_page():
        page = gql(FEED, {"after": after})["data"]["reports"]["edges"]
        assert len(page) == 20

    (sql,) = captured(deep_page, 'FROM "reports_report"', 'ORDER BY "reports_report"."created_at"')
    nodes = plan(sql)
    assert index_seeks(nodes, "created_at"), nodes
    # Only rows tying with the cursor's time could be read and dropped; the 2,000 rows before
    # the cursor are skipped by the seek.
    assert rows_thrown_away(nodes) < 20, nodes
