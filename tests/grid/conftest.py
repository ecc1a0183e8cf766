"""A grid world near Xiamen with cells of a realistic size.

City C → street S → communities M1 (cells G1, G2) and M2 (cell G3). G1 is the hand-checked
cell: 200 m east-west by 100 m north-south, so a patrol along its middle covers a 60 m band
(60 %) and one along its southern edge a 30 m band (30 %).

People: w1 works G1 (shown to residents, with a work phone), w1b also works G1 (not shown), w2
works G2, sup1 supervises community M1 (G1 and G2), sup3 supervises cell G3 only; a resident;
dispatcher of the city department.

Categories: ``litter`` needs verification; ``sign`` needs verification and a check-in photo;
``pothole`` does not.
"""

import math
from types import SimpleNamespace

import pytest
from django.test import TestCase

from civic.areas.services import import_areas
from civic.core.permissions import SYSTEM
from civic.core.roles import Role
from civic.departments.models import MemberRole
from civic.departments.services import add_member, create_department
from civic.grid.models import PostRole
from civic.grid.services import assign_post
from reports.models import Category
from tests.geo import collection, feature, rect
from tests.reports.test_reports_api import Api

EARTH_RADIUS_M = 6_371_008.8
M_PER_DEG_LAT = math.radians(1) * EARTH_RADIUS_M

G1_SOUTH, G1_WEST = 24.470, 118.080
G1_HEIGHT_DEG = 100 / M_PER_DEG_LAT
G1_MID_LAT = G1_SOUTH + G1_HEIGHT_DEG / 2
G1_WIDTH_DEG = 200 / (M_PER_DEG_LAT * math.cos(math.radians(G1_MID_LAT)))
G1_EAST, G1_NORTH = G1_WEST + G1_WIDTH_DEG, G1_SOUTH + G1_HEIGHT_DEG
G1_CENTRE = (G1_MID_LAT, G1_WEST + G1_WIDTH_DEG / 2)
# About 2 km north of G1's centre, outside every cell of M1.
TWO_KM_AWAY = (G1_CENTRE[0] + 2000 / M_PER_DEG_LAT, G1_CENTRE[1])


def _areas():
    features = [
        feature("C", "city", rect(118.0, 24.4, 118.2, 24.6), name="厦门", name_en="Xiamen"),
        feature("S", "street", rect(118.0, 24.4, 118.2, 24.6), parent="C"),
        feature("M1", "community", rect(118.07, 24.46, 118.10, 24.49), parent="S"),
        feature("M2", "community", rect(118.10, 24.46, 118.13, 24.49), parent="S"),
        feature(
            "G1",
            "grid",
            rect(G1_WEST, G1_SOUTH, G1_EAST, G1_NORTH),
            parent="M1",
            name="一号网格",
            name_en="Cell one",
        ),
        feature("G2", "grid", rect(G1_EAST, G1_SOUTH, 118.09, G1_NORTH), parent="M1"),
        feature("G3", "grid", rect(118.10, 24.47, 118.11, 24.48), parent="M2"),
    ]
    import_areas(SYSTEM, collection(*features))
    from civic.areas.models import Area

    return {area.code: area for area in Area.objects.all()}


@pytest.fixture
def grid(db, make_user):
    areas = _areas()
    department = create_department(
        SYSTEM, code="city", name="城管", name_en="City management", areas=[areas["C"]]
    )
    litter = Category.objects.create(
        service_code="litter",
        name="垃圾堆放",
        name_en="Litter",
        default_department=department,
        needs_verification=True,
    )
    sign = Category.objects.create(
        service_code="sign",
        name="路牌损坏",
        name_en="Broken sign",
        default_department=department,
        needs_verification=True,
        verification_photo_required=True,
    )
    pothole = Category.objects.create(
        service_code="pothole", name="道路坑洼", name_en="Pothole", default_department=department
    )

    def person(name, role=Role.RESIDENT):
        return make_user(
            role, email=f"{name.lower().replace(' ', '.')}@example.org", display_name=name
        )

    w1, w1b, w2 = person("Wang Wei"), person("Li Na"), person("Zhao Lei")
    sup1, sup3 = person("Chen Jing"), person("Sun Li")
    resident, dispatcher = person("Resident"), person("Dispatcher")
    add_member(SYSTEM, department, dispatcher, MemberRole.DISPATCHER)
    assign_post(
        SYSTEM,
        areas["G1"],
        w1,
        role=PostRole.WORKER,
        work_phone="0592-1234567",
        show_to_residents=True,
    )
    assign_post(SYSTEM, areas["G1"], w1b, role=PostRole.WORKER, work_phone="0592-7654321")
    assign_post(SYSTEM, areas["G2"], w2, role=PostRole.WORKER)
    assign_post(SYSTEM, areas["M1"], sup1, role=PostRole.SUPERVISOR)
    assign_post(SYSTEM, areas["G3"], sup3, role=PostRole.SUPERVISOR)
    return SimpleNamespace(
        areas=areas,
        department=department,
        litter=litter,
        sign=sign,
        pothole=pothole,
        w1=w1,
        w1b=w1b,
        w2=w2,
        sup1=sup1,
        sup3=sup3,
        resident=resident,
        dispatcher=dispatcher,
    )


class Phone(Api):
    """The app, signed in as ``user``: each request's on-commit reactions (the receivers of
    reports' events) run when it answers, as after a real commit."""

    def __call__(self, query, variables=None, **files):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().__call__(query, variables, **files)
