"""Following a report: through the portal's button and the API, idempotent, never on a report
the follower may not see."""

import pytest
from graphql_relay import to_global_id

from reports import services
from reports.models import Follower
from tests.reports.test_reports_api import mutate, phones  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_follow_and_stop_through_the_button(as_user, world, submit):
    report = submit()
    browser = as_user(world.neighbour)
    page = browser.get(f"/reports/{report.pk}/").content.decode()
    assert f'action="/reports/{report.pk}/follow/"' in page
    for _ in range(2):  # a double click
        assert browser.post(f"/reports/{report.pk}/follow/").status_code == 302
    assert list(Follower.objects.values_list("user", flat=True)) == [world.neighbour.pk]
    assert 'aria-pressed="true"' in browser.get(f"/reports/{report.pk}/").content.decode()
    browser.post(f"/reports/{report.pk}/follow/", {"stop": "1"})
    assert not Follower.objects.exists()


def test_follow_and_unfollow_through_the_api(world, phones, submit):  # noqa: F811
    report = submit()
    rid = to_global_id("Report", report.pk)
    for _ in range(2):  # a phone retrying
        result = mutate(phones["neighbour"], "followReport", "FollowReportInput", rid)
        assert result["data"]["followReport"]["errors"] == []
    assert services.follows(world.neighbour, report)
    result = mutate(phones["neighbour"], "unfollowReport", "UnfollowReportInput", rid)
    assert result["data"]["unfollowReport"]["errors"] == []
    assert not services.follows(world.neighbour, report)
    anonymous = mutate(phones["anonymous"], "followReport", "FollowReportInput", rid)
    assert anonymous["errors"][0]["extensions"]["code"] == "unauthenticated"


def test_a_hidden_report_cannot_be_followed(world, phones, submit):  # noqa: F811
    report = submit()
    services.reject(world.dispatcher, report, reason="abusive")
    rid = to_global_id("Report", report.pk)
    result = mutate(phones["neighbour"], "followReport", "FollowReportInput", rid)
    assert result["data"]["followReport"]["errors"][0]["code"] == "not_found"
    assert not Follower.objects.exists()


def test_is_following_is_the_viewers_own(world, phones, submit):  # noqa: F811
    followed, other = submit(), submit(client_request_id="other")
    services.follow(world.neighbour, followed)
    query = "query { reports { edges { node { number isFollowing } } } }"
    seen = {
        name: {
            edge["node"]["number"]: edge["node"]["isFollowing"]
            for edge in phones[name](query)["data"]["reports"]["edges"]
        }
        for name in ("neighbour", "resident", "anonymous")
    }
    assert seen["neighbour"] == {followed.pk: True, other.pk: False}
    assert seen["resident"] == seen["anonymous"] == {followed.pk: False, other.pk: False}
    one = phones["neighbour"](
        "query Q($id: ID!) { report(id: $id) { isFollowing } }",
        {"id": to_global_id("Report", followed.pk)},
    )
    assert one["data"]["report"]["isFollowing"] is True
