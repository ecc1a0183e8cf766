"""Background jobs of the notifications app (django-tasks): thin wrappers over ``outbox``.

Embedded deployments run them inline (the immediate backend); production enqueues them for
workers, and ``manage.py run_scheduler`` enqueues the retries every minute.
"""

from dataclasses import asdict

from django_tasks import task

from civic.core.periodic import periodic

from . import outbox, services
from .models import Delivery


@task()
def deliver_notification(notification_id):
    """Send a new notification's deliveries that are due (push held for quiet hours waits)."""
    return asdict(outbox.process(Delivery.objects.filter(notification_id=notification_id)))


@periodic(minutes=1)
@task()
def send_due_notifications():
    """Send every delivery that is due: retries, and push held back by quiet hours."""
    return asdict(outbox.process())


@periodic(minutes=60)
@task()
def send_daily_digests():
    """Email yesterday's digest of area alerts to each resident who asked for one; hourly, so a
    missed run catches up, and idempotent (a resident's day is sent once)."""
    return {"sent": services.send_daily_digests()}
