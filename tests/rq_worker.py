"""A real RQ worker process for the tests of the production queue (``rq_worker`` fixture in
tests/conftest.py).

The worker is ``manage.py rqworker --with-scheduler`` in a subprocess, on the test's own
database and media folder, and on one Redis database of its own (``RQ_TEST_REDIS_URL``, by
default db 9): tests using it are marked ``serial``. A database that only exists inside the
test process (in-memory SQLite) cannot be shared: those tests are skipped there, and run on
PostgreSQL (CI's second run) or with ``--reuse-db`` (SQLite files, ``./dev test``).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("RQ_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


def database_url():
    """The test database as a URL another process can open, or None."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            return None
        return f"sqlite:///{name}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return None


def redis_or_skip():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    return client


class Worker:
    """``start()``/``stop()`` a worker process; ``kill()`` stops it without a warm shutdown."""

    def __init__(self, media_root, extra_env=None):
        url = database_url()
        if url is None:
            pytest.skip("the test database is in memory: a worker process cannot open it")
        connection.ensure_connection()
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "TASKS_BACKEND": "django_tasks_rq.RQBackend",
            "RQ_REDIS_URL": REDIS_URL,
            "MEDIA_ROOT": str(media_root),
            "TASKS_RETRY_INTERVALS": ",".join(map(str, settings.TASKS_RETRY_INTERVALS)),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            **(extra_env or {}),
        }
        self.env.pop("PYTEST_XDIST_WORKER", None)
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "rqworker", "--with-scheduler", "default"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        return self

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self):
        if self.process is None or self.process.stderr is None or self.process.poll() is None:
            return ""
        return self.process.stderr.read().decode(errors="replace")[-4000:]


def wait_for(condition, *, timeout=60, interval=0.2, what="the worker"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
