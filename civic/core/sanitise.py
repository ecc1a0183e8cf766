"""Residents' writing (forum threads and posts, comments on reports): whatever arrives, what
is stored is safe HTML from an allow-list (nh3), or the body is refused.

Plain text (the phone app sends it) becomes paragraphs, and so do lines of inline markup.
Markup is measured before it is cleaned: too long or nested too deep is refused rather than
silently truncated, so nothing the author did not write is stored.
"""

import re
from html import escape
from html.parser import HTMLParser

import nh3
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civic.core.errors import DomainError

ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"
TAG_LIKE = re.compile(r"<[a-zA-Z/!?]")
BLOCK_TAG = re.compile(r"<(p|br|ul|ol|li|blockquote|pre)\b", re.IGNORECASE)
VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "wbr"}


class BodyEmpty(DomainError):
    code = "body_empty"
    default_message = _("Write something: the text is empty.")


class BodyTooLong(DomainError):
    code = "body_too_long"
    default_message = _("The text is too long.")


class BodyTooDeep(DomainError):
    code = "body_too_deep"
    default_message = _("The text's formatting is nested too deeply.")


class _Depth(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.deepest = 0
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_TAGS:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS:
            self.depth = max(self.depth - 1, 0)

    def handle_data(self, data):
        self.text.append(data)


def _paragraphs(text, *, markup):
    """Blank lines separate paragraphs, single newlines break lines (as typed on a phone)."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>{}</p>".format(
            "<br>".join(line if markup else escape(line) for line in block.split("\n"))
        )
        for block in blocks
        if block
    )


def _measure(html):
    parser = _Depth()
    parser.feed(html)
    parser.close()
    return parser.deepest


def clean_body(raw, *, field="body", limit=None):
    """The safe HTML to store for ``raw`` (at most ``limit`` characters, the forums' by
    default); raises body_too_long, body_too_deep, body_empty."""
    raw = raw or ""
    limit = limit or settings.FORUMS_MAX_BODY
    if len(raw) > limit:
        raise BodyTooLong(
            _("At most %(limit)s characters (it has %(count)s).")
            % {"limit": limit, "count": len(raw)},
            field=field,
        )
    if not TAG_LIKE.search(raw):
        raw = _paragraphs(raw, markup=False)
    else:
        if _measure(raw) > settings.FORUMS_MAX_DEPTH:
            raise BodyTooDeep(field=field)
        if not BLOCK_TAG.search(raw):
            raw = _paragraphs(raw, markup=True)
    html = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
    if not plain_text(html).strip():
        raise BodyEmpty(field=field)
    return html


def plain_text(html):
    """The text of stored HTML (for search snippets, notifications and emptiness)."""
    parser = _Depth()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.text).split())
