"""Write a report's files all at once, so a failure leaves the output folder as it was."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import nullcontext
from functools import partial
from pathlib import Path

from machiplan.domain.apart import begun_apart, can_fork, forks_allowed
from machiplan.domain.collection import objects_so_far_frozen
from machiplan.domain.errors import MachiplanError
from machiplan.interchange.folders import write_into

from .model import CSV_FILES, Report
from .renderers import RENDERERS

# The format made in a second process when a write asks for one: the slowest of those chosen.
SLOWEST_FIRST = ("pdf", "xlsx")


def write_report(
    report: Report,
    out_dir: str | Path,
    formats: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
    *,
    second_process: bool = False,
) -> list[Path]:
    """Every format's files into ``out_dir`` at once; ``progress(format)`` before each is made.

    ``second_process``: the slowest format chosen (``SLOWEST_FIRST``) is made in a forked copy of
    this process while this one makes the others, on a second core. Only for a caller with no
    other threads (the command line): a fork copies just the thread that makes it."""
    chosen = list(dict.fromkeys(formats or RENDERERS))  # each once, in the order asked
    unknown = [f for f in chosen if f not in RENDERERS]
    if unknown:
        raise MachiplanError(
            f"unknown report format(s): {', '.join(unknown)} (known: {', '.join(RENDERERS)})"
        )

    def render(scratch: Path) -> list[Path]:
        apart = _made_apart(report, chosen) if second_process else None
        # each format's files, or the wait for them: the one made apart is begun first, so that
        # the two processes work side by side from the start; the files keep the formats' order
        made: dict[str, list[Path] | Callable[[], list[Path]]] = {}
        try:
            for name in sorted(chosen, key=lambda name: name != apart):
                if progress:
                    progress(name)
                renderer = RENDERERS[name]
                made[name] = (
                    begun_apart(partial(renderer, report, scratch), f"making the {name} report")
                    if name == apart
                    else renderer(report, scratch)
                )
        finally:  # the second process is waited for even when this one failed: it writes in scratch
            made = {name: files() if callable(files) else files for name, files in made.items()}
        return [path for name in chosen for path in made[name]]

    # CSV's files are one data set whose files vary with the plan: an older run's that this one does
    # not write go (a stale baselines.csv beside new observations). Other formats' files stay: a
    # run of one format leaves the others as they were, each a whole file that names its plan.
    owns = CSV_FILES if "csv" in chosen else ()
    # the report model's objects, made, are not garbage: the collector walks only what the files make
    with objects_so_far_frozen(), forks_allowed() if second_process else nullcontext():
        return write_into(out_dir, render, owns=owns)


def _made_apart(report: Report, chosen: list[str]) -> str | None:
    """Which of the formats to make in a second process: none for a single format, or where there
    is no fork; not the PDF when it is long enough to be painted in two processes itself
    (renderers/pdf.py ``APART_FROM``), which a forked copy could not do."""
    if len(chosen) < 2 or not can_fork():
        return None
    slowest = [name for name in SLOWEST_FIRST if name in chosen]
    if slowest[:1] == ["pdf"]:
        from .renderers.pdf import painted_in_two

        if painted_in_two(report):
            slowest.pop(0)
    return slowest[0] if slowest else None
