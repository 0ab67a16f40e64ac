"""Open data CSV: observations, targets and evaluations, one row per fact.

Follows the 自治体標準オープンデータセット conventions: 全国地方公共団体コード, ID
and 地方公共団体名 first, compound names joined with '_', UTF-8 with a BOM so
that Excel opens it as it is. A text a spreadsheet would run as a formula
('=…', '+…', '@…') is written with a leading apostrophe (interchange/spreadsheet_safety.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from machiplan.domain.fiscal import format_fiscal_year
from machiplan.domain.labels import horizon_label, status_label
from machiplan.domain.plan import Indicator, Plan
from machiplan.interchange.spreadsheet_safety import csv_row

from ..model import Report, decimal_or_none

LEAD = ["全国地方公共団体コード", "ID", "地方公共団体名"]


OBSERVATION_HEADER = [*LEAD, "計画コード", "計画名", "基本目標", "指標コード", "分類", "指標名", "単位", "年度", "年度_和暦",
                      "種別", "値", "時点", "概数", "内訳", "原文", "備考", "出典"]  # fmt: skip


def observation_rows(
    plan: Plan, indicators: Iterable[Indicator], eras: dict[int, str] | None = None
) -> Iterator[list]:
    """observations.csv's rows for these indicators: the whole plan's file, or one indicator's download."""
    code, name = plan.municipality.code, plan.municipality.name
    eras = {} if eras is None else eras
    for ind in indicators:
        for o in ind.observations:
            era = eras.get(o.fy) or eras.setdefault(o.fy, format_fiscal_year(o.fy))
            yield [code, f"{plan.code}-{ind.code}-{o.fy}", name, plan.code, plan.title, ind.goal, ind.code, ind.category,
                   ind.name, ind.unit or "", o.fy, era, o.kind, decimal_or_none(o.value), o.as_of.isoformat() if o.as_of else "",
                   int(o.approximate), ";".join(f"{label}={decimal_or_none(v)}" for label, v in o.breakdown), o.source_text,
                   o.note, o.source]  # fmt: skip


def csv_text(header: list[str], rows: Iterable[list[object]]) -> str:
    """A small CSV in memory, BOM first, as the files are written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(csv_row(row) for row in rows)
    return "\ufeff" + buffer.getvalue()


def _write(path: Path, header: list[str], rows: Iterable[list[object]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(
            csv_row(row) for row in rows
        )  # rows are generated as they are written: a million fit in little memory
    return path


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def render_csv(report: Report, folder: Path) -> list[Path]:
    plan = report.plan
    code, name = plan.municipality.code, plan.municipality.name
    eras = {
        fy: format_fiscal_year(fy)
        for fy in {o.fy for i in plan.indicators for o in i.observations}
        | {t.fy for i in plan.indicators for t in i.targets}
    }
    observations = observation_rows(plan, plan.indicators, eras)
    targets = (
        [code, f"{plan.code}-{ind.code}-{tg.horizon}", name, plan.code, plan.title, ind.goal, ind.code, ind.name, ind.unit or "",
         tg.horizon, horizon_label(tg.horizon), tg.fy, eras[tg.fy], decimal_or_none(tg.value), tg.period_start_fy or "",
         int(tg.approximate), tg.source_text]
        for ind in plan.indicators
        for tg in ind.targets
    )  # fmt: skip
    evaluations = (
        [code, f"{plan.code}-{view.indicator.code}-{j.horizon}", name, plan.code, plan.title, report.evaluation.evaluation_fy,
         view.indicator.goal, view.indicator.code, view.indicator.name, view.indicator.unit or "", j.horizon,
         j.target.fy if j.target else "", decimal_or_none(j.target.value) if j.target else "",
         j.status, status_label(j.status), _ratio(j.progress), _ratio(j.pace),
         j.baseline.fy if j.baseline else "", decimal_or_none(j.baseline.value) if j.baseline else "",
         j.latest.fy if j.latest else "", decimal_or_none(j.latest.value) if j.latest else "",
         ";".join(view.evaluation.flags) if j is view.evaluation.headline else "",
         view.explanation if j is view.evaluation.headline else next(h.explanation for h in view.horizons if h.horizon == j.horizon)]
        for view in report.indicators
        for j in (view.evaluation.headline, *view.evaluation.by_horizon)
    )  # fmt: skip
    return [
        _write(
            folder / "observations.csv",
            OBSERVATION_HEADER,
            observations,
        ),
        _write(
            folder / "targets.csv",
            [
                *LEAD,
                "計画コード",
                "計画名",
                "基本目標",
                "指標コード",
                "指標名",
                "単位",
                "目標区分",
                "目標区分_名称",
                "目標年度",
                "目標年度_和暦",
                "目標値",
                "合計期間_開始年度",
                "概数",
                "原文",
            ],
            targets,
        ),
        _write(
            folder / "evaluations.csv",
            [
                *LEAD,
                "計画コード",
                "計画名",
                "評価年度",
                "基本目標",
                "指標コード",
                "指標名",
                "単位",
                "目標区分",
                "目標年度",
                "目標値",
                "評価",
                "評価_名称",
                "進捗率",
                "経過率",
                "基準_年度",
                "基準_値",
                "最新実績_年度",
                "最新実績_値",
                "注意",
                "説明",
            ],
            evaluations,
        ),
    ]
