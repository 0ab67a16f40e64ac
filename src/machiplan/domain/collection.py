"""The cyclic garbage collector paused, or kept off a large structure, while a large plan is built,
read, judged or written.

Reading, checking, storing, judging and writing a plan make millions of small objects that
reference counting frees (figures, rows, dictionaries of JSON): none forms a cycle worth
collecting. Left on, the cyclic collector walks every live object each time its oldest
generation fills (a plan of 100,000 indicators is several million objects), which was
close to half of a ``machiplan load`` and a quarter of an evaluation, for nothing to collect.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """The collector off inside the block, back as it was after it (nested blocks keep it off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def long_lived_objects_made() -> Iterator[None]:
    """The collector paused while a large structure that forms no cycle and will live on is made
    (a plan read from a package or the database, its evaluation), and what was made aged into the
    oldest generation at the end (``young_objects_aged``): else the first allocation after the
    pause collects the youngest generation, which then holds the whole of it (0.4 s of reading a
    100,000-indicator package, to find nothing)."""
    with cycle_collection_paused():
        yield
        young_objects_aged()


_frozen_depth = 0  # blocks of ``objects_so_far_frozen`` open now: the outermost gives the objects back
_frozen_before = False  # objects were frozen before the outermost block (not ours to give back)
_freezing = threading.Lock()


@contextmanager
def objects_so_far_frozen() -> Iterator[None]:
    """The objects alive now (the program's, a plan read, a report model built) kept out of the
    collector's sight inside the block (``gc.freeze``); the collector still runs, over what the
    block makes. For work that makes cyclic garbage (laying out a PDF, rendering templates) beside
    a large structure that is not: each collection of the oldest generation would walk that
    structure again. The outermost block gives them back to the collector after (unless something
    else had frozen objects before it: ``gc.unfreeze`` would give those back too); a block inside
    it may freeze more (``settle``), all given back together."""
    global _frozen_depth, _frozen_before
    with _freezing:
        if not _frozen_depth:
            _frozen_before = gc.get_freeze_count() > 0
        _frozen_depth += 1
        gc.freeze()
    try:
        yield
    finally:
        with _freezing:
            _frozen_depth -= 1
            if not _frozen_depth and not _frozen_before:
                gc.unfreeze()


def settle() -> None:
    """Inside ``objects_so_far_frozen``: collect what is garbage now, and freeze what is left (a PDF's
    pages painted so far, which each collection while the next part is laid out would walk again)."""
    gc.collect()
    gc.freeze()


def young_objects_aged() -> None:
    """Every object the collector tracks moved to its oldest generation at once, without examining
    any (``gc.freeze`` then ``gc.unfreeze``), and the count of new objects set back to zero. For a
    large structure just made while the collector was paused that forms no cycle (a plan's
    evaluation: a million objects for 100,000 indicators): the first collection after the pause
    would walk it whole (0.2 s), and a collection of the middle generation walk it again with the
    plan read before it (0.8 s), only to find nothing. Cyclic garbage made before is collected by
    the next full collection instead of a younger one. Nothing is done while objects are frozen
    (``objects_so_far_frozen``, or anyone's ``gc.freeze``): unfreezing would give those back."""
    with _freezing:
        if _frozen_depth or gc.get_freeze_count():
            return
        gc.freeze()
        gc.unfreeze()
