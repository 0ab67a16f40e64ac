"""Progress of a long command on the terminal (tqdm), on stderr, and nothing when stderr is not one.

    with Progress("load", ("read", "check and store")) as progress:
        progress.step("read")
        …
        for item in progress.each(items, total=len(items), what="indicators"):
            …

A command whose stderr goes to a file, a pipe or a CI log prints no bar and no carriage
return: its output is what it was (tests/cli/test_progress.py). On a terminal the bar is
drawn below the work and cleared when the command ends (``leave=False``), so the lines a
command prints stay as they were. ``MACHIPLAN_PROGRESS=0`` turns it off on a terminal too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def wanted() -> bool:
    return os.environ.get("MACHIPLAN_PROGRESS", "") != "0" and sys.stderr.isatty()


class Progress:
    """A bar over a command's steps; ``each`` a bar over the items of the step under way."""

    def __init__(self, command: str, steps: Sequence[str]) -> None:
        self.command = command
        self.steps = list(steps)
        self.on = wanted()
        self.bar: tqdm | None = None

    def __enter__(self) -> Progress:
        if self.on:
            self.bar = tqdm(
                total=len(self.steps),
                desc=f"machiplan {self.command}",
                unit="step",
                file=sys.stderr,
                leave=False,
                bar_format="{desc}: {n_fmt}/{total_fmt} steps {postfix} [{elapsed}]",
            )
        return self

    def step(self, name: str) -> None:
        """The step ``name`` begins (the ones before it are done)."""
        if self.bar is not None:
            done = self.steps.index(name) if name in self.steps else self.bar.n
            self.bar.n = done
            self.bar.set_postfix_str(name)

    def each(self, items: Iterable[T], *, total: int, what: str) -> Iterator[T]:
        if self.bar is None:
            yield from items
            return
        with tqdm(
            total=total, desc=f"  {what}", unit="", file=sys.stderr, leave=False, mininterval=0.2, position=1
        ) as bar:
            for item in items:
                yield item
                bar.update()

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
