"""plan.json: the plan JSON contract, evaluation included."""

from __future__ import annotations

from pathlib import Path

from machiplan.interchange.plan_json import write_plan_json

from ..model import Report


def render_json(report: Report, folder: Path) -> list[Path]:
    path = folder / "plan.json"
    with path.open("w", encoding="utf-8") as handle:
        write_plan_json(report.plan, report.evaluation, handle)
    return [path]
