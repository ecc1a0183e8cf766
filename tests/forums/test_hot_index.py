"""A deep page of the hot threads is an index seek on PostgreSQL: the keyset cursor bounds the
space's hot index, so reading far down the list costs what the first page does."""

import pytest

from civic.core.api.pagination import cursor_for
from forums.models import Board, Thread
from forums.queries import THREAD_ORDERINGS
from tests.bench.scale_data import fill
from tests.explain import captured, index_seeks, needs_postgresql, plan, rows_thrown_away

pytestmark = pytest.mark.skipif(**needs_postgresql)

HOT = """
query($after: String) {
  threads(space: "public", order: HOT, first: 20, after: $after) { edges { node { id } } }
}"""


def test_a_deep_hot_page_seeks_the_hot_index_instead_of_filtering(spaces, people, gql):
    Board.objects.create(space=spaces.public, slug="transport", name="交通")
    fill(threads=3000)
    order = THREAD_ORDERINGS["hot"]
    listed = Thread.objects.filter(space=spaces.public, hidden=False, deleted=False)
    after = cursor_for(listed.order_by(*order)[2000], order)

    def deep_page():
        page = gql(HOT, {"after": after})["data"]["threads"]["edges"]
        assert len(page) == 20

    (sql,) = captured(deep_page, 'FROM "forums_thread"', 'ORDER BY "forums_thread"."hot" DESC')
    nodes = plan(sql)
    assert index_seeks(nodes, "hot"), nodes
    assert rows_thrown_away(nodes) < 20, nodes
