"""Answers to public reads, kept in the shared cache for anonymous readers.

An anonymous reader of a public list (the GraphQL feeds, Open311's requests) or of a page
(``cached_page``: no session, so nothing on it is theirs) sees what every other one sees, so
the answer is computed once and served from the cache until what it shows changes. Each answer
belongs to one or more *namespaces* (``reports``, ``forums``, ``portal``, ``rewards``); its key
carries their current versions, and :func:`forget` moves a namespace's version on (now, and
again when the transaction commits, so that no request caches the state from before the
change). Old entries are never looked up again and expire. ``civic.api.receivers`` moves the
versions on: the apps' events and any save or delete of their models. A change that neither
sends an event nor saves a model (a bulk ``update``) is seen after ``PUBLIC_CACHE_SECONDS`` at
most, the entries' lifetime; 0 turns the cache off.

Only callers that know the reader is anonymous and the answer does not depend on who asks may
use it: the key holds what the answer depends on besides the data (the request, the language,
the host), never a user.
"""

import functools
import hashlib
import json
import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils.translation import get_language

NAMESPACES = ("reports", "forums", "portal", "rewards")


def _version_key(namespace):
    return f"public:version:{namespace}"


def enabled():
    return settings.PUBLIC_CACHE_SECONDS > 0


def key(namespaces, *parts):
    """The cache key of an answer that depends on ``namespaces``' data and on ``parts`` (plain
    JSON values), at their current versions."""
    names = sorted(namespaces)
    found = cache.get_many([_version_key(name) for name in names])
    versions = [found.get(_version_key(name), 0) for name in names]
    text = json.dumps([names, versions, parts], sort_keys=True, separators=(",", ":"))
    return "public:answer:" + hashlib.sha256(text.encode()).hexdigest()


def get(cache_key):
    return cache.get(cache_key)


def put(cache_key, value):
    cache.set(cache_key, value, settings.PUBLIC_CACHE_SECONDS)


def _bump(namespace):
    try:
        cache.incr(_version_key(namespace))
    except ValueError:
        cache.set(_version_key(namespace), 1, None)


# One function per namespace, so that a transaction saving many rows bumps each once more on
# commit, not once per row.
_BUMPS = {namespace: functools.partial(_bump, namespace) for namespace in NAMESPACES}


def forget(*namespaces):
    """Every cached answer from ``namespaces`` is stale from now on."""
    connection = transaction.get_connection()
    for namespace in namespaces:
        bump = _BUMPS[namespace]
        bump()
        if connection.in_atomic_block and not any(
            entry[1] is bump for entry in connection.run_on_commit
        ):
            transaction.on_commit(bump)


# A page keeps no one's CSRF token: each form's token is replaced by this mark when the page is
# stored, and the mark by the reader's own token when it is served.
_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
_CSRF_MARK = b"public-cache-csrf-token"
_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def _without_tokens(request, content):
    """``content`` with its CSRF fields marked, or None if the reader's CSRF secret is still in
    it some other way (the page is then not stored)."""
    content = _CSRF_FIELD.sub(rb"\1" + _CSRF_MARK + rb"\2", content)
    secret = request.META.get("CSRF_COOKIE")
    if secret and any(
        _unmask_cipher_token(token.decode()) == secret for token in _TOKEN.findall(content)
    ):
        return None
    return content


def _nobody(request):
    """A reader with no session and no messages waiting: nothing on a page can be theirs."""
    names = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name}
    return request.method == "GET" and not request.GET and not names & set(request.COOKIES)


def cached_page(*namespaces):
    """A view decorator: pages answered to readers without a session (no query string) are
    kept per address and language until ``namespaces`` change."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not enabled() or not _nobody(request):
                return view(request, *args, **kwargs)
            cache_key = key(namespaces, "page", request.build_absolute_uri(), get_language())
            stored = get(cache_key)
            if stored is not None:
                content, content_type = stored
                token = get_token(request).encode()
                return HttpResponse(content.replace(_CSRF_MARK, token), content_type=content_type)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                if not getattr(response, "is_rendered", True):
                    response.render()
                content = _without_tokens(request, response.content)
                if content is not None:
                    put(cache_key, (content, response["Content-Type"]))
            return response

        return wrapper

    return decorate
