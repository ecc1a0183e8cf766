"""Users' choices hold: channels per kind, quiet hours (push waits until they end), email only
to a verified address, in the user's language."""

import smtplib
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone, translation

from civic.notifications import push, services
from civic.notifications.models import Channel, Delivery, DeliveryState, Kind

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def notify(django_capture_on_commit_callbacks):
    counter = iter(range(1, 10_000))

    def do(user, kind=Kind.REPORT_RESOLVED):
        with django_capture_on_commit_callbacks(execute=True):
            return services.notify(
                user,
                kind,
                key=f"test:{next(counter)}",
                message=lambda: ("Report #7 resolved", "Filled in."),
                link="civic://reports/7",
                url="/reports/7/",
            )

    return do


@pytest.fixture
def phone(world):
    push.LogSender.sent.clear()
    return services.register_device(world.resident, token="resident-phone", platform="ios")


def verify_email(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def channels(notification):
    return sorted(notification.deliveries.values_list("channel", "state"), key=lambda row: row[0])


def test_defaults_push_everything_and_email_what_matters(world, phone, notify):
    verify_email(world.resident)
    resolved = notify(world.resident, Kind.REPORT_RESOLVED)
    update = notify(world.resident, Kind.REPORT_UPDATE)
    assert channels(resolved) == [(Channel.EMAIL, DeliveryState.SENT), (Channel.PUSH, "sent")]
    assert channels(update) == [(Channel.PUSH, DeliveryState.SENT)]
    assert [m.subject for m in mail.outbox] == ["Report #7 resolved"]
    assert mail.outbox[0].to == [world.resident.email]


def test_a_kind_turned_off_still_reaches_the_inbox(world, phone, notify):
    verify_email(world.resident)
    services.update_preferences(world.resident, kinds=[(Kind.REPORT_RESOLVED, False, False)])
    notification = notify(world.resident, Kind.REPORT_RESOLVED)
    assert notification.pk
    assert not notification.deliveries.exists()
    assert not push.LogSender.sent
    assert not mail.outbox


def test_no_email_to_an_unverified_address(world, notify):
    notification = notify(world.resident, Kind.REPORT_RESOLVED)
    assert not notification.deliveries.filter(channel=Channel.EMAIL).exists()
    assert not mail.outbox


def test_email_is_written_in_the_users_language(world, notify):
    verify_email(world.resident)
    notify(world.resident)
    [message] = mail.outbox
    assert "在门户网站查看：" in message.body
    assert "/reports/7/" in message.body
    world.resident.language = "en"
    world.resident.save()
    notify(world.resident)
    assert "See it on the portal:" in mail.outbox[1].body


def test_push_waits_out_quiet_hours_and_the_command_sends_it_then(world, phone, notify):
    verify_email(world.resident)
    services.update_preferences(world.resident, quiet_hours=(time(22, 0), time(7, 0)))
    night = datetime(2026, 12, 1, 23, 30, tzinfo=SHANGHAI)
    with time_machine.travel(night, tick=False) as clock:
        notification = notify(world.resident)
        held = notification.deliveries.get(channel=Channel.PUSH)
        assert held.state == DeliveryState.PENDING
        assert held.attempts == 0
        assert held.next_attempt_at == datetime(2026, 12, 2, 7, 0, tzinfo=SHANGHAI)
        # Email is not intrusive: it goes at once; and so does the inbox entry.
        assert len(mail.outbox) == 1
        clock.move_to(datetime(2026, 12, 2, 6, 59, tzinfo=SHANGHAI))
        call_command("send_notifications", verbosity=0)
        assert not push.LogSender.sent
        clock.move_to(datetime(2026, 12, 2, 7, 0, tzinfo=SHANGHAI))
        call_command("send_notifications", verbosity=0)
    held.refresh_from_db()
    assert held.state == DeliveryState.SENT
    assert [m.token for m in push.LogSender.sent] == ["resident-phone"]


@pytest.mark.parametrize(
    ("start", "end", "now", "until"),
    [
        (time(22), time(7), datetime(2026, 12, 1, 21, 59), None),
        (time(22), time(7), datetime(2026, 12, 1, 22, 0), datetime(2026, 12, 2, 7, 0)),
        (time(22), time(7), datetime(2026, 12, 2, 3, 0), datetime(2026, 12, 2, 7, 0)),
        (time(22), time(7), datetime(2026, 12, 2, 7, 0), None),
        (time(12), time(14), datetime(2026, 12, 2, 13, 0), datetime(2026, 12, 2, 14, 0)),
        (time(12), time(14), datetime(2026, 12, 2, 14, 30), None),
    ],
)
def test_quiet_until(start, end, now, until):
    quiet = type("Quiet", (), {"start": start, "end": end})
    found = services.quiet_until(quiet, now.replace(tzinfo=SHANGHAI))
    assert found == (until.replace(tzinfo=SHANGHAI) if until else None)


def test_the_command_reports_what_it_did(world, phone, notify, capsys):
    notify(world.resident)
    Delivery.objects.update(state=DeliveryState.PENDING, next_attempt_at=phone.last_seen)
    with translation.override("en"):
        call_command("send_notifications")
        out, err = capsys.readouterr()
        assert out.strip() == "Sent 1, to retry 0, refused 0, given up 0."
        assert "Sending notifications" in err  # the progress bar
        call_command("send_notifications", "--enqueue")
        out, _err = capsys.readouterr()
    assert out.splitlines()[-1] == "Sent 0, to retry 0, refused 0, given up 0."
    assert len(push.LogSender.sent) == 2  # the first delivery, and the one reset to pending


def test_history_goes_to_the_inbox_only(world, phone, notify):
    verify_email(world.resident)
    with services.inbox_only():
        notification = notify(world.resident)
    assert notification.pk
    assert not notification.deliveries.exists()
    assert not mail.outbox
    assert not push.LogSender.sent
    assert notify(world.resident).deliveries.count() == 2  # and afterwards, as usual


class FlakyEmail(BaseEmailBackend):
    """Refuses or drops the connection as told, then delivers into Django's test outbox."""

    failures = []

    def send_messages(self, messages):
        if self.failures:
            raise self.failures.pop(0)
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky_email(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyEmail"
    FlakyEmail.failures = []
    return FlakyEmail.failures


def test_an_email_the_server_could_not_take_is_retried(world, notify, flaky_email):
    verify_email(world.resident)
    flaky_email.append(smtplib.SMTPServerDisconnected("connection lost"))
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        notification = notify(world.resident)
        delivery = notification.deliveries.get(channel=Channel.EMAIL)
        assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 1)
        assert "connection lost" in delivery.last_error
        clock.shift(timedelta(minutes=2))
        call_command("send_notifications", verbosity=0)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 2)
    assert len(mail.outbox) == 1


def test_an_address_the_server_refuses_is_not_tried_again(world, notify, flaky_email):
    verify_email(world.resident)
    flaky_email.append(smtplib.SMTPRecipientsRefused({world.resident.email: (550, b"no such")}))
    notification = notify(world.resident)
    delivery = notification.deliveries.get(channel=Channel.EMAIL)
    assert delivery.state == DeliveryState.FAILED
    call_command("send_notifications", verbosity=0)
    assert not mail.outbox


def test_a_device_of_an_unknown_platform_is_refused(world):
    from civic.core.errors import DomainError
    from civic.notifications.models import Device

    with pytest.raises(DomainError) as refused:
        services.register_device(world.resident, token="a-phone", platform="fridge")
    assert (refused.value.field, refused.value.code) == ("platform", "invalid_choice")
    assert not Device.objects.filter(token="a-phone").exists()
