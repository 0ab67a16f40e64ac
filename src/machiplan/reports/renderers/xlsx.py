"""report.xlsx: a summary, one sheet per goal laid out like the progress sheet, a tidy data
sheet (one row per observation and per target, with provenance) and an evaluation sheet.

Numbers are stored as numbers, with number formats that show their unit
(32.4 with ``0.0"%"``, 2653 with ``#,##0"団体"``), so they can be summed and charted.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from machiplan.domain.fiscal import format_date, format_fiscal_year
from machiplan.domain.labels import OBSERVATION_KIND_LABELS, horizon_label, status_label
from machiplan.domain.plan import Indicator, Observation, Target

from ..model import Report

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TARGET_FILL = PatternFill("solid", fgColor="F7F3E8")
BOLD = Font(bold=True)
THIN = Side(style="thin", color="B8B8B8")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")

LABELS = {
    "ja": {
        "summary": "概要", "data": "データ", "evaluation": "評価", "goal": "基本目標",
        "code": "指標コード", "indicator": "成果指標", "unit": "単位", "latest": "最新実績", "latest_fy": "最新実績の年度",
        "target": "目標値", "target_fy": "目標年度", "progress": "進捗率", "pace": "経過率", "status": "評価",
        "explanation": "説明", "record": "区分", "kind": "種別", "horizon": "目標区分", "fy": "年度", "era": "和暦",
        "value": "値", "as_of": "時点", "approximate": "概数", "breakdown": "内訳", "period_start": "合計期間の開始年度",
        "source_text": "原文", "source": "出典", "baseline_fy": "基準年度", "baseline": "基準値", "flags": "注意",
        "observation": "実績等", "target_record": "目標", "policies": "基本施策（◎重点施策）", "initiatives": "主な取組",
        "municipality_code": "全国地方公共団体コード", "municipality": "地方公共団体名", "plan_code": "計画コード",
        "evaluation_fy": "評価年度", "category": "分類",
    },
    "en": {
        "summary": "Summary", "data": "Data", "evaluation": "Evaluation", "goal": "Goal",
        "code": "Indicator code", "indicator": "Indicator", "unit": "Unit", "latest": "Latest actual", "latest_fy": "Year of latest",
        "target": "Target", "target_fy": "Target year", "progress": "Progress", "pace": "Time elapsed", "status": "Status",
        "explanation": "Explanation", "record": "Record", "kind": "Kind", "horizon": "Horizon", "fy": "Fiscal year", "era": "Japanese year",
        "value": "Value", "as_of": "As of", "approximate": "Approximate", "breakdown": "Breakdown", "period_start": "Sum from FY",
        "source_text": "Source text", "source": "Source", "baseline_fy": "Baseline year", "baseline": "Baseline", "flags": "Flags",
        "observation": "observation", "target_record": "target", "policies": "Policies (◎ priority)", "initiatives": "Main initiatives",
        "municipality_code": "Municipality code", "municipality": "Municipality", "plan_code": "Plan code",
        "evaluation_fy": "Evaluation year", "category": "Category",
    },
}  # fmt: skip


def number_format(indicator: Indicator, approximate: bool = False) -> str:
    """An Excel format that shows the unit: 0.0"%" for points, #,##0"団体" for counts."""
    places = indicator.display_places
    digits = "#,##0" + ("." + "0" * places if places else "")
    unit = indicator.unit or ""
    if unit == "%":
        digits = "0" + ("." + "0" * places if places else "")
    prefix = '"約"' if approximate else ""
    return f'{prefix}{digits}"{unit}"' if unit else f"{prefix}{digits}"


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _width(text: object) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in str(text or ""))


def _fit(sheet: Worksheet, minimum: int = 6, maximum: int = 60) -> None:
    """Column widths from the longest cell, counting Japanese characters as two."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None and type(cell).__name__ != "MergedCell":
                longest = max((_width(line) for line in str(cell.value).split("\n")), default=0)
                widths[cell.column] = max(widths.get(cell.column, 0), longest)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = max(minimum, min(maximum, width + 2))


def _header(sheet: Worksheet, row: int, values: list[str]) -> None:
    for col, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=col, value=value)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, BOX, WRAP


def render_xlsx(report: Report, folder: Path) -> list[Path]:
    book = Workbook()
    label = LABELS[report.lang]
    _summary(book.active, report, label)
    for section in report.goals:
        _goal_sheet(book.create_sheet(f"{label['goal']}{section.goal.number}"), report, section, label)
    _data(book.create_sheet(label["data"]), report, label)
    _evaluation(book.create_sheet(label["evaluation"]), report, label)
    book.properties.title = f"{report.plan.title} {report.t['report']}"
    book.properties.creator = "machiplan"
    path = folder / "report.xlsx"
    book.save(path)
    return [path]


def _summary(sheet: Worksheet, report: Report, label: dict[str, str]) -> None:
    plan = report.plan
    sheet.title = label["summary"]
    sheet["A1"] = f"{plan.title} {report.t['report']}"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = (
        f"{plan.municipality.name}（{plan.municipality.code}） {report.t['plan_period']} {report.period_text} {report.t['evaluation_year']} {report.fy(report.evaluation.evaluation_fy)}"
    )
    _header(sheet, 4, [report.t["goal"], *(name for _, name in report.status_order)])
    rows = [(report.t["all_goals"], report.evaluation.overall)] + [
        (f"{label['goal']}{s.goal.number} {s.goal.name}", s.counts) for s in report.goals
    ]
    for r, (name, counts) in enumerate(rows, start=5):
        sheet.cell(row=r, column=1, value=name).font = BOLD
        for c, n in enumerate(counts.values(), start=2):
            sheet.cell(row=r, column=c, value=n)
    start = 6 + len(rows)
    heads = [
        "goal",
        "code",
        "indicator",
        "unit",
        "latest",
        "latest_fy",
        "target",
        "target_fy",
        "progress",
        "pace",
        "status",
        "explanation",
    ]
    _header(sheet, start, [label[h] for h in heads])
    for r, view in enumerate(report.indicators, start=start + 1):
        ind, h = view.indicator, view.evaluation.headline
        latest = next(
            (
                o
                for o in sorted(ind.observations, key=lambda o: -o.fy)
                if o.kind == "actual" and o.value is not None and o.fy <= report.evaluation.evaluation_fy
            ),
            None,
        )
        values = [ind.goal, ind.code, ind.name if report.lang == "ja" or not ind.name_en else ind.name_en, ind.unit,
                  _number(latest.value) if latest else None, latest.fy if latest else None,
                  _number(h.target.value) if h.target else None, h.target.fy if h.target else None,
                  h.progress, h.pace, view.status_label, view.explanation]  # fmt: skip
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.border = BOX
        sheet.cell(row=r, column=5).number_format = number_format(
            ind, latest.approximate if latest else False
        )
        sheet.cell(row=r, column=7).number_format = number_format(ind)
        for c in (9, 10):
            sheet.cell(row=r, column=c).number_format = "0%"
        sheet.cell(row=r, column=12).alignment = WRAP
    sheet.freeze_panes = sheet.cell(row=start + 1, column=4)
    _fit(sheet)
    sheet.column_dimensions["L"].width = 80


def _goal_sheet(sheet: Worksheet, report: Report, section, label: dict[str, str]) -> None:
    goal = section.goal
    sheet["A1"] = f"{label['goal']}{goal.number}『{goal.name}』"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = goal.statement
    row = 4
    _header(sheet, row, [label["policies"], label["initiatives"]])
    for policy in goal.policies:
        row += 1
        sheet.cell(
            row=row, column=1, value=f"{'◎' if policy.priority else ''}{policy.code} {policy.title}"
        ).alignment = WRAP
        text = "\n".join(f"・{i.text}" + "".join(f"（{f}）" for f in i.facts) for i in policy.initiatives)
        cell = sheet.cell(row=row, column=2, value=text)
        cell.alignment = WRAP
    row += 2
    table_top = row
    # the category row: one label merged across the indicators it covers, as in the sheet
    sheet.cell(row=row, column=1, value=report.t["indicators"]).font = BOLD
    col = 2
    for category in section.categories:
        sheet.cell(row=row, column=col, value=category.label)
        if category.span > 1:
            sheet.merge_cells(
                start_row=row, start_column=col, end_row=row, end_column=col + category.span - 1
            )
        col += category.span
    row += 1
    for c, view in enumerate(section.indicators, start=2):
        ind = view.indicator
        name = ("参考:" if ind.reference else "") + (
            ind.name if report.lang == "ja" or not ind.name_en else ind.name_en
        )
        sheet.cell(row=row, column=c, value=name + (f"\n{ind.note}" if ind.note else "")).alignment = WRAP
    for r in (table_top, row):
        for c in range(1, len(section.indicators) + 2):
            cell = sheet.cell(row=r, column=c)
            cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, BOX
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    header_row = row
    indicators = [v.indicator for v in section.indicators]
    for year_row in section.rows:
        row += 1
        sheet.cell(row=row, column=1, value=f"{year_row.label} {year_row.western}").font = BOLD
        for c, ind in enumerate(indicators, start=2):
            cell = sheet.cell(row=row, column=c)
            cell.border = BOX
            if year_row.kind == "target":
                cell.fill = TARGET_FILL
                _put_target(cell, ind, ind.target(year_row.horizon))
            else:
                _put_observation(cell, ind, ind.observation(year_row.fy), report.lang)
    row += 1
    sheet.cell(row=row, column=1, value=label["status"]).font = BOLD
    for c, view in enumerate(section.indicators, start=2):
        sheet.cell(row=row, column=c, value=view.status_label).border = BOX
    for note in goal.footnotes:
        row += 1
        sheet.cell(row=row, column=1, value=note)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    _fit(sheet, maximum=28)
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = max(sheet.column_dimensions["B"].width or 0, 28)
    sheet.row_dimensions[header_row].height = 48


def _put_observation(cell, ind: Indicator, obs: Observation | None, lang: str) -> None:
    if obs is None or obs.value is None:
        cell.value = (
            OBSERVATION_KIND_LABELS[lang]["pending"] if obs is not None and obs.kind == "pending" else "—"
        )
        cell.alignment = Alignment(horizontal="right")
        return
    cell.value = _number(obs.value)
    cell.number_format = number_format(ind, obs.approximate)
    notes = []
    if obs.as_of:
        notes.append(
            f"{format_date(obs.as_of, style='short')}時点"
            if lang == "ja"
            else f"as of {obs.as_of.isoformat()}"
        )
    if obs.breakdown:
        notes.append("、".join(f"{k}{_number(v)}" for k, v in obs.breakdown))
    if notes:
        cell.comment = Comment("\n".join(notes), "machiplan")


def _put_target(cell, ind: Indicator, target: Target | None) -> None:
    if target is None or target.value is None:
        cell.value = "—"
        cell.alignment = Alignment(horizontal="right")
        return
    cell.value = _number(target.value)
    cell.number_format = number_format(ind, target.approximate)
    if target.period_start_fy is not None:
        cell.comment = Comment(
            f"{format_fiscal_year(target.period_start_fy, style='short')}-{format_fiscal_year(target.fy, style='short')} 計",
            "machiplan",
        )


def _data(sheet: Worksheet, report: Report, label: dict[str, str]) -> None:
    plan = report.plan
    heads = ["municipality_code", "municipality", "plan_code", "goal", "code", "indicator", "unit", "record", "kind", "horizon",
             "fy", "era", "value", "as_of", "approximate", "breakdown", "period_start", "source_text", "source"]  # fmt: skip
    _header(sheet, 1, [label[h] for h in heads])
    row = 1
    lead = [plan.municipality.code, plan.municipality.name, plan.code]
    for ind in plan.indicators:
        for obs in ind.observations:
            row += 1
            values = [*lead, ind.goal, ind.code, ind.name, ind.unit, label["observation"], obs.kind, None, obs.fy, format_fiscal_year(obs.fy),
                      _number(obs.value), obs.as_of, obs.approximate, ";".join(f"{k}={v}" for k, v in obs.breakdown) or None, None,
                      obs.source_text, obs.source or None]  # fmt: skip
            _row(sheet, row, values, ind, obs.approximate)
        for target in ind.targets:
            row += 1
            values = [*lead, ind.goal, ind.code, ind.name, ind.unit, label["target_record"], None, target.horizon, target.fy,
                      format_fiscal_year(target.fy), _number(target.value), None, target.approximate, None, target.period_start_fy,
                      target.source_text, target.source or None]  # fmt: skip
            _row(sheet, row, values, ind, target.approximate)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{max(row, 1)}"
    _fit(sheet, maximum=40)


def _row(sheet: Worksheet, row: int, values: list[object], ind: Indicator, approximate: bool) -> None:
    for col, value in enumerate(values, start=1):
        sheet.cell(row=row, column=col, value=value)
    sheet.cell(row=row, column=13).number_format = number_format(ind, approximate)
    sheet.cell(row=row, column=14).number_format = "yyyy-mm-dd"


def _evaluation(sheet: Worksheet, report: Report, label: dict[str, str]) -> None:
    heads = ["code", "indicator", "unit", "horizon", "target_fy", "target", "baseline_fy", "baseline", "latest_fy", "latest",
             "progress", "pace", "status", "flags", "explanation"]  # fmt: skip
    _header(sheet, 1, [label[h] for h in heads])
    row = 1
    for view in report.indicators:
        ind, e = view.indicator, view.evaluation
        for j in (e.headline, *e.by_horizon):
            row += 1
            higher = next((h.label for h in report.plan.higher_plans if h.horizon == j.horizon), None)
            explanation = (
                view.explanation
                if j is e.headline
                else next(h.explanation for h in view.horizons if h.horizon == j.horizon)
            )
            values = [ind.code, ind.name, ind.unit, horizon_label(j.horizon, report.lang, fallback=higher),
                      j.target.fy if j.target else None, _number(j.target.value) if j.target else None,
                      j.baseline.fy if j.baseline else None, _number(j.baseline.value) if j.baseline else None,
                      j.latest.fy if j.latest else None, _number(j.latest.value) if j.latest else None,
                      j.progress, j.pace, status_label(j.status, report.lang), ";".join(e.flags) if j is e.headline else None,
                      explanation]  # fmt: skip
            for col, value in enumerate(values, start=1):
                sheet.cell(row=row, column=col, value=value)
            for col in (6, 8, 10):
                sheet.cell(row=row, column=col).number_format = number_format(ind)
            for col in (11, 12):
                sheet.cell(row=row, column=col).number_format = "0%"
            sheet.cell(row=row, column=15).alignment = WRAP
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{max(row, 1)}"
    _fit(sheet, maximum=40)
    sheet.column_dimensions["O"].width = 90
