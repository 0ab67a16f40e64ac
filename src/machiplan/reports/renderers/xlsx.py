"""report.xlsx: a summary, one sheet per goal laid out like the progress sheet, a tidy data
sheet (one row per observation and per target, with provenance) and an evaluation sheet.

Numbers are stored as numbers, with number formats that show their unit
(32.4 with ``0.0"%"``, 2653 with ``#,##0"団体"``), so they can be summed and charted.
Text is stored as text: one that begins like a formula ('=…') is a quote-prefixed
string cell, never a formula (interchange/spreadsheet_safety.py).

The workbook is written in openpyxl's write-only (streaming) mode: a
10,000-indicator plan has millions of cells, which the ordinary mode holds in
memory and styles one by one. Rows are built as lists first, so column widths
(which must precede the rows) are measured from them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from copy import copy
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from machiplan.domain.fiscal import format_date, format_fiscal_year
from machiplan.domain.labels import OBSERVATION_KIND_LABELS, horizon_label, status_label
from machiplan.domain.plan import Indicator, Observation, Target
from machiplan.interchange.spreadsheet_safety import xlsx_cell, xlsx_row

from ..model import NodeSection as GoalSection
from ..model import Report, latest_actual

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TARGET_FILL = PatternFill("solid", fgColor="F7F3E8")
THIN = Side(style="thin", color="B8B8B8")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

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


def _name(ind: Indicator, lang: str) -> str:
    return ind.name_en if lang == "en" and ind.name_en else ind.name


class _Cells:
    """Styled cells for a write-only workbook, each style built once and copied by value.

    Assigning a style attribute makes openpyxl hash the style objects; doing it
    for each of a million cells takes minutes. A prepared cell's style array is
    copied instead.
    """

    def __init__(self, book: Workbook) -> None:
        self._sheet = book.create_sheet("_styles")
        self._cache: dict[tuple[Any, ...], Any] = {}

    def __call__(self, sheet: WriteOnlyWorksheet, value: Any = None, number_format: str = "General", *, border: bool = False,
                 wrap: bool = False, bold: bool = False, fill: PatternFill | None = None, align: str | None = None,
                 size: int | None = None) -> WriteOnlyCell:  # fmt: skip
        key = (number_format, border, wrap, bold, fill.fgColor.rgb if fill else None, align, size)
        style = self._cache.get(key)
        if style is None:
            proto = WriteOnlyCell(self._sheet)
            proto.number_format = number_format
            proto.border = BOX if border else Border()
            proto.alignment = Alignment(wrap_text=wrap, vertical="top" if wrap else None, horizontal=align)
            proto.font = Font(bold=bold or size is not None, size=size)
            if fill is not None:
                proto.fill = fill
            style = self._cache[key] = proto._style
        cell = WriteOnlyCell(sheet, value=value)
        cell._style = copy(style)
        return xlsx_cell(cell)

    def close(self, book: Workbook) -> None:
        book.remove(self._sheet)


def _append(sheet: WriteOnlyWorksheet, row: Sequence[Any]) -> None:
    """Every row goes in here: a text that would run as a formula is kept a string."""
    sheet.append(xlsx_row(sheet, row))


def _width(text: object) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in str(text or ""))


def _set_widths(sheet: WriteOnlyWorksheet, rows: Iterable[Sequence[Any]], *, minimum: int = 6, maximum: int = 60,
                fixed: dict[int, int] | None = None, sample: int = 2000) -> None:  # fmt: skip
    """Column widths from the longest value in the first rows (Japanese characters count as two)."""
    widths: dict[int, int] = {}
    for row in islice(rows, sample):
        for col, value in enumerate(row, start=1):
            value = value.value if isinstance(value, Cell) else value
            if value is not None:
                longest = max((_width(line) for line in str(value).split("\n")), default=0)
                widths[col] = max(widths.get(col, 0), longest)
    for col, width in widths.items():
        sheet.column_dimensions[get_column_letter(col)].width = max(minimum, min(maximum, width + 2))
    for col, width in (fixed or {}).items():
        sheet.column_dimensions[get_column_letter(col)].width = width


def render_xlsx(report: Report, folder: Path) -> list[Path]:
    book = Workbook(write_only=True)
    label = LABELS[report.lang]
    cells = _Cells(book)
    _summary(book.create_sheet(label["summary"]), report, label, cells)
    for section in report.goals:
        _goal_sheet(book.create_sheet(f"{label['goal']}{section.goal.number}"), report, section, label, cells)
    _data(book.create_sheet(label["data"]), report, label, cells)
    _evaluation(book.create_sheet(label["evaluation"]), report, label, cells)
    cells.close(book)
    book.properties.title = f"{report.plan.title} {report.t['report']}"
    book.properties.creator = "machiplan"
    path = folder / "report.xlsx"
    book.save(path)
    return [path]


def _header(sheet, cells: _Cells, values: Sequence[str]) -> list[WriteOnlyCell]:
    return [cells(sheet, v, border=True, wrap=True, bold=True, fill=HEADER_FILL) for v in values]


def _summary(sheet, report: Report, label: dict[str, str], cells: _Cells) -> None:
    plan = report.plan
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
    table = []
    for view in report.indicators:
        ind, h = view.indicator, view.evaluation.headline
        latest = latest_actual(ind, report.evaluation.evaluation_fy)
        values = [ind.goal, ind.code, _name(ind, report.lang), ind.unit,
                  _number(latest.value) if latest else None, latest.fy if latest else None,
                  _number(h.target.value) if h.target else None, h.target.fy if h.target else None,
                  h.progress, h.pace, view.status_label, view.explanation]  # fmt: skip
        formats = {
            4: number_format(ind, latest.approximate if latest else False),
            6: number_format(ind),
            8: "0%",
            9: "0%",
        }
        table.append(
            [
                cells(sheet, v, formats.get(i, "General"), border=True, wrap=i == 11)
                for i, v in enumerate(values)
            ]
        )
    _set_widths(sheet, table, fixed={12: 80})
    counts = [(report.t["all_goals"], report.evaluation.overall)]
    counts += [(f"{label['goal']}{s.goal.number} {s.goal.name}", s.counts) for s in report.goals]
    top = 6 + len(counts)
    sheet.freeze_panes = f"D{top + 1}"
    _append(sheet, [cells(sheet, f"{plan.title} {report.t['report']}", size=14)])
    _append(sheet, [f"{plan.municipality.name}（{plan.municipality.code}） {report.t['plan_period']} {report.period_text} "
                  f"{report.t['evaluation_year']} {report.fy(report.evaluation.evaluation_fy)}"])  # fmt: skip
    _append(sheet, [])
    _append(sheet, _header(sheet, cells, [report.t["goal"], *(name for _, name in report.status_order)]))
    for name, numbers in counts:
        _append(sheet, [cells(sheet, name, bold=True), *numbers.values()])
    _append(sheet, [])
    _append(sheet, _header(sheet, cells, [label[h] for h in heads]))
    for row in table:
        _append(sheet, row)


def _goal_sheet(sheet, report: Report, section: GoalSection, label: dict[str, str], cells: _Cells) -> None:
    goal = section.goal
    indicators = [v.indicator for v in section.indicators]
    rows: list[list[Any]] = [
        [cells(sheet, f"{label['goal']}{goal.number}『{goal.name}』", size=13)],
        [goal.statement],
        [],
        _header(sheet, cells, [label["policies"], label["initiatives"]]),
    ]
    for policy in goal.policies:
        text = "\n".join(f"・{i.text}" + "".join(f"（{f}）" for f in i.facts) for i in policy.initiatives)
        rows.append(
            [
                cells(sheet, f"{'◎' if policy.priority else ''}{policy.code} {policy.title}", wrap=True),
                cells(sheet, text, wrap=True),
            ]
        )
    rows.append([])
    # the category row: one label merged across the indicators it covers, as in the sheet
    category_row = len(rows) + 1
    categories = [report.t["indicators"]]
    col = 2
    for category in section.categories:
        categories += [category.label] + [None] * (category.span - 1)
        if category.span > 1:
            sheet.merged_cells.add(
                f"{get_column_letter(col)}{category_row}:{get_column_letter(col + category.span - 1)}{category_row}"
            )
        col += category.span
    head = {"border": True, "bold": True, "fill": HEADER_FILL, "wrap": True, "align": "center"}
    rows.append([cells(sheet, v, **head) for v in categories])
    names = [
        ("参考:" if i.reference else "") + _name(i, report.lang) + (f"\n{i.note}" if i.note else "")
        for i in indicators
    ]
    rows.append([cells(sheet, v, **head) for v in ["", *names]])
    names_row = len(rows)
    sheet.row_dimensions[names_row].height = 48
    formats = {ind.code: (number_format(ind), number_format(ind, True)) for ind in indicators}
    for year_row in section.rows:
        row = [cells(sheet, f"{year_row.label} {year_row.western}", bold=True)]
        for ind in indicators:
            if year_row.kind == "target":
                row.append(_target_cell(sheet, cells, ind.target(year_row.horizon), formats[ind.code]))
            else:
                row.append(
                    _observation_cell(
                        sheet, cells, ind.observation(year_row.fy), formats[ind.code], report.lang
                    )
                )
        rows.append(row)
    rows.append(
        [
            cells(sheet, label["status"], bold=True),
            *(cells(sheet, v.status_label, border=True) for v in section.indicators),
        ]
    )
    rows += [[note] for note in goal.footnotes]
    sheet.freeze_panes = f"B{names_row + 1}"
    _set_widths(sheet, rows[names_row:], maximum=28, fixed={1: 34})
    if (sheet.column_dimensions["B"].width or 0) < 28:
        sheet.column_dimensions["B"].width = 28
    for row in rows:
        _append(sheet, row)


def _observation_cell(
    sheet, cells: _Cells, obs: Observation | None, formats: tuple[str, str], lang: str
) -> WriteOnlyCell:
    if obs is None or obs.value is None:
        text = OBSERVATION_KIND_LABELS[lang]["pending"] if obs is not None and obs.kind == "pending" else "—"
        return cells(sheet, text, border=True, align="right")
    cell = cells(sheet, _number(obs.value), formats[obs.approximate], border=True)
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
    return cell


def _target_cell(sheet, cells: _Cells, target: Target | None, formats: tuple[str, str]) -> WriteOnlyCell:
    if target is None or target.value is None:
        return cells(sheet, "—", border=True, align="right", fill=TARGET_FILL)
    cell = cells(sheet, _number(target.value), formats[target.approximate], border=True, fill=TARGET_FILL)
    if target.period_start_fy is not None:
        span = f"{format_fiscal_year(target.period_start_fy, style='short')}-{format_fiscal_year(target.fy, style='short')} 計"
        cell.comment = Comment(span, "machiplan")
    return cell


def _data_rows(report: Report, label: dict[str, str]) -> Iterable[tuple[list[Any], str]]:
    """One row per observation and per target, made as they are written: never all at once."""
    plan = report.plan
    lead = [plan.municipality.code, plan.municipality.name, plan.code]
    eras: dict[int, str] = {}
    for ind in plan.indicators:
        formats = (number_format(ind), number_format(ind, True))
        for obs in ind.observations:
            era = eras.get(obs.fy) or eras.setdefault(obs.fy, format_fiscal_year(obs.fy))
            yield (
                [*lead, ind.goal, ind.code, ind.name, ind.unit, label["observation"], obs.kind, None, obs.fy, era,
                 _number(obs.value), obs.as_of, obs.approximate, ";".join(f"{k}={v}" for k, v in obs.breakdown) or None,
                 None, obs.source_text, obs.source or None],
                formats[obs.approximate],
            )  # fmt: skip
        for target in ind.targets:
            era = eras.get(target.fy) or eras.setdefault(target.fy, format_fiscal_year(target.fy))
            yield (
                [*lead, ind.goal, ind.code, ind.name, ind.unit, label["target_record"], None, target.horizon, target.fy,
                 era, _number(target.value), None, target.approximate, None, target.period_start_fy,
                 target.source_text, target.source or None],
                formats[target.approximate],
            )  # fmt: skip


def _data(sheet, report: Report, label: dict[str, str], cells: _Cells) -> None:
    heads = ["municipality_code", "municipality", "plan_code", "goal", "code", "indicator", "unit", "record", "kind", "horizon",
             "fy", "era", "value", "as_of", "approximate", "breakdown", "period_start", "source_text", "source"]  # fmt: skip
    count = sum(len(i.observations) + len(i.targets) for i in report.plan.indicators)
    _set_widths(
        sheet, [heads, *(values for values, _ in islice(_data_rows(report, label), 2000))], maximum=40
    )
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{count + 1}"
    _append(sheet, _header(sheet, cells, [label[h] for h in heads]))
    for values, value_format in _data_rows(report, label):
        values[12] = cells(sheet, values[12], value_format)
        if values[13] is not None:
            values[13] = cells(sheet, values[13], "yyyy-mm-dd")
        _append(sheet, values)


def _evaluation(sheet, report: Report, label: dict[str, str], cells: _Cells) -> None:
    heads = ["code", "indicator", "unit", "horizon", "target_fy", "target", "baseline_fy", "baseline", "latest_fy", "latest",
             "progress", "pace", "status", "flags", "explanation"]  # fmt: skip
    rows: list[list[Any]] = []
    for view in report.indicators:
        ind, e = view.indicator, view.evaluation
        value_format = number_format(ind)
        for j in (e.headline, *e.by_horizon):
            higher = next((h.label for h in report.plan.higher_plans if h.horizon == j.horizon), None)
            explanation = (
                view.explanation
                if j is e.headline
                else next(h.explanation for h in view.horizons if h.horizon == j.horizon)
            )
            rows.append([
                ind.code, ind.name, ind.unit, horizon_label(j.horizon, report.lang, fallback=higher),
                j.target.fy if j.target else None, cells(sheet, _number(j.target.value) if j.target else None, value_format),
                j.baseline.fy if j.baseline else None, cells(sheet, _number(j.baseline.value) if j.baseline else None, value_format),
                j.latest.fy if j.latest else None, cells(sheet, _number(j.latest.value) if j.latest else None, value_format),
                cells(sheet, j.progress, "0%"), cells(sheet, j.pace, "0%"), status_label(j.status, report.lang),
                ";".join(e.flags) if j is e.headline else None, explanation,
            ])  # fmt: skip
    _set_widths(sheet, [heads, *rows], maximum=40, fixed={15: 90})
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{len(rows) + 1}"
    _append(sheet, _header(sheet, cells, [label[h] for h in heads]))
    for row in rows:
        _append(sheet, row)
