"""The API tests reuse the reports world and the rewards catalogue fixtures."""

from tests.reports.conftest import submit, world  # noqa: F401  (fixtures)
from tests.rewards.conftest import item  # noqa: F401  (fixture)
