"""Loaded with ``-p`` (pyproject) before pytest-django configures Django: the test run's
environment. Tests run with DEBUG off, as production does; the database comes from
DATABASE_URL when set (CI runs the suite on SQLite and on PostgreSQL)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("WHITENOISE_USE_FINDERS", "true")
