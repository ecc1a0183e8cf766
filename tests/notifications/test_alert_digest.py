"""How area alerts reach a resident (at once, the inbox only, or a daily email digest), the digest
itself (one email a day per subscriber, sent once however often the job runs) and the portal
page where residents manage their alerts."""

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from civic.core.periodic import periodic_jobs
from civic.notifications import services
from civic.notifications.models import AlertDelivery, AreaAlert, Delivery, Kind, Notification
from civic.notifications.tasks import send_daily_digests
from tests.reports.test_portal_views import resolved

pytestmark = pytest.mark.django_db


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_each_delivery_and_the_daily_digest(
    world, submit, make_user, django_capture_on_commit_callbacks
):
    pushed = verified(make_user(email="pushed@example.org"))
    services.create_area_alert(pushed, area=world.areas["DW"])
    inbox = make_user(email="inbox@example.org")
    services.create_area_alert(inbox, area=world.areas["DW"], delivery=AlertDelivery.INBOX)
    digest = verified(make_user(email="digest@example.org"))
    services.create_area_alert(digest, lat=40.45, lon=-3.7, radius_m=500, delivery="digest")
    # Another alert holding it with a more immediate delivery wins.
    both = verified(make_user(email="both@example.org"))
    services.create_area_alert(both, area=world.areas["DW"], delivery=AlertDelivery.DIGEST)
    services.create_area_alert(both, lat=40.45, lon=-3.7, radius_m=300)
    outside = verified(make_user(email="outside@example.org"))
    services.create_area_alert(outside, area=world.areas["DE"], delivery=AlertDelivery.DIGEST)

    for user in (pushed, inbox, digest, both):
        services.register_device(user, token=f"token-{user.pk}", platform="android")
    day = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(lat=40.45, lon=-3.7)
        second = submit(lat=40.451, lon=-3.7, client_request_id="second")
        resolved(world, report)

    def told(user):
        return Notification.objects.filter(
            user=user, kind__in=(Kind.AREA_NEW_REPORT, Kind.AREA_REPORT_RESOLVED)
        )

    assert told(pushed).count() == told(inbox).count() == told(digest).count() == 3
    for user in (pushed, both):  # "both" has an alert that pushes
        assert Delivery.objects.filter(notification__user=user).exists()
    assert not Delivery.objects.filter(notification__user__in=[inbox, digest]).exists()
    assert all(n.data["digest"] for n in told(digest))
    assert not any("digest" in n.data for n in told(both))
    assert not told(outside).exists()

    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert services.send_daily_digests() == 1
        assert services.send_daily_digests() == 0  # run again: nothing twice
        assert send_daily_digests.enqueue().return_value == {"sent": 0}
    [email] = mail.outbox
    assert email.to == ["digest@example.org"]
    for number in (report.pk, second.pk):
        assert f"/reports/{number}/" in email.body
    assert email.body.count(f"/reports/{report.pk}/") == 2  # new, then resolved
    assert services.send_daily_digests(day - timedelta(days=1)) == 0  # a quiet day: no email
    assert "civic.notifications.tasks.send_daily_digests" in periodic_jobs()


def test_the_alerts_page_lists_adds_and_deletes(world, as_user, make_user):
    resident = make_user(email="watcher@example.org", home_area=world.areas["DW"])
    browser = as_user(resident, language="en")
    page = browser.get("/notifications/alerts/")
    assert page.status_code == 200
    assert "You watch no places yet." in page.content.decode()
    added = browser.post(
        "/notifications/alerts/", {"add": "1", "where": "community", "delivery": "digest"}
    )
    assert added.status_code == 302
    circle = browser.post(
        "/notifications/alerts/",
        {
            "add": "1",
            "where": "circle",
            "lat": "40.45",
            "lon": "-3.7",
            "radius_m": "300",
            "delivery": "inbox",
        },
    )
    assert circle.status_code == 302
    alerts = list(AreaAlert.objects.filter(user=resident).order_by("pk"))
    assert [(a.area_id, a.radius_m, a.delivery) for a in alerts] == [
        (world.areas["DW"].pk, None, "digest"),
        (None, 300, "inbox"),
    ]
    listing = browser.get("/notifications/alerts/").content.decode()
    assert "A daily email digest" in listing
    assert 'id="alert-map"' in listing
    bad = browser.post(
        "/notifications/alerts/",
        {"add": "1", "where": "circle", "lat": "", "lon": "", "radius_m": "", "delivery": "push"},
    )
    assert bad.status_code == 200
    assert "errorlist" in bad.content.decode()
    browser.post("/notifications/alerts/", {"delete": str(alerts[0].pk)})
    assert list(AreaAlert.objects.filter(user=resident)) == [alerts[1]]
    # Someone else's alert is not theirs to delete.
    other = as_user(world.neighbour, language="en")
    other.post("/notifications/alerts/", {"delete": str(alerts[1].pk)})
    assert AreaAlert.objects.filter(pk=alerts[1].pk).exists()
    assert as_user(None).get("/notifications/alerts/").status_code == 302
