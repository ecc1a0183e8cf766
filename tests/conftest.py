import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, transaction
from django.test import override_settings
from django.utils import translation
from wagtail.models import Locale, Page, Site

from civic.accounts.models import User
from civic.accounts.services import grant_role
from civic.areas import spatial
from civic.areas.services import import_areas
from civic.core.errors import DomainError
from civic.core.permissions import SYSTEM
from civic.core.roles import Role
from civic.portal.models import DistrictPage, HomePage
from tests.geo import collection, feature, rect

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """With ``--reuse-db`` (as ``./dev test`` runs locally) the SQLite test database is a file
    per worker (var/test-gw0.sqlite3, …), kept between runs; otherwise it stays in memory.
    PostgreSQL's test databases get the worker's suffix from pytest-django."""
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and request.config.getvalue("reuse_db"):
        worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
        name = django_settings.BASE_DIR / "var" / f"test-{worker}.sqlite3"
        name.parent.mkdir(exist_ok=True)
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_keepdb):
    """A kept test database is left as migrations made it: a transactional test flushes the
    rows data migrations made (Wagtail's root page and collection, the forum spaces), so with
    ``--reuse-db`` they are saved at the start and put back at the end of the run."""
    if not django_db_keepdb:
        yield
        return
    with django_db_blocker.unblock():
        saved = {
            alias: connections[alias].creation.serialize_db_to_string() for alias in connections
        }
    yield
    with django_db_blocker.unblock():
        for alias, contents in saved.items():
            call_command("flush", database=alias, interactive=False, inhibit_post_migrate=True)
            connections[alias].creation.deserialize_db_from_string(contents)
            _reset_sequences(connections[alias])


def _reset_sequences(connection):
    """Rows put back with their ids leave PostgreSQL's sequences behind them: move them on, or
    the next run's first insert collides with a row put back."""
    tables = [model for model in apps.get_models() if model._meta.managed]
    statements = connection.ops.sequence_reset_sql(no_style(), tables)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture(autouse=True)
def _isolation(settings):
    """Each test starts with an empty cache (rate limits, index version) and a fresh index."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    spatial.invalidate()
    yield
    cache.clear()
    spatial.invalidate()
    # A request's LocaleMiddleware leaves its language active in the thread; the next test
    # starts from the default instead of depending on the order tests run in.
    translation.deactivate()


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored files (photos, images) go to a folder of the test's own, not the shared var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def accept_language():
    """The language ``as_user`` asks pages in, unless told: None keeps the site's default. A test
    folder whose pages are checked in English overrides this fixture."""
    return None


@pytest.fixture
def as_user(client, accept_language):
    """``as_user(user, language=…)``: the test client signed in as ``user`` (signed out for None),
    asking for pages in ``language``."""

    def sign_in(user, language=accept_language):
        client.logout()
        if user is not None:
            client.force_login(user)
        if language is not None:
            client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return sign_in


@pytest.fixture
def gql_as(as_user, gql):
    """``gql_as(user)``: the GraphQL client, signed in as ``user``."""

    def sign_in(user):
        as_user(user)
        return gql

    return sign_in


def _at_once(calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait()
            return call()
        except DomainError as exc:
            return exc.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.fixture
def race():
    """``race(calls)`` runs the callables at once, one thread and database connection each,
    released together; returns each one's value, or its DomainError's code. For the race tests
    on PostgreSQL (``transaction=True``, marked ``serial``)."""
    return _at_once


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 10_000))

    def make(role=Role.RESIDENT, *, email=None, superuser=False, **fields):
        n = next(counter)
        email = email or f"user{n}-{role.name.lower() if role else 'none'}@example.org"
        user = User.objects.create_user(
            username=email, email=email, password=PASSWORD, is_superuser=superuser, **fields
        )
        if role is not None:
            grant_role(user, role)
        return user

    return make


@pytest.fixture
def city(db):
    """A small city, built through the import service:

    city C (lon 0..4, lat 0..2) → districts D1 (0..2) and D2 (2..4) → one street each →
    one community each → grid cells 1°×1° (four per district, G1a..G1d and G2a..G2d).
    """
    features = [feature("C", "city", rect(0, 0, 4, 2), name="测试市", name_en="Test City")]
    for d, x0 in (("1", 0), ("2", 2)):
        features += [
            feature(
                f"D{d}",
                "district",
                rect(x0, 0, x0 + 2, 2),
                parent="C",
                name=f"第{d}区",
                name_en=f"District {d}",
            ),
            feature(f"S{d}", "street", rect(x0, 0, x0 + 2, 2), parent=f"D{d}"),
            feature(f"M{d}", "community", rect(x0, 0, x0 + 2, 2), parent=f"S{d}"),
        ]
        for suffix, (gx, gy) in zip("abcd", [(0, 0), (1, 0), (0, 1), (1, 1)], strict=True):
            features.append(
                feature(
                    f"G{d}{suffix}", "grid", rect(x0 + gx, gy, x0 + gx + 1, gy + 1), parent=f"M{d}"
                )
            )
    import_areas(SYSTEM, collection(*features))
    from civic.areas.models import Area

    return SimpleNamespace(**{a.code: a for a in Area.objects.all()})


def default_site_home(title, slug, settings):
    """A new home page as the default site's root (the old root deleted). Builds Wagtail's
    locale, root page and site itself when they are missing: a transactional (live server)
    test starts from a flushed database without the rows migrations made."""
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title=title, slug=slug))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    else:
        old_root, site.root_page = site.root_page, home
        site.save()
        old_root.delete()
    return home


@pytest.fixture
def portal(city, settings):
    """The city's home page as the default site's root, with a live page per district."""
    home = default_site_home("测试市民平台", "test-home", settings)
    pages = {}
    for district in (city.D1, city.D2):
        page = home.add_child(
            instance=DistrictPage(title=district.name, slug=district.code.lower(), area=district)
        )
        page.save_revision().publish()
        pages[district.code] = page
    return home, pages


class GraphQLClient:
    def __init__(self, client):
        self.client = client

    def __call__(self, query, variables=None, *, headers=None, expect_errors=False):
        response = self.client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            headers=headers or {},
        )
        body = response.json()
        body["status"] = response.status_code
        if not expect_errors:
            assert "errors" not in body, body
        return body


@pytest.fixture
def gql(client):
    """POST a GraphQL document to /graphql/ over HTTP through Django's test client."""
    return GraphQLClient(client)


@contextmanager
def seeded_demo(django_db_blocker, tmp_path_factory, language=None):
    """``manage.py seed_demo`` once for a test module (it is slow), inside a transaction rolled
    back at the end; each test runs in a savepoint within it. The fast hasher matches the one
    each test gets; the demo's photos go to a temporary media folder. Yields what the command
    printed (in ``language`` if given, else the active one)."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(PASSWORD_HASHERS=hashers, MEDIA_ROOT=str(media)),
    ):
        out = io.StringIO()
        with translation.override(language) if language else nullcontext():
            call_command("seed_demo", force=True, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def rq_worker(settings, media_root):
    """A real RQ worker process (tests/rq_worker.py) and this test enqueuing to it: the test's
    background jobs run there, on its Redis database (flushed before and after)."""
    from tests.rq_worker import REDIS_URL, Worker, redis_or_skip

    client = redis_or_skip()
    client.flushdb()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 120}}
    settings.TASKS_RETRY_INTERVALS = [1, 1]
    worker = Worker(media_root).start()
    yield worker
    worker.stop()
    client.flushdb()


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server in a process of its own (tests/s3_server.py), for the session."""
    from tests.s3_server import S3Server

    server = S3Server()
    yield server
    server.stop()


@pytest.fixture
def s3_media(s3_server, settings):
    """Stored files go to the S3 server's bucket for this test."""
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_settings()}
    return s3_server
