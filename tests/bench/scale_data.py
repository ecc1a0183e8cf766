"""Bulk data for benchmarks: a city with up to millions of reports and many forum threads.

``fill(reports=N, threads=M)`` tops the current database up to at least ``N`` reports and ``M``
forum threads in all (what is there already counts, so calling it again with larger numbers
adds only the difference, and with the same numbers adds nothing). It needs the demo's base
data: areas, categories with their routing, departments with staff, users and the forum spaces
and boards; ``fill(..., seed=True)`` runs ``manage.py seed_demo`` first when the database has no
areas. It writes rows directly, not through the services: it is for measuring reads, and the
services would take hours for a million reports.

What it makes, spread as a real city's data would be:

* reports in every grid cell of the city, in the categories the cell is offered (the
  department is the one ``reports.queries.route`` picks), a few of them sensitive (the demo's
  sensitive categories), about 1% hidden (rejected as abusive), with their deadlines, handlers
  (the department's staff), ratings and supporters' counts. A thousand are submitted a day
  (``REPORTS_PER_DAY``): more reports make a longer history, not a busier city, so the open
  ones (most of those under two days old, a quarter of those under ten, none older) are about
  the same few thousand at any size, as in a city whose departments keep up. Topping up adds
  the older history, oldest first, so that ids grow with time among the new reports;
* each report's timeline: its submission and the event that brought it to its state;
* optionally (``photos=True``, the default) a photo row for seven reports in ten (the files
  themselves are not written: pages build their addresses only);
* threads in the public space's boards (a few in the leadership space), a hundred a day, some
  hidden or deleted, with replies by the demo's users, likes, hot ranks and zero to three tags
  each.

On PostgreSQL the rows go in with ``COPY`` (a million reports with their timelines and photos
take a few minutes); elsewhere with ``bulk_create`` in batches. Either way it ends with
``ANALYZE`` so that the planner knows the new sizes.

In a benchmark (inside the test database, after the demo is seeded)::

    from tests.bench.scale_data import fill
    fill(reports=100_000, threads=10_000)

From the shell, filling a database to keep (the demo is seeded first when it is empty)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civic_perfdb DEBUG=true \\
        .venv/bin/python -m tests.bench.scale_data --reports 1000000 --threads 100000
"""

import argparse
import hashlib
import io
import os
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.db import DatabaseError, transaction

BATCH = 20_000
# A city of about two million people: a thousand reports and a hundred threads a day, so that a
# million reports are three years of history. More reports mean a longer history, not a busier
# city: the backlog of open reports and the newest pages look alike at any size.
REPORTS_PER_DAY = 1000
THREADS_PER_DAY = 100

# (state, share, the event that brought it there): a report still open, by age…
OPEN_MIX = [
    ("submitted", 0.3, None),
    ("accepted", 0.2, "accepted"),
    ("assigned", 0.2, "assigned"),
    ("in_progress", 0.3, "started"),
]
# … and one done with (resolved reports close themselves after a week).
DONE_MIX = [
    ("resolved", 0.12, "resolved"),
    ("closed", 0.72, "closed"),
    ("rejected", 0.09, "rejected"),
    ("duplicate", 0.07, "merged"),
]
EVENT_OF = {state: event for state, _share, event in OPEN_MIX + DONE_MIX}


def _open_share(age):
    """The share of reports of this age still open: most in their first two days, a quarter
    until ten days, none after (the SLA sweep escalates and closes the stragglers)."""
    if age < timedelta(days=2):
        return 0.7
    if age < timedelta(days=10):
        return 0.25
    return 0.0


HIDDEN_SHARE = 0.01  # rejected as abusive: not public
HANDLED = {"assigned", "in_progress", "resolved", "closed"}

DESCRIPTIONS = [
    "路灯不亮，晚上很黑，行人看不清路。",
    "路面有一个大坑，电动车经过很危险。",
    "小区门口有人倾倒建筑垃圾。",
    "墙上有新的涂鸦，请尽快清理。",
    "下雨后排水口堵塞，路面积水严重。",
    "交通标志被撞歪了。",
    "大风把树吹倒了，挡住了人行道。",
    "共享单车乱停放，堵住了盲道。",
    "深夜施工噪音扰民。",
    "水管漏水，路面一直有水。",
    "人行道砖块松动，老人容易绊倒。",
    "垃圾桶满了好几天没人清运。",
]
THREAD_TITLES = [
    "公交站台能不能加个遮雨棚？",
    "关于小区垃圾分类的建议",
    "河边步道晚上照明不足",
    "周末社区市集的摊位怎么申请",
    "学校门口接送时段交通拥堵",
    "希望增加社区图书角",
    "老旧小区加装电梯进展如何",
    "公园健身器材损坏",
]
REPLIES = [
    "同意，我家附近也是这样。",
    "上周已经向街道反映过了。",
    "支持这个建议！",
    "可以先在业主群里征集意见。",
    "谢谢分享，学到了。",
]
TAGS = [
    "交通",
    "环境",
    "安全",
    "绿化",
    "停车",
    "噪音",
    "垃圾分类",
    "照明",
    "养老",
    "教育",
    "文化",
    "体育",
    "市集",
    "公交",
    "骑行",
    "步行",
    "宠物",
    "物业",
    "电梯",
    "供水",
]


@dataclass
class City:
    """What the generated rows refer to, read once from the demo's base data."""

    cells: list  # (area id, path, min_lat, min_lon, max_lat, max_lon)
    offered: dict  # area id -> [(category id, department id, sensitive, allows anonymous)]
    staff: dict  # department id -> [user id]
    residents: list  # user ids


def _users():
    from civic.accounts.models import User

    return list(User.objects.filter(is_active=True).values_list("pk", flat=True))


def _load_city():
    from civic.areas.models import Area, AreaKind
    from civic.departments.models import Membership
    from reports import queries
    from reports.models import Category

    cells = list(
        Area.objects.filter(kind=AreaKind.GRID).values_list(
            "id", "path", "min_lat", "min_lon", "max_lat", "max_lon"
        )
    )
    if not cells:
        raise RuntimeError("No grid areas: seed the demo first (fill(..., seed=True)).")
    areas = Area.objects.in_bulk([cell[0] for cell in cells])
    categories = list(Category.objects.filter(is_active=True).select_related("default_department"))
    offered = {}
    for cell in cells:
        choices = []
        for category in categories:
            department = queries.route(category, areas[cell[0]])
            if department is not None:
                choices.append(
                    (category.pk, department.pk, category.sensitive, category.allows_anonymous)
                )
        if choices:
            offered[cell[0]] = choices
    cells = [cell for cell in cells if cell[0] in offered]
    staff = {}
    for department_id, user_id in Membership.objects.values_list("department_id", "user_id"):
        staff.setdefault(department_id, []).append(user_id)
    members = {user for users in staff.values() for user in users}
    users = _users()
    residents = [pk for pk in users if pk not in members] or users
    return City(cells=cells, offered=offered, staff=staff, residents=residents)


def _moments(existing, done, size, count, per_day, now, rng):
    """Times for new items ``done`` … ``done + size - 1`` of ``count`` added to ``existing``:
    ``per_day`` of them a day, the new ones before the existing ones (a longer history), the
    oldest first so that ids grow with time among them."""
    moments = []
    for item in range(done, done + size):
        newer = existing + count - 1 - item  # how many items are newer than this one
        moments.append(now - timedelta(days=(newer + rng.random()) / per_day))
    return moments


def _report_rows(city, first_id, moments, now, rng):
    """Yield ``(report, events, photo)`` column dicts for reports from ``first_id`` submitted at
    ``moments``."""
    open_states = [state for state, _share, _event in OPEN_MIX]
    open_weights = [share for _state, share, _event in OPEN_MIX]
    done_states = [state for state, _share, _event in DONE_MIX]
    done_weights = [share for _state, share, _event in DONE_MIX]
    hidden_given_rejected = HIDDEN_SHARE / done_weights[done_states.index("rejected")]
    for offset, created in enumerate(moments):
        pk = first_id + offset
        area_id, path, min_lat, min_lon, max_lat, max_lon = rng.choice(city.cells)
        category_id, department_id, _sensitive, anonymous_ok = rng.choice(city.offered[area_id])
        age = now - created
        if rng.random() < _open_share(age):
            state = rng.choices(open_states, open_weights)[0]
        else:
            state = rng.choices(done_states, done_weights)[0]
            if state == "resolved" and age > timedelta(days=7):
                state = "closed"
        hidden = state == "rejected" and rng.random() < hidden_given_rejected
        reporter = rng.choice(city.residents)
        staff = city.staff.get(department_id) or [None]
        later = created + timedelta(hours=rng.uniform(1, 96))
        if later > now:
            later = now
        report = {
            "id": pk,
            "category_id": category_id,
            "description": rng.choice(DESCRIPTIONS),
            "answers": "{}",
            "lat": rng.uniform(min_lat, max_lat),
            "lon": rng.uniform(min_lon, max_lon),
            "location_source": "given",
            "address": "",
            "area_id": area_id,
            "area_path": path,
            "department_id": department_id,
            "handler_id": rng.choice(staff) if state in HANDLED else None,
            "state": state,
            "reporter_id": reporter,
            "submitted_by_id": reporter,
            "client_request_id": "",
            "channel": "app" if rng.random() < 0.85 else "web",
            "is_anonymous": anonymous_ok and rng.random() < 0.05,
            "show_name": rng.random() < 0.3,
            "contact": "{}",
            "is_public": not hidden,
            "duplicate_of_id": None,
            "support_count": int(rng.expovariate(0.5)),
            "rating": rng.randint(1, 5) if state == "closed" and rng.random() < 0.4 else None,
            "rating_comment": "",
            "reopen_count": 0,
            "escalation_level": 0,
            "priority": "normal" if rng.random() < 0.9 else "high",
            "accept_deadline": created + timedelta(hours=24),
            "resolve_deadline": created + timedelta(hours=96),
            "created_at": created,
            "updated_at": later,
            "accepted_at": later if state in HANDLED or state == "accepted" else None,
            "resolved_at": later if state in ("resolved", "closed") else None,
            "closed_at": later if state in ("closed", "rejected", "duplicate") else None,
        }
        events = [
            {
                "report_id": pk,
                "kind": "submitted",
                "actor_id": reporter,
                "from_state": "",
                "to_state": "submitted",
                "is_public": True,
                "message": "",
                "data": "{}",
                "created_at": created,
            }
        ]
        if EVENT_OF[state]:
            events.append(
                {
                    "report_id": pk,
                    "kind": EVENT_OF[state],
                    "actor_id": staff[0],
                    "from_state": "submitted",
                    "to_state": state,
                    "is_public": True,
                    "message": "已处理。" if state in ("resolved", "closed") else "",
                    "data": "{}",
                    "created_at": later,
                }
            )
        photo = None
        if rng.random() < 0.7:
            digest = hashlib.sha256(f"scale:{pk}".encode()).hexdigest()
            photo = {
                "report_id": pk,
                "event_id": None,
                "kind": "report",
                "display": f"reports/{digest[:2]}/{digest}_display.jpg",
                "thumbnail": f"reports/{digest[:2]}/{digest}_thumb.jpg",
                "source": "",
                "width": 1600,
                "height": 1200,
                "checksum": digest,
                "uploaded_by_id": reporter,
                "sort_order": 0,
                "created_at": created,
            }
        yield report, events, photo


class _Writer:
    """Appends rows to tables: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.copy = connection.vendor == "postgresql"

    def write(self, model, rows):
        if not rows:
            return
        if self.copy:
            columns = list(rows[0])
            table = model._meta.db_table
            names = ", ".join(self.connection.ops.quote_name(column) for column in columns)
            self.connection.ensure_connection()
            with (
                self.connection.connection.cursor() as cursor,
                cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row([row[column] for column in columns])
        else:
            json_columns = {
                field.attname
                for field in model._meta.concrete_fields
                if field.get_internal_type() == "JSONField"
            }
            model.objects.bulk_create(
                [
                    model(**{k: ({} if k in json_columns else v) for k, v in row.items()})
                    for row in rows
                ],
                batch_size=2000,
            )

    @contextmanager
    def bulk_load(self, models):
        """Inside: the tables' secondary indexes dropped (rebuilt afterwards, sorted, which is
        many times faster than keeping them up to date row by row) and, where the database
        user may, foreign keys not checked row by row (the generator only refers to rows that
        exist). Outside PostgreSQL it changes nothing."""
        if not self.copy:
            yield
            return
        tables = [model._meta.db_table for model in models]
        with self.connection.cursor() as cursor:
            # Foreign keys deferred to the end of the transaction are checked now: an index
            # cannot be built on a table with checks pending (rows the caller wrote before).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [tables],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            try:
                with transaction.atomic():
                    cursor.execute("SET LOCAL session_replication_role = replica")
            except DatabaseError:
                pass  # not a superuser: the foreign keys are checked at commit
            yield
            for _name, definition in indexes:
                cursor.execute(definition)

    def next_id(self, model):
        from django.db.models import Max

        return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def reset_sequence(self, model):
        """After rows with explicit ids, make the table's own ids continue above them."""
        if not self.copy:
            return  # SQLite's AUTOINCREMENT follows the largest id by itself
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )

    def analyze(self, models):
        with self.connection.cursor() as cursor:
            if self.copy:
                for model in models:
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
            else:
                cursor.execute("ANALYZE")


def _fill_reports(writer, city, existing, count, now, rng, photos, progress):
    from reports.models import Report, ReportEvent, ReportPhoto

    first = writer.next_id(Report)
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        reports, events, pictures = [], [], []
        moments = _moments(existing, done, size, count, REPORTS_PER_DAY, now, rng)
        for report, timeline, photo in _report_rows(city, first + done, moments, now, rng):
            reports.append(report)
            events.extend(timeline)
            if photos and photo is not None:
                pictures.append(photo)
        writer.write(Report, reports)
        writer.write(ReportEvent, events)
        writer.write(ReportPhoto, pictures)
        done += size
        progress(f"reports {done:,}/{count:,}")
    writer.reset_sequence(Report)


def _tag_ids(writer):
    from django.utils.text import slugify
    from taggit.models import Tag

    ids = []
    for index, name in enumerate(TAGS):
        tag, _created = Tag.objects.get_or_create(
            name=name, defaults={"slug": slugify(name, allow_unicode=True) or f"tag-{index}"}
        )
        ids.append(tag.pk)
    return ids


def _fill_threads(writer, users, existing, count, now, rng, progress):
    from forums.models import Board, Post, SpaceKind, TaggedThread, Thread, hot_score

    boards = list(Board.objects.values_list("pk", "space_id", "space__kind"))
    if not boards:
        raise RuntimeError("No forum boards: seed the demo first (fill(..., seed=True)).")
    public = [board for board in boards if board[2] == SpaceKind.PUBLIC]
    leadership = [board for board in boards if board[2] == SpaceKind.LEADERSHIP] or public
    tags = _tag_ids(writer)
    thread_id = writer.next_id(Thread)
    post_id = writer.next_id(Post)
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        threads, posts, tagged = [], [], []
        for created in _moments(existing, done, size, count, THREADS_PER_DAY, now, rng):
            board_id, space_id, kind = rng.choice(public if rng.random() < 0.97 else leadership)
            replies = min(int(rng.expovariate(1 / 3)), 40)
            likes = int(rng.expovariate(1 / 4))
            engagement = likes + 2 * replies
            author = rng.choice(users)
            last = created
            for number in range(replies):
                last = created + timedelta(minutes=30 * (number + 1) * rng.uniform(0.5, 2))
                if last > now:
                    last = now
                posts.append(
                    {
                        "id": post_id,
                        "thread_id": thread_id,
                        "author_id": rng.choice(users),
                        "body": f"<p>{rng.choice(REPLIES)}</p>",
                        "official_response": False,
                        "hidden": False,
                        "hidden_reason": "",
                        "hidden_by_flags": False,
                        "deleted": False,
                        "deleted_at": None,
                        "like_count": int(rng.expovariate(1)),
                        "flag_count": 0,
                        "created_at": last,
                        "edited_at": None,
                        "client_request_id": "",
                    }
                )
                post_id += 1
            roll = rng.random()
            threads.append(
                {
                    "id": thread_id,
                    "space_id": space_id,
                    "board_id": board_id,
                    "group_id": None,
                    "author_id": author,
                    "title": rng.choice(THREAD_TITLES),
                    "body": f"<p>{rng.choice(DESCRIPTIONS)}</p>",
                    "report_id": None,
                    "case_study_id": None,
                    "is_leadership": kind == SpaceKind.LEADERSHIP,
                    "is_private": False,
                    "hidden": roll < 0.01,
                    "hidden_reason": "",
                    "hidden_by_flags": False,
                    "locked": False,
                    "deleted": 0.01 <= roll < 0.015,
                    "deleted_at": now if 0.01 <= roll < 0.015 else None,
                    "flag_count": 0,
                    "reply_count": replies,
                    "like_count": likes,
                    "participant_count": 1 + min(replies, len(users) - 1),
                    "view_count": int(rng.expovariate(1 / 50)),
                    "engagement": engagement,
                    "hot": hot_score(engagement, created),
                    "created_at": created,
                    "edited_at": None,
                    "last_activity_at": last,
                    "origin_id": None,
                    "shared_from_id": None,
                    "promoted_at": None,
                    "has_official_response": False,
                    "client_request_id": "",
                }
            )
            for tag_id in rng.sample(tags, rng.choice((0, 1, 1, 2, 3))):
                tagged.append({"tag_id": tag_id, "content_object_id": thread_id})
            thread_id += 1
        writer.write(Thread, threads)
        writer.write(Post, posts)
        writer.write(TaggedThread, tagged)
        done += size
        progress(f"threads {done:,}/{count:,}")
    writer.reset_sequence(Thread)
    writer.reset_sequence(Post)


def _bulk_models():
    from forums.models import Post, TaggedThread, Thread
    from reports.models import Report, ReportEvent, ReportPhoto

    return [Report, ReportEvent, ReportPhoto, Thread, Post, TaggedThread]


def fill(reports=0, threads=0, *, photos=True, seed=False, random_seed=2026, progress=None):
    """Top the current database up to ``reports`` reports and ``threads`` forum threads.

    ``seed=True`` runs ``seed_demo`` first if there are no areas. ``progress`` (a function
    taking a line of text) hears how far it got. Returns ``{"reports": added, "threads":
    added, "seconds": …}``.
    """
    from django.core.management import call_command
    from django.utils import timezone

    from civic.areas.models import Area
    from forums.models import Thread
    from reports.models import Report

    progress = progress or (lambda line: None)
    started = time.perf_counter()
    if seed and not Area.objects.exists():
        call_command("seed_demo", force=True, verbosity=0, stdout=io.StringIO())
    have_reports, have_threads = Report.objects.count(), Thread.objects.count()
    add_reports = max(reports - have_reports, 0)
    add_threads = max(threads - have_threads, 0)
    if add_reports or add_threads:
        writer = _Writer()
        rng = random.Random(random_seed + have_reports + have_threads)
        now = timezone.now()
        with transaction.atomic(), writer.bulk_load(_bulk_models()):
            if add_reports:
                _fill_reports(
                    writer, _load_city(), have_reports, add_reports, now, rng, photos, progress
                )
            if add_threads:
                _fill_threads(writer, _users(), have_threads, add_threads, now, rng, progress)
        writer.analyze(_bulk_models())
    return {
        "reports": add_reports,
        "threads": add_threads,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=0, help="reports in all, at least")
    parser.add_argument("--threads", type=int, default=0, help="forum threads in all, at least")
    parser.add_argument("--no-photos", action="store_true", help="no photo rows")
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")
    import django

    django.setup()
    result = fill(
        options.reports,
        options.threads,
        photos=not options.no_photos,
        seed=True,
        progress=lambda line: print(line, flush=True),
    )
    print(
        f"added {result['reports']:,} reports and {result['threads']:,} threads "
        f"in {result['seconds']} s"
    )


if __name__ == "__main__":
    main()
