"""The fuzz suite's fixtures: the staff people and clients of tests/staff (the API and the bulk upload)."""

from tests.staff.conftest import PLAN, as_, people  # noqa: F401 - fixtures, used by name
