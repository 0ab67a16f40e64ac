"""report.xlsx: a summary, one sheet per top node laid out like the progress sheet (a deeper
plan's sheet holds the top node's whole subtree, one block per node that has a section), a
tidy data sheet (one row per observation, target and baseline of every series, with
provenance) and an evaluation sheet; where the plan has them, sheets of its description and
sources, its indicators' definitions, costs, the city's ratings, comments and tallies.

Columns are only ever added at the end of a sheet's table: a workbook read by position
(the data and evaluation sheets) keeps reading. Kinds, horizons and target kinds are written
in words (実績, 計画目標, 最終目標), their codes (actual, plan, final) in columns at the end;
出典 is the figure's real source (a survey, a statistic, the plan that sets a target), and
where machiplan got the figure (a package's line, an approval) is the provenance column.

Every sheet prints on A4, fitted to the page's width, landscape where its columns are wider
than a portrait page, its header rows repeated on every page; on screen only the header rows
are frozen, never a column.

Numbers are stored as numbers, with number formats that show their unit
(32.4 with ``0.0"%"``, 2653 with ``#,##0"団体"``), so they can be summed and charted.
Text is stored as text: one that begins like a formula ('=…') is a quote-prefixed
string cell, never a formula (spreadsheet_safety.starts_formula, applied by interchange/xlsx_writer.py).

The workbook is written in openpyxl's write-only (streaming) mode: a
10,000-indicator plan has millions of cells, which the ordinary mode holds in
memory and styles one by one. Column widths are measured from a sheet's first rows;
the long sheets (summary, data, evaluation) make those rows once more as they are
written, never holding them all (their styles registered first, in the order the
rows take them, so the stylesheet is as before). The rows themselves are
written as XML by interchange/xlsx_writer.py (FastRows), several times faster
than openpyxl's cell writer; openpyxl writes the rest (stylesheet, column
widths, panes, filters, print setup, comments). The data sheet, most of the
cells, passes plain values and style ids, without a cell object each.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from copy import copy
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from machiplan.domain.explain import explain_judgement
from machiplan.domain.fiscal import format_date, format_fiscal_year
from machiplan.domain.labels import (
    OBSERVATION_KIND_LABELS,
    fy_label,
    horizon_label,
    kind_label,
    status_label,
    target_kind_label,
)
from machiplan.domain.plan import DOCUMENTATION, PLANNED, Indicator, Observation, Plan, Target
from machiplan.interchange.plan_json import version_1_number
from machiplan.interchange.spreadsheet_safety import format_text
from machiplan.interchange.xlsx_writer import FastRows, Styled, style_id

from ..model import (
    OPERATOR_TEXT,
    NodeSection,
    Report,
    as_context,
    baseline_text,
    department_name,
    latest_actual,
    node_label,
)
from ..text import BODY_LABELS, INDICATOR_TYPE_LABELS
from .csv_files import top_code

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
        "series": "系列", "period": "年区分", "text": "文字値", "target_kind": "目標種類", "operator": "条件", "label": "名称",
        "revision": "改定", "node": "体系コード", "nodes": "体系コード_一覧", "baseline_record": "基準値", "state": "最新の状態",
        "plan_sheet": "計画の概要", "definitions": "指標の定義", "costs": "事業費", "ratings": "市の評価", "comments": "評価・意見",
        "tallies": "市の集計", "holder": "対象", "node_name": "体系名", "start_fy": "開始年度", "end_fy": "終了年度",
        "basis": "区分", "account": "会計", "amount": "事業費", "general_revenue": "一般財源", "projects": "事業数",
        "amount_yen": "事業費（円）", "general_revenue_yen": "一般財源（円）", "cost_rate": "計画に対する進捗率",
        "scale": "評価の種類", "grade": "評価", "meaning": "意味", "ours": "この方法の評価", "agrees": "一致",
        "note": "備考", "body": "主体", "body_name": "主体名", "date": "日付", "comment": "本文", "count": "指標数",
        "type": "種別", "direction": "方向", "department": "担当", "definition": "指標の説明", "calculation": "実績値の計算方法",
        "data_source": "出典（データ）", "confirmed_when": "数値確定の時期", "target_rationale": "目標設定の考え方",
        "selection_rationale": "指標設定の考え方", "description": "計画の説明", "city_method": "市の評価方法",
        "sources": "出典", "revisions": "計画の見直し", "rating_scales": "市の評価の基準", "url": "アドレス",
        "plan": "計画", "indicator_record": "指標", "node_record": "体系", "yes": "一致", "no": "不一致",
        "planned": "計画", "actual": "実績", "agreeing": "一致するこの方法の判定", "breadcrumb": "上位の項目",
        "kind_code": "種別コード", "horizon_code": "目標区分コード", "target_kind_code": "目標種類コード",
        "provenance": "来歴（取込元・承認）",
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
        "series": "Series", "period": "Year type", "text": "Text", "target_kind": "Target kind", "operator": "Operator", "label": "Label",
        "revision": "Revision", "node": "Node code", "nodes": "Node codes", "baseline_record": "baseline", "state": "Latest state",
        "plan_sheet": "About the plan", "definitions": "Definitions", "costs": "Costs", "ratings": "City ratings", "comments": "Comments",
        "tallies": "City counts", "holder": "Of", "node_name": "Node", "start_fy": "From FY", "end_fy": "To FY",
        "basis": "Basis", "account": "Account", "amount": "Amount", "general_revenue": "General revenue", "projects": "Projects",
        "amount_yen": "Amount (yen)", "general_revenue_yen": "General revenue (yen)", "cost_rate": "Spent ÷ planned",
        "scale": "Rating", "grade": "Grade", "meaning": "Meaning", "ours": "This method's status", "agrees": "Agrees",
        "note": "Note", "body": "Body", "body_name": "Name", "date": "Date", "comment": "Text", "count": "Indicators",
        "type": "Type", "direction": "Direction", "department": "Department", "definition": "What it measures",
        "calculation": "How it is calculated", "data_source": "Data source", "confirmed_when": "When final",
        "target_rationale": "Why this target", "selection_rationale": "Why this indicator", "description": "Description",
        "city_method": "The city's method", "sources": "Sources", "revisions": "Revisions", "rating_scales": "The city's rating scales",
        "url": "Address", "plan": "plan", "indicator_record": "indicator", "node_record": "node", "yes": "agrees", "no": "disagrees",
        "planned": "planned", "actual": "actual", "agreeing": "Agrees with this method's", "breadcrumb": "Part of",
        "kind_code": "Kind code", "horizon_code": "Horizon code", "target_kind_code": "Target kind code",
        "provenance": "Provenance (imported from, approved)",
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
    return f"{prefix}{digits}{format_text(unit)}" if unit else f"{prefix}{digits}"


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _name(ind: Indicator, lang: str) -> str:
    return ind.name_en if lang == "en" and ind.name_en else ind.name


class _Cells:
    """Styled values for the sheets' rows (FastRows writes them): each style is registered in
    the workbook's stylesheet once, by its prototype cell, and a value carries only its id.

    Assigning a style attribute makes openpyxl hash the style objects; doing it
    for each of a million cells takes minutes, and even a cell object per value
    is most of the time a big sheet takes.
    """

    def __init__(self, book: Workbook) -> None:
        self._book = book
        self._sheet = book.create_sheet("_styles")
        self._cache: dict[tuple[Any, ...], int] = {}

    def __call__(self, sheet: WriteOnlyWorksheet, value: Any = None, number_format: str = "General", *, border: bool = False,
                 wrap: bool = False, bold: bool = False, fill: PatternFill | None = None, align: str | None = None,
                 size: int | None = None) -> Styled:  # fmt: skip
        return Styled(
            value,
            self.style_id(
                number_format, border=border, wrap=wrap, bold=bold, fill=fill, align=align, size=size
            ),
        )

    def style_id(self, number_format: str = "General", *, border: bool = False, wrap: bool = False,
                 bold: bool = False, fill: PatternFill | None = None, align: str | None = None,
                 size: int | None = None) -> int:  # fmt: skip
        """The id of a style in the workbook's stylesheet, made once."""
        key = (number_format, border, wrap, bold, fill.fgColor.rgb if fill else None, align, size)
        found = self._cache.get(key)
        if found is None:
            proto = WriteOnlyCell(self._sheet)
            proto.number_format = number_format
            proto.border = BOX if border else Border()
            proto.alignment = Alignment(wrap_text=wrap, vertical="top" if wrap else None, horizontal=align)
            proto.font = Font(bold=bold or size is not None, size=size)
            if fill is not None:
                proto.fill = fill
            found = self._cache[key] = style_id(self._book, proto._style)
        return found

    def close(self, book: Workbook) -> None:
        book.remove(self._sheet)


def _append(sheet: WriteOnlyWorksheet, row: Sequence[Any]) -> None:
    """Every row goes in here, written as XML (FastRows): a text that would run as a formula is
    kept a string."""
    sheet.fast_rows.append(row)


def _width(text: object) -> int:
    text = str(text or "")
    if text.isascii():  # one each
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _set_widths(sheet: WriteOnlyWorksheet, rows: Iterable[Sequence[Any]], *, minimum: int = 6, maximum: int = 60,
                fixed: dict[int, int] | None = None, sample: int = 2000) -> None:  # fmt: skip
    """Column widths from the longest value in the first rows (Japanese characters count as two)."""
    widths: dict[int, int] = {}
    measured: dict[str, int] = {}  # a sheet's columns repeat their values
    for row in islice(rows, sample):
        for col, value in enumerate(row, start=1):
            value = value.value if isinstance(value, Styled) else value
            if value is not None:
                text = str(value)
                longest = measured.get(text)
                if longest is None:
                    longest = measured[text] = max(map(_width, text.split("\n")))
                if longest > widths.get(col, -1):
                    widths[col] = longest
    for col, width in widths.items():
        sheet.column_dimensions[get_column_letter(col)].width = max(minimum, min(maximum, width + 2))
    for col, width in (fixed or {}).items():
        sheet.column_dimensions[get_column_letter(col)].width = width


EXCEL_DEFAULT_WIDTH = 8.43  # a column no width was set for
# The widths (in Excel's character units) an A4 page holds at 100 % within the margins below:
# a sheet wider than a portrait page prints landscape, so fitting it to the page's width shrinks it less.
PORTRAIT_WIDTH = 100
MARGINS = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3)


def _print_setup(sheet: WriteOnlyWorksheet, report: Report, columns: int,
                 title_rows: tuple[int, int] | None = None) -> None:  # fmt: skip
    """How a sheet prints: on A4, fitted to the page's width (as many pages tall as it takes),
    landscape where its columns are wider than a portrait page, ``title_rows`` (its header) repeated
    at the top of every page, the report's title and the sheet's name above, the page number below."""
    dimensions = sheet.column_dimensions
    width = sum(
        (dimensions[letter].width or EXCEL_DEFAULT_WIDTH) if letter in dimensions else EXCEL_DEFAULT_WIDTH
        for letter in map(get_column_letter, range(1, columns + 1))
    )
    setup = sheet.page_setup
    setup.paperSize = Worksheet.PAPERSIZE_A4
    setup.orientation = "landscape" if width > PORTRAIT_WIDTH else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = copy(MARGINS)
    if title_rows is not None:
        sheet.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    title = f"{report.plan.title} {report.t['report']}"[:120].replace("&", "&&")  # & starts a code
    sheet.HeaderFooter.oddHeader.left.text = title
    sheet.HeaderFooter.oddHeader.right.text = "&A"  # the sheet's name
    sheet.HeaderFooter.oddFooter.center.text = "&P / &N"


_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


class _SheetNames:
    """Valid, unique sheet names: at most 31 characters, none of []:*?/\\, no apostrophe at
    either end, and no two alike (Excel compares them without case)."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def __call__(self, wanted: str) -> str:
        base = wanted.translate(_BAD_SHEET_CHARS).strip().strip("'") or "Sheet"
        name, n = base[:31], 2
        while name.casefold() in self._used or name.casefold() == "history":
            tail = f" ({n})"
            name, n = base[: 31 - len(tail)] + tail, n + 1
        self._used.add(name.casefold())
        return name


def render_xlsx(report: Report, folder: Path) -> list[Path]:
    book = Workbook(write_only=True)
    label = LABELS[report.lang]
    cells = _Cells(book)
    names = _SheetNames()
    plan = report.plan

    def sheet(title: str):
        made = book.create_sheet(names(title))
        FastRows(book, made)
        return made

    _summary(sheet(label["summary"]), report, label, cells)
    if _has_plan_sheet(report):
        _plan_sheet(sheet(label["plan_sheet"]), report, label, cells)
    by_top: dict[str | None, list[NodeSection]] = {}
    for section in report.sections:
        top = None if section.node is None else top_code(plan, section.node.code)
        by_top.setdefault(top, []).append(section)
    for top, sections in by_top.items():
        title = report.t["plan_indicators"] if top is None else node_label(plan, plan.node(top), report.lang)  # type: ignore[arg-type]
        _node_sheet(sheet(title), report, sections, label, cells)
    _data(sheet(label["data"]), report, label, cells)
    _evaluation(sheet(label["evaluation"]), report, label, cells)
    if any(any(getattr(i, k) for k in DOCUMENTATION) for i in plan.indicators):
        _definitions(sheet(label["definitions"]), report, label, cells)
    every = (plan, *plan.nodes)
    if any(x.costs for x in every):
        _costs(sheet(label["costs"]), report, label, cells)
    if any(x.ratings for x in every) or any(i.ratings for i in plan.indicators):
        _ratings(sheet(label["ratings"]), report, label, cells)
    if any(x.comments for x in every) or any(i.comments for i in plan.indicators):
        _comments(sheet(label["comments"]), report, label, cells)
    if any(x.tallies for x in every):
        _tallies(sheet(label["tallies"]), report, label, cells)
    cells.close(book)
    book.properties.title = f"{plan.title} {report.t['report']}"
    book.properties.creator = "machiplan"
    path = folder / "report.xlsx"
    book.save(path)
    return [path]


def _header(sheet, cells: _Cells, values: Sequence[str]) -> list[Styled]:
    return [cells(sheet, v, border=True, wrap=True, bold=True, fill=HEADER_FILL) for v in values]


def _home(view) -> int | str:
    """The summary's first column: the home node's code, an integer when it is one (Sapporo's 1)."""
    return version_1_number(view.home) if view.home is not None else None  # type: ignore[return-value]


def _summary(sheet, report: Report, label: dict[str, str], cells: _Cells) -> None:
    """The status counts, then one row per indicator, made as they are written; column widths are
    measured from the first rows, made once more for that."""
    plan = report.plan
    heads = [report.home_header, label["code"], label["indicator"], label["unit"], label["latest"], label["latest_fy"],
             label["target"], label["target_fy"], label["progress"], label["pace"], label["status"], label["explanation"]]  # fmt: skip
    # the rows' styles, registered in the order the rows register them, and before the others, as
    # when the rows were all made first: the stylesheet's order is the workbook's bytes
    for _latest, formats in _summary_values(report):
        for column, shown_as in enumerate(formats):
            cells.style_id(shown_as, border=True, wrap=column == 11)
    _set_widths(sheet, _summary_rows(sheet, report, cells), fixed={12: 80})
    context = as_context(report)
    counts = [(row["label"], row["counts"]) for row in context["count_rows"]]
    top = 6 + len(counts)  # the indicator list's header row
    sheet.freeze_panes = f"A{top + 1}"  # down to the list's header (a pane starts at the top)
    _print_setup(sheet, report, max(len(heads), 1 + len(report.status_order)), (top, top))
    _append(sheet, [cells(sheet, f"{plan.title} {report.t['report']}", size=14)])
    _append(sheet, [f"{plan.municipality.name}（{plan.municipality.code}） {report.t['plan_period']} {report.period_text} "
                  f"{report.t['evaluation_year']} {report.fy(report.evaluation.evaluation_fy)}"])  # fmt: skip
    _append(sheet, [])
    _append(
        sheet, _header(sheet, cells, [context["count_header"], *(name for _, name in report.status_order)])
    )
    for name, numbers in counts:
        _append(sheet, [cells(sheet, name, bold=True), *numbers])
    _append(sheet, [])
    _append(sheet, _header(sheet, cells, heads))
    for row in _summary_rows(sheet, report, cells):
        _append(sheet, row)


def _summary_values(report: Report) -> Iterator[tuple[Observation | None, list[str]]]:
    """Each indicator's latest actual figure, and the number format of each of its row's columns."""
    for view in report.indicators:
        ind, h = view.indicator, view.evaluation.headline
        latest = latest_actual(ind, report.evaluation.evaluation_fy, h.series)
        formats = ["General"] * 12
        formats[4] = number_format(ind, latest.approximate if latest else False)
        formats[6] = number_format(ind)
        formats[8] = formats[9] = "0%"
        yield latest, formats


def _summary_rows(sheet, report: Report, cells: _Cells) -> Iterator[list[Styled]]:
    """The summary's list: one row per indicator."""
    for view, (latest, formats) in zip(report.indicators, _summary_values(report), strict=True):
        ind, h = view.indicator, view.evaluation.headline
        latest_value = (
            (_number(latest.value) if latest.value is not None else latest.text) if latest else None
        )
        target_value = (
            (_number(h.target.value) if h.target.value is not None else h.target.text or None)
            if h.target
            else None
        )
        values = [_home(view) if view.home is not None else report.t["all_goals"], ind.code, _name(ind, report.lang), ind.unit,
                  latest_value, latest.fy if latest else None, target_value, h.target.fy if h.target else None,
                  h.progress, h.pace, view.status_label, view.explanation]  # fmt: skip
        yield [cells(sheet, v, formats[i], border=True, wrap=i == 11) for i, v in enumerate(values)]


def _has_plan_sheet(report: Report) -> bool:
    return bool(report.facts and report.facts.description) or bool(
        report.city_method or report.sources or report.revisions or report.scales
    )


def _plan_sheet(sheet, report: Report, label: dict[str, str], cells: _Cells) -> None:
    """The plan's description, the city's own method, its rating scales, revisions and sources."""
    rows: list[list[Any]] = [[cells(sheet, f"{report.plan.title} {label['plan_sheet']}", size=13)], []]

    def block(title: str, lines: Iterable[Sequence[Any]]) -> None:
        rows.append([cells(sheet, title, bold=True)])
        rows.extend([cells(sheet, v, wrap=True) for v in line] for line in lines)
        rows.append([])

    if report.facts and report.facts.description:
        block(label["description"], ([line] for line in report.facts.description))
    if report.city_method:
        block(label["city_method"], ([line] for line in report.city_method))
    for table in report.scales:
        rows.append([cells(sheet, f"{label['rating_scales']}：{table.caption}", bold=True)])
        rows.append(_header(sheet, cells, list(table.header)))
        rows.extend([cells(sheet, v, wrap=True) for v in r] for r in table.rows)
        rows.append([])
    if report.revisions:
        block(label["revisions"], ([head, "\n".join(lines)] for head, lines in report.revisions))
    if report.sources:
        rows.append([cells(sheet, label["sources"], bold=True)])
        rows.append(_header(sheet, cells, [label["sources"], label["date"], label["url"], label["note"]]))
        rows.extend(
            [cells(sheet, v or None, wrap=True) for v in (s.title, s.date, s.url, s.note)]
            for s in report.sources
        )
    sheet.column_dimensions["A"].width = 90
    for col in "BCD":
        sheet.column_dimensions[col].width = 40
    _print_setup(sheet, report, max(map(len, rows), default=1))
    for row in rows:
        _append(sheet, row)


def _node_sheet(
    sheet, report: Report, sections: list[NodeSection], label: dict[str, str], cells: _Cells
) -> None:
    """A top node's sheet: one block per section of its subtree. A Sapporo-shaped plan's sheet is
    one block, laid out like the progress sheet, with its header (the categories and the
    indicators' names) frozen and printed on every page."""
    rows: list[list[Any]] = []
    table_rows: list[list[Any]] = []  # the indicator tables' rows, for the column widths
    header = None
    for n, section in enumerate(sections):
        if n:
            rows += [[], []]
        names_row = _node_block(sheet, report, section, label, cells, rows, table_rows)
        if len(sections) == 1 and names_row is not None:
            header = (names_row - 1, names_row)  # the categories and the indicators' names
    if header:
        sheet.freeze_panes = f"A{header[1] + 1}"  # the header's rows only, no column
    _set_widths(sheet, table_rows, maximum=28, fixed={1: 34})
    if (sheet.column_dimensions["B"].width or 0) < 28:
        sheet.column_dimensions["B"].width = 28
    _print_setup(sheet, report, max(map(len, rows), default=1), header)
    for row in rows:
        _append(sheet, row)


def _node_block(sheet, report: Report, section: NodeSection, label: dict[str, str], cells: _Cells,
                rows: list[list[Any]], table_rows: list[list[Any]]) -> int | None:  # fmt: skip
    """One section's block, appended to ``rows``; the row number of its indicator names, if any."""
    lang, t = report.lang, report.t
    rows.append([cells(sheet, section.heading, size=13)])
    if section.breadcrumb:
        rows.append([f"{label['breadcrumb']}: " + " › ".join(title for _, title in section.breadcrumb)])
    if section.statement:
        rows.append([section.statement])
    rows.extend([[cells(sheet, name, bold=True), text] for name, text in section.info])
    if section.counts_text:
        rows.append([section.counts_text])
    rows.append([])
    if section.initiatives:
        rows.append(_header(sheet, cells, [t["initiatives"]]))
        rows.extend(
            [cells(sheet, f"・{i.text}" + "".join(f"（{f}）" for f in i.facts), wrap=True)]
            for i in section.initiatives
        )
        rows.append([])
    if section.listed:
        priority = any(n.priority for n in report.plan.nodes)
        mark = ("（◎重点施策）" if lang == "ja" else " (◎ priority)") if priority else ""
        heads = [f"{section.listed_label}{mark}"] + (
            [label["initiatives"]] if section.listed_initiatives else []
        )
        rows.append(_header(sheet, cells, heads))
        for policy in section.listed:
            text = "\n".join(f"・{i.text}" + "".join(f"（{f}）" for f in i.facts) for i in policy.initiatives)
            row = [cells(sheet, f"{'◎' if policy.priority else ''}{policy.label} {policy.name}", wrap=True)]
            if section.listed_initiatives:
                row.append(cells(sheet, text, wrap=True))
            rows.append(row)
        rows.append([])
    if not section.indicators:
        rows += [[note] for note in section.footnotes]
        if section.empty:
            rows.append([t["empty_section"]])
        return None
    indicators = [v.indicator for v in section.indicators]
    # the category row: one label merged across the indicators it covers, as in the sheet
    category_row = len(rows) + 1
    categories = [t["indicators"]]
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
        ("参考:" if i.reference else "") + _name(i, lang) + (f"\n{i.note}" if i.note else "")
        for i in indicators
    ]
    rows.append([cells(sheet, v, **head) for v in ["", *names]])
    names_row = len(rows)
    sheet.row_dimensions[names_row].height = 48
    start = len(rows) - 1
    formats = {ind.code: (number_format(ind), number_format(ind, True)) for ind in indicators}
    for year_row in section.rows:
        row = [cells(sheet, year_row.title, bold=True)]
        for ind, shown in zip(indicators, year_row.cells, strict=True):
            row.append(_sheet_cell(sheet, cells, ind, year_row, shown.text, formats[ind.code], lang))
        rows.append(row)
    rows.append(
        [
            cells(sheet, label["status"], bold=True),
            *(cells(sheet, v.status_label, border=True) for v in section.indicators),
        ]
    )
    table_rows.extend(rows[start:])
    rows += [[note] for note in section.footnotes]
    return names_row


def _sheet_cell(
    sheet, cells: _Cells, ind: Indicator, year_row, shown: str, formats: tuple[str, str], lang: str
):
    """A figure as a number with its unit's format; what no number says (a state, several series,
    a target in words) as the report's text."""
    if year_row.kind == "target":
        if year_row.target_kind == "final":
            target = ind.target(year_row.horizon)
        else:
            found = [
                tg for tg in ind.targets
                if (tg.fy, tg.horizon, tg.kind, tg.series) == (year_row.fy, year_row.horizon, year_row.target_kind, "")
            ]  # fmt: skip
            target = found[-1] if found else None
        if (target is None or target.value is None) and shown != "—":
            return cells(sheet, shown, border=True, align="right", fill=TARGET_FILL)
        return _target_cell(sheet, cells, target, formats, lang)
    if year_row.kind == "baseline":
        b = ind.baseline()
        if b is not None and b.value is not None:
            cell = cells(sheet, _number(b.value), formats[b.approximate], border=True)
            if b.fy is not None:
                cell.comment = Comment(shown, "machiplan")
            return cell
        return cells(sheet, shown, border=True, align="right")
    obs = ind.observation(year_row.fy)
    if (
        (obs is None or obs.value is None)
        and shown != "—"
        and not (obs is not None and obs.kind == "pending")
    ):
        return cells(sheet, shown, border=True, align="right")
    return _observation_cell(sheet, cells, obs, formats, lang)


def _observation_cell(
    sheet, cells: _Cells, obs: Observation | None, formats: tuple[str, str], lang: str
) -> Styled:
    if obs is None or obs.value is None:
        text = OBSERVATION_KIND_LABELS[lang]["pending"] if obs is not None and obs.kind == "pending" else "—"
        return cells(sheet, text, border=True, align="right")
    cell = cells(sheet, _number(obs.value), formats[obs.approximate], border=True)
    notes = []
    if obs.kind == "forecast":
        notes.append("見込" if lang == "ja" else "forecast")
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


def _target_cell(
    sheet, cells: _Cells, target: Target | None, formats: tuple[str, str], lang: str = "ja"
) -> Styled:
    if target is None or target.value is None:
        return cells(sheet, "—", border=True, align="right", fill=TARGET_FILL)
    cell = cells(sheet, _number(target.value), formats[target.approximate], border=True, fill=TARGET_FILL)
    notes = []
    if target.period_start_fy is not None:
        notes.append(
            f"{format_fiscal_year(target.period_start_fy, style='short')}-{format_fiscal_year(target.fy, style='short')} 計"
        )
    if target.operator:
        notes.append(OPERATOR_TEXT[lang][target.operator].strip())
    if notes:
        cell.comment = Comment("\n".join(notes), "machiplan")
    return cell


def _horizon_words(report: Report, horizon: str) -> str:
    """A target horizon in words: 計画目標, アクションプラン, or the higher plan's own label."""
    higher = next((h.label for h in report.plan.higher_plans if h.horizon == horizon), None)
    return horizon_label(horizon, report.lang, fallback=higher)


FIGURE_SOURCE = re.compile(r"^出典: (?P<source>.*?); (?=machiplan: )", re.S)


def _sources(report: Report, ind: Indicator) -> tuple[str | None, dict[str, str]]:
    """Where an indicator's figures and its targets come from (出典), as the plan says: the figures
    from the indicator's own data source (市民アンケート, 業務統計), else from the documents the plan's
    data were taken from, else nothing (machiplan does not guess); a target from the plan that sets
    it, by horizon: a higher plan's title (札幌市まちづくり戦略ビジョン・アクションプラン2015), else this
    plan's. Where machiplan got a figure (a file's line, an approval) is the provenance column."""
    plan = report.plan
    documents = ("; " if report.lang == "en" else "；").join(s.title for s in plan.sources) or None
    targets = {h.horizon: h.title or h.label for h in plan.higher_plans}
    return ind.data_source or documents, targets | {"": plan.title}


def _provenance(source: str, default: str | None) -> tuple[str | None, str | None]:
    """A figure's data source and its provenance, from what the plans app keeps: a package's
    'observations.csv:26', or staff's '出典: 住民基本台帳; machiplan: approved 2026-…' (the source
    an editor named, staff/services/entries.py), whose source comes before the indicator's."""
    found = FIGURE_SOURCE.match(source)
    if found:
        return found["source"] or default, source[found.end() :]
    return default, source or None


def _data_rows(report: Report, label: dict[str, str]) -> Iterable[tuple[list[Any], str]]:
    """One row per observation, target and baseline, made as they are written: never all at once.
    Kinds and horizons are in words; their codes, and each row's provenance, are the last columns."""
    plan, lang = report.plan, report.lang
    lead = [plan.municipality.code, plan.municipality.name, plan.code]
    eras: dict[int, str] = {}

    def era(fy: int | None) -> str | None:
        if fy is None:
            return None
        return eras.get(fy) or eras.setdefault(fy, format_fiscal_year(fy))

    for ind in plan.indicators:
        formats = (number_format(ind), number_format(ind, True))
        top = top_code(plan, ind.node)
        where = [version_1_number(top) if top else None, ind.code, ind.name, ind.unit]
        nodes = [ind.node, ";".join(ind.nodes) or None]
        figures_from, targets_from = _sources(report, ind)
        for obs in ind.observations:
            source, provenance = _provenance(obs.source, figures_from)
            yield (
                [*lead, *where, label["observation"], kind_label(obs.kind, lang), None, obs.fy, era(obs.fy),
                 _number(obs.value), obs.as_of, obs.approximate, ";".join(f"{k}={v}" for k, v in obs.breakdown) or None,
                 None, obs.source_text, source,
                 obs.series or None, obs.period, obs.text or None, None, None, None, None, obs.note or None, *nodes,
                 obs.kind, None, None, provenance],
                formats[obs.approximate],
            )  # fmt: skip
        for target in ind.targets:
            set_by = targets_from.get(target.horizon, targets_from[""])
            source, provenance = _provenance(target.source, set_by)
            yield (
                [*lead, *where, label["target_record"], None, _horizon_words(report, target.horizon), target.fy,
                 era(target.fy), _number(target.value), None, target.approximate, None, target.period_start_fy,
                 target.source_text, source,
                 target.series or None, None, target.text or None, target_kind_label(target.kind, lang),
                 target.operator, None, target.revision, target.note or None, *nodes,
                 None, target.horizon, target.kind, provenance],
                formats[target.approximate],
            )  # fmt: skip
        for b in ind.baselines:
            source, provenance = _provenance(b.source, figures_from)
            yield (
                [*lead, *where, label["baseline_record"], None, None, b.fy, era(b.fy), _number(b.value), b.as_of,
                 b.approximate, None, None, b.source_text, source,
                 b.series or None, b.period, b.text or None, None, None, b.label or None, b.revision, b.note or None,
                 *nodes, None, None, None, provenance],
                formats[b.approximate],
            )  # fmt: skip


def _data(sheet, report: Report, label: dict[str, str], cells: _Cells) -> None:
    heads = ["municipality_code", "municipality", "plan_code", "goal", "code", "indicator", "unit", "record", "kind", "horizon",
             "fy", "era", "value", "as_of", "approximate", "breakdown", "period_start", "source_text", "source",
             "series", "period", "text", "target_kind", "operator", "label", "revision", "note", "node", "nodes",
             "kind_code", "horizon_code", "target_kind_code", "provenance"]  # fmt: skip
    count = sum(len(i.observations) + len(i.targets) + len(i.baselines) for i in report.plan.indicators)
    _set_widths(
        sheet, [heads, *(values for values, _ in islice(_data_rows(report, label), 2000))], maximum=40
    )
    sheet.freeze_panes = "A2"  # the header only
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{count + 1}"
    _print_setup(sheet, report, len(heads), (1, 1))
    # a million cells at 100,000 indicators: written as XML, not as openpyxl's cell objects
    rows = sheet.fast_rows
    header = cells.style_id(border=True, wrap=True, bold=True, fill=HEADER_FILL)
    rows.append([label[h] for h in heads], [header] * len(heads))
    styles: list[int | None] = [None] * len(heads)
    value_styles: dict[str, int] = {}
    date = cells.style_id("yyyy-mm-dd")
    for values, value_format in _data_rows(report, label):
        value_style = value_styles.get(value_format)
        if value_style is None:
            value_style = value_styles[value_format] = cells.style_id(value_format)
        styles[12] = value_style
        styles[13] = date if values[13] is not None else None
        rows.append(values, styles)


def _evaluation(sheet, report: Report, label: dict[str, str], cells: _Cells) -> None:
    """One row per judgement, made as they are written (at 100,000 indicators, 300,000 rows held at
    once took 150 MiB). Column widths are measured from the first rows, made once more for that."""
    heads = ["code", "indicator", "unit", "horizon", "target_fy", "target", "baseline_fy", "baseline", "latest_fy", "latest",
             "progress", "pace", "status", "flags", "explanation", "series", "target_kind", "text", "state", "node",
             "horizon_code", "target_kind_code"]  # fmt: skip
    # the rows' styles, registered in the order the rows register them (each indicator's first row
    # takes its number format, then the percentage's), and before the header's, as when the rows
    # were all made before it: the stylesheet's order is the workbook's bytes
    for view in report.indicators:
        cells.style_id(number_format(view.indicator))
        cells.style_id("0%")
    _set_widths(sheet, chain([heads], _evaluation_rows(sheet, report, cells)), maximum=40, fixed={15: 90})
    sheet.freeze_panes = "A2"  # the header only
    _print_setup(sheet, report, len(heads), (1, 1))
    _append(sheet, _header(sheet, cells, [label[h] for h in heads]))
    for row in _evaluation_rows(sheet, report, cells):
        _append(sheet, row)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{sheet.fast_rows.rows}"


def _evaluation_rows(sheet, report: Report, cells: _Cells) -> Iterator[list[Any]]:
    """The evaluation sheet's rows: each indicator's headline, its horizons, then each series' own."""
    for view in report.indicators:
        ind, e = view.indicator, view.evaluation
        value_format = number_format(ind)
        judged = [(e.headline, view.explanation, True)]
        judged += [(j, h.explanation, False) for j, h in zip(e.by_horizon, view.horizons, strict=True)]
        for s in e.series:
            judged += [
                (j, explain_judgement(j, ind, report.lang), False) for j in (s.headline, *s.by_horizon)
            ]
        for j, explanation, headline in judged:
            target = j.target
            yield [
                ind.code, ind.name, ind.unit, _horizon_words(report, j.horizon),
                target.fy if target else None, cells(sheet, _number(target.value) if target else None, value_format),
                j.baseline.fy if j.baseline else None, cells(sheet, _number(j.baseline.value) if j.baseline else None, value_format),
                j.latest.fy if j.latest else None, cells(sheet, _number(j.latest.value) if j.latest else None, value_format),
                cells(sheet, j.progress, "0%"), cells(sheet, j.pace, "0%"), status_label(j.status, report.lang),
                ";".join(e.flags) if headline else None, explanation,
                j.series or None, target_kind_label(j.kind, report.lang), (target.text or None) if target else None,
                j.state or None, ind.node, j.horizon, j.kind,
            ]  # fmt: skip


def _table_sheet(sheet, report: Report, cells: _Cells, heads: list[str], rows: list[list[Any]], *,
                 wide: dict[int, int] | None = None) -> None:  # fmt: skip
    """A tidy table: a header, one row per fact, filters, the header frozen (no column), long texts
    wrapped; printed with its header on every page."""
    wrapped = set((wide or {}).keys())
    built = [
        [
            v if isinstance(v, Styled) else cells(sheet, v, wrap=col in wrapped)
            for col, v in enumerate(row, start=1)
        ]
        for row in rows
    ]
    _set_widths(sheet, [heads, *rows], maximum=40, fixed=wide)
    sheet.freeze_panes = "A2"
    _print_setup(sheet, report, len(heads), (1, 1))
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{len(rows) + 1}"
    _append(sheet, _header(sheet, cells, heads))
    for row in built:
        _append(sheet, row)


def _holders(plan: Plan):
    yield None, plan
    yield from ((node, node) for node in plan.nodes)


def _definitions(sheet, report: Report, label: dict[str, str], cells: _Cells) -> None:
    plan, lang = report.plan, report.lang
    heads = ["code", "indicator", "node", "nodes", "type", "unit", "direction", "department", *DOCUMENTATION, "series",
             "baseline"]  # fmt: skip
    rows = [
        [ind.code, _name(ind, lang), ind.node, ";".join(ind.nodes) or None,
         INDICATOR_TYPE_LABELS[lang].get(ind.type or "", ind.type), ind.unit, ind.direction,
         department_name(plan, ind.department) if ind.department else None,
         *(getattr(ind, k) or None for k in DOCUMENTATION), ";".join(ind.series) or None,
         "\n".join(filter(None, (baseline_text(ind, lang, s) for s in ind.all_series or ("",)))) or None]
        for ind in plan.indicators
    ]  # fmt: skip
    _table_sheet(sheet, report, cells, [label[h] for h in heads], rows, wide={n: 50 for n in range(9, 15)})


def _costs(sheet, report: Report, label: dict[str, str], cells: _Cells) -> None:
    """Every cost row as the city wrote it (figures in its unit, and in yen), with, for a spent
    row, its share of the planned row of the same node, years, account and unit."""
    plan = report.plan
    heads = ["holder", "goal", "node", "node_name", "start_fy", "end_fy", "basis", "label", "account", "unit",
             "amount", "general_revenue", "projects", "amount_yen", "general_revenue_yen", "cost_rate", "source_text"]  # fmt: skip
    rows = []
    for node, holder in _holders(plan):
        planned = {(c.start_fy, c.end_fy, c.account, c.unit): c for c in holder.costs if c.basis == PLANNED}
        for c in holder.costs:
            plan_row = planned.get((c.start_fy, c.end_fy, c.account, c.unit)) if c.basis != PLANNED else None
            rate = None
            if plan_row is not None and plan_row.amount and c.amount is not None:
                rate = float(c.amount / plan_row.amount)
            top = top_code(plan, node.code) if node else None
            rows.append([
                label["node_record"] if node else label["plan"], version_1_number(top) if top else None,
                node.code if node else None, node.name if node else None, c.start_fy, c.end_fy,
                label["planned"] if c.basis == PLANNED else label["actual"], c.label or None, c.account or None, c.unit,
                cells(sheet, _number(c.amount), "#,##0"), cells(sheet, _number(c.general_revenue), "#,##0"), c.projects,
                cells(sheet, _number(c.yen(c.amount)), "#,##0"), cells(sheet, _number(c.yen(c.general_revenue)), "#,##0"),
                cells(sheet, rate, "0.0%"), c.source_text or None,
            ])  # fmt: skip
    _table_sheet(sheet, report, cells, [label[h] for h in heads], rows)


def _ratings(sheet, report: Report, label: dict[str, str], cells: _Cells) -> None:
    plan, lang, e_fy = report.plan, report.lang, report.evaluation.evaluation_fy
    heads = [
        "holder",
        "goal",
        "node",
        "code",
        "indicator",
        "fy",
        "era",
        "scale",
        "grade",
        "meaning",
        "ours",
        "agrees",
        "note",
    ]
    rows = []
    targets = [(label["node_record"] if node else label["plan"], node.code if node else None, None, node.name if node else None,
                holder.ratings, None) for node, holder in _holders(plan)]  # fmt: skip
    targets += [
        (
            label["indicator_record"],
            ind.node,
            ind.code,
            _name(ind, lang),
            ind.ratings,
            report.evaluation.indicators[ind.code],
        )
        for ind in plan.indicators
    ]
    for kind, where, code, name, ratings, e in targets:
        for r in ratings:
            scale = plan.rating_scale(r.scale)
            grade = scale.grade(r.grade) if scale else None
            ours = agrees = None
            if e is not None and r.fy == e_fy:
                ours = status_label(e.status, lang)
                if grade is not None and grade.statuses and e.status not in ("no_data", "no_target"):
                    agrees = label["yes"] if e.status in grade.statuses else label["no"]
            scale_name = ((scale.name_en or scale.name) if lang == "en" else scale.name) if scale else r.scale
            meaning = ((grade.label_en or grade.label) if lang == "en" else grade.label) if grade else None
            top = top_code(plan, where) if where else None
            rows.append([kind, version_1_number(top) if top else None, where, code, name, r.fy, fy_label(r.fy, lang),
                         scale_name, r.grade, meaning or None, ours, agrees, r.note or None])  # fmt: skip
    _table_sheet(sheet, report, cells, [label[h] for h in heads], rows)


def _comments(sheet, report: Report, label: dict[str, str], cells: _Cells) -> None:
    plan, lang = report.plan, report.lang
    heads = ["holder", "goal", "node", "code", "fy", "era", "body", "body_name", "date", "comment"]
    holders = [(label["node_record"] if node else label["plan"], node.code if node else None, None, holder.comments)
               for node, holder in _holders(plan)]  # fmt: skip
    holders += [(label["indicator_record"], ind.node, ind.code, ind.comments) for ind in plan.indicators]
    rows = []
    for kind, where, code, comments in holders:
        for c in comments:
            top = top_code(plan, where) if where else None
            rows.append([kind, version_1_number(top) if top else None, where, code, c.fy, fy_label(c.fy, lang),
                         BODY_LABELS[lang].get(c.body, c.body), c.body_name or None,
                         cells(sheet, c.date, "yyyy-mm-dd") if c.date else None, c.text])  # fmt: skip
    _table_sheet(sheet, report, cells, [label[h] for h in heads], rows, wide={10: 90})


def _tallies(sheet, report: Report, label: dict[str, str], cells: _Cells) -> None:
    plan, lang = report.plan, report.lang
    heads = ["holder", "goal", "node", "node_name", "fy", "era", "scale", "grade", "meaning", "count", "note"]
    rows = []
    for node, holder in _holders(plan):
        for t in holder.tallies:
            scale = plan.rating_scale(t.scale)
            grade = scale.grade(t.grade) if scale else None
            scale_name = ((scale.name_en or scale.name) if lang == "en" else scale.name) if scale else t.scale
            meaning = ((grade.label_en or grade.label) if lang == "en" else grade.label) if grade else None
            top = top_code(plan, node.code) if node else None
            rows.append([label["node_record"] if node else label["plan"], version_1_number(top) if top else None,
                         node.code if node else None, node.name if node else None, t.fy, fy_label(t.fy, lang),
                         scale_name, t.grade, meaning or None, t.count, t.note or None])  # fmt: skip
    _table_sheet(sheet, report, cells, [label[h] for h in heads], rows)
