"""The notifications API over HTTP, as the app calls it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from civic.notifications import services
from civic.notifications.models import Device, Kind, Notification, Preference, QuietHours

pytestmark = pytest.mark.django_db

INBOX = """
query Inbox($first: Int, $after: String, $unreadOnly: Boolean) {
  unreadCount
  notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
    edges { node { id kind title body link url data isRead readAt createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
MARK_READ = """
mutation M($input: MarkReadInput!) {
  markRead(input: $input) { errors { field code message } unreadCount }
}
"""
MARK_ALL_READ = """
mutation { markAllRead(input: {}) { errors { code } unreadCount } }
"""
REGISTER = """
mutation R($input: RegisterDeviceInput!) {
  registerDevice(input: $input) {
    errors { field code message }
    device { token platform isActive lastSeen }
  }
}
"""
UNREGISTER = """
mutation U($input: UnregisterDeviceInput!) {
  unregisterDevice(input: $input) { errors { field code } removed }
}
"""
PREFERENCES = """
query {
  notificationPreferences { kinds { kind label push email } quietHours { start end } timeZone }
}
"""
UPDATE_PREFERENCES = """
mutation P($input: UpdateNotificationPreferencesInput!) {
  updateNotificationPreferences(input: $input) {
    errors { field code message }
    preferences { kinds { kind push email } quietHours { start end } }
  }
}
"""


def make_notifications(user, count, start=0):
    return [
        services.notify(
            user,
            Kind.REPORT_UPDATE,
            key=f"test:{n}",
            message=lambda n=n: (f"Title {n}", f"Body {n}"),
            link=f"civic://reports/{n}",
            url=f"/reports/{n}/",
            data={"reportId": n},
        )
        for n in range(start, start + count)
    ]


def test_the_inbox_pages_newest_first_and_counts_unread(world, gql_as):
    make_notifications(world.resident, 5)
    make_notifications(world.neighbour, 2, start=100)
    api = gql_as(world.resident)
    first = api(INBOX, {"first": 3})["data"]
    assert first["unreadCount"] == 5
    nodes = [edge["node"] for edge in first["notifications"]["edges"]]
    assert [node["title"] for node in nodes] == ["Title 4", "Title 3", "Title 2"]
    assert nodes[0]["kind"] == "REPORT_UPDATE"
    assert nodes[0]["link"] == "civic://reports/4"
    assert nodes[0]["url"] == "/reports/4/"
    assert nodes[0]["data"] == '{"reportId": 4}'
    assert nodes[0]["isRead"] is False
    assert first["notifications"]["pageInfo"]["hasNextPage"] is True
    rest = api(INBOX, {"first": 3, "after": first["notifications"]["pageInfo"]["endCursor"]})
    titles = [e["node"]["title"] for e in rest["data"]["notifications"]["edges"]]
    assert titles == ["Title 1", "Title 0"]  # and nothing of the neighbour's


def test_signed_out_the_inbox_is_refused(world, gql):
    body = gql(INBOX, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "unauthenticated"


def test_mark_read_marks_only_ones_own(world, gql_as):
    mine = make_notifications(world.resident, 3)
    theirs = make_notifications(world.neighbour, 1, start=100)
    api = gql_as(world.resident)
    ids = [to_global_id("Notification", n.pk) for n in (mine[0], mine[1], theirs[0])]
    payload = api(MARK_READ, {"input": {"ids": ids}})["data"]["markRead"]
    assert payload == {"errors": [], "unreadCount": 1}
    assert Notification.objects.get(pk=theirs[0].pk).read_at is None
    unread = api(INBOX, {"unreadOnly": True})["data"]["notifications"]["edges"]
    assert [e["node"]["title"] for e in unread] == ["Title 2"]
    node = api(
        "query($id: ID!) { node(id: $id) { ... on Notification { isRead } } }", {"id": ids[0]}
    )
    assert node["data"]["node"] == {"isRead": True}
    # Someone else's notification is not found through node either.
    other = api("query($id: ID!) { node(id: $id) { id } }", {"id": ids[2]})
    assert other["data"]["node"] is None


def test_mark_read_refuses_ids_of_other_types(world, gql_as):
    api = gql_as(world.resident)
    payload = api(MARK_READ, {"input": {"ids": [to_global_id("Report", 1)]}})["data"]["markRead"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("ids", "not_found")]


def test_mark_all_read(world, gql_as):
    make_notifications(world.resident, 3)
    make_notifications(world.neighbour, 1, start=100)
    api = gql_as(world.resident)
    assert api(MARK_ALL_READ)["data"]["markAllRead"] == {"errors": [], "unreadCount": 0}
    assert api(INBOX)["data"]["unreadCount"] == 0
    assert Notification.objects.filter(user=world.neighbour, read_at__isnull=True).count() == 1


def test_inbox_queries_do_not_grow_with_the_page(world, gql_as):
    make_notifications(world.resident, 30)
    api = gql_as(world.resident)

    def count(first):
        with CaptureQueriesContext(connection) as queries:
            edges = api(INBOX, {"first": first})["data"]["notifications"]["edges"]
        return len(queries), len(edges)

    small, rows_small = count(2)
    large, rows_large = count(25)
    assert (rows_small, rows_large) == (2, 25)
    assert large == small


def test_register_a_device_and_move_it_to_whoever_signs_in_next(world, gql_as, client):
    api = gql_as(world.resident)
    registered = api(REGISTER, {"input": {"token": "fcm-token-1", "platform": "ANDROID"}})
    payload = registered["data"]["registerDevice"]
    assert payload["errors"] == []
    assert payload["device"]["platform"] == "ANDROID"
    assert payload["device"]["isActive"] is True
    # Registering again is the same device.
    api(REGISTER, {"input": {"token": "fcm-token-1", "platform": "ANDROID"}})
    assert Device.objects.get().user == world.resident
    # The neighbour signs in on the same phone: the token is theirs now, and only theirs.
    client.logout()
    api = gql_as(world.neighbour)
    api(REGISTER, {"input": {"token": "fcm-token-1", "platform": "ANDROID"}})
    device = Device.objects.get()
    assert device.user == world.neighbour
    notification = make_notifications(world.resident, 1)[0]
    assert not notification.deliveries.exists()  # the resident's news no longer reach it
    # The resident cannot unregister the neighbour's token; the neighbour can.
    client.logout()
    api = gql_as(world.resident)
    out = api(UNREGISTER, {"input": {"token": "fcm-token-1"}})["data"]["unregisterDevice"]
    assert out == {"errors": [], "removed": False}
    client.logout()
    api = gql_as(world.neighbour)
    out = api(UNREGISTER, {"input": {"token": "fcm-token-1"}})["data"]["unregisterDevice"]
    assert out == {"errors": [], "removed": True}
    assert not Device.objects.exists()


def test_a_blank_or_overlong_token_is_refused(world, gql_as):
    api = gql_as(world.resident)
    for token in ("  ", "x" * 600):
        payload = api(REGISTER, {"input": {"token": token, "platform": "IOS"}})
        errors = payload["data"]["registerDevice"]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [("token", "invalid_device_token")]
    assert not Device.objects.exists()


def test_preferences_read_and_update(world, gql_as):
    api = gql_as(world.resident)
    prefs = api(PREFERENCES, headers={"Accept-Language": "en"})["data"]["notificationPreferences"]
    by_kind = {k["kind"]: k for k in prefs["kinds"]}
    assert by_kind["REPORT_RESOLVED"] == {
        "kind": "REPORT_RESOLVED",
        "label": "Report resolved",
        "push": True,
        "email": True,
    }
    assert by_kind["REPORT_UPDATE"]["email"] is False
    assert prefs["quietHours"] is None
    assert prefs["timeZone"] == "Asia/Shanghai"

    changed = api(
        UPDATE_PREFERENCES,
        {
            "input": {
                "kinds": [
                    {"kind": "REPORT_UPDATE", "push": False},
                    {"kind": "BADGE_EARNED", "email": True},
                ],
                "quietHours": {"start": "22:00:00", "end": "07:30:00"},
            }
        },
    )["data"]["updateNotificationPreferences"]
    assert changed["errors"] == []
    by_kind = {k["kind"]: k for k in changed["preferences"]["kinds"]}
    assert by_kind["REPORT_UPDATE"] == {"kind": "REPORT_UPDATE", "push": False, "email": False}
    assert by_kind["BADGE_EARNED"] == {"kind": "BADGE_EARNED", "push": True, "email": True}
    assert changed["preferences"]["quietHours"] == {"start": "22:00:00", "end": "07:30:00"}
    assert QuietHours.objects.get(user=world.resident).start.hour == 22

    # Back to the default: no row is kept.
    api(UPDATE_PREFERENCES, {"input": {"kinds": [{"kind": "REPORT_UPDATE", "push": True}]}})
    assert list(Preference.objects.values_list("kind", flat=True)) == ["badge_earned"]
    cleared = api(UPDATE_PREFERENCES, {"input": {"clearQuietHours": True}})
    assert cleared["data"]["updateNotificationPreferences"]["preferences"]["quietHours"] is None


def test_quiet_hours_that_start_where_they_end_are_refused(world, gql_as):
    api = gql_as(world.resident)
    payload = api(
        UPDATE_PREFERENCES,
        {"input": {"quietHours": {"start": "22:00:00", "end": "22:00:00"}}},
        headers={"Accept-Language": "en"},
    )["data"]["updateNotificationPreferences"]
    assert payload["errors"] == [
        {
            "field": "quietHours",
            "code": "invalid_quiet_hours",
            "message": "Quiet hours need a start and an end that differ.",
        }
    ]


def test_the_language_of_notifications_is_the_users_own(world, gql_as):
    api = gql_as(world.resident)
    out = api(
        'mutation { updateProfile(input: {language: "en"}) '
        "{ errors { code } viewer { language } } }"
    )
    assert out["data"]["updateProfile"] == {"errors": [], "viewer": {"language": "en"}}
    bad = api('mutation { updateProfile(input: {language: "fr"}) { errors { field code } } }')
    errors = bad["data"]["updateProfile"]["errors"]
    assert errors == [{"field": "language", "code": "invalid_choice"}]
