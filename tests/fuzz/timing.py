"""Timing a parser at n and 10n, in a child process that is killed if it runs away.

A parser that is linear in its input takes about ten times as long on ten
times the input; a quadratic one a hundred times; a backtracking regex can
take forever, which is why each measurement runs in a forked child with a
deadline: a runaway parse fails the test instead of hanging it.
"""

from __future__ import annotations

import math
import os
import pickle
import signal
import time
from collections.abc import Callable
from typing import Any

CALIBRATE_SECONDS = 0.004  # the small input is parsed this long at least, so timer noise is small
REPEATS = 5


class RanAway(AssertionError):
    pass


def _best(fn: Callable[[Any], object], arg: Any, calls: int) -> float:
    best = math.inf
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(calls):
            fn(arg)
        best = min(best, time.perf_counter() - start)
    return best


def _calls_for(fn: Callable[[Any], object], arg: Any) -> int:
    fn(arg)  # warm up (imports, caches)
    start = time.perf_counter()
    fn(arg)
    once = time.perf_counter() - start
    return max(1, math.ceil(CALIBRATE_SECONDS / max(once, 1e-7)))


def _measure(fn: Callable[[Any], object], small: Any, large: Any) -> tuple[float, float]:
    calls = _calls_for(fn, small)
    return _best(fn, small, calls), _best(fn, large, calls)


def growth(
    fn: Callable[[Any], object], make: Callable[[int], Any], n: int, *, deadline: float = 20.0
) -> float:
    """How many times longer ``fn(make(10 * n))`` takes than ``fn(make(n))`` (best of several runs).

    Runs in a forked child; raises ``RanAway`` if it takes longer than ``deadline`` seconds in all.
    """
    small, large = make(n), make(10 * n)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: measure, send the result, leave without running any cleanup
        os.close(read)
        try:
            payload = pickle.dumps(("ok", _measure(fn, small, large)))
        except BaseException as exc:  # reported to the parent
            payload = pickle.dumps(("error", f"{type(exc).__name__}: {str(exc)[:300]}"))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(write)
    ends = time.monotonic() + deadline
    while True:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > ends:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read)
            raise RanAway(f"still parsing after {deadline:.0f} s (n={n:,} and {10 * n:,})")
        time.sleep(0.01)
    with os.fdopen(read, "rb") as pipe:
        status, value = pickle.loads(pipe.read())
    if status != "ok":
        raise AssertionError(value)
    small_seconds, large_seconds = value
    return large_seconds / max(small_seconds, 1e-9)
