"""/healthz and /readyz: unauthenticated, saying nothing but ok or unavailable; /readyz is 503
while the database, the cache (Redis) or the media storage is unreachable, and 200 again once
it is back."""

import pytest
from django.db import connection
from django.test import Client

from tests.rq_worker import REDIS_URL, database_url, redis_or_skip


def ready(client):
    response = client.get("/readyz")
    assert response["Cache-Control"] == "no-store"
    assert response.content in (b"ok\n", b"unavailable\n")  # nothing else revealed
    return response.status_code


def test_healthz_answers_any_host_over_plain_http(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client(HTTP_HOST="10.0.0.7").get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert Client(HTTP_HOST="10.0.0.7").get("/readyz").status_code == 200


def test_readyz_fails_while_the_storage_is_unreachable(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert ready(client) == 503  # not there
    settings.MEDIA_ROOT.mkdir()
    assert ready(client) == 200


@pytest.mark.serial
def test_readyz_fails_while_redis_is_unreachable(db, client, settings):
    redis_or_skip()

    def cache_at(url):
        return {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url}}

    settings.CACHES = cache_at(REDIS_URL)
    assert ready(client) == 200
    settings.CACHES = cache_at("redis://127.0.0.1:1/9")  # nothing listens there
    assert ready(client) == 503
    settings.CACHES = cache_at(REDIS_URL)
    assert ready(client) == 200


@pytest.mark.django_db(transaction=True)
def test_readyz_fails_while_the_database_is_unreachable(client):
    if database_url() is None:
        pytest.skip("an in-memory test database cannot be taken away")
    assert ready(client) == 200
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent/folder/db.sqlite3"
    else:
        connection.settings_dict["PORT"] = 1
    try:
        assert ready(client) == 503
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    assert ready(client) == 200
