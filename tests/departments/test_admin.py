"""The Wagtail admin screens for departments (with inline members) and for user profiles."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from civic.accounts.models import User
from civic.core.permissions import SYSTEM, has_role
from civic.core.roles import Role
from civic.departments.models import Department, MemberRole, Membership
from civic.departments.services import add_member
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(Role.ADMIN))
    return client


@pytest.fixture
def department(city):
    department = Department.objects.create(code="roads", name="道路局", name_en="Roads")
    department.areas.set([city.D1])
    return department


def department_form(department, *, members=(), initial=0, areas=None):
    data = nested_form_data(
        {
            "code": department.code,
            "name": department.name,
            "name_en": department.name_en,
            "email": department.email,
            "phone": department.phone,
            "is_active": "on" if department.is_active else "",
            "memberships": inline_formset(list(members), initial=initial),
        }
    )
    data["areas"] = [a.pk for a in (areas if areas is not None else department.areas.all())]
    return data


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_department_list_shows_member_counts(admin_client, department, make_user):
    handler = make_user(Role.RESIDENT)
    Membership.objects.create(department=department, user=handler, role=MemberRole.HANDLER)
    Membership.objects.create(department=department, user=handler, role=MemberRole.SUPERVISOR)

    response = admin_client.get(reverse("department_admin:index"))
    assert response.status_code == 200
    [row] = response.context["object_list"]
    assert (row.code, row.member_count) == ("roads", 1)


def test_staff_can_view_departments_but_not_edit_them(client, make_user, department):
    client.force_login(make_user(Role.STAFF))
    assert client.get(reverse("department_admin:index")).status_code == 200
    response = client.get(reverse("department_admin:edit", args=[department.pk]))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_served_areas_offer_only_city_district_and_street(admin_client, department):
    response = admin_client.get(reverse("department_admin:edit", args=[department.pk]))
    assert response.status_code == 200
    offered = response.context["form"].fields["areas"].queryset
    assert [a.code for a in offered] == ["C", "D1", "S1", "D2", "S2"]


def test_adding_a_member_inline_puts_them_in_the_staff_group(admin_client, department, make_user):
    newcomer = make_user(Role.RESIDENT)
    response = admin_client.post(
        reverse("department_admin:edit", args=[department.pk]),
        department_form(department, members=[{"user": newcomer.pk, "role": "handler"}]),
    )
    assert response.status_code == 302
    assert list(department.memberships.values_list("user", "role")) == [(newcomer.pk, "handler")]
    assert has_role(fresh(newcomer), Role.STAFF)


def test_removing_the_last_membership_inline_takes_them_out_of_the_staff_group(
    admin_client, department, make_user
):
    member = make_user(Role.RESIDENT)
    membership = add_member(SYSTEM, department, member, MemberRole.DISPATCHER)
    assert has_role(fresh(member), Role.STAFF)

    row = {"id": membership.pk, "user": member.pk, "role": "dispatcher", "DELETE": "on"}
    response = admin_client.post(
        reverse("department_admin:edit", args=[department.pk]),
        department_form(department, members=[row], initial=1),
    )
    assert response.status_code == 302
    assert not department.memberships.exists()
    assert not has_role(fresh(member), Role.STAFF)


def test_creating_a_department_with_served_areas(admin_client, city):
    data = department_form(Department(code="parks", name="园林局"), areas=[city.D2])
    response = admin_client.post(reverse("department_admin:add"), data)
    assert response.status_code == 302
    assert [a.code for a in Department.objects.get(code="parks").areas.all()] == ["D2"]


# --- Users: Wagtail's user admin with the profile fields --------------------------------------


def test_admin_edits_a_users_display_name_phone_and_home_area(admin_client, make_user, city):
    person = make_user(Role.RESIDENT)
    url = reverse("wagtailusers_users:edit", args=[person.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b'name="display_name"' in response.content

    response = admin_client.post(
        url,
        {
            "username": person.username,
            "email": person.email,
            "first_name": "",
            "last_name": "",
            "display_name": "老王",
            "phone": "+86 138 0000 0000",
            "home_area": city.M1.pk,
            "is_active": "on",
            "groups": list(person.groups.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302
    person = fresh(person)
    assert (person.display_name, person.phone, person.home_area) == (
        "老王",
        "+86 138 0000 0000",
        city.M1,
    )
    assert has_role(person, Role.RESIDENT)


def test_user_edit_rejects_a_malformed_phone(admin_client, make_user):
    person = make_user(Role.RESIDENT)
    response = admin_client.post(
        reverse("wagtailusers_users:edit", args=[person.pk]),
        {"username": person.username, "email": person.email, "phone": "call me", "is_active": "on"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["phone"]
    assert fresh(person).phone == ""


def test_admin_creates_a_user_with_a_display_name(admin_client, city):
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "li@example.org",
            "email": "li@example.org",
            "display_name": "小李",
            "home_area": city.D2.pk,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    person = User.objects.get(username="li@example.org")
    assert (person.display_name, person.home_area) == ("小李", city.D2)


def test_a_platform_admin_cannot_make_anyone_a_superuser(admin_client, make_user):
    target = make_user(display_name="Target")
    url = reverse("wagtailusers_users:edit", args=[target.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "is_superuser" not in page.context["form"].fields
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name not in ("groups",)}
    data.update({"is_superuser": "on", "password1": "", "password2": ""})
    admin_client.post(url, data)
    assert not fresh(target).is_superuser


def test_a_platform_admin_cannot_edit_a_superuser(admin_client, make_user):
    boss = make_user(None, superuser=True)
    # Wagtail answers a refusal in its admin with a redirect home and a message.
    response = admin_client.get(reverse("wagtailusers_users:edit", args=[boss.pk]))
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    response = admin_client.post(
        reverse("wagtailusers_users:edit", args=[boss.pk]),
        {"email": "attacker@example.org", "username": boss.username},
    )
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert fresh(boss).email != "attacker@example.org"


def test_a_superuser_may_make_a_superuser(client, make_user):
    client.force_login(make_user(None, superuser=True))
    target = make_user()
    page = client.get(reverse("wagtailusers_users:edit", args=[target.pk]))
    assert "is_superuser" in page.context["form"].fields


def test_handing_a_membership_row_to_another_user_updates_both_staff_groups(
    admin_client, department, make_user
):
    first, second = make_user(), make_user()
    membership = add_member(SYSTEM, department, first, MemberRole.HANDLER)
    assert has_role(fresh(first), Role.STAFF)
    row = {"id": membership.pk, "user": second.pk, "role": "handler"}
    response = admin_client.post(
        reverse("department_admin:edit", args=[department.pk]),
        department_form(department, members=[row], initial=1),
    )
    assert response.status_code == 302
    assert list(department.memberships.values_list("user", "role")) == [(second.pk, "handler")]
    assert not has_role(fresh(first), Role.STAFF)
    assert has_role(fresh(second), Role.STAFF)


def test_a_department_permission_granted_by_hand_allows_nothing_the_service_would_refuse(
    client, make_user, department
):
    from django.contrib.auth.models import Permission

    editor = make_user(Role.EDITOR)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_department", "change_department"])
    )
    client.force_login(editor)
    new = Department(code="parks", name="园林局")
    response = client.post(reverse("department_admin:add"), department_form(new, areas=[]))
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    response = client.post(
        reverse("department_admin:edit", args=[department.pk]),
        department_form(department, members=[{"user": editor.pk, "role": MemberRole.SUPERVISOR}]),
    )
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert not Department.objects.filter(code="parks").exists()
    assert not department.memberships.filter(user=editor).exists()
    assert not has_role(fresh(editor), Role.STAFF)


# --- The admin saves through the services ----------------------------------------------------


@pytest.fixture
def permissive_policy(monkeypatch):
    """Wagtail's policy out of step with the services' rule: the admin then lets the request
    through, and only the services can refuse it."""
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(Department)
    monkeypatch.setattr(policy, "may_change", lambda user: True)


def test_the_services_rule_refuses_what_the_admin_let_through(
    client, make_user, department, permissive_policy
):
    staff = make_user(Role.STAFF)
    client.force_login(staff)
    refused = (302, reverse("wagtailadmin_home"))  # how the admin answers PermissionDenied
    assert client.get(reverse("department_admin:add")).status_code == 200  # the policy let it
    new = Department(code="parks", name="园林局")
    response = client.post(reverse("department_admin:add"), department_form(new, areas=[]))
    assert (response.status_code, response.url) == refused
    renamed = Department(code="roads", name="改名")
    response = client.post(
        reverse("department_admin:edit", args=[department.pk]),
        department_form(renamed, members=[{"user": staff.pk, "role": "handler"}], areas=[]),
    )
    assert (response.status_code, response.url) == refused
    response = client.post(reverse("department_admin:delete", args=[department.pk]))
    assert (response.status_code, response.url) == refused
    assert not Department.objects.filter(code="parks").exists()
    assert Department.objects.get(pk=department.pk).name == "道路局"
    assert not department.memberships.exists()


def test_deleting_a_department_in_the_admin_takes_its_members_out_of_the_staff_group(
    admin_client, department, make_user
):
    other = Department.objects.create(code="parks", name="园林局")
    only_here, also_elsewhere = make_user(), make_user()
    add_member(SYSTEM, department, only_here, MemberRole.HANDLER)
    add_member(SYSTEM, department, also_elsewhere, MemberRole.HANDLER)
    add_member(SYSTEM, other, also_elsewhere, MemberRole.SUPERVISOR)
    response = admin_client.post(reverse("department_admin:delete", args=[department.pk]))
    assert response.status_code == 302
    assert not Department.objects.filter(pk=department.pk).exists()
    assert not has_role(fresh(only_here), Role.STAFF)
    assert has_role(fresh(also_elsewhere), Role.STAFF)
