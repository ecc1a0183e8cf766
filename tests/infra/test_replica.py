"""The read replica (civic/core/replica.py) on PostgreSQL, with a replica that is a database of
its own: a copy of the test database in which one report reads differently, so each answer
shows which database gave it. Read-only pages and GraphQL queries come from the replica;
mutations, reads in a transaction, reads after a write, and a client who just wrote (until its
pin expires) from the primary."""

import secrets
import subprocess
from urllib.parse import urlsplit

import psycopg
import pytest
import time_machine
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from graphql_relay import to_global_id

from civic.core.replica import PIN_COOKIE, ReplicaMiddleware
from reports.models import Report
from tests.reports.conftest import submit, world  # noqa: F401  (fixtures)
from tests.reports.test_reports_api import Api
from tests.rq_worker import database_url

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]
PRIMARY, REPLICA = "路面有个大坑", "只读副本里的描述"
REPORT = "query R($id: ID!) { report(id: $id) { description } }"
SUPPORT = (
    "mutation S($input: SupportReportInput!) { supportReport(input: $input) "
    "{ errors { code } report { description } } }"
)


@pytest.fixture
def replica(world, submit, settings):  # noqa: F811
    """The test database copied (pg_dump | pg_restore) into a new one, the ``replica`` alias,
    in which the report's description differs."""
    source = urlsplit(database_url())
    if source.scheme != "postgres":
        pytest.skip("the replica is a PostgreSQL database")
    report = submit()
    name = f"civic_prod_replica_{secrets.token_hex(4)}"
    server = source._replace(path="/postgres").geturl()
    target = source._replace(path=f"/{name}").geturl()
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    dump = subprocess.Popen(
        ["pg_dump", "--format=custom", "--no-owner", database_url()], stdout=subprocess.PIPE
    )
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target}"],
        stdin=dump.stdout,
        check=True,
    )
    assert dump.wait() == 0
    with psycopg.connect(target, autocommit=True) as copy:
        copy.execute(
            "UPDATE reports_report SET description = %s WHERE id = %s", [REPLICA, report.pk]
        )
    connections.settings["replica"] = {**connections.settings["default"], "NAME": name}
    # Connected here: Django's test case refuses to open connections to aliases it did not
    # set up, and the test client keeps connections open between requests.
    connections["replica"].connect()
    settings.REPLICA_PIN_SECONDS = 15
    yield report
    connections["replica"].close()
    del connections["replica"]
    del connections.settings["replica"]
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def description(api, report):
    body = api(REPORT, {"id": to_global_id("Report", report.pk)})
    return body["data"]["report"]["description"]


def test_pages_and_queries_read_the_replica_until_the_client_writes(replica, world):  # noqa: F811
    report = replica
    page = Api().http.get(f"/reports/{report.pk}/")
    assert page.status_code == 200
    assert (REPLICA in page.content.decode(), PRIMARY in page.content.decode()) == (True, False)
    assert PRIMARY not in page.content.decode()
    neighbour, stranger = Api(world.neighbour), Api()
    assert description(neighbour, report) == REPLICA
    assert description(stranger, report) == REPLICA

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # A mutation reads and writes the primary, and pins its client there for a while.
        answer = neighbour(SUPPORT, {"input": {"reportId": to_global_id("Report", report.pk)}})
        assert answer["data"]["supportReport"] == {"errors": [], "report": {"description": PRIMARY}}
        assert description(neighbour, report) == PRIMARY
        assert PRIMARY in neighbour.http.get(f"/reports/{report.pk}/").content.decode()
        assert description(stranger, report) == REPLICA
        traveller.shift(16)
        assert description(neighbour, report) == REPLICA


def read_description(report):
    return Report.objects.get(pk=report.pk).description


def test_transactions_and_reads_after_a_write_use_the_primary(replica):
    report = replica
    seen = {}

    def view(request):
        seen["before"] = read_description(report)
        with transaction.atomic():
            seen["in a transaction"] = read_description(report)
        Report.objects.filter(pk=report.pk).update(support_count=1)
        seen["after a write"] = read_description(report)
        return HttpResponse()

    response = ReplicaMiddleware(view)(RequestFactory().get("/"))
    assert seen == {"before": REPLICA, "in a transaction": PRIMARY, "after a write": PRIMARY}
    # No session: the browser is pinned by a cookie, which sends its next reads to the primary.
    assert (response.cookies[PIN_COOKIE].value, response.cookies[PIN_COOKIE]["max-age"]) == (
        "1",
        15,
    )
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE] = "1"
    ReplicaMiddleware(lambda request: seen.update(pinned=read_description(report)))(request)
    assert seen["pinned"] == PRIMARY
    # Outside a request (a job, a command): the primary.
    assert read_description(report) == PRIMARY
