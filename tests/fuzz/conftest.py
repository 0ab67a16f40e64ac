"""The fuzz suite's fixtures: the staff people and clients of tests/staff, for the bulk upload."""

from tests.staff.conftest import as_, people  # noqa: F401 - fixtures, used by name
