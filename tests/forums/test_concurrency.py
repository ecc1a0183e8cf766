"""Never nominated or promoted twice, counters that add up, retries that post once — with real
concurrent transactions on PostgreSQL (one thread and connection each, released together)."""

import pytest
from django.db import connection

from civic.core.roles import Role
from forums import services
from forums.models import Nomination, NominationStatus, Post, Reaction, Thread
from rewards.models import LedgerEntry

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.serial,
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite locks the whole database for a writer and has no row locks; the "
        "sequential tests in test_loop_services.py cover the same refusals there.",
    ),
]


@pytest.fixture
def editors(make_user):
    return [make_user(Role.EDITOR) for _ in range(8)]


def test_double_clicked_promotion_makes_one_leadership_thread_and_pays_once(
    spaces, people, thread_by, editors, race
):
    thread = thread_by(people.resident)
    nomination = services.nominate(people.editor, thread, reason="值得讨论")
    results = race([lambda e=e: services.promote(e, nomination, reason="同意") for e in editors])
    assert len({result.pk for result in results}) == 1
    assert Thread.objects.filter(origin=thread).count() == 1
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.PROMOTED
    assert nomination.leadership_thread_id == results[0].pk
    payments = LedgerEntry.objects.filter(account__user=people.resident)
    assert payments.count() == 1


def test_promote_and_decline_at_once_decide_once(spaces, people, thread_by, editors, race):
    thread = thread_by(people.resident)
    nomination = services.nominate(people.editor, thread, reason="r")
    calls = [lambda e=e: services.promote(e, nomination, reason="升") for e in editors[:4]] + [
        lambda e=e: services.decline(e, nomination, reason="否") for e in editors[4:]
    ]
    results = race(calls)
    nomination.refresh_from_db()
    promoted = Thread.objects.filter(origin=thread).count()
    if nomination.status == NominationStatus.PROMOTED:
        assert promoted == 1
        assert results[4:] == ["nomination_decided"] * 4
    else:
        assert promoted == 0
        assert results[:4] == ["nomination_decided"] * 4


def test_likes_crossing_the_threshold_at_once_nominate_once(
    spaces, people, thread_by, thresholds, make_user, editors, race
):
    thresholds.nomination_min_participants = 1
    thresholds.nomination_min_likes = 5
    thresholds.save()
    thread = thread_by(people.resident)
    for _ in range(4):
        services.react(make_user(Role.RESIDENT), thread)
    likers = [make_user(Role.RESIDENT) for _ in range(12)]
    calls = [lambda u=u: services.react(u, thread) for u in likers] + [
        lambda e=e: services.nominate(e, thread, reason="手动") for e in editors[:4]
    ]
    race(calls)
    assert Nomination.objects.filter(thread=thread).count() == 1
    thread.refresh_from_db()
    assert thread.like_count == Reaction.objects.filter(thread=thread).count() == 16
    assert thread.engagement == 16


def test_one_person_liking_at_once_from_many_taps_counts_once(spaces, people, thread_by, race):
    thread = thread_by(people.resident)
    race([lambda: services.react(people.other, thread) for _ in range(10)])
    thread.refresh_from_db()
    assert thread.like_count == 1
    assert Reaction.objects.filter(thread=thread).count() == 1


def test_a_retried_reply_posts_once(spaces, people, thread_by, race):
    thread = thread_by(people.resident)
    results = race(
        [
            lambda: services.reply(people.other, thread, body="收到", client_request_id="r-1")
            for _ in range(10)
        ]
    )
    assert {post.pk for post in results} == {Post.objects.get().pk}
    thread.refresh_from_db()
    assert (thread.reply_count, thread.participant_count, thread.engagement) == (1, 2, 2)


def test_replies_at_once_keep_the_counters_right(spaces, people, thread_by, make_user, race):
    thread = thread_by(people.resident)
    repliers = [make_user(Role.RESIDENT) for _ in range(10)]
    race([lambda u=u: services.reply(u, thread, body="加一") for u in repliers])
    thread.refresh_from_db()
    assert thread.reply_count == Post.objects.filter(thread=thread).count() == 10
    assert thread.participant_count == 11
    assert thread.engagement == 20


def test_a_case_study_recommended_at_once_opens_one_thread(spaces, editors, portal, race):
    _home, pages = portal
    results = race(
        [
            lambda e=e: services.open_leadership_thread_for_case_study(
                e, page=pages["D1"], title="案例", summary="经验"
            )
            for e in editors
        ]
    )
    assert len({thread.pk for thread in results}) == 1
    assert Thread.objects.filter(case_study=pages["D1"]).count() == 1
