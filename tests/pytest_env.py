"""Loaded with ``-p`` (pyproject) before pytest-django configures Django: the test run's
environment. Tests run with DEBUG off, as production does; the database comes from
DATABASE_URL when set (CI runs the suite on SQLite and on PostgreSQL)."""

import os
from urllib.parse import urlsplit

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("WHITENOISE_USE_FINDERS", "true")

# Under pytest-xdist each worker (gw0, gw1, …) clears the cache between tests, and clearing a
# Redis cache empties its whole database: worker n takes the n-th database below REDIS_URL's.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("REDIS_URL"):
    _url = urlsplit(os.environ["REDIS_URL"])
    _database = (int(_url.path.strip("/") or 0) - int(_worker.removeprefix("gw"))) % 16
    os.environ["REDIS_URL"] = _url._replace(path=f"/{_database}").geturl()
