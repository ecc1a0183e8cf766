"""Demo notifications. The demo's report and rewards history reaches the inboxes through the
receivers, as it would have happened (``inbox_only``: past events are not pushed or mailed);
the demo resident gets a phone, so that what happens next is pushed (to the log sender)."""

from django.contrib.auth import get_user_model

from civic.notifications import services
from civic.notifications.models import Device, Platform

inbox_only = services.inbox_only
DEMO_PHONE = "demo-resident-phone-token"


def seed(progress=iter):
    resident = get_user_model().objects.filter(email="resident@demo.civic").first()
    for user in progress([resident] if resident else []):
        if not Device.objects.filter(token=DEMO_PHONE).exists():
            services.register_device(user, token=DEMO_PHONE, platform=Platform.ANDROID)
