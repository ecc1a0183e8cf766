"""The leaders' app's view of the vital signs: scoped to the viewer, thin over the services."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from civic.vitals.models import Warning

pytestmark = pytest.mark.django_db

SIGNS = """query($areaId: ID, $domain: VitalDomain) {
  vitalSigns(areaId: $areaId, domain: $domain) {
    indicator { code name domain thresholds } value level colour openWarnings trendDirection
    trend { time value }
  }
}"""
WARNINGS = """query($state: VitalWarningState, $first: Int) {
  warnings(state: $state, first: $first) {
    id level colour value threshold state area { code } indicator { code }
    timeline { kind text level }
  }
}"""
ACKNOWLEDGE = """mutation($id: ID!) {
  acknowledgeWarning(input: {warningId: $id, note: "看到了"}) {
    warning { state timeline { kind text } } errors { code field }
  }
}"""
CLOSE = """mutation($id: ID!, $cause: VitalWarningCause!) {
  closeWarning(input: {warningId: $id, cause: $cause}) {
    warning { state cause } errors { code field }
  }
}"""


@pytest.fixture
def two_warnings(vitals, reading, clock):
    """An orange warning in DW-G1 and a blue one in DE-G1."""
    reading(3.1, evaluate=False)
    reading(2.1, sensor="wl-2")
    return {w.area.code: w for w in Warning.objects.select_related("area")}


def _codes(body):
    return sorted(w["area"]["code"] for w in body["data"]["warnings"])


def test_each_viewer_sees_the_warnings_in_their_scope(gql_as, vitals, world, two_warnings):
    assert _codes(gql_as(world.admin)(WARNINGS)) == ["DE-G1", "DW-G1"]
    assert _codes(gql_as(world.dispatcher)(WARNINGS)) == ["DE-G1", "DW-G1"]  # roads answers
    assert _codes(gql_as(vitals.leader_dw)(WARNINGS)) == ["DW-G1"]
    assert _codes(gql_as(vitals.leader_de)(WARNINGS)) == ["DE-G1"]
    assert _codes(gql_as(vitals.leader_city)(WARNINGS)) == ["DE-G1", "DW-G1"]
    assert _codes(gql_as(world.other_staff)(WARNINGS)) == []  # sanitation answers for none
    for refused in (world.resident, None):
        body = gql_as(refused)(WARNINGS, expect_errors=True)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] in ("forbidden", "unauthenticated")


def test_vital_signs_show_level_colour_value_and_trend(gql_as, vitals, world, two_warnings):
    signs = gql_as(vitals.leader_dw)(SIGNS)["data"]["vitalSigns"]
    assert len(signs) == 1
    sign = signs[0]
    assert sign["indicator"] == {
        "code": "water-level",
        "name": "河道水位",
        "domain": "SAFETY",
        "thresholds": [3.5, 3.0, 2.5, 2.0],
    }
    assert (sign["level"], sign["colour"], sign["value"], sign["openWarnings"]) == (
        2,
        "#f46036",
        3.1,
        1,
    )
    assert [point["value"] for point in sign["trend"]] == [3.1]
    city = gql_as(world.admin)(SIGNS)["data"]["vitalSigns"][0]
    assert (city["level"], city["openWarnings"]) == (2, 2)
    other = gql_as(world.admin)(SIGNS, {"domain": "ENVIRONMENT"})["data"]["vitalSigns"]
    assert other == []
    outside = gql_as(vitals.leader_dw)(
        SIGNS, {"areaId": to_global_id("Area", world.areas["DE"].pk)}, expect_errors=True
    )
    assert outside["errors"][0]["extensions"]["code"] == "forbidden"
    refused = gql_as(world.resident)(SIGNS, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "forbidden"


def test_acknowledging_and_closing_through_the_api(gql_as, vitals, world, two_warnings):
    warning_id = to_global_id("VitalWarning", two_warnings["DW-G1"].pk)
    leader = gql_as(vitals.leader_dw)
    acknowledged = leader(ACKNOWLEDGE, {"id": warning_id})["data"]["acknowledgeWarning"]
    assert acknowledged["errors"] == []
    assert acknowledged["warning"]["state"] == "ACKNOWLEDGED"
    assert acknowledged["warning"]["timeline"][-1] == {"kind": "ACKNOWLEDGED", "text": "看到了"}
    for _retry in range(2):
        closed = leader(CLOSE, {"id": warning_id, "cause": "HANDLED"})["data"]["closeWarning"]
        assert closed == {"warning": {"state": "CLOSED", "cause": "HANDLED"}, "errors": []}
    again = leader(CLOSE, {"id": warning_id, "cause": "FALSE_ALARM"})["data"]["closeWarning"]
    assert again["errors"] == [{"code": "warning_closed", "field": "warningId"}]
    # The other district's warning does not exist for this leader.
    other = to_global_id("VitalWarning", two_warnings["DE-G1"].pk)
    hidden = leader(ACKNOWLEDGE, {"id": other})["data"]["acknowledgeWarning"]
    assert hidden == {"warning": None, "errors": [{"code": "not_found", "field": "warningId"}]}
    resident = gql_as(world.resident)(ACKNOWLEDGE, {"id": other}, expect_errors=True)
    assert resident["errors"][0]["extensions"]["code"] == "forbidden"


def test_the_queries_do_not_grow_with_the_number_of_warnings(gql_as, vitals, world, reading, clock):
    from civic.vitals.models import Sensor

    def count():
        client = gql_as(world.admin)
        with CaptureQueriesContext(connection) as captured:
            client(WARNINGS, {"first": 50})
            client(SIGNS)
        return len(captured)

    reading(3.1)
    few = count()
    for n in range(2, 4):
        for suffix in ("G1", "G2"):
            code = f"wl-{n}-{suffix}"
            Sensor.objects.create(
                code=code,
                name=code,
                measure="water_level",
                unit="m",
                area=world.areas[f"DE-{suffix}"],
            )
            reading(3.1 + n, sensor=code, evaluate=False)
    clock.shift(timedelta(minutes=5))
    reading(3.2)
    assert Warning.objects.count() == 3
    assert count() == few
