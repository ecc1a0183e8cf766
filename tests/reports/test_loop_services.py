"""The report loop through the service layer: every transition, its events and signals."""

import pytest

from civic.core.errors import Forbidden
from reports import events, services
from reports.models import EventKind, Report, State
from tests.reports.conftest import MADRID, photo_bytes


@pytest.fixture
def signals():
    received = []

    def receiver(signal, **kwargs):
        received.append((signal, kwargs))

    for signal in events.SIGNAL_FOR_EVENT.values():
        signal.connect(receiver, weak=False)
    yield received
    for signal in events.SIGNAL_FOR_EVENT.values():
        signal.disconnect(receiver)


@pytest.mark.django_db(transaction=True)
def test_photo_with_gps_goes_all_the_way_round(world, signals):
    report = services.submit_report(
        world.resident,
        category=world.pothole,
        description="路面塌陷",
        photos=[photo_bytes("iphone6_gps_madrid.jpg")],
        answers={"size": "large", "depth_cm": "12"},
        client_request_id="a1",
    )
    assert (round(report.lat, 5), round(report.lon, 5)) == (
        round(MADRID[0], 5),
        round(MADRID[1], 5),
    )
    assert report.location_source == "photo"
    assert report.area.code == "DW-G1"
    assert report.department == world.roads
    assert report.answers == {"size": "large", "depth_cm": 12}
    assert report.photos.count() == 1

    services.accept(world.dispatcher, report)
    services.assign(world.dispatcher, report, handler=world.handler)
    services.start(world.handler, report)
    services.resolve(
        world.handler,
        report,
        message="已修补",
        photos=[photo_bytes("portrait_orientation6.jpg")],
    )
    services.rate(world.resident, report, rating=5, comment="很快")
    report.refresh_from_db()
    assert report.state == State.CLOSED
    assert report.rating == 5
    kinds = list(report.events.values_list("kind", flat=True))
    # "路面塌陷" (the road caved in) is a danger cue: intake raised the priority, on the timeline.
    assert kinds == [
        "submitted",
        "priority",
        "accepted",
        "assigned",
        "started",
        "resolved",
        "rated",
    ]
    assert [s for s, _ in signals] == [
        events.report_submitted,
        events.report_prioritised,
        events.report_accepted,
        events.report_assigned,
        events.report_started,
        events.report_resolved,
        events.report_rated,
    ]
    assert report.photos.filter(kind="after").count() == 1


def test_retry_returns_the_same_report(world, submit):
    first = submit(client_request_id="retry-1")
    second = submit(client_request_id="retry-1")
    assert first.pk == second.pk
    assert Report.objects.count() == 1


def test_a_resident_cannot_move_a_report(world, submit):
    report = submit()
    with pytest.raises(Forbidden):
        services.accept(world.resident, report)
    with pytest.raises(Forbidden):
        services.accept(world.other_staff, report)
    assert Report.objects.get().state == State.SUBMITTED
    assert not Report.objects.get().events.exclude(kind=EventKind.SUBMITTED).exists()
