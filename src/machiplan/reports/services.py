"""Build and write a plan's report: what ``machiplan report`` and the web app call."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from machiplan.domain.collection import objects_so_far_frozen
from machiplan.plans.selectors import plan_data

from .model import Report, build_report
from .renderers import RENDERERS
from .writer import write_report


def report_build(
    *,
    code: str,
    evaluation_fy: int | None = None,
    lang: str = "ja",
    charts: bool | None = None,
    printed: bool = True,
) -> Report:
    """``printed``: the report will be printed (its PDF made): see ``build_report``."""
    plan = plan_data(code)
    with objects_so_far_frozen():  # the plan's objects, read, are not garbage (domain/collection.py)
        return build_report(plan, evaluation_fy=evaluation_fy, lang=lang, charts=charts, printed=printed)


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
    chosen = list(formats or RENDERERS)
    printed = "pdf" in chosen
    report = report_build(code=code, evaluation_fy=evaluation_fy, lang=lang, charts=charts, printed=printed)
    return report, write_report(report, out, chosen, progress, second_process=True)
