"""Work begun in a forked copy of this process, on a second core, while this one goes on.

The copy shares this process's memory until either changes it, so what the work reads (a plan of a
million figures, a report's model) is neither copied up front nor sent; what it gives back, or
raises, comes back through a pipe, pickled. Only for a caller with no other threads at work (the
command line): a fork copies just the thread that makes it. Where there is no fork, the work is done
at once, in this process.

    checked = begun_apart(lambda: check_plan(plan), "checking the plan")
    …  # this process goes on
    warnings = checked()  # waits; gives what the work gave, or raises what it raised
"""

from __future__ import annotations

import pickle
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

from .errors import MachiplanError

T = TypeVar("T")


def can_fork() -> bool:
    import multiprocessing  # (imported when first asked: a command that never forks is spared it)

    return "fork" in multiprocessing.get_all_start_methods()


_forks_allowed: ContextVar[bool] = ContextVar("forks_allowed", default=False)


@contextmanager
def forks_allowed() -> Iterator[None]:
    """Inside the block, work deep inside it (a PDF's second half) may be begun in a forked copy
    (``may_fork``): the caller says no other thread is at work. A context variable, so a thread
    the block did not start (a report made for the web app) is never told so."""
    token = _forks_allowed.set(True)
    try:
        yield
    finally:
        _forks_allowed.reset(token)


def may_fork() -> bool:
    """Whether work may be begun in a forked copy here: inside ``forks_allowed``, where there is a
    fork, and not in a forked copy already (multiprocessing gives its copies no children)."""
    if not (_forks_allowed.get() and can_fork()):
        return False
    import multiprocessing

    return not multiprocessing.current_process().daemon


def begun_apart(work: Callable[[], T], what: str, *, apart: bool = True) -> Outcome[T]:
    """``work`` begun in a forked copy of this process (``what`` it does, for the error if the copy
    dies). The ``Outcome`` returned waits for it the first time it is called, then gives what the
    work gave, or raises what it raised, each time it is called. ``apart=False`` (work too small to
    be worth a process), or no fork: the work is done here, at once, and given the same way."""
    if not (apart and can_fork()):
        outcome = Outcome[T]()
        try:
            outcome.value = work()
        except BaseException as exc:
            outcome.error = exc
        return outcome
    return _Forked(work, what)


def abandon(given: Outcome[T]) -> None:
    """The work behind ``given`` (what ``begun_apart`` returned) no longer wanted, as the caller
    failed before asking for it: its forked copy stopped if it still runs, not left to finish on its
    own (a process that ends at once, ``os._exit``, would leave it so). Work done here is done."""
    given.stop()


class Outcome(Generic[T]):
    """What ``begun_apart`` returns: called, it gives what the work gave or raises what it raised."""

    value: T
    error: BaseException | None = None

    def __call__(self) -> T:
        if self.error is not None:
            raise self.error
        return self.value

    def stop(self) -> None:
        """Nothing to stop: the work was done here, at once."""


class _Forked(Outcome[T]):
    def __init__(self, work: Callable[[], T], what: str) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._what = what
        self._waited = False

        def child() -> None:
            try:
                result = (True, work())
            except BaseException as exc:  # given to the parent, which raises it
                result = (False, _carried(exc))
            send.send(result)

        self._process = context.Process(target=child, daemon=True)
        self._process.start()
        send.close()

    def stop(self) -> None:
        if not self._waited:
            self._waited = True
            self._process.terminate()
            self._process.join()
            self._receive.close()
            self.error = MachiplanError(f"the second process {self._what} was stopped")

    def __call__(self) -> T:
        if not self._waited:
            self._waited = True
            try:
                done, result = self._receive.recv()
            except EOFError:  # it ended without a word: killed, or out of memory
                done, result = False, None
            self._process.join()
            self._receive.close()
            if done:
                self.value = result
            else:
                self.error = result or MachiplanError(
                    f"the second process {self._what} ended early (exit code {self._process.exitcode})"
                )
        return super().__call__()


def _carried(exc: BaseException) -> BaseException:
    """``exc`` as the pipe can carry it to the parent: itself, or, when it does not survive pickling
    (an exception whose ``__init__`` wants more than its message), a RuntimeError with its type,
    its words and where the second process raised it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError("".join(traceback.format_exception(exc)).rstrip())
    return exc
