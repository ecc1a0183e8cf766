"""GeoReport v2 spoken over HTTP against a live server, in both formats, as a client would."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from civic.core.permissions import SYSTEM
from reports import services as report_services
from reports.models import Channel, Report, State
from reports.open311 import services
from reports.open311.models import ApiKey, Submission

from .conftest import CONTENT_TYPES, FORMATS, IN_DW

pytestmark = pytest.mark.django_db(transaction=True)

REQUEST_ELEMENTS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def w3c(value):
    """A W3C date-time with its zone, as the specification requires."""
    moment = parse_datetime(value)
    assert moment is not None, value
    assert moment.tzinfo is not None, value
    return moment


def seconds(moment):
    """What a W3C date-time keeps of a moment."""
    return moment.replace(microsecond=0)


def pothole(open311, fmt="json", *, data=(), **fields):
    fields = {"service_code": "pothole", **IN_DW, "description": "A deep hole", **fields}
    return open311.post(fmt, data=[("attribute[size]", "large"), *data], **fields)


def number(value):
    return int(value)


# --- Discovery and services ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_names_the_endpoint_and_its_formats(open311, fmt):
    answer = open311.get("discovery", fmt)
    assert answer.status == 200
    assert answer.content_type == CONTENT_TYPES[fmt]
    assert answer.root in (None, "discovery")
    assert set(answer.data) == {"changeset", "contact", "key_service", "endpoints"}
    w3c(answer.data["changeset"])
    [endpoint] = answer.data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == open311.base
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_list_every_active_category(open311, world, fmt):
    world.dumping.is_active = False
    world.dumping.save()
    answer = open311.get("services", fmt)
    assert answer.status == 200
    assert answer.content_type == CONTENT_TYPES[fmt]
    assert answer.root in (None, "services")
    by_code = {service["service_code"]: service for service in answer.data}
    assert set(by_code) == {"pothole", "graffiti", "fallen-tree", "noise"}
    assert by_code["pothole"] == {
        "service_code": "pothole",
        "service_name": "Pothole",
        "description": None if fmt == "xml" else "",
        "metadata": True,
        "type": "realtime",
        "keywords": "坑, hole, road",
        "group": "Roads",
    }
    assert by_code["graffiti"]["metadata"] is False


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_service_definition_gives_the_questions_as_attributes(open311, hazards, fmt):
    answer = open311.get("services/pothole", fmt)
    assert answer.status == 200
    assert answer.root in (None, "service_definition")
    assert answer.data["service_code"] == "pothole"
    size, depth, hazard = answer.data["attributes"]
    assert size == {
        "variable": True,
        "code": "size",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": None,
        "order": 1 if fmt == "json" else "1",
        "description": "How big is it?",
        "values": [{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}],
    }
    assert (depth["code"], depth["datatype"], depth["required"]) == ("depth_cm", "number", False)
    assert depth["values"] == []
    assert hazard["datatype"] == "multivaluelist"
    assert [value["key"] for value in hazard["values"]] == ["traffic", "school", "water"]
    assert [number(a["order"]) for a in answer.data["attributes"]] == [1, 2, 3]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_service_is_not_found(open311, fmt):
    answer = open311.get("services/no-such-thing", fmt)
    assert answer.status == 404
    assert answer.content_type == CONTENT_TYPES[fmt]
    assert answer.root in (None, "errors")
    [error] = answer.data
    assert set(error) == {"code", "description"}
    assert number(error["code"]) == 404
    assert "service_code" in error["description"]


# --- Submitting and reading back ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_submit_with_attributes_and_read_it_back(open311, world, hazards, issued, fmt):
    answer = pothole(
        open311,
        fmt,
        data=[
            ("attribute[depth_cm]", "12"),
            ("attribute[hazards][]", "traffic"),
            ("attribute[hazards][]", "water"),
        ],
        email="carol@example.net",
        first_name="Carol",
        last_name="Caller",
        phone="+86 10 1234 5678",
        device_id="device-42",
        account_id="acct-7",
    )
    assert answer.status == 200, answer.raw
    assert answer.root in (None, "service_requests")
    [created] = answer.data
    assert set(created) == {"service_request_id", "token", "service_notice", "account_id"}
    assert created["account_id"] == "acct-7"
    report_id = number(created["service_request_id"])

    report = Report.objects.get(pk=report_id)
    assert report.channel == Channel.OPEN311
    assert report.state == State.SUBMITTED
    assert report.department == world.roads
    assert report.answers == {"size": "large", "depth_cm": 12, "hazards": ["traffic", "water"]}
    assert report.reporter is None
    assert report.contact == {
        "name": "Carol Caller",
        "email": "carol@example.net",
        "phone": "+86 10 1234 5678",
        "open311_client": "FixIt app",
    }
    submission = Submission.objects.get(report=report)
    assert (submission.api_key, submission.device_id) == (issued.api_key, "device-42")
    assert ApiKey.objects.get(pk=issued.api_key.pk).last_used_at is not None

    answer = open311.get(f"requests/{report_id}", fmt)
    assert answer.status == 200
    [request] = answer.data
    assert list(request) == REQUEST_ELEMENTS
    assert number(request["service_request_id"]) == report_id
    assert request["status"] == "open"
    assert request["service_code"] == "pothole"
    assert request["service_name"] == "Pothole"
    assert request["description"] == "A deep hole"
    assert request["agency_responsible"] == "Roads"
    assert w3c(request["requested_datetime"]) == seconds(report.created_at)
    w3c(request["updated_datetime"])
    assert float(request["lat"]) == 40.45
    assert float(request["long"]) == -3.7
    assert request["media_url"] is None
    for private in (b"carol", b"Carol", b"1234", b"device-42", b"acct-7"):
        assert private not in answer.raw

    answer = open311.get(f"tokens/{created['token']}", fmt)
    assert answer.status == 200
    assert answer.data == [
        {"service_request_id": created["service_request_id"], "token": created["token"]}
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_submission_moves_through_the_staff_queue_and_closes(open311, world, client, fmt):
    [created] = pothole(open311, fmt).data
    report = Report.objects.get(pk=number(created["service_request_id"]))

    client.force_login(world.dispatcher)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    queue = client.get("/admin/report-queue/")
    assert queue.status_code == 200
    assert report.pk in [row.pk for row in queue.context["object_list"]]
    page = client.get(f"/admin/report-queue/{report.pk}/").content.decode()
    assert "Sent through the Open311 client" in page  # staff see which client sent it
    assert "FixIt app" in page

    def act(user, action, data):
        client.force_login(user)
        response = client.post(f"/admin/report-queue/{report.pk}/act/{action}/", data)
        assert response.status_code == 302

    act(world.dispatcher, "accept", {"accept-message": "We will fix it"})
    answer = open311.get(f"requests/{report.pk}", fmt)
    [request] = answer.data
    assert (request["status"], request["status_notes"]) == ("open", "We will fix it")
    expected = w3c(request["expected_datetime"])
    assert expected == seconds(Report.objects.get(pk=report.pk).resolve_deadline)

    act(
        world.dispatcher,
        "assign",
        {"assign-department": world.roads.pk, "assign-handler": world.handler.pk},
    )
    act(world.handler, "note", {"note-message": "Internal: contractor is slow"})
    act(world.handler, "resolve", {"resolve-message": "Filled the hole"})
    assert Report.objects.get(pk=report.pk).state == State.RESOLVED

    answer = open311.get(f"requests/{report.pk}", fmt)
    [request] = answer.data
    assert request["status"] == "closed"
    assert request["status_notes"] == "Filled the hole"
    assert w3c(request["updated_datetime"]) == seconds(Report.objects.get(pk=report.pk).resolved_at)
    assert b"contractor" not in answer.raw


# --- GET requests: filters, window, paging ------------------------------------------------------


def _file(world, *, days_ago=0, category=None, resolved=False):
    report = report_services.submit_report(
        world.resident,
        category=category or world.graffiti,
        description="filed",
        lat=40.45,
        lon=-3.7,
    )
    if resolved:
        dispatcher = world.dispatcher if report.department == world.roads else world.other_staff
        report_services.accept(dispatcher, report)
        report_services.resolve(dispatcher, report, message="done")
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return report.pk


@pytest.mark.parametrize("fmt", FORMATS)
def test_filter_requests_by_status_service_and_dates(open311, world, fmt):
    recent_open = _file(world, days_ago=1)
    recent_closed = _file(world, days_ago=2, resolved=True)
    month_old = _file(world, days_ago=30, category=world.noise)
    too_old = _file(world, days_ago=95)

    def ids(**params):
        answer = open311.get("requests", fmt, **params)
        assert answer.status == 200, answer.raw
        return [number(request["service_request_id"]) for request in answer.data or []]

    # The default window is the most recent 90 days, newest first.
    assert ids() == [recent_open, recent_closed, month_old]
    assert ids(status="open") == [recent_open, month_old]
    assert ids(status="closed") == [recent_closed]
    assert ids(status="open,closed") == [recent_open, recent_closed, month_old]
    assert ids(service_code="noise") == [month_old]
    assert ids(service_code="noise,graffiti") == [recent_open, recent_closed, month_old]
    now = timezone.now()
    assert ids(
        start_date=(now - timedelta(days=120)).isoformat(),
        end_date=(now - timedelta(days=50)).isoformat(),
    ) == [too_old]
    assert ids(start_date=(now - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")) == [
        recent_open,
        recent_closed,
    ]
    assert ids(end_date=(now - timedelta(days=10)).isoformat()) == [month_old, too_old]
    # service_request_id overrides every other filter.
    assert ids(service_request_id=f"{too_old},{recent_open}", status="closed") == [
        recent_open,
        too_old,
    ]
    # Paging, the extension clients use.
    assert ids(page_size=2) == [recent_open, recent_closed]
    assert ids(page_size=2, page=2) == [month_old]


def test_the_default_limit_is_a_thousand(open311, settings, world):
    settings.OPEN311_MAX_REQUESTS = 2
    for _ in range(3):
        _file(world)
    assert len(open311.get("requests").data) == 2
    assert open311.get("requests", page_size=3).status == 400


# --- Errors -------------------------------------------------------------------------------------


def _error(answer, status):
    assert answer.status == status, answer.raw
    assert answer.root in (None, "errors")
    assert answer.data, answer.raw
    for error in answer.data:
        assert set(error) == {"code", "description"}
        assert number(error["code"]) == status
    return " | ".join(error["description"] for error in answer.data)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_error_answers_in_the_requested_format(open311, world, issued, fmt):
    assert Report.objects.count() == 0
    assert "api_key" in _error(pothole(open311, fmt, key=False), 403)
    assert "api_key" in _error(pothole(open311, fmt, key="not-a-key"), 403)
    text = _error(pothole(open311, fmt, service_code="no-such-thing"), 404)
    assert "service_code" in text
    text = _error(open311.post(fmt, service_code="pothole", **IN_DW), 400)
    assert "attribute[size]" in text
    assert "needs an answer" in text
    text = _error(
        pothole(open311, fmt, data=[("attribute[size]", "huge")]),
        400,
    )
    assert "attribute[size]" in text
    text = _error(pothole(open311, fmt, lat="39.05", long="-94.29"), 400)
    assert "outside the city" in text
    assert "lat" in _error(pothole(open311, fmt, lat="north", long="1"), 400)
    assert "together" in _error(pothole(open311, fmt, lat="40.4", long=""), 400)
    text = _error(pothole(open311, fmt, lat="", long="", address_string="1 Nowhere Lane"), 400)
    assert "address_string" in text
    assert "lat" in _error(pothole(open311, fmt, lat="", long=""), 400)
    text = _error(pothole(open311, fmt, media_url="http://169.254.169.254/latest/"), 400)
    assert "media_url" in text
    text = _error(pothole(open311, fmt, jurisdiction_id="elsewhere.example"), 404)
    assert "jurisdiction_id" in text
    assert Report.objects.count() == 0

    assert "start_date" in _error(open311.get("requests", fmt, start_date="yesterday"), 400)
    assert "end_date" in _error(open311.get("requests", fmt, end_date="2026-13-45T00:00Z"), 400)
    text = _error(
        open311.get(
            "requests", fmt, start_date="2026-01-01T00:00:00Z", end_date="2026-06-01T00:00:00Z"
        ),
        400,
    )
    assert "90 days" in text
    assert "status" in _error(open311.get("requests", fmt, status="pending"), 400)
    assert "service_request_id" in _error(open311.get("requests/999999", fmt), 404)
    assert "token" in _error(open311.get("tokens/abc123", fmt), 404)
    assert "service_request_id" in _error(open311.get("requests/abc", fmt), 404)
    assert "Resource" in _error(open311.get("nothing/here", fmt), 404)
    text = _error(open311.post(fmt, service_code="", **IN_DW), 400)
    assert "service_code" in text
    assert "jurisdiction_id" in _error(
        open311.get("services", fmt, jurisdiction_id="elsewhere.example"), 404
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_revoked_key_is_refused(open311, issued, fmt):
    assert pothole(open311, fmt).status == 200
    services.revoke_key(SYSTEM, issued.api_key)
    assert "api_key" in _error(pothole(open311, fmt), 403)


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_key_has_its_own_rate_limit(open311, live_server, world, fmt):
    limited = services.issue_key(SYSTEM, name="Busy client", rate_limit=2)
    for _ in range(2):
        assert pothole(open311, fmt, key=limited.raw).status == 200
    answer = pothole(open311, fmt, key=limited.raw)
    assert "minute" in _error(answer, 429)
    assert pothole(open311, fmt).status == 200  # another key is not held back
    assert Report.objects.count() == 3


def test_the_jurisdiction_id_of_this_city_is_accepted(open311, settings):
    answer = open311.get("services", jurisdiction_id=settings.OPEN311_JURISDICTION_ID)
    assert answer.status == 200


def test_other_methods_are_refused(open311):
    import requests

    response = requests.delete(f"{open311.base}/requests.json", timeout=30)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"
    assert response.json()[0]["code"] == 405
