"""Forums at scale: 100,000 threads and 1,000,000 replies.

Run with ``./dev bench -k forums`` (on PostgreSQL too: prefix ``DATABASE_URL=postgres://…``).
The rows go in by COPY on PostgreSQL and ``executemany`` on SQLite (the ORM would take minutes
for a million rows). Each figure is a ratio against the bare indexed SELECT of the same rows
measured in the same run, so a busy machine slows both sides alike; query counts are beside.
"""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from civic.core.api.pagination import cursor_for
from civic.core.roles import Role
from forums import queries, services
from forums.models import Post, Space, SpaceKind, Thread, hot_score
from tests.bench.bench_photo_intake import interleaved
from tests.bench.bench_reports import count_queries
from tests.bench.conftest import report

THREADS = 100_000
POSTS = 1_000_000
AUTHORS = 20

THREAD_COLUMNS = [
    "space_id",
    "author_id",
    "title",
    "body",
    "is_leadership",
    "is_private",
    "hidden",
    "hidden_reason",
    "hidden_by_flags",
    "locked",
    "deleted",
    "flag_count",
    "reply_count",
    "like_count",
    "participant_count",
    "view_count",
    "engagement",
    "hot",
    "created_at",
    "last_activity_at",
    "has_official_response",
    "client_request_id",
]
POST_COLUMNS = [
    "thread_id",
    "author_id",
    "body",
    "official_response",
    "hidden",
    "hidden_reason",
    "hidden_by_flags",
    "deleted",
    "like_count",
    "flag_count",
    "created_at",
    "client_request_id",
]


def _insert(table, columns, rows):
    """Many rows at once: COPY on PostgreSQL, executemany on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", list(rows)
            )


def _posts_of(n):
    """Replies of the n-th thread: 5 or 15, a million in all."""
    return 5 + (n % 2) * 10


@pytest.fixture
def forum(make_user):
    rng = random.Random(2026)
    authors = [make_user(Role.RESIDENT) for _n in range(AUTHORS)]
    space = Space.objects.get(kind=SpaceKind.PUBLIC)
    now = timezone.now()

    def threads():
        for n in range(THREADS):
            created = now - timedelta(minutes=10 * (THREADS - n))
            replies = _posts_of(n)
            likes = rng.randint(0, 30)
            engagement = likes + 2 * replies
            yield (
                space.pk,
                authors[n % AUTHORS].pk,
                f"话题 {n}",
                f"<p>第 {n} 个话题的正文</p>",
                False,
                False,
                False,
                "",
                False,
                False,
                False,
                0,
                replies,
                likes,
                1 + min(replies, AUTHORS - 1),
                0,
                engagement,
                hot_score(engagement, created),
                created,
                created,
                False,
                "",
            )

    _insert("forums_thread", THREAD_COLUMNS, threads())
    first = Thread.objects.order_by("pk").values_list("pk", flat=True).first()
    created_of = dict(Thread.objects.values_list("pk", "created_at"))

    def posts():
        for n in range(THREADS):
            pk = first + n
            for k in range(_posts_of(n)):
                yield (
                    pk,
                    authors[(n + k + 1) % AUTHORS].pk,
                    f"<p>回复 {k}</p>",
                    False,
                    False,
                    "",
                    False,
                    False,
                    0,
                    0,
                    created_of[pk] + timedelta(seconds=k + 1),
                    "",
                )

    _insert("forums_post", POST_COLUMNS, posts())
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE" if connection.vendor == "sqlite" else "ANALYZE forums_thread, forums_post"
        )
    assert Thread.objects.count() == THREADS
    assert Post.objects.count() == POSTS
    busiest = Thread.objects.filter(reply_count=15).order_by("-pk").first()
    return space, authors, busiest


def _bare_threads(space_pk):
    """The hot list's rows straight off the partial index, nothing else."""
    with connection.cursor() as cursor:
        cursor.execute(
            # The partial index's own condition, as Django wrote it, so that SQLite's planner
            # (which will not match a bound parameter against it) can use the index too.
            "SELECT id, title FROM forums_thread WHERE space_id = %s AND NOT deleted "
            "AND NOT hidden ORDER BY hot DESC, id DESC LIMIT 20",
            [space_pk],
        )
        return cursor.fetchall()


def _bare_posts(thread_pk):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, body FROM forums_post WHERE thread_id = %s "
            "ORDER BY created_at, id LIMIT 30",
            [thread_pk],
        )
        return cursor.fetchall()


def test_hot_list_thread_page_and_reply_at_scale(forum, settings):
    space, authors, busiest = forum
    viewer = authors[0]
    client = Client()
    client.force_login(viewer)

    def hot_list():
        rows = list(queries.threads(viewer, space=space, order="hot")[:20])
        queries.attach_links(rows)
        return rows

    ours = [t.pk for t in hot_list()]
    assert ours == [pk for pk, _title in _bare_threads(space.pk)]
    deep = queries.THREAD_ORDERINGS["hot"]
    page_url = f"/forums/s/{space.slug}/?order=hot"
    body = client.get(page_url).content.decode()
    cursor = body.split("cursor=", 1)[1].split('"', 1)[0]
    # A cursor far down the list: the 50,000th thread by rank.
    far = Thread.objects.order_by(*deep)[50_000]
    far_url = f"{page_url}&cursor={cursor_for(far, deep)}"
    thread_url = f"/forums/t/{busiest.pk}/"
    replier = authors[1]
    counter = iter(range(10_000))

    def post_reply():
        services.reply(replier, busiest, body=f"基准回复 {next(counter)}")

    list_queries, _rows = count_queries(hot_list)
    page_queries, _response = count_queries(lambda: client.get(page_url))
    thread_queries, _response = count_queries(lambda: client.get(thread_url))
    reply_queries, _post = count_queries(post_reply)

    medians = interleaved(
        {
            "bare threads": lambda: _bare_threads(space.pk),
            "bare posts": lambda: _bare_posts(busiest.pk),
            "hot list (query)": hot_list,
            "hot page (HTTP)": lambda: client.get(page_url),
            "hot page 2 (HTTP)": lambda: client.get(f"{page_url}&cursor={cursor}"),
            "hot page at 50,000 (HTTP)": lambda: client.get(far_url),
            "thread page (HTTP)": lambda: client.get(thread_url),
            "reply (service)": post_reply,
        },
        repeat=7,
    )

    def ms(name):
        return f"{medians[name] * 1e3:.2f} ms"

    def ratio(name, base):
        return medians[name] / medians[base]

    report(
        f"{THREADS:,} threads, {POSTS:,} replies ({connection.vendor}), "
        "median of 7 interleaved runs",
        [
            ("bare indexed SELECT of 20 hot threads", ms("bare threads")),
            ("bare indexed SELECT of 30 replies", ms("bare posts")),
            ("hot list through queries.threads", ms("hot list (query)")),
            ("  ÷ bare SELECT", f"{ratio('hot list (query)', 'bare threads'):.1f}"),
            ("  SQL queries", str(list_queries)),
            ("hot page over HTTP", ms("hot page (HTTP)")),
            ("  ÷ bare SELECT", f"{ratio('hot page (HTTP)', 'bare threads'):.1f}"),
            ("  SQL queries", str(page_queries)),
            (
                "hot page 2 (cursor) ÷ page 1",
                f"{ratio('hot page 2 (HTTP)', 'hot page (HTTP)'):.2f}",
            ),
            (
                "hot page at the 50,000th thread ÷ page 1",
                f"{ratio('hot page at 50,000 (HTTP)', 'hot page (HTTP)'):.2f}",
            ),
            ("thread page with 15 replies over HTTP", ms("thread page (HTTP)")),
            ("  ÷ bare SELECT of its replies", f"{ratio('thread page (HTTP)', 'bare posts'):.1f}"),
            ("  SQL queries", str(thread_queries)),
            ("reply through services.reply", ms("reply (service)")),
            ("  ÷ bare SELECT of 20 threads", f"{ratio('reply (service)', 'bare threads'):.1f}"),
            ("  SQL queries", str(reply_queries)),
        ],
    )
    # Listing deep down is an index range scan, as fast as the first page.
    assert ratio("hot page at 50,000 (HTTP)", "hot page (HTTP)") < 3
    assert list_queries <= 4
    assert page_queries <= 20
    assert thread_queries <= 25
    assert reply_queries <= 20
