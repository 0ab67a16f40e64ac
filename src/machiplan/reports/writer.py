"""Write a report's files all at once, so a failure leaves the output folder as it was."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from machiplan.domain.errors import MachiplanError
from machiplan.interchange.folders import write_into

from .model import Report
from .renderers import RENDERERS


def write_report(
    report: Report,
    out_dir: str | Path,
    formats: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Every format's files into ``out_dir`` at once; ``progress(format)`` before each is made."""
    chosen = list(formats or RENDERERS)
    unknown = [f for f in chosen if f not in RENDERERS]
    if unknown:
        raise MachiplanError(
            f"unknown report format(s): {', '.join(unknown)} (known: {', '.join(RENDERERS)})"
        )

    def render(scratch: Path) -> list[Path]:
        paths: list[Path] = []
        for name in chosen:
            if progress:
                progress(name)
            paths += RENDERERS[name](report, scratch)
        return paths

    with collecting_only_new_objects():
        return write_into(out_dir, render)


@contextmanager
def collecting_only_new_objects() -> Iterator[None]:
    """The objects there already (the plan, its report model, Django's) kept out of the garbage
    collector's sight meanwhile: each automatic collection of the oldest generation would walk them
    all again, which for a report of 10,000 indicators was 2 of its formats' 17 s of CPU. They are
    given back to the collector after; none of them is ever freed by it meanwhile, but the report's
    objects are not garbage until it is written."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
