"""GraphQL documents without the parsing: validated documents cached, persisted operations.

Parsing and validating a document costs milliseconds before any resolver runs, and the app
sends the same few documents over and over. So:

* **Validated documents are cached** per process, keyed by the SHA-256 of the document's text
  and the limits in force (depth, aliases, cost, page sizes, introspection), in a bounded LRU
  (``GRAPHQL_DOCUMENT_CACHE_SIZE`` entries). Only documents that passed every rule are kept; a
  refused one is parsed and refused again each time, so its errors are always fresh.
* **Persisted operations**: each operation in ``frontend_schema/operations/`` (with the
  fragments it spreads appended, as :func:`with_fragments` writes it) is registered under the
  SHA-256 of that text. The app sends the hash instead of the document (Apollo's
  ``extensions.persistedQuery.sha256Hash``, or ``id``), as listed in
  ``frontend_schema/persisted_operations.json``. With ``GRAPHQL_PERSISTED_ONLY`` on, documents
  that are not registered are refused.
"""

import hashlib
import json
import re
import threading
from collections import OrderedDict
from functools import cache

from django.conf import settings
from graphql import GraphQLError, parse, validate

from civic.core.errors import register_code

PERSISTED_QUERY_NOT_FOUND = register_code(
    "persisted_query_not_found",
    "No operation is registered under the persisted query's hash: the app is newer or older "
    "than the server's list (frontend_schema/persisted_operations.json).",
)
PERSISTED_QUERY_REQUIRED = register_code(
    "persisted_query_required",
    "The server accepts only persisted operations (GRAPHQL_PERSISTED_ONLY): send the "
    "operation's hash, not a document.",
)
PERSISTED_QUERY_INVALID = register_code(
    "persisted_query_invalid",
    "The persisted query's hash is not 64 hexadecimal digits, or its extensions are not JSON.",
)

_FRAGMENT_SPREAD = re.compile(r"\.\.\.\s*([A-Z]\w*)")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def with_fragments(text, fragments):
    """The operation's text followed by the fragments it spreads (and those they spread), in
    the order they are first spread: the exact text a persisted operation's hash is taken of."""
    used = {}
    pending = [text]
    while pending:
        for name in _FRAGMENT_SPREAD.findall(pending.pop(0)):
            if name in fragments and name not in used:
                used[name] = fragments[name]
                pending.append(fragments[name])
    return "\n".join([text, *used.values()])


def operation_files():
    """``(fragments, operations)``: name → text of the files in ``GRAPHQL_OPERATIONS_DIR``;
    files holding only fragments are shared by the operations that spread them."""
    texts = {
        path.stem: path.read_text()
        for path in sorted(settings.GRAPHQL_OPERATIONS_DIR.glob("*.graphql"))
    }
    fragments = {n: t for n, t in texts.items() if t.lstrip().startswith("fragment ")}
    operations = {n: t for n, t in texts.items() if n not in fragments}
    return fragments, operations


def manifest():
    """Operation name → ``{"sha256", "document"}``: what ``persisted_operations.json`` holds."""
    fragments, operations = operation_files()
    entries = {}
    for name, text in operations.items():
        document = with_fragments(text, fragments)
        entries[name] = {"sha256": sha256(document), "document": document}
    return entries


@cache
def registered():
    """Hash → document of every persisted operation, read once per process."""
    return {entry["sha256"]: entry["document"] for entry in manifest().values()}


def persisted_hash(data):
    """The hash a request names (``extensions.persistedQuery.sha256Hash``, or ``id``), or None.
    Raises GraphQLError (``persisted_query_invalid``) for one that cannot be a hash."""
    extensions = data.get("extensions")
    if isinstance(extensions, str):
        try:
            extensions = json.loads(extensions)
        except ValueError:
            raise _invalid() from None
    value = None
    if isinstance(extensions, dict) and "persistedQuery" in extensions:
        persisted = extensions["persistedQuery"]
        value = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        if value is None:
            raise _invalid()
    elif data.get("id") is not None:
        value = data["id"]
    if value is None:
        return None
    if not isinstance(value, str) or not _SHA256.fullmatch(value.lower()):
        raise _invalid()
    return value.lower()


def _invalid():
    return GraphQLError(
        "persistedQuery.sha256Hash (or id) must be the 64 hexadecimal digits of an operation's "
        "SHA-256, and extensions a JSON object.",
        extensions={"code": PERSISTED_QUERY_INVALID},
    )


def persisted_document(digest):
    """The registered document for ``digest``; GraphQLError ``persisted_query_not_found``."""
    document = registered().get(digest)
    if document is None:
        raise GraphQLError(
            "No operation is registered under this hash: update the app, or send the document.",
            extensions={"code": PERSISTED_QUERY_NOT_FOUND, "sha256Hash": digest},
        )
    return document


def refuse_arbitrary():
    return GraphQLError(
        "This server runs only the app's registered operations: send "
        "extensions.persistedQuery.sha256Hash (see frontend_schema/persisted_operations.json).",
        extensions={"code": PERSISTED_QUERY_REQUIRED},
    )


class DocumentCache:
    """A bounded, thread-safe LRU of validated documents."""

    def __init__(self):
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            document = self._entries.get(key)
            if document is not None:
                self._entries.move_to_end(key)
            return document

    def put(self, key, document):
        with self._lock:
            self._entries[key] = document
            self._entries.move_to_end(key)
            while len(self._entries) > settings.GRAPHQL_DOCUMENT_CACHE_SIZE:
                self._entries.popitem(last=False)

    def __len__(self):
        return len(self._entries)

    def clear(self):
        with self._lock:
            self._entries.clear()


documents = DocumentCache()


def _limits():
    return (
        settings.GRAPHQL_MAX_DEPTH,
        settings.GRAPHQL_MAX_ALIASES,
        settings.GRAPHQL_MAX_COST,
        settings.GRAPHQL_COST_LIST_SIZE,
        settings.GRAPHQL_MAX_PAGE_SIZE,
        settings.GRAPHQL_DEFAULT_PAGE_SIZE,
        settings.GRAPHQL_INTROSPECTION,
    )


def validated_document(schema, query, rules, max_errors=None):
    """``(document, errors)``: the parsed document that passed ``rules`` (from the cache when
    this text was validated under the same rules and limits before), or the errors."""
    key = (sha256(query), tuple(rules), _limits())
    document = documents.get(key)
    if document is not None:
        return document, []
    try:
        document = parse(query)
    except GraphQLError as error:  # a syntax error
        return None, [error]
    errors = validate(schema, document, rules, max_errors=max_errors)
    if errors:
        return None, errors
    documents.put(key, document)
    return document, []
