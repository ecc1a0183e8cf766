"""Push through firebase-admin's real messaging code, with FCM's answers scripted on the HTTP
transport: delivered, retried after server errors, tokens FCM refuses deactivated, nothing lost
or sent twice."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from firebase_admin import messaging

from civic.notifications import push, services
from civic.notifications.models import Delivery, DeliveryState, Device, Kind

from .conftest import (
    INTERNAL,
    INVALID_TOKEN,
    OK,
    SENDER_ID_MISMATCH,
    UNAVAILABLE,
    UNREGISTERED,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def notify(django_capture_on_commit_callbacks):
    """Notify as a receiver would: after commit, so the delivery task runs (inline)."""
    counter = iter(range(1, 10_000))

    def do(user, title="Report #1 resolved"):
        with django_capture_on_commit_callbacks(execute=True):
            return services.notify(
                user,
                Kind.REPORT_RESOLVED,
                key=f"test:{next(counter)}",
                message=lambda: (title, "The pothole was filled."),
                link="civic://reports/1",
                url="/reports/1/",
                data={"reportId": 1},
            )

    return do


def device(user, token):
    return services.register_device(user, token=token, platform="android")


def send_due():
    call_command("send_notifications", verbosity=0)


def test_a_notification_is_pushed_through_firebase(world, fcm, notify):
    device(world.resident, "token-a")
    notification = notify(world.resident)
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.state == DeliveryState.SENT
    assert delivery.attempts == 1
    assert delivery.provider_id == "projects/civic-test/messages/1"
    [request] = fcm.requests
    message = request["message"]
    assert message["token"] == "token-a"
    assert message["notification"] == {
        "title": "Report #1 resolved",
        "body": "The pothole was filled.",
    }
    assert message["data"] == {
        "kind": "report_resolved",
        "notificationId": str(notification.pk),
        "link": "civic://reports/1",
    }


@pytest.mark.parametrize("error", [UNAVAILABLE, INTERNAL], ids=["503", "500"])
def test_a_server_error_is_retried_later_and_then_delivered(world, fcm, notify, error):
    device(world.resident, "token-a")
    fcm.answer("token-a", error, OK)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        notification = notify(world.resident)
        delivery = Delivery.objects.get(notification=notification)
        assert delivery.state == DeliveryState.PENDING
        assert delivery.attempts == 1
        assert "Error" in delivery.last_error
        assert delivery.next_attempt_at == start + timedelta(seconds=60)
        send_due()  # not due yet: nothing is sent
        assert len(fcm.requests) == 1
        clock.shift(timedelta(seconds=61))
        send_due()
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 2)
        # Running the outbox again sends nothing more.
        send_due()
        send_due()
    assert len(fcm.sent_to("token-a")) == 2


def test_backoff_doubles_and_the_outbox_gives_up_after_the_last_attempt(
    world, fcm, notify, settings
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 4
    device(world.resident, "token-a")
    fcm.answer("token-a", INTERNAL)
    start = timezone.now()
    waits = []
    with time_machine.travel(start, tick=False) as clock:
        notification = notify(world.resident)
        delivery = Delivery.objects.get(notification=notification)
        while delivery.state == DeliveryState.PENDING:
            waits.append(delivery.next_attempt_at - timezone.now())
            clock.move_to(delivery.next_attempt_at)
            send_due()
            delivery.refresh_from_db()
        assert delivery.state == DeliveryState.DEAD
        assert delivery.attempts == 4
        clock.shift(timedelta(days=1))
        send_due()
    assert waits == [timedelta(seconds=s) for s in (60, 120, 240)]
    assert len(fcm.requests) == 4
    assert Device.objects.get(token="token-a").is_active  # a server error is not the token's fault


@pytest.mark.parametrize(
    "refusal",
    [UNREGISTERED, SENDER_ID_MISMATCH, INVALID_TOKEN],
    ids=["unregistered", "sender_id_mismatch", "invalid_argument"],
)
def test_a_token_fcm_refuses_is_deactivated(world, fcm, notify, refusal):
    device(world.resident, "token-old")
    device(world.resident, "token-new")
    fcm.answer("token-old", refusal)
    notification = notify(world.resident)
    states = dict(
        Delivery.objects.filter(notification=notification).values_list("device__token", "state")
    )
    assert states == {"token-old": DeliveryState.FAILED, "token-new": DeliveryState.SENT}
    old = Device.objects.get(token="token-old")
    assert not old.is_active
    # The next notification goes to the working token only; a retry run sends nothing again.
    notify(world.resident)
    send_due()
    assert len(fcm.sent_to("token-old")) == 1
    assert len(fcm.sent_to("token-new")) == 2
    # The app registering the token again revives it.
    device(world.resident, "token-old")
    assert Device.objects.get(token="token-old").is_active


def test_pushes_go_in_batches_no_larger_than_fcm_takes(world, fcm, notify, monkeypatch):
    monkeypatch.setattr(push, "BATCH_SIZE", 2)
    calls = []
    real = messaging.send_each

    def spy(messages, dry_run=False, app=None):
        calls.append(len(messages))
        return real(messages, dry_run=dry_run, app=app)

    monkeypatch.setattr(messaging, "send_each", spy)
    for n in range(5):
        device(world.resident, f"token-{n}")
    notify(world.resident)
    assert calls == [2, 2, 1]
    assert Delivery.objects.filter(state=DeliveryState.SENT).count() == 5


def test_the_real_batch_limit_is_fcms_500():
    assert push.BATCH_SIZE == 500


def test_a_token_that_moved_to_another_user_gets_no_retry_of_the_old_users_message(
    world, fcm, notify
):
    device(world.resident, "shared-phone")
    fcm.answer("shared-phone", UNAVAILABLE, OK)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        notification = notify(world.resident, title="For the resident only")
        # The neighbour signs in on the same phone before the retry.
        device(world.neighbour, "shared-phone")
        clock.shift(timedelta(minutes=5))
        send_due()
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.state == DeliveryState.FAILED
    assert [r["message"]["notification"]["title"] for r in fcm.requests] == [
        "For the resident only"
    ]


def test_the_log_sender_is_the_embedded_default(world, notify, settings):
    assert settings.NOTIFICATIONS_PUSH_SENDER == "log"
    device(world.resident, "token-a")
    push.LogSender.sent.clear()
    notification = notify(world.resident)
    assert Delivery.objects.get(notification=notification).state == DeliveryState.SENT
    assert [m.token for m in push.LogSender.sent] == ["token-a"]
