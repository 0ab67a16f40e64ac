"""plan.json: the plan JSON contract, evaluation included."""

from __future__ import annotations

import json
from pathlib import Path

from machiplan.interchange.plan_json import plan_json

from ..model import Report


def render_json(report: Report, folder: Path) -> list[Path]:
    path = folder / "plan.json"
    document = plan_json(report.plan, report.evaluation)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [path]
