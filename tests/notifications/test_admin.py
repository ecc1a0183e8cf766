"""The outbox in the admin: read-only, for platform admins."""

import pytest

from civic.notifications import services
from civic.notifications.models import Delivery, Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(world, django_capture_on_commit_callbacks):
    services.register_device(world.resident, token="phone", platform="android")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            world.resident,
            Kind.REPORT_UPDATE,
            key="k",
            message=lambda: ("Report #3: news", "Body"),
        )
    return Delivery.objects.get()


def test_admins_see_the_outbox_and_each_delivery(client, world, delivery):
    client.force_login(world.admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    index = client.get("/admin/notifications/outbox/?state=sent")
    assert index.status_code == 200
    html = index.content.decode()
    assert "Report #3: news" in html
    assert "Sent" in html
    page = client.get(f"/admin/notifications/outbox/{delivery.pk}/")
    assert page.status_code == 200
    assert delivery.provider_id in page.content.decode()
    # Nothing can be added, edited or deleted by hand.
    assert client.get("/admin/notifications/outbox/add/").status_code == 404
    assert client.get(f"/admin/notifications/outbox/edit/{delivery.pk}/").status_code == 404


def test_staff_and_residents_do_not(client, world, delivery):
    for user in (world.dispatcher, world.resident):
        client.force_login(user)
        response = client.get("/admin/notifications/outbox/")
        assert response.status_code in (302, 403)


def test_a_superuser_sees_the_outbox_with_no_button_for_a_view_it_lacks(
    client, world, delivery, make_user
):
    client.force_login(make_user(None, superuser=True))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    for url in ("/admin/notifications/outbox/", f"/admin/notifications/outbox/{delivery.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "/admin/notifications/outbox/add/" not in html
        assert "/edit/" not in html
        assert "/delete/" not in html
