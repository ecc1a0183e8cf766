"""Forums fixtures: the two spaces (made by the migration), people in every role, and helpers
that build engagement through the services."""

from types import SimpleNamespace

import pytest

from civic.core.roles import Role
from forums import services
from forums.models import ForumSettings, Space, SpaceKind


@pytest.fixture
def spaces(db):
    """The spaces the migration makes (made again after a transactional test's flush)."""
    return SimpleNamespace(
        public=Space.objects.get_or_create(
            slug="public", defaults={"kind": SpaceKind.PUBLIC, "name": "公共论坛"}
        )[0],
        leadership=Space.objects.get_or_create(
            slug="leadership",
            defaults={"kind": SpaceKind.LEADERSHIP, "name": "领导论坛", "sort_order": 1},
        )[0],
    )


@pytest.fixture
def people(make_user):
    return SimpleNamespace(
        resident=make_user(Role.RESIDENT),
        other=make_user(Role.RESIDENT),
        leader=make_user(Role.LEADER),
        editor=make_user(Role.EDITOR),
        admin=make_user(Role.ADMIN),
        staff=make_user(Role.STAFF),
    )


@pytest.fixture
def thresholds(db):
    """Small thresholds: 3 participants and 2 likes within 7 days nominate a thread."""
    settings = ForumSettings.load()
    settings.nomination_min_participants = 3
    settings.nomination_min_likes = 2
    settings.nomination_window_days = 7
    settings.flag_hide_threshold = 2
    settings.save()
    return settings


@pytest.fixture
def thread_by(spaces):
    def make(author, *, space=None, title="路灯坏了", body="<p>小区东门的路灯坏了一周</p>", **kw):
        return services.create_thread(
            author, space=space or spaces.public, title=title, body=body, **kw
        )

    return make


@pytest.fixture
def engage(make_user):
    """``engage(thread, replies=n, likes=m)``: n distinct residents reply, m others like."""

    def do(thread, *, replies=0, likes=0):
        for n in range(replies):
            services.reply(make_user(Role.RESIDENT), thread, body=f"同意 {n}")
        for _n in range(likes):
            services.react(make_user(Role.RESIDENT), thread)
        thread.refresh_from_db()
        return thread

    return do
