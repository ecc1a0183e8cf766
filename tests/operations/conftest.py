from contextlib import contextmanager

import pytest

from civic.core.permissions import SYSTEM
from civic.departments.models import MemberRole
from civic.departments.services import add_member
from tests.reports.conftest import submit, world  # noqa: F401


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block's on-commit callbacks (the events' receivers) as production would."""

    @contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return block


@pytest.fixture
def parks_staff(world, make_user):
    user = make_user(email="parks-dispatcher@example.org")
    add_member(SYSTEM, world.parks, user, MemberRole.DISPATCHER)
    return user
