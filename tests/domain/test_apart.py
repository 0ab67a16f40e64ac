"""begun_apart: work in a forked copy of the process gives back what it gave, or raises what it
raised, as the same work done here does."""

from __future__ import annotations

import os

import pytest

from machiplan.domain import apart
from machiplan.domain.apart import begun_apart
from machiplan.domain.errors import MachiplanError


@pytest.fixture(params=["forked", "here"])
def where(request, monkeypatch) -> str:
    if request.param == "here":
        monkeypatch.setattr(apart, "can_fork", lambda: False)
    return request.param


def test_it_gives_what_the_work_gave_each_time_it_is_asked(where):
    pids = begun_apart(lambda: (os.getpid(), [1, 2, 3]), "counting")
    pid, numbers = pids()
    assert numbers == [1, 2, 3] and pids() == (pid, numbers)
    assert (pid != os.getpid()) is (where == "forked")  # really another process, or really this one


def test_the_work_reads_this_process_memory_and_leaves_it_as_it_was(where):
    plan = {"figures": list(range(100_000))}
    done = begun_apart(lambda: plan["figures"].append(-1) or sum(plan["figures"]), "summing")
    assert done() == sum(range(100_000)) - 1
    assert len(plan["figures"]) == (100_000 if where == "forked" else 100_001)


def test_it_raises_what_the_work_raised(where):
    def refuse():
        raise MachiplanError("A percentage must be between 0 and 100", where="observations.csv:3")

    checked = begun_apart(refuse, "checking")
    for _ in range(2):  # each time it is asked
        with pytest.raises(MachiplanError, match=r"^observations\.csv:3: A percentage") as raised:
            checked()
        assert raised.value.where == "observations.csv:3"


class TwoPartError(Exception):
    def __init__(self, what, why):
        super().__init__(f"{what}: {why}")


def test_an_error_pickle_cannot_carry_comes_back_in_words():
    def refuse():
        raise TwoPartError("plan", "no room")

    with pytest.raises(RuntimeError, match=r"TwoPartError: plan: no room") as raised:
        begun_apart(refuse, "checking")()
    assert "in refuse" in str(raised.value)  # where the second process raised it


def test_a_process_that_dies_without_a_word_is_an_error():
    with pytest.raises(
        MachiplanError, match=r"the second process checking the plan ended early \(exit code 3\)"
    ):
        begun_apart(lambda: os._exit(3), "checking the plan")()


def test_work_too_small_for_a_process_is_done_here_at_once():
    done = []
    given = begun_apart(lambda: done.append(os.getpid()) or "ok", "tiny", apart=False)
    assert done == [os.getpid()] and given() == "ok"  # done before it was asked for


def test_work_abandoned_is_stopped_and_what_it_gives_is_an_error(where, tmp_path):
    import time

    from machiplan.domain.apart import abandon

    mark = tmp_path / "finished"
    pause = 30 if where == "forked" else 0
    slow = begun_apart(lambda: time.sleep(pause) or mark.write_text("done"), "waiting")
    started = time.monotonic()
    if where == "forked":
        abandon(slow)
        assert time.monotonic() - started < 10  # stopped, not waited for
        with pytest.raises(MachiplanError, match="the second process waiting was stopped"):
            slow()
        assert not mark.exists()
    else:  # done here already: nothing to stop, what it gave is still given
        abandon(slow)
        assert slow() == 4 and mark.read_text() == "done"
