"""The soak benchmark's work inside its database (bench_soak.py runs these in ``manage.py
shell``, with the stack's settings): preparing the phones, and counting what was kept."""

import json
from collections import Counter

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from graphql_relay import to_global_id

from civic.accounts.models import User
from civic.accounts.services import grant_role
from civic.core.roles import Role
from civic.notifications.models import Delivery, DeliveryState, Notification
from civic.notifications.services import register_device
from forums.models import Post, Thread
from reports.models import Report, ReportPhoto
from rewards.models import LedgerEntry, Rule


def _session(user):
    """An app session token (allauth headless's is the session key) signing ``user`` in."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "civic.accounts.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _user(email, role, phone):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(username=email, email=email, password=f"soak-{email}")
        grant_role(user, role)
    register_device(user, token=phone, platform="android")
    return user


def setup(clients):
    """Prints the phones' session tokens (residents with a phone each), the staff member's (a
    platform admin), a place and category to report (a public report's, with no required
    question), public threads to reply to, and where this run's rows start."""
    residents = [
        _session(_user(f"soak-{n}@example.org", Role.RESIDENT, f"soak-phone-{n}"))
        for n in range(clients)
    ]
    staff = _user("soak-admin@example.org", Role.ADMIN, "soak-admin-phone")
    place = None
    for report in Report.objects.filter(is_public=True).select_related("category"):
        if not report.category.questions.filter(required=True).exists():
            place = {"lat": report.lat, "lon": report.lon, "category": report.category.service_code}
            break
    threads = Thread.objects.filter(space__kind="public", locked=False, deleted=False)
    print(
        json.dumps(
            {
                "residents": residents,
                "staff": _session(staff),
                "place": place,
                "threads": [to_global_id("ForumThread", t.pk) for t in threads[:10]],
                "since_report": Report.objects.order_by("-id").values_list("id", flat=True).first()
                or 0,
                "since_notification": Notification.objects.order_by("-id")
                .values_list("id", flat=True)
                .first()
                or 0,
            }
        )
    )


def verify(path):
    """Prints what the database holds of what the phones were told (the JSON at ``path``)."""
    with open(path) as file:
        told = json.load(file)
    by_request = {}
    for pk, client_id in told["reports"]:
        by_request.setdefault(client_id, set()).add(pk)
    reports = Report.objects.filter(id__gt=told["since_report"])
    in_db = set(reports.values_list("pk", flat=True))
    acknowledged = {pk for pks in by_request.values() for pk in pks}
    per_request = Counter(reports.values_list("reporter_id", "client_request_id"))
    accepted = set(reports.filter(accepted_at__isnull=False).values_list("pk", flat=True))
    points = Counter(
        LedgerEntry.objects.filter(
            rule=Rule.REPORT_ACCEPTED, source__in=[f"report:{pk}" for pk in in_db]
        ).values_list("source", flat=True)
    )
    notifications = Notification.objects.filter(id__gt=told["since_notification"])
    told_accepted = set(
        notifications.filter(kind="report_accepted").values_list("data__reportId", flat=True)
    )
    deliveries = Delivery.objects.filter(notification__in=notifications)
    due_later = deliveries.filter(state=DeliveryState.PENDING, next_attempt_at__gt=timezone.now())
    photos = ReportPhoto.objects.filter(report__in=reports)
    posts = Post.objects.filter(pk__in=told["posts"]).count()
    lost_deliveries = deliveries.exclude(state=DeliveryState.SENT).exclude(pk__in=due_later)
    print(
        json.dumps(
            {
                "reports acknowledged to phones": len(acknowledged),
                "reports in the database": len(in_db),
                "reports lost": len(acknowledged - in_db),
                "retries that made a second report": sum(
                    n - 1 for n in per_request.values() if n > 1
                ),
                "retries answered with another report": sum(
                    1 for pks in by_request.values() if len(pks) > 1
                ),
                "photos": photos.count(),
                "photos not decoded": photos.filter(display="").count(),
                "reports accepted": len(accepted),
                "acceptances acknowledged but not recorded": len(set(told["accepted"]) - accepted),
                "duplicate points": sum(n - 1 for n in points.values() if n > 1),
                "accepted reports without points": len(
                    accepted - {int(source.split(":")[1]) for source in points}
                ),
                "notifications": notifications.count(),
                "accepted reports without their notification": len(accepted - told_accepted),
                "deliveries": deliveries.count(),
                "deliveries sent": deliveries.filter(state=DeliveryState.SENT).count(),
                "deliveries due again later (leased by the killed worker)": due_later.count(),
                "deliveries lost": lost_deliveries.count(),
                "replies acknowledged": len(told["posts"]),
                "replies lost": len(told["posts"]) - posts,
            }
        )
    )
