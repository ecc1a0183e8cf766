"""Area alerts: a new or resolved public report in a watched place tells each watcher once;
outside it, nobody; a sensitive report's alert carries only its public place."""

import pytest
from graphql_relay import to_global_id

from civic.notifications import services
from civic.notifications.models import AreaAlert, Kind, Notification
from tests.reports.conftest import submit, world  # noqa: F401  (fixtures)
from tests.reports.test_portal_views import resolved
from tests.reports.test_reports_api import phones  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """The reports' signals are sent on commit: run a call and what it left for then."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


ALERTS = "query { myAreaAlerts { id radiusM lat lon area { code } } }"
CREATE = """mutation M($input: CreateAreaAlertInput!) {
  createAreaAlert(input: $input) { errors { field code } areaAlert { id radiusM } } }"""
DELETE = """mutation M($input: DeleteAreaAlertInput!) {
  deleteAreaAlert(input: $input) { errors { field code } } }"""


def alerts_of(user, kind=Kind.AREA_NEW_REPORT):
    return list(Notification.objects.filter(user=user, kind=kind))


def test_a_new_report_in_a_watched_place_tells_each_watcher_once(
    world,  # noqa: F811
    submit,  # noqa: F811
    make_user,
    committed,
):
    both = make_user(email="both@example.org")
    services.create_area_alert(both, area=world.areas["DW"])
    services.create_area_alert(both, lat=40.45, lon=-3.7, radius_m=500)  # holds it too
    circle = make_user(email="circle@example.org")
    services.create_area_alert(circle, lat=40.452, lon=-3.7, radius_m=300)
    far = make_user(email="far@example.org")
    services.create_area_alert(far, lat=40.47, lon=-3.7, radius_m=300)  # 2 km away
    east = make_user(email="east@example.org")
    services.create_area_alert(east, area=world.areas["DE"])
    services.create_area_alert(world.resident, area=world.areas["DW"])  # the reporter

    report = committed(submit, lat=40.45, lon=-3.7)
    assert len(alerts_of(both)) == 1
    assert len(alerts_of(circle)) == 1
    assert alerts_of(far) == []
    assert alerts_of(east) == []
    assert alerts_of(world.resident) == []
    told = alerts_of(both)[0]
    assert told.data == {"reportId": report.pk, "lat": 40.45, "lon": -3.7}
    assert told.url == f"/reports/{report.pk}/"

    committed(resolved, world, report)
    assert len(alerts_of(both, Kind.AREA_REPORT_RESOLVED)) == 1
    assert len(alerts_of(circle, Kind.AREA_REPORT_RESOLVED)) == 1
    assert alerts_of(far, Kind.AREA_REPORT_RESOLVED) == []


def test_a_sensitive_reports_alert_carries_only_its_public_place(
    world,  # noqa: F811
    submit,  # noqa: F811
    make_user,
    committed,
):
    world.noise.sensitive = True
    world.noise.save()
    watcher = make_user(email="watcher@example.org")
    services.create_area_alert(watcher, area=world.areas["DW"])
    report = committed(
        submit, category=world.noise, lat=40.451234, lon=-3.701234, address="中山路 1 号"
    )
    [told] = alerts_of(watcher)
    assert (told.data["lat"], told.data["lon"]) != (report.lat, report.lon)
    assert abs(told.data["lat"] - report.lat) < 0.005
    assert "中山路" not in told.title + told.body
    assert "DW-G" not in told.body  # no area finer than a street


def test_alerts_through_the_api(world, phones):  # noqa: F811
    phone = phones["resident"]
    area_id = to_global_id("Area", world.areas["DW"].pk)
    for _ in range(2):  # a retry is the same alert
        made = phone(CREATE, {"input": {"areaId": area_id}})["data"]["createAreaAlert"]
        assert made["errors"] == []
    circle = phone(CREATE, {"input": {"lat": 40.45, "lon": -3.7, "radiusM": 400}})
    assert circle["data"]["createAreaAlert"]["areaAlert"]["radiusM"] == 400
    mine = phone(ALERTS)["data"]["myAreaAlerts"]
    assert [(a["area"] or {}).get("code") for a in mine] == ["DW", None]

    bad = phone(CREATE, {"input": {"lat": 40.45, "lon": -3.7, "radiusM": 99999}})
    assert bad["data"]["createAreaAlert"]["errors"][0] == {
        "field": "radiusM",
        "code": "area_alert_invalid",
    }
    neither = phone(CREATE, {"input": {}})["data"]["createAreaAlert"]["errors"][0]
    assert neither["code"] == "area_alert_invalid"

    other = phones["neighbour"]
    other(DELETE, {"input": {"id": mine[0]["id"]}})  # not theirs: nothing happens
    assert AreaAlert.objects.filter(user=world.resident).count() == 2
    for _ in range(2):
        gone = phone(DELETE, {"input": {"id": mine[0]["id"]}})["data"]["deleteAreaAlert"]
        assert gone["errors"] == []
    assert AreaAlert.objects.filter(user=world.resident).count() == 1


def test_at_most_ten_places(world):  # noqa: F811
    for n in range(10):
        services.create_area_alert(world.resident, lat=40 + n / 10, lon=-3.7, radius_m=100)
    with pytest.raises(services.TooManyAreaAlerts):
        services.create_area_alert(world.resident, lat=41.5, lon=-3.7, radius_m=100)
