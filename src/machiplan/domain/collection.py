"""The cyclic garbage collector paused while a large plan is built, read, judged or written.

Reading, checking, storing, judging and writing a plan make millions of small objects that
reference counting frees (figures, rows, dictionaries of JSON): none forms a cycle worth
collecting. Left on, the cyclic collector walks every live object each time its oldest
generation fills (a plan of 100,000 indicators is several million objects), which was
close to half of a ``machiplan load`` and a quarter of an evaluation, for nothing to collect.
"""

from __future__ import annotations

import gc
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
