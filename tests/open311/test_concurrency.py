"""A key's rate limit holds when its client sends many requests at once (PostgreSQL, real
threads: the live server answers each request in its own thread and connection)."""

import pytest
from django.db import connection

from civic.core.permissions import SYSTEM
from reports.models import Report
from reports.open311 import services

from .conftest import IN_DW

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.serial,
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite lets one writer at a time: concurrent submissions fail with 'database is "
        "locked' instead of racing; test_protocol.py checks the limit sequentially there.",
    ),
]


def test_a_burst_gets_exactly_the_keys_limit_through(open311, world, race):
    limited = services.issue_key(SYSTEM, name="Burst client", rate_limit=3)

    def send():
        return open311.post(
            key=limited.raw, service_code="graffiti", description="Tags", **IN_DW
        ).status

    statuses = sorted(race([send] * 8))
    assert statuses == [200] * 3 + [429] * 5
    assert Report.objects.count() == 3
