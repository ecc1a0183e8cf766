"""Reading PostgreSQL's query plans in tests: which index a query seeks, and how many rows it
reads only to throw away."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Decided at collection, so the skipped tests do not even build their data.
needs_postgresql = {
    "condition": connection.vendor != "postgresql",
    "reason": "EXPLAIN's plan is PostgreSQL's; run with DATABASE_URL=postgres://… to check it",
}


def captured(fn, *needles):
    """The SQL statements ``fn`` runs that contain every one of ``needles``."""
    with CaptureQueriesContext(connection) as context:
        fn()
    return [
        query["sql"]
        for query in context.captured_queries
        if all(needle in query["sql"] for needle in needles)
    ]


def plan(sql):
    """The executed plan of ``sql`` (EXPLAIN ANALYZE, as JSON), as a list of its nodes."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        (document,) = cursor.fetchone()
    if isinstance(document, str):
        document = json.loads(document)
    nodes, todo = [], [document[0]["Plan"]]
    while todo:
        node = todo.pop()
        nodes.append(node)
        todo.extend(node.get("Plans", ()))
    return nodes


def index_seeks(nodes, column):
    """The index scans whose index condition bounds ``column``."""
    return [
        node
        for node in nodes
        if node["Node Type"] in ("Index Scan", "Index Only Scan", "Bitmap Index Scan")
        and column in node.get("Index Cond", "")
    ]


def rows_thrown_away(nodes):
    """Rows read and then dropped by a filter, over the whole plan."""
    return sum(node.get("Rows Removed by Filter", 0) for node in nodes)
