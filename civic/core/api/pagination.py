"""Keyset ("seek") pagination for every list in the API.

Cursors carry the ordering key of the last row seen, so the next page is an index range scan
(see ``_after_filter``) however deep the client scrolls, and rows added meanwhile neither repeat
nor vanish. They are signed, so the server only ever reads back keys it wrote itself. Each list
orders by fields ending in a unique one (the primary key or a unique code).
"""

import json

import graphene
from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civic.core.errors import DomainError

# Our cursors are under a hundred characters (a long name's a couple of thousand); anything much
# longer is not one of them, and is refused before its signature is computed.
MAX_CURSOR_LENGTH = 4096


class InvalidCursor(DomainError):
    code = "invalid_cursor"
    default_message = _("The cursor is not valid for this list.")


class InvalidPageSize(DomainError):
    code = "invalid_page_size"
    default_message = _("Ask for between 1 and the maximum page size of items.")


def connection_args():
    return {
        "first": graphene.Int(
            description="Page size; the default and the maximum are in the API guide."
        ),
        "after": graphene.String(description="The endCursor of the previous page."),
    }


class _CursorSerializer:
    """JSON, with the dates and times of ordering keys written as text (Django reads them
    back when filtering)."""

    @staticmethod
    def dumps(values):
        return json.dumps(values, default=str, separators=(",", ":")).encode()

    @staticmethod
    def loads(data):
        return json.loads(data)


def _signer(ordering):
    # Salted with the ordering, so a cursor of one list does not fit another.
    return signing.Signer(salt=f"civic.cursor:{','.join(ordering)}")


def cursor_for(row, ordering):
    """The cursor that points just after ``row`` in ``ordering``."""
    values = [getattr(row, name.lstrip("-")) for name in ordering]
    return _signer(ordering).sign_object(values, serializer=_CursorSerializer)


def _decode(cursor, ordering):
    """The ordering key inside ``cursor``. Cursors are signed: one the server did not give for
    this ordering (forged, edited, cut short, from another list) is refused before any of it is
    read, so no value the database could choke on reaches a query."""
    if not isinstance(cursor, str) or len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursor(field="after")
    try:
        values = _signer(ordering).unsign_object(cursor, serializer=_CursorSerializer)
    except (signing.BadSignature, ValueError, UnicodeError):
        raise InvalidCursor(field="after") from None
    if not isinstance(values, list) or len(values) != len(ordering):
        raise InvalidCursor(field="after")
    return values


def after_cursor(queryset, ordering, cursor):
    """``queryset`` narrowed to the rows after ``cursor`` in ``ordering``; InvalidCursor when
    the cursor is not one this list gave."""
    return queryset.filter(_after_filter(ordering, _decode(cursor, ordering)))


def _after_filter(ordering, values):
    """Rows strictly after ``values`` in ``ordering``: (a > x) or (a = x and b > y) or …, and
    the same bound on the first key alone, a >= x. The second is implied by the first, but
    a database cannot turn the OR into an index range; with ``a >= x`` beside it, PostgreSQL
    seeks the index to x and the OR only drops the few rows that tie with it, instead of
    walking the index from the top and discarding every row before the cursor."""
    condition = Q()
    equal_so_far = Q()
    for name, value in zip(ordering, values, strict=True):
        field = name.lstrip("-")
        op = "lt" if name.startswith("-") else "gt"
        condition |= equal_so_far & Q(**{f"{field}__{op}": value})
        equal_so_far &= Q(**{field: value})
    first = ordering[0]
    bound = "lte" if first.startswith("-") else "gte"
    return Q(**{f"{first.lstrip('-')}__{bound}": values[0]}) & condition


def page_size(first):
    maximum = settings.GRAPHQL_MAX_PAGE_SIZE
    if first is None:
        return settings.GRAPHQL_DEFAULT_PAGE_SIZE
    if not 1 <= first <= maximum:
        raise InvalidPageSize(
            _("Ask for between 1 and %(max)s items.") % {"max": maximum}, field="first"
        )
    return first


def paginate(connection_type, queryset, *, ordering, first=None, after=None, prepare=None):
    """One page of ``queryset`` as a Relay connection of ``connection_type``.

    ``prepare``, if given, receives the page's objects before they are returned (to attach
    prefetched data in a fixed number of queries).
    """
    size = page_size(first)
    queryset = queryset.order_by(*ordering)
    if after:
        queryset = after_cursor(queryset, ordering, after)
    return page_of_rows(
        connection_type,
        list(queryset[: size + 1]),
        ordering=ordering,
        size=size,
        after=after,
        prepare=prepare,
    )


def page_of_rows(connection_type, rows, *, ordering, size, after=None, prepare=None):
    """A connection of the first ``size`` of ``rows`` (up to ``size + 1`` rows in ``ordering``,
    already fetched: the first page of each of many lists loaded in one query)."""
    has_next = len(rows) > size
    rows = rows[:size]
    if prepare is not None and rows:
        prepare(rows)
    edges = [connection_type.Edge(node=row, cursor=cursor_for(row, ordering)) for row in rows]
    return connection_type(
        edges=edges,
        page_info=graphene.relay.PageInfo(
            has_next_page=has_next,
            has_previous_page=bool(after),
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )
