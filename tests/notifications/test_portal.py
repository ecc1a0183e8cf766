"""The portal's inbox and notification settings."""

import pytest

from civic.notifications import services
from civic.notifications.models import Kind, Notification, Preference, QuietHours

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.resident)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def make(user, n, url="/reports/1/"):
    return services.notify(
        user,
        Kind.REPORT_UPDATE,
        key=f"test:{n}",
        message=lambda: (f"News {n}", f"Body {n}"),
        link="civic://reports/1",
        url=url,
    )


def test_the_inbox_lists_mine_with_unread_marked(signed_in, world, portal):
    first, second = make(world.resident, 1), make(world.resident, 2)
    make(world.neighbour, 3)
    services.mark_read(world.resident, [first.pk])
    page = signed_in.get("/notifications/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "News 2" in html
    assert "News 1" in html
    assert "News 3" not in html
    assert html.index("News 2") < html.index("News 1")
    assert '<p data-testid="unread">1 unread</p>' in html
    assert 'href="/notifications/"' in html  # the nav link
    assert f'name="id" value="{second.pk}"' in html
    assert f'value="{first.pk}"' not in html


def test_opening_marks_read_and_goes_where_it_points(signed_in, world, portal):
    notification = make(world.resident, 1)
    response = signed_in.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/reports/1/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    # Someone else's is not found.
    other = make(world.neighbour, 2)
    assert signed_in.get(f"/notifications/{other.pk}/").status_code == 404


def test_mark_one_and_mark_all_read(signed_in, world, portal):
    a, _b, _c = (make(world.resident, n) for n in range(3))
    theirs = make(world.neighbour, 9)
    signed_in.post("/notifications/read/", {"id": [a.pk, theirs.pk]})
    assert set(Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True)) == {
        a.pk
    }
    response = signed_in.post("/notifications/read-all/", follow=True)
    assert "All notifications are marked read." in response.content.decode()
    assert Notification.objects.filter(user=world.resident, read_at__isnull=True).count() == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert signed_in.get("/notifications/read-all/").status_code == 405


def test_settings_page_saves_channels_quiet_hours_and_language(signed_in, world, portal):
    page = signed_in.get("/notifications/preferences/")
    assert page.status_code == 200
    assert 'for="id_quiet_start"' in page.content.decode()
    data = {f"{kind}__push": "on" for kind in Kind.values}
    data.pop("report_update__push")
    data["badge_earned__email"] = "on"
    data.update({"quiet_start": "22:30", "quiet_end": "06:45", "language": "en"})
    response = signed_in.post("/notifications/preferences/", data, follow=True)
    assert "Your notification settings are saved." in response.content.decode()
    choices = set(
        Preference.objects.filter(user=world.resident).values_list("kind", "push", "email")
    )
    # report_resolved, report_rejected, report_fixed_prompt and vital_warning mail by default:
    # unticked, they are stored as off.
    assert choices == {
        ("report_update", False, False),
        ("badge_earned", True, True),
        ("report_resolved", True, False),
        ("report_rejected", True, False),
        ("report_fixed_prompt", True, False),
        ("vital_warning", True, False),
    }
    quiet = QuietHours.objects.get(user=world.resident)
    assert (quiet.start.strftime("%H:%M"), quiet.end.strftime("%H:%M")) == ("22:30", "06:45")
    world.resident.refresh_from_db()
    assert world.resident.language == "en"


def test_settings_page_refuses_half_quiet_hours(signed_in, world, portal):
    response = signed_in.post("/notifications/preferences/", {"quiet_start": "22:00"})
    assert "Give both ends of the quiet hours, or neither." in response.content.decode()
    assert not QuietHours.objects.exists()


def test_signed_out_the_pages_ask_to_sign_in(client, world):
    for url in ("/notifications/", "/notifications/preferences/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
