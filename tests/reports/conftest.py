"""A world for report tests: a city wide enough to hold the test photos' GPS positions.

City W spans lon -5..15, lat 38..45, so Madrid (iphone6_gps_madrid.jpg, 40.45 N 3.72 W) lies in
district DW and the two Nikon photos (43.47 N 11.88 E) in district DE. iphone11_gps.heic was
taken in Missouri: outside the city.

Departments: ``roads`` serves the whole city; ``sanitation`` serves DW; ``parks`` serves DE.
Categories:
* ``pothole`` → roads by default; one required list question and an optional number.
* ``graffiti`` → sanitation by default, so it is offered in DW only.
* ``fallen-tree`` → sanitation by default, routed to parks in DE by a routing rule.
* ``noise`` → roads; sensitive (coarse public location), anonymous allowed.
* ``dumping`` → roads; anonymous not allowed.
"""

from pathlib import Path
from types import SimpleNamespace

import pytest

from civic.areas.services import import_areas
from civic.core.permissions import SYSTEM
from civic.core.roles import Role
from civic.departments.models import MemberRole
from civic.departments.services import add_member, create_department
from reports.models import Category, CategoryQuestion, RoutingRule
from tests.geo import collection, feature, rect

TESTDATA = Path(__file__).resolve().parents[2].parent / "shared" / "testdata"
PHOTOS = TESTDATA / "photos"
BAD_IMAGES = TESTDATA / "bad-images"

MADRID = (40.446972, -3.724753)
NIKON_A = (43.467448, 11.885127)
MISSOURI = (39.051344, -94.288772)


def photo_bytes(name):
    return (PHOTOS / name).read_bytes()


def _areas():
    features = [feature("W", "city", rect(-5, 38, 15, 45), name="测试城", name_en="Test Town")]
    for code, x0 in (("DW", -5), ("DE", 5)):
        features.append(
            feature(code, "district", rect(x0, 38, x0 + 10, 45), parent="W", name=f"{code}区")
        )
        for n, gx in enumerate((x0, x0 + 5), start=1):
            features.append(feature(f"{code}-G{n}", "grid", rect(gx, 38, gx + 5, 45), parent=code))
    import_areas(SYSTEM, collection(*features))
    from civic.areas.models import Area

    return {area.code: area for area in Area.objects.all()}


@pytest.fixture
def accept_language():
    """The staff screens (queue, hotline) are checked in English unless a test says otherwise."""
    return "en"


@pytest.fixture
def world(db, make_user):
    areas = _areas()
    roads = create_department(
        SYSTEM, code="roads", name="道路处", name_en="Roads", areas=[areas["W"]]
    )
    sanitation = create_department(
        SYSTEM, code="sanitation", name="环卫处", name_en="Sanitation", areas=[areas["DW"]]
    )
    parks = create_department(
        SYSTEM, code="parks", name="园林处", name_en="Parks", areas=[areas["DE"]]
    )
    pothole = Category.objects.create(
        service_code="pothole",
        name="道路坑洼",
        name_en="Pothole",
        group="道路",
        group_en="Roads",
        keywords="坑, hole, road",
        default_department=roads,
        accept_sla_hours=24,
        resolve_sla_hours=72,
    )
    CategoryQuestion.objects.create(
        category=pothole,
        code="size",
        label="坑有多大？",
        label_en="How big is it?",
        datatype="singlevaluelist",
        required=True,
        options="small|小|Small\nlarge|大|Large",
        sort_order=1,
    )
    CategoryQuestion.objects.create(
        category=pothole,
        code="depth_cm",
        label="深度（厘米）",
        label_en="Depth (cm)",
        datatype="number",
        sort_order=2,
    )
    graffiti = Category.objects.create(
        service_code="graffiti", name="涂鸦", name_en="Graffiti", default_department=sanitation
    )
    fallen_tree = Category.objects.create(
        service_code="fallen-tree",
        name="树木倒伏",
        name_en="Fallen tree",
        default_department=sanitation,
    )
    RoutingRule.objects.create(category=fallen_tree, area=areas["DE"], department=parks)
    noise = Category.objects.create(
        service_code="noise",
        name="噪音扰民",
        name_en="Noise",
        default_department=roads,
        sensitive=True,
        allows_anonymous=True,
    )
    dumping = Category.objects.create(
        service_code="dumping",
        name="乱倒垃圾",
        name_en="Illegal dumping",
        default_department=roads,
        allows_anonymous=False,
    )

    def staff(department, role, name):
        user = make_user(Role.RESIDENT, email=f"{name}@example.org", display_name=name)
        add_member(SYSTEM, department, user, role)
        return user

    return SimpleNamespace(
        areas=areas,
        roads=roads,
        sanitation=sanitation,
        parks=parks,
        pothole=pothole,
        graffiti=graffiti,
        fallen_tree=fallen_tree,
        noise=noise,
        dumping=dumping,
        resident=make_user(email="resident@example.org", display_name="Alice Resident"),
        neighbour=make_user(email="neighbour@example.org", display_name="Bob Neighbour"),
        dispatcher=staff(roads, MemberRole.DISPATCHER, "roads-dispatcher"),
        handler=staff(roads, MemberRole.HANDLER, "roads-handler"),
        supervisor=staff(roads, MemberRole.SUPERVISOR, "roads-supervisor"),
        other_staff=staff(sanitation, MemberRole.DISPATCHER, "sanitation-dispatcher"),
        admin=make_user(Role.ADMIN, email="admin@example.org"),
    )


@pytest.fixture
def submit(world):
    """Submit a pothole report in DW as the resident (or as given) through the service."""
    from reports.services import submit_report

    def do(actor=None, *, category=None, lat=40.45, lon=-3.7, **fields):
        category = category or world.pothole
        if category == world.pothole:
            fields.setdefault("answers", {"size": "small"})
        fields.setdefault("description", "路面有个大坑")
        return submit_report(actor or world.resident, category=category, lat=lat, lon=lon, **fields)

    return do
