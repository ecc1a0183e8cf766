"""An Open311 client against a live server, over the reports tests' world.

``open311`` speaks the protocol as a client written elsewhere would: form-encoded POSTs, the
format chosen by the URL's suffix, and both formats read back into the same Python structure
(XML through the Spark convention the specification uses for its JSON), so one assertion
checks both.
"""

import json
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest
import requests

from civic.core.permissions import SYSTEM
from reports.models import CategoryQuestion
from reports.open311 import services
from tests.reports.conftest import submit, world  # noqa: F401  (fixtures)

FORMATS = ["json", "xml"]
LIST_ELEMENTS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
IN_DW = {"lat": "40.45", "long": "-3.7"}


def from_xml(element):
    """An XML element as the specification's JSON for it."""
    if element.tag in LIST_ELEMENTS:
        item = LIST_ELEMENTS[element.tag]
        assert all(child.tag == item for child in element), [c.tag for c in element]
        return [from_xml(child) for child in element]
    if len(element):
        return {child.tag: from_xml(child) for child in element}
    text = element.text
    return {"true": True, "false": False}.get(text, text)


class Answer(SimpleNamespace):
    """A response: ``status``, ``content_type``, ``raw`` bytes, and ``data`` parsed."""


def _read(response, fmt):
    answer = Answer(
        status=response.status_code,
        content_type=response.headers.get("Content-Type"),
        raw=response.content,
        root=None,
    )
    if fmt == "json":
        answer.data = json.loads(response.content.decode("utf-8"))
    else:
        assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        root = ElementTree.fromstring(response.content)  # raises unless well-formed
        answer.root = root.tag
        answer.data = from_xml(root)
    return answer


class Open311Client:
    def __init__(self, base, key):
        self.base = base
        self.key = key

    def get(self, resource, fmt="json", **params):
        response = requests.get(
            f"{self.base}/{resource}.{fmt}",
            params=params,
            headers={"Accept-Language": "en"},
            timeout=30,
        )
        return _read(response, fmt)

    def post(self, fmt="json", *, key=None, data=(), **fields):
        """POST requests.{fmt}; ``data`` holds repeated pairs such as ``attribute[x][]``."""
        body = list(data) + list(fields.items())
        if key is not False:
            body.append(("api_key", key or self.key))
        response = requests.post(
            f"{self.base}/requests.{fmt}",
            data=body,
            headers={"Accept-Language": "en"},
            timeout=30,
        )
        return _read(response, fmt)


@pytest.fixture(autouse=True)
def _media(media_root):
    """Every Open311 test stores its photos in a folder of its own."""


@pytest.fixture
def accept_language():
    """The admin's key screens are checked in English unless a test says otherwise."""
    return "en"


@pytest.fixture
def hazards(world):  # noqa: F811
    """A multi-value list question on potholes."""
    return CategoryQuestion.objects.create(
        category=world.pothole,
        code="hazards",
        label="有哪些危险？",
        label_en="What hazards are there?",
        datatype="multivaluelist",
        options="traffic|车流|Traffic\nschool|学校|School nearby\nwater|积水|Standing water",
        sort_order=3,
    )


@pytest.fixture
def issued(world):  # noqa: F811
    return services.issue_key(SYSTEM, name="FixIt app", contact="dev@fixit.example")


@pytest.fixture
def open311(live_server, issued):
    return Open311Client(f"{live_server.url}/open311/v2", issued.raw)
