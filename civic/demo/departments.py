"""Demo departments for 清河市: city departments serving the whole city, and an office per
district serving that district. Runs after the areas demo; existing codes are left alone."""

from civic.areas.models import Area, AreaKind
from civic.areas.queries import areas_of_kind
from civic.core.permissions import SYSTEM
from civic.departments.models import Department
from civic.departments.services import create_department

from .areas import CITY

URBAN_MANAGEMENT = "urban-management"

# (code, Chinese name, English name)
CITY_DEPARTMENTS = [
    (URBAN_MANAGEMENT, "清河市城市管理局", "Qinghe Urban Management Bureau"),
    ("municipal-works", "清河市市政工程管理处", "Qinghe Municipal Works Department"),
    ("sanitation", "清河市环境卫生管理处", "Qinghe Sanitation Department"),
    ("parks", "清河市园林绿化局", "Qinghe Parks and Greenery Bureau"),
    ("traffic", "清河市交通运输局", "Qinghe Transport Bureau"),
    ("water", "清河市水务局", "Qinghe Water Bureau"),
]


def district_office_code(district):
    return f"{district.code.lower()}-office"


def _districts():
    return areas_of_kind(AreaKind.DISTRICT, within=Area.objects.get(code=CITY[0]))


def demo_department_codes():
    """Every department the demo makes: the city's and each district's office."""
    return [code for code, _name, _en in CITY_DEPARTMENTS] + [
        district_office_code(district) for district in _districts()
    ]


def seed(progress=iter):
    """Create the demo departments that do not exist yet; returns those created."""
    city = Area.objects.get(code=CITY[0])
    specs = [(code, name, name_en, city) for code, name, name_en in CITY_DEPARTMENTS]
    specs += [
        (
            district_office_code(district),
            f"{district.name}街道办事处",
            f"{district.name_en} Street Office",
            district,
        )
        for district in _districts()
    ]
    existing = set(Department.objects.values_list("code", flat=True))
    created = []
    for code, name, name_en, area in progress(specs):
        if code in existing:
            continue
        created.append(
            create_department(SYSTEM, code=code, name=name, name_en=name_en, areas=[area])
        )
    return created
