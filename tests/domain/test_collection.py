"""The garbage collector's state is given back as it was, however the blocks nest or fail."""

from __future__ import annotations

import gc

import pytest

from machiplan.domain.collection import (
    cycle_collection_paused,
    objects_so_far_frozen,
    settle,
    young_objects_aged,
)


def test_the_collector_is_paused_inside_and_back_on_after_even_on_failure():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cycle_collection_paused():
        assert not gc.isenabled()
        with cycle_collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block leaves it off for the outer one
        raise RuntimeError
    assert gc.isenabled()


@pytest.fixture(autouse=True)
def nothing_frozen():
    gc.unfreeze()  # whatever froze objects before (nothing of machiplan's outside these blocks)
    yield
    gc.unfreeze()


def test_frozen_objects_are_given_back_by_the_outermost_block_only():
    assert gc.get_freeze_count() == 0
    with objects_so_far_frozen():
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with objects_so_far_frozen():
            kept = [[] for _ in range(100)]
            settle()
            assert gc.get_freeze_count() >= frozen + len(kept)
        assert gc.get_freeze_count() >= frozen + len(kept)  # still out of the collector's sight
    assert gc.get_freeze_count() == 0


def test_a_failing_block_gives_the_objects_back():
    with pytest.raises(ValueError), objects_so_far_frozen():
        raise ValueError
    assert gc.get_freeze_count() == 0


def test_garbage_made_inside_is_still_collected():
    class Cycle:
        pass

    with objects_so_far_frozen():
        a, b = Cycle(), Cycle()
        a.other, b.other = b, a
        del a, b
        assert gc.collect() >= 2


def test_objects_frozen_by_someone_else_stay_frozen():
    gc.freeze()  # a server that froze its start-up objects before forking its workers
    before = gc.get_freeze_count()
    with objects_so_far_frozen():
        pass
    assert gc.get_freeze_count() >= before > 0


def test_young_objects_are_aged_without_a_collection_and_garbage_is_still_collected():
    class Cycle:
        pass

    with cycle_collection_paused():
        kept = [[n] for n in range(1000)]
        a, b = Cycle(), Cycle()
        a.other, b.other = b, a
        young_objects_aged()
        assert gc.get_count()[0] == 0  # no collection is due
        oldest = {id(o) for o in gc.get_objects(generation=2)}
        assert id(kept) in oldest and id(kept[-1]) in oldest
        del a, b
    assert gc.get_freeze_count() == 0
    assert gc.collect() >= 2  # the cycle, aged, goes at the next full collection


def _still_frozen(kept: list) -> bool:
    """Whether ``kept`` is still out of the collector's sight: a frozen object is in none of its
    generations. (The number of frozen objects is no measure: it falls whenever one of them is
    freed, as a test's temporaries are.)"""
    return all(o is not kept for o in gc.get_objects())


def test_frozen_objects_stay_frozen_when_young_objects_are_aged():
    kept = [object()]
    with objects_so_far_frozen():
        assert _still_frozen(kept)
        young_objects_aged()
        assert _still_frozen(kept)
    assert not _still_frozen(kept)
    gc.freeze()  # someone else's
    try:
        young_objects_aged()
        assert _still_frozen(kept)
    finally:
        gc.unfreeze()
