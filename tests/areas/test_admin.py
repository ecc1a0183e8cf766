"""The Wagtail admin screens for the area tree, driven over HTTP as an admin uses them."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from civic.areas.models import Area
from civic.areas.queries import area_at
from civic.areas.services import AreaHasChildren
from civic.core.roles import Role
from tests.geo import rect

pytestmark = pytest.mark.django_db

BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(Role.ADMIN))
    return client


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user(Role.STAFF))
    return client


def error_messages(response):
    return [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def area_form(*, parent=None, kind="district", code="NEW", boundary=None, name="新区"):
    return {
        "parent": parent.pk if parent else "",
        "kind": kind,
        "code": code,
        "name": name,
        "name_en": "",
        "boundary": boundary if isinstance(boundary, str) else json.dumps(boundary),
    }


def edit_form(area, **changes):
    data = {
        "code": area.code,
        "name": area.name,
        "name_en": area.name_en,
        "boundary": json.dumps(area.boundary),
    }
    data.update(changes)
    return data


# --- Who gets in ------------------------------------------------------------------------------


def test_admin_home_opens_for_platform_admins_and_staff(client, make_user):
    for role in (Role.ADMIN, Role.STAFF):
        client.force_login(make_user(role))
        assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_admin_refuses_a_resident_and_anonymous_visitors_go_to_the_one_sign_in(client, make_user):
    response = client.get(reverse("wagtailadmin_home"))
    assert (response.status_code, response.url) == (302, "/accounts/login/?next=/admin/")

    client.force_login(make_user(Role.RESIDENT))
    response = client.get(
        reverse("wagtailadmin_home"), follow=True, headers={"accept-language": "en"}
    )
    assert response.redirect_chain == [("/accounts/login/?next=/admin/", 302)]
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("permission" in m for m in messages), messages
    assert client.get(reverse("area_admin:index")).status_code == 302


def test_staff_sign_in_through_allauth_and_reach_the_admin(client, make_user):
    from allauth.account.models import EmailAddress

    from tests.conftest import PASSWORD

    staff = make_user(Role.STAFF)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": staff.email, "password": PASSWORD}
    )
    assert (response.status_code, response.url) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200


def test_admin_sees_the_area_list_in_tree_order_and_an_edit_page_with_a_map(admin_client, city):
    response = admin_client.get(reverse("area_admin:index"))
    assert response.status_code == 200
    codes = [area.code for area in response.context["object_list"]]
    assert codes[:5] == ["C", "D1", "S1", "M1", "G1a"]
    assert len(codes) == Area.objects.count()

    response = admin_client.get(reverse("area_admin:edit", args=[city.D1.pk]))
    assert response.status_code == 200
    assert b'<svg class="area-map"' in response.content
    # The district and its one street, which links to its own edit page.
    assert response.content.count(b"<path ") == 2
    assert reverse("area_admin:edit", args=[city.S1.pk]).encode() in response.content


def test_area_list_filters_by_kind_and_searches_codes(admin_client, city):
    response = admin_client.get(reverse("area_admin:index"), {"kind": "district"})
    assert [a.code for a in response.context["object_list"]] == ["D1", "D2"]
    response = admin_client.get(reverse("area_admin:index"), {"q": "g2"})
    assert [a.code for a in response.context["object_list"]] == ["G2a", "G2b", "G2c", "G2d"]


def test_staff_can_view_the_list_but_not_add(staff_client, city):
    response = staff_client.get(reverse("area_admin:index"))
    assert response.status_code == 200
    # No links to the edit pages they may not open.
    assert reverse("area_admin:edit", args=[city.D1.pk]).encode() not in response.content

    response = staff_client.get(reverse("area_admin:add"))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")

    count = Area.objects.count()
    staff_client.post(
        reverse("area_admin:add"), area_form(parent=city.C, boundary=rect(0, 0, 1, 1))
    )
    assert Area.objects.count() == count


def test_a_permission_granted_by_hand_does_not_bypass_the_services(client, make_user, city):
    # Wagtail checks the model permission; the service still asks for a platform admin.
    editor = make_user(Role.EDITOR)
    editor.user_permissions.add(Permission.objects.get(codename="add_area"))
    client.force_login(editor)
    count = Area.objects.count()
    response = client.post(
        reverse("area_admin:add"), area_form(kind="city", code="N", boundary=rect(10, 10, 11, 11))
    )
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert Area.objects.count() == count


# --- Creating ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"boundary": '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0]'}, "boundary"),
        ({"boundary": BOWTIE}, "boundary"),
        ({"boundary": rect(3, 1, 5, 3)}, "boundary"),  # crosses the city's edge
        ({"boundary": rect(0, 0, 1, 1), "code": "D2"}, "code"),
        ({"boundary": rect(0, 0, 1, 1), "kind": "city"}, "kind"),
    ],
    ids=["invalid-json", "self-intersecting", "outside-parent", "duplicate-code", "wrong-kind"],
)
def test_refused_area_shows_the_error_on_its_field_and_creates_nothing(
    admin_client, city, form, field
):
    count = Area.objects.count()
    response = admin_client.post(reverse("area_admin:add"), area_form(parent=city.C, **form))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Area.objects.count() == count


def test_a_valid_area_is_created_under_its_parent_and_found_by_location(
    admin_client, city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("area_admin:add"),
            area_form(kind="city", code="N", name="新城", boundary=rect(10, 10, 12, 12)),
        )
    assert response.status_code == 302
    new_city = Area.objects.get(code="N")
    assert new_city.is_root()
    assert new_city.bbox == (10, 10, 12, 12)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("area_admin:add"),
            area_form(parent=new_city, code="N-D", boundary=rect(10, 10, 11, 12)),
        )
    assert Area.objects.get(code="N-D").get_parent() == new_city
    assert [a.code for a in area_at(11, 10.5)] == ["N", "N-D"]


# --- Editing ----------------------------------------------------------------------------------


def test_edit_renames_through_the_service(admin_client, city):
    response = admin_client.post(
        reverse("area_admin:edit", args=[city.D1.pk]),
        edit_form(city.D1, name="东区", name_en="East"),
    )
    assert response.status_code == 302
    city.D1.refresh_from_db()
    assert (city.D1.name, city.D1.name_en) == ("东区", "East")


def test_edit_refuses_a_boundary_that_leaves_children_outside(admin_client, city):
    response = admin_client.post(
        reverse("area_admin:edit", args=[city.D1.pk]),
        edit_form(city.D1, boundary=json.dumps(rect(0, 0, 1, 1))),
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["boundary"]
    # The page still draws the saved boundary, not the refused one.
    assert response.content.count(b"<path ") == 2
    city.D1.refresh_from_db()
    assert city.D1.boundary == rect(0, 0, 2, 2)


# --- Deleting ---------------------------------------------------------------------------------


def test_deleting_an_area_with_children_is_refused_with_a_message(admin_client, city):
    count = Area.objects.count()
    response = admin_client.post(reverse("area_admin:delete", args=[city.D1.pk]))
    assert response.status_code == 302
    assert response.url == reverse("area_admin:edit", args=[city.D1.pk])
    with translation.override("zh-hans"):
        expected = str(AreaHasChildren.default_message)
    assert [expected in message for message in error_messages(response)] == [True]
    assert Area.objects.count() == count


def test_deleting_a_leaf_area(admin_client, city):
    response = admin_client.post(reverse("area_admin:delete", args=[city.G1a.pk]))
    assert response.status_code == 302
    assert not Area.objects.filter(code="G1a").exists()
    city.M1.refresh_from_db()
    assert city.M1.numchild == 3
