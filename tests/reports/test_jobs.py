"""Report generation's writes when SQLite says a table is locked: retried, and a step's progress
never fails a report that is being made well."""

import pytest
from django.db import OperationalError

from machiplan.reports import jobs


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    monkeypatch.setattr(jobs, "RETRY_SECONDS", 0)


def flaky(failures: int, message: str = "database table is locked: reports_reportrun"):
    calls = []

    def write():
        calls.append(1)
        if len(calls) <= failures:
            raise OperationalError(message)
        return 1

    return write, calls


def test_a_locked_table_is_written_again():
    write, calls = flaky(3)
    assert jobs._retrying(write) == 1 and len(calls) == 4


def test_another_database_error_is_not_retried():
    write, calls = flaky(1, "no such table: reports_reportrun")
    with pytest.raises(OperationalError, match="no such table"):
        jobs._retrying(write)
    assert len(calls) == 1


def test_a_table_locked_for_good_is_an_error_after_the_retries():
    write, calls = flaky(10_000)
    with pytest.raises(OperationalError, match="locked"):
        jobs._retrying(write)
    assert len(calls) == jobs.RETRIES


def test_a_step_not_recorded_does_not_fail_the_generation(monkeypatch):
    def locked(write):
        raise OperationalError("database table is locked")

    said = []
    monkeypatch.setattr(jobs, "_retrying", locked)
    monkeypatch.setattr(jobs.logger, "warning", lambda message, *args, **kw: said.append(message % args))
    jobs._progress("00000000-0000-0000-0000-000000000000", "pdf", 2)  # no exception
    assert said == ["the progress of report generation 00000000-0000-0000-0000-000000000000 was not recorded"]
