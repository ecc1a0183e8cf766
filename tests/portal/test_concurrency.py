"""Adopting and recommending at the same moment from two places, with real concurrent
transactions on PostgreSQL: one alias per district, one recommendation and one leadership
thread per case study."""

import pytest
from django.db import connection

from civic.portal.models import CaseStudyPage, LeadershipRecommendation
from civic.portal.services import adopt_case_study, recommend_to_leadership

from .conftest import case_study

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.serial,
    pytest.mark.usefixtures("media_root"),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite has no row locks: concurrent writers fail with 'database is locked' "
        "instead of racing; test_adoption.py covers the same refusals in sequence.",
    ),
]


def test_two_editors_adopting_at_once_make_one_alias(teams, make_user, race):
    from civic.core.permissions import SYSTEM
    from civic.core.roles import Role
    from civic.portal.services import add_to_district_team

    original = case_study(teams.D1.page, "Ramp")
    second = make_user(Role.RESIDENT)
    add_to_district_team(SYSTEM, second, teams.D2.page)
    results = race(
        [
            lambda user=user: adopt_case_study(user, original, district_page=teams.D2.page)
            for user in (teams.D2.editor, second)
        ]
    )
    assert [result for result in results if isinstance(result, str)] == ["already_adopted"]
    assert CaseStudyPage.objects.filter(alias_of=original).count() == 1


def test_recommending_twice_at_once_makes_one_recommendation_and_one_thread(teams, race):
    from forums.models import Space, SpaceKind, Thread

    # The forums' migration makes the spaces; this test's flushed database has none.
    Space.objects.get_or_create(
        slug="leadership", defaults={"kind": SpaceKind.LEADERSHIP, "name": "领导论坛"}
    )
    original = case_study(teams.D1.page, "Ramp")
    results = race(
        [
            lambda user=user: recommend_to_leadership(user, original)
            for user in (teams.D1.editor, teams.D1.approver)
        ]
    )
    assert [result for result in results if isinstance(result, str)] == ["already_recommended"]
    assert LeadershipRecommendation.objects.filter(page=original).count() == 1
    assert Thread.objects.filter(case_study=original, is_leadership=True).count() == 1
