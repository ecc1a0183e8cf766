"""``manage.py seed_demo``: the demo city, its logins and its portal, as a developer gets them."""

from itertools import combinations

import pytest
import shapely
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.utils import translation
from wagtail.models import Page

from civic.accounts.models import User
from civic.areas.geometry import parse_boundary
from civic.areas.models import Area, AreaKind
from civic.areas.queries import area_at
from civic.core.roles import Role
from civic.demo.accounts import DEMO_PASSWORD
from civic.departments.models import Department, MemberRole, Membership
from civic.grid.models import Post, PostRole
from civic.portal.models import (
    CaseStudyPage,
    DistrictPage,
    HomePage,
    LeadershipRecommendation,
    NewsPage,
)
from tests.conftest import seeded_demo

pytestmark = pytest.mark.django_db

DEMO_EMAILS = [
    "admin@demo.civic",
    "resident@demo.civic",
    "resident2@demo.civic",
    "resident3@demo.civic",
    "dispatcher@demo.civic",
    "handler@demo.civic",
    "supervisor@demo.civic",
    "editor@demo.civic",
    "editor2@demo.civic",
    "approver@demo.civic",
    "leader@demo.civic",
    "grid@demo.civic",
]


@pytest.fixture(scope="module", autouse=True)
def _seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    with seeded_demo(django_db_blocker, tmp_path_factory):
        yield


def counts():
    return {
        "areas": Area.objects.count(),
        "departments": Department.objects.count(),
        "memberships": Membership.objects.count(),
        "users": User.objects.count(),
        "email addresses": EmailAddress.objects.count(),
        "pages": Page.objects.type(HomePage, DistrictPage, CaseStudyPage, NewsPage).count(),
        "grid posts": Post.objects.count(),
    }


def test_running_it_again_creates_nothing(capsys):
    before = counts()
    boundaries = dict(Area.objects.values_list("code", "boundary"))
    # The output is in the active language, which a previous test's request may have left set.
    with translation.override("en"):
        call_command("seed_demo", force=True)
    assert counts() == before
    assert dict(Area.objects.values_list("code", "boundary")) == boundaries
    assert (
        "Created 0 areas, 0 departments, 0 users, 0 portal pages and 0 reports."
        in capsys.readouterr().out
    )


def test_it_refuses_to_run_with_debug_off_unless_forced():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")


def test_the_city_has_districts_streets_communities_and_grid_cells():
    (city,) = Area.get_root_nodes()
    assert (city.code, city.name, city.name_en) == ("QH", "清河市", "Qinghe City")
    districts = list(city.get_children())
    assert len(districts) >= 3
    assert {d.kind for d in districts} == {AreaKind.DISTRICT}
    for district in districts:
        streets = list(district.get_children())
        assert 2 <= len(streets) <= 3
        for street in streets:
            assert street.kind == AreaKind.STREET
            assert street.name.endswith("街道")
            assert 1 <= street.get_children_count() <= 3
            assert all(c.kind == AreaKind.COMMUNITY for c in street.get_children())
    cells = Area.objects.filter(kind=AreaKind.GRID)
    assert 50 <= cells.count() <= 300
    assert not Area.objects.filter(kind=AreaKind.COMMUNITY, numchild=0).exists()
    assert all(c.get_parent().kind == AreaKind.COMMUNITY for c in cells)


def test_children_tile_their_parent_exactly():
    areas = list(Area.objects.all())
    shapes = {a.path: parse_boundary(a.boundary) for a in areas}
    children = {}
    for area in areas:
        if area.depth > 1:
            children.setdefault(area.path[: -Area.steplen], []).append(shapes[area.path])
    assert len(children) == Area.objects.exclude(numchild=0).count()
    for parent_path, pieces in children.items():
        parent = shapes[parent_path]
        for child in pieces:
            assert parent.covers(child)
        assert shapely.union_all(pieces).area == pytest.approx(parent.area, rel=1e-9)
        for a, b in combinations(pieces, 2):
            assert a.intersection(b).area <= 1e-12 * parent.area


def test_a_point_in_a_grid_cell_finds_the_cell_and_its_ancestors():
    checked = 0
    for cell in Area.objects.filter(kind=AreaKind.GRID).order_by("code")[::17]:
        shape = parse_boundary(cell.boundary)
        centroid = shape.centroid
        if not shape.contains(centroid):
            continue
        found = area_at(centroid.y, centroid.x)
        assert found[-1] == cell
        assert [a.kind for a in found] == [
            AreaKind.CITY,
            AreaKind.DISTRICT,
            AreaKind.STREET,
            AreaKind.COMMUNITY,
            AreaKind.GRID,
        ]
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("email", DEMO_EMAILS)
def test_each_demo_user_can_sign_in_through_the_login_form(client, email):
    response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)


def test_each_demo_user_holds_their_role():
    users = {u.email: u for u in User.objects.filter(email__in=DEMO_EMAILS)}
    assert set(users) == set(DEMO_EMAILS)

    def groups(email):
        return set(users[email].groups.values_list("name", flat=True))

    assert users["admin@demo.civic"].is_superuser
    assert groups("admin@demo.civic") == {Role.ADMIN}
    for email in ("resident@demo.civic", "resident2@demo.civic", "resident3@demo.civic"):
        assert groups(email) == {Role.RESIDENT}
        assert users[email].home_area.kind == AreaKind.COMMUNITY
    urban = Department.objects.get(code="urban-management")
    for role in MemberRole.values:
        email = f"{role}@demo.civic"
        assert groups(email) == {Role.STAFF}
        assert list(urban.memberships.filter(user=users[email]).values_list("role", flat=True)) == [
            role
        ]
    assert groups("editor@demo.civic") == {Role.EDITOR, "东湖区编辑"}
    assert groups("editor2@demo.civic") == {Role.EDITOR, "西岭区编辑"}
    assert groups("approver@demo.civic") == {Role.EDITOR, "东湖区审批人"}
    assert groups("leader@demo.civic") == {Role.LEADER}
    grid_worker = users["grid@demo.civic"]
    assert groups("grid@demo.civic") == {Role.RESIDENT}
    cells = Area.objects.filter(grid_posts__user=grid_worker, grid_posts__role=PostRole.WORKER)
    assert cells.count() >= 2
    assert {c.kind for c in cells} == {AreaKind.GRID}
    for user in users.values():
        assert user.display_name
        assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()


def test_departments_serve_the_city_and_each_district():
    city = Area.objects.get(code="QH")
    city_departments = Department.objects.filter(areas=city)
    assert city_departments.count() == 6
    for district in Area.objects.filter(kind=AreaKind.DISTRICT):
        assert Department.objects.filter(areas=district).count() == 1


def test_the_home_page_links_every_district_and_a_district_page_lists_its_streets(client):
    home = HomePage.objects.get()
    assert home.get_site().root_page.pk == home.pk
    assert not Page.objects.filter(depth=home.depth).exclude(pk=home.pk).exists()  # "Welcome" gone
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert home.title in html
    district_pages = list(DistrictPage.objects.live().child_of(home))
    assert len(district_pages) == Area.objects.filter(kind=AreaKind.DISTRICT).count()
    for page in district_pages:
        assert page.latest_revision is not None
        assert f'href="{page.url}"' in html
    page = district_pages[0]
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    streets = page.area.get_children()
    assert streets
    for street in streets:
        assert street.name in html


def test_case_studies_across_districts_some_adopted_one_recommended(client):
    originals = CaseStudyPage.objects.live().filter(alias_of__isnull=True)
    assert originals.count() >= 10
    assert (
        originals.values("district").distinct().count()
        == Area.objects.filter(kind=AreaKind.DISTRICT).count()
    )
    adopted = CaseStudyPage.objects.live().filter(alias_of__isnull=False)
    assert adopted.count() >= 3
    for alias in adopted:
        assert alias.get_parent().specific.area_id != alias.district_id
    assert LeadershipRecommendation.objects.count() == 1
    for page in originals:
        assert page.image is not None
        assert page.figures
        assert page.body
    library = client.get("/cases/", headers={"accept-language": "en"})
    assert library.status_code == 200
    assert "Case library" in library.content.decode()
    case = originals.get(slug="library-ramp")
    html = client.get(case.url, headers={"accept-language": "en"}).content.decode()
    assert "Adopted by 2 districts" in html
