"""Generations of a report in the background, with nothing but the database and a thread.

The request that asks for a report records a queued ``ReportRun`` and, once that is committed,
``launch`` starts a thread in the same server process (gunicorn's gthread worker, or any WSGI
server) and returns: the page the person is sent to reads the run's state from the database, so
any worker process shows it and a reload loses nothing. The thread claims the run (queued →
running; a run claimed already is left alone), says what it is making (``step``) and beats a
heartbeat every few seconds while it works, then records the files made, or the error (logged
with its traceback under the id of the request that asked).

A server stopped or restarted mid-way leaves a run that no longer beats: after ``STALE_SECONDS``
without a sign of life it is shown as stopped, and asking again marks it failed and starts anew.
The database keeps two generations of one plan from running at once (a unique index over the
runs under way).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable

from django.db import OperationalError, connections
from django.utils import timezone

from machiplan.domain.errors import MachiplanError

from . import publication
from .models import ACTIVE, DONE, FAILED, QUEUED, RUNNING, ReportRun

logger = logging.getLogger("machiplan.reports")

HEARTBEAT_SECONDS = 5
STALE_SECONDS = 120  # no sign of life for this long: the process making it is gone


def launch(run_id) -> threading.Thread:
    """Make the run in a thread of this process; the caller returns at once."""
    context = contextvars.copy_context()  # the log lines keep the id of the request that asked
    thread = threading.Thread(
        target=context.run, args=(_in_thread, run_id), name=f"machiplan-report-{run_id}", daemon=True
    )
    thread.start()
    return thread


def _in_thread(run_id) -> None:
    try:
        execute(run_id)
    except Exception:  # execute records what it can; this is the last word, in the log
        logger.exception("report generation %s stopped", run_id)
    finally:
        connections.close_all()  # this thread's own connections


def execute(run_id) -> ReportRun:
    """Claim the run and make it, here and now (the thread's work; the command line's too)."""
    now = timezone.now()
    claimed = _retrying(
        lambda: ReportRun.objects.filter(pk=run_id, state=QUEUED).update(
            state=RUNNING, started_at=now, heartbeat_at=now, step=publication.STEPS[0], steps_done=0
        )
    )
    if not claimed:  # another worker has it, or it was given up meanwhile
        return ReportRun.objects.get(pk=run_id)
    run = ReportRun.objects.get(pk=run_id)
    beat = _Heartbeat(run_id)
    beat.start()
    try:
        made = publication.generate(run, progress=lambda step, done: _progress(run_id, step, done))
    except Exception as exc:
        logger.exception("the report of %s FY%s (generation %s) failed", run.plan_code, run.fy, run_id)
        message = exc.message if isinstance(exc, MachiplanError) else f"{type(exc).__name__}: {exc}"
        _finish(run_id, state=FAILED, error=message[:2000])
    else:
        _finish(
            run_id, state=DONE, title=made.title[:300], plan_version=made.plan_version,
            figures_read_at=made.figures_read_at, files=made.files, steps_done=len(publication.STEPS),
        )  # fmt: skip
        logger.info("the report of %s FY%s is made (generation %s)", run.plan_code, run.fy, run_id)
    finally:
        beat.stop()
    return ReportRun.objects.get(pk=run_id)


def _progress(run_id, step: str, done: int) -> None:
    """A step reached: a busy database delays it (or, past the retries, leaves it to the next step)
    rather than failing a report that is being made well."""
    try:
        _retrying(
            lambda: ReportRun.objects.filter(pk=run_id, state=RUNNING).update(
                step=step, steps_done=done, heartbeat_at=timezone.now()
            )
        )
    except OperationalError:
        logger.warning("the progress of report generation %s was not recorded", run_id, exc_info=True)


def _finish(run_id, **values) -> None:
    now = timezone.now()
    _retrying(
        lambda: ReportRun.objects.filter(pk=run_id, state=RUNNING).update(
            finished_at=now, heartbeat_at=now, **values
        )
    )


RETRIES, RETRY_SECONDS = 20, 0.25


def _retrying(write: Callable[[], object]) -> object:
    """``write`` again while the database says it is locked (SQLite while another connection reads
    or writes the table; its busy timeout does not cover a shared cache's table locks)."""
    for attempt in range(RETRIES):
        try:
            return write()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == RETRIES - 1:
                raise
            time.sleep(RETRY_SECONDS)
    raise AssertionError("unreachable")


class _Heartbeat(threading.Thread):
    """Says every few seconds that the run is still being made (a PDF of a large plan takes a while)."""

    def __init__(self, run_id) -> None:
        super().__init__(name=f"machiplan-report-heartbeat-{run_id}", daemon=True)
        self.run_id = run_id
        self._stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self._stopped.wait(HEARTBEAT_SECONDS):
                try:
                    ReportRun.objects.filter(pk=self.run_id, state=RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:  # a busy database: the next beat, or the end of the run, says more
                    logger.warning("a heartbeat of report generation %s missed", self.run_id, exc_info=True)
        finally:
            connections.close_all()

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=HEARTBEAT_SECONDS * 2)


def last_sign_of_life(run: ReportRun) -> dt.datetime:
    return run.heartbeat_at or run.requested_at


def is_stalled(run: ReportRun, now: dt.datetime | None = None) -> bool:
    """Under way in the database, but silent for too long: its process was stopped."""
    now = now or timezone.now()
    return run.state in ACTIVE and (now - last_sign_of_life(run)).total_seconds() > STALE_SECONDS


def give_up_stalled(plan_code: str) -> list[ReportRun]:
    """Mark the plan's stalled runs failed, saying so, so that it can be generated again."""
    now = timezone.now()
    stalled = [
        r for r in ReportRun.objects.filter(plan_code=plan_code, state__in=ACTIVE) if is_stalled(r, now)
    ]
    for run in stalled:
        since = timezone.localtime(last_sign_of_life(run)).strftime("%Y-%m-%d %H:%M:%S")
        updated = ReportRun.objects.filter(pk=run.pk, state__in=ACTIVE, heartbeat_at=run.heartbeat_at).update(
            state=FAILED, finished_at=now,
            error=f"stopped: no sign of life since {since} (the server was stopped or restarted while it ran)",
        )  # fmt: skip
        if updated:
            logger.warning("report generation %s of %s had stalled: marked failed", run.pk, plan_code)
    return stalled
