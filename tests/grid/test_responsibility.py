"""Who looks after a grid cell: posts assigned by platform admins, shown to residents (name
and work phone) only for the workers who agreed, in GraphQL and on the cell's page."""

import pytest
from django.urls import reverse
from graphql_relay import to_global_id

from civic.core.errors import AccessError, DomainError
from civic.core.roles import Role
from civic.grid import services
from civic.grid.models import PostRole
from tests.grid.conftest import G1_CENTRE

CELL = """query C($lat: Float, $lon: Float, $areaId: ID) {
  gridCell(lat: $lat, lon: $lon, areaId: $areaId) {
    area { code } workers { displayName workPhone } } }"""


def test_residents_see_the_workers_who_agreed_at_a_point_and_by_area(grid, gql):
    at_point = gql(CELL, {"lat": G1_CENTRE[0], "lon": G1_CENTRE[1]})["data"]["gridCell"]
    assert at_point == {
        "area": {"code": "G1"},
        "workers": [{"displayName": "Wang Wei", "workPhone": "0592-1234567"}],
    }
    by_area = gql(CELL, {"areaId": to_global_id("Area", grid.areas["G1"].pk)})["data"]
    assert by_area["gridCell"] == at_point
    # A cell whose worker did not agree lists nobody; a community is no cell; outside: null.
    g2 = gql(CELL, {"areaId": to_global_id("Area", grid.areas["G2"].pk)})["data"]["gridCell"]
    assert g2 == {"area": {"code": "G2"}, "workers": []}
    assert gql(CELL, {"areaId": to_global_id("Area", grid.areas["M1"].pk)})["data"] == {
        "gridCell": None
    }
    assert gql(CELL, {"lat": 30.0, "lon": 120.0})["data"] == {"gridCell": None}


def test_bad_input_is_a_clear_error_not_a_500(grid, gql):
    body = gql(CELL, {"lat": 95.0, "lon": 118.0}, expect_errors=True)
    assert body["status"] == 200
    assert body["errors"][0]["extensions"]["code"] == "invalid_coordinates"
    body = gql(CELL, {}, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "required"
    body = gql(CELL, {"areaId": "nonsense"}, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "not_found"


def test_the_cells_page_shows_the_agreed_workers(grid, as_user):
    client = as_user(None, language="en")
    page = client.get(reverse("grid:cell", args=[grid.areas["G1"].pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Wang Wei" in text
    assert "tel:0592-1234567" in text
    assert "Li Na" not in text
    assert "0592-7654321" not in text
    assert client.get(reverse("grid:cell", args=[grid.areas["M1"].pk])).status_code == 404
    zh = as_user(None, language="zh-hans").get(reverse("grid:cell", args=[grid.areas["G2"].pk]))
    assert "谁负责这个网格" in zh.content.decode()


def test_a_worker_can_agree_to_be_shown_and_withdraw(grid, gql):
    post = grid.w1b.grid_posts.get()
    services.set_consent(grid.w1b, post, work_phone="0592-1", show_to_residents=True)
    workers = gql(CELL, {"lat": G1_CENTRE[0], "lon": G1_CENTRE[1]})["data"]["gridCell"]["workers"]
    assert {"displayName": "Li Na", "workPhone": "0592-1"} in workers
    services.set_consent(grid.w1b, post, work_phone="", show_to_residents=False)
    workers = gql(CELL, {"lat": G1_CENTRE[0], "lon": G1_CENTRE[1]})["data"]["gridCell"]["workers"]
    assert [w["displayName"] for w in workers] == ["Wang Wei"]
    with pytest.raises(AccessError):
        services.set_consent(grid.w2, post, work_phone="", show_to_residents=True)


def test_posts_are_for_platform_admins_to_assign_and_fit_the_area(grid, make_user):
    with pytest.raises(AccessError):
        services.assign_post(grid.sup1, grid.areas["G1"], grid.resident, role=PostRole.WORKER)
    admin = make_user(Role.ADMIN)
    with pytest.raises(DomainError) as refused:
        services.assign_post(admin, grid.areas["M1"], grid.resident, role=PostRole.WORKER)
    assert refused.value.code == "not_a_grid_cell"
    with pytest.raises(DomainError) as refused:
        services.assign_post(admin, grid.areas["C"], grid.resident, role=PostRole.SUPERVISOR)
    assert refused.value.code == "invalid_choice"
    post = services.assign_post(admin, grid.areas["M2"], grid.resident, role=PostRole.SUPERVISOR)
    assert post.area == grid.areas["M2"]


def test_platform_admins_assign_posts_in_the_admin(grid, admin_client, client):
    url = reverse("grid_posts:add")
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "area": grid.areas["G2"].pk,
            "email": grid.resident.email,
            "role": PostRole.WORKER,
            "work_phone": "0592-1",
            "show_to_residents": "on",
        },
    )
    assert response.status_code == 302
    post = grid.resident.grid_posts.get()
    assert (post.area, post.role, post.show_to_residents) == (grid.areas["G2"], "worker", True)
    # A worker's post on a community is refused by the service, shown on the form.
    response = admin_client.post(
        url, {"area": grid.areas["M1"].pk, "email": grid.resident.email, "role": "worker"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert admin_client.get(reverse("grid_posts:index")).status_code == 200
    client.force_login(grid.sup1)
    assert client.get(url).status_code in (302, 403)
