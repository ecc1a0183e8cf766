"""The forums demo: every stage of the loop is there, the bulk history's counters and rank are
what the services would have stored, and running it again creates nothing."""

import pytest
from django.db.models import Count, Q

from civic.demo import accounts as accounts_demo
from civic.demo import areas as areas_demo
from civic.demo import departments as departments_demo
from civic.demo import forums as demo
from forums.models import (
    GroupMembership,
    MemberStatus,
    Nomination,
    NominationStatus,
    Thread,
    Visibility,
    hot_score,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    areas_demo.seed()
    departments_demo.seed()
    accounts_demo.seed()
    assert demo.seed() == demo.BULK_THREADS


def test_demo_has_every_stage_and_consistent_counters(seeded):
    threads = Thread.objects.annotate(
        posts_n=Count("posts", distinct=True),
        likes_n=Count("reactions", filter=Q(reactions__post__isnull=True), distinct=True),
    )
    for thread in threads:
        assert thread.reply_count == thread.posts_n, thread
        assert thread.like_count == thread.likes_n, thread
        assert thread.hot == pytest.approx(hot_score(thread.engagement, thread.created_at))
    statuses = set(Nomination.objects.values_list("status", flat=True))
    assert {NominationStatus.PENDING, NominationStatus.PROMOTED} <= statuses
    promoted = Thread.objects.get(promoted_at__isnull=False)
    assert promoted.has_official_response
    assert Thread.objects.filter(shared_from__isnull=False).count() == 1
    assert Thread.objects.filter(hidden_by_flags=True).exists()
    assert set(
        demo_groups := dict(
            GroupMembership.objects.filter(status=MemberStatus.PENDING).values_list(
                "group__visibility", "status"
            )
        )
    ) == {Visibility.CLOSED}, demo_groups
    assert Thread.objects.filter(is_private=True).exists()


def test_running_again_creates_nothing(seeded):
    before = (Thread.objects.count(), Nomination.objects.count(), GroupMembership.objects.count())
    assert demo.seed() == 0
    assert (
        Thread.objects.count(),
        Nomination.objects.count(),
        GroupMembership.objects.count(),
    ) == before
