"""The staff fixtures (people in each role over the embedded plan) for the fuzz tests."""

from tests.staff.conftest import PLAN, people  # noqa: F401
