"""GeoReport v2 documents: one structure of plain values, written as XML or as JSON.

The specification's JSON is the XML mapped by the Spark convention: a list element (``services``,
``attributes``…) becomes a JSON array of its items, and the root of a list document is the
array itself. So each document is built once, as dicts and lists, and the XML writer only needs
to know the element name of a list's items.
"""

import json
from xml.etree import ElementTree

from django.http import HttpResponse
from django.utils import timezone

XML_CONTENT_TYPE = "text/xml; charset=utf-8"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
FORMATS = {"xml": "text/xml", "json": "application/json"}

# A list element's name → its items' element name, as in the specification's examples.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


def w3c(moment):
    """A W3C date-time with the city's UTC offset, e.g. 2026-05-01T08:30:00+08:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _append(parent, name, value):
    element = ElementTree.SubElement(parent, name)
    _fill(element, name, value)


def _fill(element, name, value):
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, list):
        for item in value:
            _append(element, ITEM_NAMES[name], item)
    else:
        element.text = _text(value)


XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'


def to_xml(root, body):
    if isinstance(body, dict | list):
        element = ElementTree.Element(root)
        _fill(element, root, body)
        return XML_DECLARATION + ElementTree.tostring(
            element, encoding="utf-8", xml_declaration=False
        )
    # A list given one item at a time: each written as it comes, the same bytes as a list.
    parts = [XML_DECLARATION, f"<{root}>".encode()]
    for item in body:
        element = ElementTree.Element(ITEM_NAMES[root])
        _fill(element, ITEM_NAMES[root], item)
        parts.append(ElementTree.tostring(element, encoding="utf-8", xml_declaration=False))
    if len(parts) == 2:
        return XML_DECLARATION + f"<{root} />".encode()
    parts.append(f"</{root}>".encode())
    return b"".join(parts)


def to_json(body):
    if isinstance(body, dict | list):
        return json.dumps(body, ensure_ascii=False).encode()
    # A list given one item at a time: each written as it comes, the same bytes as a list.
    encode = json.JSONEncoder(ensure_ascii=False).encode
    return ("[" + ", ".join(encode(item) for item in body) + "]").encode()


def respond(fmt, root, body, *, status=200):
    """The document as an HTTP response in the requested format. ``body`` is a dict, a list,
    or for a list document any iterable of its items (written as they are made, so the items
    need not all be kept)."""
    content = to_json(body) if fmt == "json" else to_xml(root, body)
    return respond_with(fmt, content, status=status)


def respond_with(fmt, content, *, status=200):
    """An HTTP response of a document already written in ``fmt``."""
    content_type = JSON_CONTENT_TYPE if fmt == "json" else XML_CONTENT_TYPE
    return HttpResponse(content, content_type=content_type, status=status)


def errors(fmt, status, descriptions):
    """The specification's error document: ``[{code, description}, …]`` with the HTTP status as
    each error's code."""
    body = [{"code": status, "description": str(text)} for text in descriptions]
    return respond(fmt, "errors", body, status=status)
