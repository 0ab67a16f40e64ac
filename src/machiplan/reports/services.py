"""Build and write a plan's report: what ``machiplan report`` and the web app call."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from machiplan.domain.collection import objects_so_far_frozen
from machiplan.plans.selectors import plan_data

from .model import Report, build_report
from .writer import write_report


def report_build(
    *, code: str, evaluation_fy: int | None = None, lang: str = "ja", charts: bool | None = None
) -> Report:
    plan = plan_data(code)
    with objects_so_far_frozen():  # the plan's objects, read, are not garbage (domain/collection.py)
        return build_report(plan, evaluation_fy=evaluation_fy, lang=lang, charts=charts)


def report_write(
    *,
    code: str,
    out: str | Path,
    evaluation_fy: int | None = None,
    lang: str = "ja",
    formats: Iterable[str] | None = None,
    charts: bool | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[Report, list[Path]]:
    """``progress(step)`` is told each step as it begins: "read" (the plan read, evaluated and
    its report model built, charts included), then each format. The command line's: its slowest
    format is made in a second process (``write_report``), as nothing else runs beside it."""
    if progress:
        progress("read")
    report = report_build(code=code, evaluation_fy=evaluation_fy, lang=lang, charts=charts)
    return report, write_report(report, out, formats, progress, second_process=True)
