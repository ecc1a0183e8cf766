"""Nothing sent twice and nothing lost, with real concurrent transactions on PostgreSQL: two
outbox runs at once, the same event delivered at once, one token registered by two people."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from civic.notifications import outbox, push, services
from civic.notifications.models import Delivery, DeliveryState, Device, Kind, Notification

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.serial,
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite has no row locks and one writer at a time: concurrent writers fail with "
        "'database is locked' instead of racing; the sequential tests cover the same rules.",
    ),
]


def _notify(user, key):
    return services.notify(
        user, Kind.REPORT_UPDATE, key=key, message=lambda: ("News", "Body"), url="/reports/1/"
    )


def test_two_outbox_runs_at_once_send_each_delivery_once(make_user, race):
    users = [make_user() for _ in range(20)]
    for n, user in enumerate(users):
        services.register_device(user, token=f"token-{n}", platform="android")
        _notify(user, "news")
    # Make every delivery due again, as if the first sends had not happened.
    Delivery.objects.update(
        state=DeliveryState.PENDING, attempts=0, next_attempt_at=timezone.now() - timedelta(1)
    )
    push.LogSender.sent.clear()
    results = race([outbox.process for _ in range(4)])
    assert sum(result.sent for result in results) == 20
    tokens = sorted(message.token for message in push.LogSender.sent)
    assert tokens == sorted(f"token-{n}" for n in range(20))
    assert set(Delivery.objects.values_list("state", "attempts")) == {(DeliveryState.SENT, 1)}


def test_the_same_event_delivered_at_once_notifies_once(make_user, race):
    user = make_user()
    services.register_device(user, token="token", platform="ios")
    push.LogSender.sent.clear()
    results = race([lambda: _notify(user, "report:1:event:1") for _ in range(8)])
    assert {n.pk for n in results} == {Notification.objects.get().pk}
    assert Delivery.objects.count() == 1
    assert len(push.LogSender.sent) == 1


def test_one_token_registered_by_two_people_at_once_ends_with_one_of_them(make_user, race):
    a, b = make_user(), make_user()
    results = race(
        [
            lambda user=user: services.register_device(user, token="shared", platform="android")
            for user in (a, b) * 4
        ]
    )
    assert len(results) == 8
    device = Device.objects.get()
    assert device.user_id in {a.pk, b.pk}
    assert device.is_active
