"""Build and write a plan's report: what ``machiplan report`` and the web app call."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from machiplan.domain.evaluation import evaluate_plan
from machiplan.plans.selectors import plan_data

from .model import Report, build_report
from .writer import write_report


def report_build(*, code: str, evaluation_fy: int | None = None, lang: str = "ja") -> Report:
    plan = plan_data(code)
    evaluate_plan(plan, evaluation_fy=evaluation_fy)  # raises a clear error for a year outside the plan
    return build_report(plan, evaluation_fy=evaluation_fy, lang=lang)


def report_write(
    *,
    code: str,
    out: str | Path,
    evaluation_fy: int | None = None,
    lang: str = "ja",
    formats: Iterable[str] | None = None,
) -> tuple[Report, list[Path]]:
    report = report_build(code=code, evaluation_fy=evaluation_fy, lang=lang)
    return report, write_report(report, out, formats)
