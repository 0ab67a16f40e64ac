"""A table's rows, read into a plan: nodes, indicators, their figures, targets and baselines.

Every figure keeps the cell it came from (``source``: 成果指標.xlsx!Sheet1!D7) and the cell's
text (``source_text``); a cell that cannot be read is a warning naming it; what the names
suggest (domain/guesses.py) and what the reader assumed of the plan (its period, its levels)
are listed with their reasons.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from machiplan.domain import figures, limits
from machiplan.domain import plan as domain
from machiplan.domain.errors import MachiplanError, excerpt
from machiplan.domain.guesses import Guess, guess_indicator
from machiplan.domain.validation import is_code

from . import mapping as m
from . import own
from .cells import (
    NONE,
    PENDING,
    TEXT,
    VALUE,
    CellValue,
    norm,
    parse_cell,
    read_when,
    split_arrow,
    summed_since,
    unit_factor,
)
from .detect import Layout, MappingGuess, TableWarning
from .grid import FORMULA, Grid
from .headers import kind_of, unit_of, without_unit
from .outline import child_code, code_parts, code_safe, heading

# what a plan keeps of each text (domain/limits.py, figures.py): longer ones are not read, with a warning
MAX_NAME = min(limits.INDICATOR["name"], limits.NODE["name"])  # an indicator's or a node's name
MAX_CATEGORY = limits.INDICATOR["category"]
MAX_UNIT = limits.INDICATOR["unit"]
MAX_SOURCE_TEXT = figures.SOURCE_TEXT.max_length
MAX_TITLE = limits.PLAN["title"]
_TOTAL_NAMES = ("合計", "計", "総計", "小計", "全体")
_MARK_RE = re.compile(r"\s*(?:※|\*|＊)\s*([0-9０-９]*)\s*$")
_NOTE_MARK_RE = re.compile(r"^(?:※|\*|＊)\s*([0-9０-９]*)")
_REFERENCE_RE = re.compile(r"^[(（【\[]?参考[)）】\]]?\s*[:：]?\s*")
_MUNICIPALITY_RE = re.compile(r"^(.{1,6}?[都道府県市区町村])")
# what comes before a title's municipality: 第2次, 第２期, 令和5年度, 「, 【資料3】
_LEADING_RE = re.compile(
    r"^(?:(?:第[0-9０-９一二三四五六七八九十]+[次期]|(?:令和|平成|[RH])[0-9０-９元]{1,2}年度?|[「『【][^」』】]{0,10}[】]|[「『])\s*)+"
)
_DIRECTIONS = {"↑": domain.INCREASE, "↗": domain.INCREASE, "増加": domain.INCREASE, "増": domain.INCREASE,
               "上昇": domain.INCREASE, "向上": domain.INCREASE, "拡大": domain.INCREASE, "↓": domain.DECREASE,
               "↘": domain.DECREASE, "減少": domain.DECREASE, "減": domain.DECREASE, "低下": domain.DECREASE,
               "削減": domain.DECREASE, "縮小": domain.DECREASE}  # fmt: skip
_TYPES = {"KGI": "kgi", "KPI": "kpi", "成果指標": "outcome", "成果": "outcome", "活動指標": "activity",
          "活動": "activity", "対象指標": "context", "数値目標": "kgi", "重要業績評価指標": "kpi"}  # fmt: skip
_OBS_ORDER = {domain.ACTUAL: 0, domain.INTERIM: 1, domain.FORECAST: 2, domain.PENDING: 3, domain.NONE: 4}
_KIND_WORDS = {domain.ACTUAL: "実績", domain.INTERIM: "途中の値", domain.FORECAST: "見込"}


@dataclass(frozen=True)
class TableResult:
    plan: domain.Plan
    mapping: m.Mapping  # the mapping as read, completed: what --suggest-mapping writes and the plan keeps
    layout: Layout
    warnings: tuple[TableWarning, ...]
    guesses: tuple[tuple[str, Guess], ...]  # (indicator code, what its name suggested)
    mapping_guesses: tuple[MappingGuess, ...]
    encoding: str | None = None


@dataclass
class _Fig:
    what: str  # obs | target | baseline
    kind: str  # obs: a kind of observation; target: final | midterm | annual; baseline: its label
    fy: int | None
    period: str
    cell: CellValue
    text: str
    where: str
    as_of: object = None
    unit: str | None = None
    note: str = ""
    series: str = ""


@dataclass
class _Indicator:
    name: str
    node: str | None
    first: str  # where its name is: the cell
    code_cell: str = ""
    unit: str | None = None
    unit_from: str = ""
    category: str = ""
    type: str | None = None
    department: str | None = None
    definition: str = ""
    calculation: str = ""
    data_source: str = ""
    confirmed_when: str = ""
    target_rationale: str = ""
    selection_rationale: str = ""
    note: str = ""
    direction: str | None = None
    reference: bool = False
    marks: set[str] = field(default_factory=set)
    series: list[str] = field(default_factory=list)
    figs: list[_Fig] = field(default_factory=list)
    per: str | None = None


@dataclass
class _Own:
    """A grade or a cost cell, of an indicator (by its key), a node (by its code) or the plan (a 合計 row)."""

    holder: tuple[str, object]  # ('indicator', (node, name)) | ('node', code) | ('plan', None)
    col: int
    text: str
    where: str
    row_fy: int | None = None  # a long table's row year


@dataclass
class _Node:
    code: str
    name: str
    parent: str | None
    number: str
    where: str
    named: bool = True  # the table names it (else it is named after its level and number)


class _Builder:
    def __init__(self, grid: Grid, layout: Layout, facts: m.PlanFacts, suggesting: bool = False) -> None:
        self.grid = grid
        self.suggesting = suggesting  # a mapping to correct is asked for: what needs one is said, not refused
        self.layout = layout
        self.mapping = layout.mapping
        self.facts = self.mapping.plan.overridden(facts)
        self.warnings: list[TableWarning] = list(layout.warnings)
        self.guesses: list[MappingGuess] = list(layout.guesses)
        self.nodes: dict[str, _Node] = {}
        self.indicators: dict[tuple[str | None, str], _Indicator] = {}
        self.name_col = layout.column(m.NAME)
        self.kind_col = layout.column(m.KIND)
        self.group_level = {style: n for n, style in enumerate(layout.group_styles)}
        kinds = (
            [kind_of(grid.filled(r, self.kind_col)) for r in layout.body] if self.kind_col is not None else []
        )
        self.baseline_rows = m.BASELINE in kinds
        self.departments: dict[str, str] = dict(self.mapping.departments)
        self.own_cols = [c for c, _ in layout.of_role(m.RATING, m.COST)]
        self.own: list[_Own] = []  # the grade and cost cells, placed once the plan's years are known

    def warn(self, where: str, message: str, message_ja: str) -> None:
        """A warning in English and Japanese (the staff pages'), at a cell, a row or the file."""
        self.warnings.append(TableWarning(where, message, message_ja))

    # --- rows ---------------------------------------------------------------------------------

    def read(self) -> None:
        grid, layout = self.grid, self.layout
        fill: dict[int, str] = {}
        fill_roles = {m.LEVEL, m.NODE_CODE, m.NODE_NAME, m.CATEGORY, m.TYPE, m.DEPARTMENT, m.FY}
        fill_name = layout.mapping.layout == m.LONG or self.kind_col is not None
        stack: list[tuple[int, str]] = []  # (level, node code) of the group rows above
        for (row, col), problem in sorted(grid.problems.items()):
            column = layout.columns.get(col)
            if column is not None and column.role != m.IGNORE and layout.mapping.header_rows[1] < row:
                what, what_ja = (
                    (
                        "a formula whose result the file does not hold (open and save it in Excel, or type the value)",
                        "計算式の結果がファイルに保存されていません（Excelで開いて保存するか、値を入力してください）",
                    )
                    if problem == FORMULA
                    else (f"longer than {1000:,} characters", f"{1000:,}文字を超えています")
                )
                self.warn(grid.address(row, col), f"not read: {what}", f"読み込みません：{what_ja}")
        for row in sorted(set(grid.beyond) & set(layout.body)):
            self.warn(
                grid.address(row),
                "cells after column AX are not read (at most 50 columns)",
                "AX列より右のセルは読み込みません（50列まで）",
            )
        for row in layout.body:
            if row in layout.groups:
                stack = self._group(row, stack)
                fill = {}
                continue
            cells = {col: grid.filled(row, col) for col in layout.columns}
            for col, column in layout.columns.items():
                if column.role in fill_roles:
                    if cells[col]:
                        fill[col] = cells[col]
                    else:
                        cells[col] = fill.get(col, "")
            name_text = cells[self.name_col] if self.name_col is not None else ""
            if not name_text and fill_name and self.name_col is not None:
                name_text = fill.get(self.name_col, "")
                cells[self.name_col] = name_text
            if self.name_col is not None and grid.filled(row, self.name_col):
                fill[self.name_col] = grid.filled(row, self.name_col)
            figures = [c for c, col in layout.columns.items() if col.is_figure and grid.text(row, c)]
            if not name_text:
                if self._node_row(row, cells, stack):
                    continue
                if figures:
                    self.warn(
                        grid.address(row, self.name_col),
                        "figures in a row with no indicator name: not read",
                        "指標名のない行に数値があります：読み込みません",
                    )
                continue
            if norm(name_text) in _TOTAL_NAMES:
                self.warn(
                    grid.address(row, self.name_col),
                    f"a total row ({name_text}): not read",
                    f"合計の行です（{name_text}）：読み込みません",
                )
                continue
            if len(name_text) > MAX_NAME:
                self.warn(
                    grid.address(row, self.name_col),
                    f"an indicator's name of {len(name_text):,} characters (at most {MAX_NAME}): the row is not read",
                    f"指標名が{len(name_text):,}文字あります（{MAX_NAME}文字まで）：この行は読み込みません",
                )
                continue
            home = self._path(row, cells, stack)
            self._row(row, cells, name_text, home)

    def _node_row(self, row: int, cells: dict[int, str], stack: list[tuple[int, str]]) -> bool:
        """A row without an indicator whose grade or cost is its node's (a 施策's own row), or the plan's
        (the 合計 row: no node). Its level columns are its own: a blank one below the last it fills
        does not stand for the one above (that is another node's)."""
        grid = self.grid
        found = [c for c in self.own_cols if grid.filled(row, c)]
        if not found:
            return False
        columns = self.layout.columns
        others = [
            t
            for c, t in enumerate(grid.rows.get(row, ()))
            if t and c not in self.own_cols and not (c in columns and columns[c].is_figure)
        ]
        if any(norm(t) in _TOTAL_NAMES for t in others):
            for c in found:
                if self.layout.columns[c].role == m.COST:
                    self.own.append(_Own(("plan", None), c, grid.filled(row, c), grid.address(row, c)))
                else:
                    self.warn(
                        grid.address(row, c),
                        "a grade in a total row (合計): not read",
                        "合計の行の評価です：読み込みません",
                    )
            return True
        levels = self.layout.of_role(m.LEVEL)
        deepest = max((col.level or 0 for c, col in levels if grid.filled(row, c)), default=-1)
        own_cells = dict(cells)
        for c, col in levels:
            if (col.level or 0) > deepest:
                own_cells[c] = ""
        for role in (m.NODE_CODE, m.NODE_NAME):
            c = self.layout.column(role)
            if c is not None:
                own_cells[c] = grid.filled(row, c)
        code_col = self.layout.column(m.NODE_CODE)
        if deepest >= 0 or (code_col is not None and own_cells[code_col]):
            home = self._path(row, own_cells, stack)
        else:  # under a group row (①…): that group's node
            home = stack[-1][1] if stack else None
        for c in found:
            if home is None:
                self.warn(
                    grid.address(row, c),
                    f"{excerpt(grid.filled(row, c))} in a row of no indicator and no node: not read",
                    f"{excerpt(grid.filled(row, c))}は指標も施策もない行にあります：読み込みません",
                )
            else:
                self.own.append(_Own(("node", home), c, grid.filled(row, c), grid.address(row, c)))
        return True

    def _group(self, row: int, stack: list[tuple[int, str]]) -> list[tuple[int, str]]:
        h = self.layout.groups[row]
        level = self.group_level.get(h.style, len(self.group_level))
        stack = [(lv, code) for lv, code in stack if lv < level]
        parent = stack[-1][1] if stack else None
        where = self.grid.address(row, next(c for c, t in enumerate(self.grid.rows[row]) if t))
        code = self._node(parent, h.number, h.name, where)
        return [*stack, (level, code)]

    def _node(self, parent: str | None, number: str, name: str, where: str, *, named: bool = True) -> str:
        """A node under ``parent``: its code from its number (or its position), registered once."""
        if not number:
            same = next((n for n in self.nodes.values() if n.parent == parent and n.name == name), None)
            if same is not None:
                return same.code
            number = str(sum(1 for n in self.nodes.values() if n.parent == parent) + 1)
            shown = ""
        else:
            shown = number
        code = child_code(parent, number)
        found = self.nodes.get(code)
        if found is None:
            name = name[:MAX_NAME] if name else name
            self.nodes[code] = _Node(code, name, parent, shown, where, named=named and bool(name))
        elif name and not found.named:
            found.name, found.named = name, True
        elif name and found.name != name:
            self.warn(
                where,
                f"node {code} is named {excerpt(found.name)} at {found.where}: that name is kept",
                f"{code}は{found.where}で{excerpt(found.name)}と名付けられています：そちらの名前を使います",
            )
        return code

    def _path(self, row: int, cells: dict[int, str], stack: list[tuple[int, str]]) -> str | None:
        """The indicator's node: under the group rows, the level columns' or the node code's."""
        parent = stack[-1][1] if stack else None
        for col, _column in sorted(self.layout.of_role(m.LEVEL), key=lambda x: (x[1].level or 0, x[0])):
            text = cells[col]
            if not text:
                continue
            h = heading(text)
            number, name = (h.number, h.name or text) if h is not None else ("", text)
            parent = self._node(parent, number, name, self.grid.address(row, col))
        code_col = self.layout.column(m.NODE_CODE)
        if code_col is not None and cells[code_col]:
            widths = self.layout.columns[code_col].widths
            name_col = self.layout.column(m.NODE_NAME)
            parts = code_parts(cells[code_col], widths)
            for k, part in enumerate(parts):
                code = code_safe(part)
                name = ""  # the table's name for the node its code names; else the mapping's (nodes:)
                if k == len(parts) - 1 and name_col is not None and cells[name_col]:
                    name = cells[name_col]
                name = name or self.mapping.nodes.get(code, "")
                where = self.grid.address(row, code_col)
                if code not in self.nodes:
                    self.nodes[code] = _Node(code, name[:MAX_NAME], parent, code, where, named=bool(name))
                elif name and not self.nodes[code].named:
                    self.nodes[code].name, self.nodes[code].named = name[:MAX_NAME], True
                parent = code
        return parent

    def _row(self, row: int, cells: dict[int, str], name_text: str, home: str | None) -> None:
        grid, layout = self.grid, self.layout
        name, marks, unit_in_name, reference = _clean_name(name_text)
        key = (home, name)
        ind = self.indicators.get(key)
        if ind is None:
            ind = self.indicators[key] = _Indicator(
                name=name, node=home, first=grid.address(row, self.name_col)
            )
        ind.marks |= marks
        ind.reference = ind.reference or reference
        if unit_in_name and not ind.unit:
            ind.unit, ind.unit_from = unit_in_name, "name"
        series = ""
        row_fy: int | None = None
        row_period = domain.FISCAL_YEAR
        baseline_fy = target_fy = None
        row_kind = kind_of(cells[self.kind_col]) if self.kind_col is not None else None
        if self.kind_col is not None and cells[self.kind_col] and row_kind is None:
            self.warn(
                grid.address(row, self.kind_col),
                f"{excerpt(cells[self.kind_col])} is no kind of figure (目標, 実績, 見込 …): the row is read as actuals",
                f"{excerpt(cells[self.kind_col])}は数値の種別（目標、実績、見込など）ではありません：実績として読み込みます",
            )
        for col, column in layout.columns.items():
            text = cells[col]
            if not text or column.is_figure:
                continue
            role = column.role
            where = (
                grid.address(row, col)
                if role in (m.UNIT, m.CATEGORY, m.TYPE, m.DIRECTION, m.FY, m.BASELINE_FY, m.TARGET_FY)
                else ""
            )
            if role == m.UNIT and not ind.unit_from.startswith("column"):
                unit, per = _unit(text)
                if len(unit) > MAX_UNIT:
                    self.warn(
                        where,
                        f"a unit of {len(unit)} characters (at most {MAX_UNIT}): not read",
                        f"単位が{len(unit)}文字あります（{MAX_UNIT}文字まで）：読み込みません",
                    )
                else:
                    ind.unit, ind.unit_from = unit or None, "column"
                    ind.per = ind.per or per
            elif role == m.CODE and not ind.code_cell:
                ind.code_cell = text
            elif role == m.CATEGORY and not ind.category:
                if len(text) > MAX_CATEGORY:
                    self.warn(
                        where,
                        f"a category of {len(text)} characters (at most {MAX_CATEGORY}): not read",
                        f"分類が{len(text)}文字あります（{MAX_CATEGORY}文字まで）：読み込みません",
                    )
                else:
                    ind.category = text
            elif role == m.TYPE and ind.type is None:
                ind.type = _TYPES.get(norm(text).upper(), _TYPES.get(norm(text)))
                if ind.type is None:
                    self.warn(
                        where,
                        f"{excerpt(text)} is no type of indicator (KGI, KPI, 成果指標, 活動指標): not read",
                        f"{excerpt(text)}は指標の種類（KGI、KPI、成果指標、活動指標）ではありません：読み込みません",
                    )
            elif role == m.DEPARTMENT and ind.department is None:
                ind.department = self._department(text)
            elif role in (
                m.DEFINITION,
                m.CALCULATION,
                m.DATA_SOURCE,
                m.NOTE,
                m.CONFIRMED_WHEN,
                m.TARGET_RATIONALE,
                m.SELECTION_RATIONALE,
            ):
                attribute = role if role != m.NOTE else "note"
                if not getattr(ind, attribute):
                    setattr(ind, attribute, text)
            elif role == m.DIRECTION and ind.direction is None:
                ind.direction = next((d for word, d in _DIRECTIONS.items() if word in norm(text)), None)
                if ind.direction is None and "維持" not in text:
                    self.warn(
                        where,
                        f"{excerpt(text)} says no direction (↑, ↓, 増加, 減少): not read",
                        f"{excerpt(text)}から方向（↑、↓、増加、減少）が読み取れません：読み込みません",
                    )
            elif role == m.SERIES:
                series = text.strip()
                if series not in ind.series:
                    ind.series.append(series)
            elif role in (m.FY, m.BASELINE_FY, m.TARGET_FY):
                when = _year_of(text)
                if when is None:
                    self.warn(
                        where, f"{excerpt(text)} is not a year", f"{excerpt(text)}は年度として読めません"
                    )
                elif role == m.FY:
                    row_fy, row_period = when
                elif role == m.BASELINE_FY:
                    baseline_fy = when[0]
                else:
                    target_fy = when[0]
        for col in self.own_cols:
            text = grid.filled(row, col)
            if not text:
                continue
            if layout.columns[col].role == m.RATING:
                self.own.append(_Own(("indicator", key), col, text, grid.address(row, col), row_fy))
            elif home is None:
                self.warn(
                    grid.address(row, col),
                    f"a cost ({excerpt(text)}) in a row of no node: not read (a cost is a node's)",
                    f"施策のない行の事業費（{excerpt(text)}）です：読み込みません（事業費は施策のものです）",
                )
            else:
                self.own.append(_Own(("node", home), col, text, grid.address(row, col), row_fy))
        if layout.mapping.layout == m.LONG and row_fy is None:
            if any(grid.text(row, c) for c, col in layout.columns.items() if col.is_figure):
                self.warn(
                    grid.address(row, layout.column(m.FY)),
                    "a row with no year: not read",
                    "年度のない行です：読み込みません",
                )
            return
        for col, column in sorted(layout.columns.items()):
            if not column.is_figure or (row, col) in grid.problems:
                continue
            text = grid.text(row, col)
            if not text:
                continue
            where = grid.address(row, col)
            if len(text) > MAX_SOURCE_TEXT:
                self.warn(
                    where,
                    f"a figure of {len(text):,} characters (at most {MAX_SOURCE_TEXT}): not read",
                    f"数値のセルが{len(text):,}文字あります（{MAX_SOURCE_TEXT}文字まで）：読み込みません",
                )
                continue
            context = (row_kind, row_fy, row_period, baseline_fy, target_fy, series)
            if column.role == m.BASELINE_TARGET:
                halves = split_arrow(text)
                if halves is None:
                    self.warn(
                        where,
                        f"{excerpt(text)} has no arrow (現状 → 目標): not read",
                        f"{excerpt(text)}に矢印（現状 → 目標）がありません：読み込みません",
                    )
                    continue
                self._fig(ind, column, m.BASELINE, halves[0], text, where, context)
                self._fig(ind, column, m.TARGET, halves[1], text, where, context)
            else:
                self._fig(ind, column, column.role, text, text, where, context)

    def _department(self, name: str) -> str:
        if name not in self.departments:
            code = f"dept-{len(self.departments) + 1}"
            while code in self.departments.values():
                code += "x"
            self.departments[name] = code
            self.guesses.append(
                MappingGuess(
                    f"departments.{name}",
                    code,
                    f"担当課「{name}」のコードを仮に {code} とした",
                    f"department {name!r} given the code {code} (rename it in departments)",
                )
            )
        return self.departments[name]

    def _fig(
        self, ind: _Indicator, column: m.Column, role: str, text: str, source: str, where: str, context
    ) -> None:
        row_kind, row_fy, row_period, baseline_fy, target_fy, series = context
        try:
            cell = parse_cell(text)
        except MachiplanError as exc:
            self.warn(
                where,
                f"cannot read {excerpt(text)} as a figure ({exc.message}): not read",
                f"{excerpt(text)}は数値として読めません（{exc.message}）：読み込みません",
            )
            return
        if cell.doubt:
            read = f"{cell.value} {cell.unit or ''}".rstrip()
            self.warn(where, f"{cell.doubt}: {read} (check it)", f"{cell.doubt_ja}：{read}（ご確認ください）")
        yearly = column.fy is not None or self.mapping.layout == m.LONG
        what, kind = _what(role, row_kind if role == m.VALUE else None, column, self.baseline_rows, yearly)
        if (
            what == "target"
            and kind == domain.FINAL
            and yearly
            and column.fy is None
            and column.role != m.BASELINE_TARGET
        ):
            kind = domain.ANNUAL  # a long table's target row: that year's target
        for mark in re.findall(r"[※*＊]([0-9]*)", cell.note):
            ind.marks.add(mark)
        if what == "obs" and kind in (domain.ACTUAL, domain.INTERIM) and cell.forecast:
            kind = domain.FORECAST
        if what == "obs" and kind == domain.ACTUAL and cell.interim:
            kind = domain.INTERIM
        if what == "obs":
            kind = {PENDING: domain.PENDING, NONE: domain.NONE}.get(cell.kind, kind)
        fy, period = column.fy, column.period
        if cell.when is not None:
            if (
                fy is not None
                and cell.when.fy != fy
                and not (what == "target" and column.target == domain.FINAL)
            ):
                self.warn(
                    where,
                    f"the cell says FY{cell.when.fy}, its column FY{fy}: read as the cell says",
                    f"セルは{cell.when.fy}年度、列は{fy}年度です：セルのとおり読み込みます",
                )
            fy, period = cell.when.fy, cell.when.period
        if fy is None:
            if row_fy is not None:
                fy, period = row_fy, row_period
            elif what == "baseline" and baseline_fy is not None:
                fy = baseline_fy
            elif what == "target" and target_fy is not None and kind == domain.FINAL:
                fy = target_fy
        if fy is None and what == "obs":
            if cell.kind in (VALUE, TEXT):
                self.warn(
                    where,
                    f"{excerpt(text)} says no year, nor does its column: not read",
                    f"{excerpt(text)}にも列の見出しにも年度がありません：読み込みません",
                )
            return  # '―' or 今後調査 of no year says nothing
        as_of = cell.when.as_of if cell.when is not None and (cell.when.dated or cell.when.end) else None
        if as_of is None and what == "obs" and kind == domain.INTERIM:
            as_of = column.as_of
        note = _join(cell.note, cell.doubt)
        if cell.operator and what != "target":
            note = "; ".join(
                x
                for x in (note, {"at_least": "以上", "at_most": "以下", "maintain": "維持"}[cell.operator])
                if x
            )
        if cell.per:
            ind.per = ind.per or cell.per
        ind.figs.append(
            _Fig(
                what,
                kind,
                fy,
                period,
                cell,
                source[:MAX_SOURCE_TEXT],
                where,
                as_of,
                cell.unit or column.unit,
                note,
                series,
            )
        )

    # --- the plan -----------------------------------------------------------------------------

    def plan(self) -> tuple[domain.Plan, list[tuple[str, Guess]], m.Mapping]:
        start, end = self._period()
        codes = self._codes()
        indicators: list[domain.Indicator] = []
        guesses: list[tuple[str, Guess]] = []
        fixes: list[m.IndicatorFix] = []
        names = Counter(i.name for i in self.indicators.values())
        for ind in self.indicators.values():
            code = codes[id(ind)]
            fix = self.mapping.fix(ind.name, ind.node)
            built, said = self._indicator(ind, code, fix, start, end)
            indicators.append(built)
            guesses += [(code, g) for g in said]
            fixes.append(m.IndicatorFix(
                name=ind.name, node=ind.node if names[ind.name] > 1 else None, code=code,
                type=fix.type if fix else None, unit=fix.unit if fix else None,
                measure=built.measure, survey=built.survey, direction=built.direction,
                reference=fix.reference if fix else None,
            ))  # fmt: skip
        if not indicators:
            raise MachiplanError("no indicator in the table (no row has a name)", where=self.grid.where)
        description = self._notes(indicators)
        nodes = self._nodes()
        by_key = {key: codes[id(ind)] for key, ind in self.indicators.items()}
        scales, ratings, costs = self._own_facts(by_key)
        indicators = [replace(i, ratings=tuple(ratings.get(("indicator", i.code), ()))) for i in indicators]
        nodes = [
            replace(
                n,
                ratings=tuple(ratings.get(("node", n.code), ())),
                costs=tuple(costs.get(("node", n.code), ())),
            )
            for n in nodes
        ]
        depth = max((self._depth(n.code) for n in nodes), default=-1) + 1
        levels = list(self.mapping.levels)
        while len(levels) < depth:
            levels.append(f"第{len(levels) + 1}階層")
        title = (self.facts.title or self.layout.title or self._sheet_title())[:MAX_TITLE]
        municipality = self.facts.municipality or self._municipality(title)
        if self.facts.municipality_code is None:
            self.warn(
                self.grid.file,
                "the municipality's code (全国地方公共団体コード) is not in the table: 000000 until given (--municipality-code)",
                "表に団体コード（全国地方公共団体コード）がありません：指定されるまで000000とします（--municipality-code）",
            )
        code = self.facts.code or _code_from(self.grid.file)
        latest = max((o.fy for i in indicators for o in i.observations), default=start)
        evaluation_fy = None
        if latest < start:  # every figure is before the plan: judged in its first year
            evaluation_fy = start
            self.guesses.append(MappingGuess(
                "plan.evaluation_fy", str(start), f"表の最後の年度（{latest}年度）が計画の前: 計画の初年度で評価",
                f"the table's last year (FY{latest}) is before the plan: judged in its first year",
            ))  # fmt: skip
        plan = domain.Plan(
            code=code,
            title=title,
            municipality=domain.Municipality(municipality, self.facts.municipality_code or "000000"),
            start_fy=start,
            end_fy=end,
            evaluation_fy=evaluation_fy,
            levels=tuple(domain.Level(name) for name in levels),
            nodes=tuple(nodes),
            indicators=tuple(indicators),
            departments=tuple(
                domain.Department(c, n)
                for n, c in self.departments.items()
                if c in {i.department for i in indicators}
            ),
            description=description,
            rating_scales=scales,
            costs=tuple(costs.get(("plan", None), ())),
            sources=(
                domain.Source(
                    title=self.grid.file, note=f"sheet {self.grid.sheet}" if self.grid.sheet else ""
                ),
            ),
        )
        completed = replace(
            self.mapping,
            plan=m.PlanFacts(code, title, municipality, self.facts.municipality_code, start, end),
            levels=tuple(levels),
            indicators=tuple(fixes),
            nodes={
                n.code: n.name for n in nodes if not self.nodes[n.code].named or n.code in self.mapping.nodes
            },
            departments={n: c for n, c in self.departments.items()},
        )
        return plan, guesses, completed

    def _own_facts(
        self, codes: dict[tuple, str]
    ) -> tuple[
        tuple[domain.RatingScale, ...], dict[tuple, list[domain.Rating]], dict[tuple, list[domain.Cost]]
    ]:
        """The grade and cost cells read: each of its column's year (its header's or the mapping's, a long
        table's row's, the year the table states, else its latest actual column's), the grades making
        a scale per column name, their labels from the table's legend (※評価 A：目標達成 …)."""
        ratings: dict[tuple, list[domain.Rating]] = {}
        costs: dict[tuple, list[domain.Cost]] = {}
        grades: dict[str, list[str]] = {}  # scale key -> its grades, as first seen
        names: dict[str, str] = {}
        applies: dict[str, set[str]] = {}
        said: set[int] = set()
        for item in self.own:
            column = self.layout.columns[item.col]
            holder = ("indicator", codes[item.holder[1]]) if item.holder[0] == "indicator" else item.holder
            if column.role == m.RATING:
                code = own.grade_of(item.text)
                if code is None:
                    continue
                if len(code) > own.MAX_GRADE or re.fullmatch(r"[\d.,%]+", code):
                    self.warn(
                        item.where,
                        f"{excerpt(item.text)} is not a grade (a mark like A, ◎ or a few words): not read",
                        f"{excerpt(item.text)}は評価（A、◎などの記号や短い語）ではありません：読み込みません",
                    )
                    continue
                fy = self._own_year(item, column, said)
                if fy is None:
                    continue
                key = own.scale_key(column)
                grades.setdefault(key, []).append(code)
                names.setdefault(key, own.scale_name(column))
                applies.setdefault(key, set()).add("indicator" if holder[0] == "indicator" else "node")
                held = next((r for r in ratings.get(holder, ()) if r.fy == fy and r.scale == key), None)
                if held is not None:
                    if held.grade != code:
                        self.warn(
                            item.where,
                            f"a second grade for FY{fy} ({code}; {held.grade} at {held.source}): not read",
                            f"{fy}年度の評価が二つあります（{code}。{held.source}は{held.grade}）：読み込みません",
                        )
                    continue
                ratings.setdefault(holder, []).append(
                    domain.Rating(fy=fy, scale=key, grade=code, source=item.where)
                )
                continue
            try:
                cell = parse_cell(item.text)
            except MachiplanError as exc:
                self.warn(
                    item.where,
                    f"cannot read {excerpt(item.text)} as a cost ({exc.message}): not read",
                    f"{excerpt(item.text)}は事業費として読めません（{exc.message}）：読み込みません",
                )
                continue
            if cell.kind in (NONE, PENDING):
                continue
            amount = own.cost_amount(cell, own.cost_unit(column, self.mapping.unit))
            if amount is None:
                unit = "" if cell.kind == VALUE else "a figure and "
                self.warn(
                    item.where,
                    f"{excerpt(item.text)}: a cost needs {unit}its unit (円, 千円, 百万円): not read; give the "
                    f"column's unit in the mapping (unit: 千円)",
                    f"{excerpt(item.text)}：事業費の{'数値と' if unit else ''}単位（円、千円、百万円）が分かりません："
                    "読み込みません（対応表の列に unit: 千円 のように指定してください）",
                )
                continue
            fy = self._own_year(item, column, said)
            if fy is None:
                continue
            cost = domain.Cost(
                start_fy=fy, end_fy=fy, basis=column.basis or domain.SPENT, amount=amount[0], unit=amount[1],
                label=(column.label or column.header)[: limits.COST["label"]], source_text=item.text[:MAX_SOURCE_TEXT],
                source=item.where,
            )  # fmt: skip
            held = next(
                (
                    c
                    for c in costs.get(holder, ())
                    if (c.start_fy, c.basis, c.label) == (fy, cost.basis, cost.label)
                ),
                None,
            )
            if held is not None:  # the node's cost again on its next indicator's row (a merged cell)
                if held.yen(held.amount) != cost.yen(cost.amount):
                    self.warn(
                        item.where,
                        f"a second {cost.label} of node {holder[1]} for FY{fy} (the first is at {held.source}): not read",
                        f"{holder[1]}の{fy}年度の{cost.label}が二つあります（一つ目は{held.source}）：読み込みません",
                    )
                continue
            costs.setdefault(holder, []).append(cost)
        meanings = own.legend([*self.layout.above, *(" ".join(self.grid.rows[r]) for r in self.layout.notes)])
        scales = []
        for key, found in grades.items():
            # the legend's grades (in its order) when it is this scale's, then the grades as first seen
            codes_ = own.ordered([*meanings, *found] if set(found) & set(meanings) else found)
            where = "both" if len(applies[key]) > 1 else next(iter(applies[key]))
            scales.append(domain.RatingScale(
                key=key, name=names[key][: limits.RATING_SCALE["name"]], applies_to=where,
                grades=tuple(domain.Grade(code=c, label=meanings.get(c, "")) for c in codes_),
            ))  # fmt: skip
        return tuple(scales), ratings, costs

    def _own_year(self, item: _Own, column: m.Column, said: set[int]) -> int | None:
        """A grade's or a cost's year: its column's (header or mapping), its row's, the table's own
        (its title's 令和４年度), else the table's latest actual column's; none is an error."""
        if column.fy is not None:
            return column.fy
        if item.row_fy is not None:
            return item.row_fy
        stated = own.stated_year([*self.layout.above, self.grid.sheet or ""])
        latest = max(
            (
                c.fy
                for c in self.layout.columns.values()
                if c.fy is not None
                and (c.role in (m.ACTUAL, m.INTERIM) or (c.role == m.VALUE and self.kind_col is None))
            ),
            default=None,
        )
        if stated is not None:
            fy, why = stated[0], (f"表題「{stated[1]}」の年度", f"the year the table states: '{stated[1]}'")
        elif latest is not None:
            fy, why = latest, ("最新の実績の列の年度", "the year of the table's latest actual column")
        else:
            what = "grades" if column.role == m.RATING else "costs"
            message = (
                f"column {column.column} ({column.header or column.role}) holds the city's {what}, but the table names "
                f"no year for them (not in the header, the title or an actual column): give it in the mapping "
                f"(--suggest-mapping, then fy: on that column: {{column: {column.column}, role: {column.role}, fy: 2022}})"
            )
            if not self.suggesting:
                raise MachiplanError(message, where=item.where)
            if item.col not in said:
                said.add(item.col)
                self.warn(
                    item.where,
                    message.replace(
                        "give it in the mapping (--suggest-mapping, then",
                        "not read: give it in this mapping (",
                    ),
                    f"{column.column}列（{column.header or column.role}）の{'評価' if column.role == m.RATING else '事業費'}の"
                    f"年度が表にありません：読み込みません（この対応表のその列に fy: 2022 のように年度を指定してください）",
                )
            return None
        if item.col not in said:
            said.add(item.col)
            self.guesses.append(MappingGuess(
                f"column {column.column}", f"FY{fy}", *why, header=column.header,
            ))  # fmt: skip
        return fy

    def _sheet_title(self) -> str:
        sheet = self.grid.sheet
        if sheet and not re.fullmatch(r"(?i)sheet\s*\d*|シート\d*", sheet):
            return sheet
        return Path(self.grid.file).stem

    def _municipality(self, title: str) -> str:
        for text in (title, *self.layout.above, self.grid.sheet or "", Path(self.grid.file).stem):
            found = _MUNICIPALITY_RE.match(_LEADING_RE.sub("", text.strip()))
            if found:
                self.guesses.append(
                    MappingGuess(
                        "plan.municipality", found.group(1), f"表題「{text}」から", f"from the title {text!r}"
                    )
                )
                return found.group(1)
        self.warn(
            self.grid.file,
            "the municipality is not named in the table (give --municipality)",
            "表に団体名がありません（--municipality で指定してください）",
        )
        return "不明"

    def _period(self) -> tuple[int, int]:
        actual_years = [
            f.fy
            for i in self.indicators.values()
            for f in i.figs
            if f.what == "obs" and f.fy is not None and f.kind != domain.NONE
        ]
        baseline_years = [
            f.fy
            for i in self.indicators.values()
            for f in i.figs
            if f.what == "baseline" and f.fy is not None
        ]
        target_years = [
            f.fy
            for i in self.indicators.values()
            for f in i.figs
            if f.what == "target" and f.fy is not None and f.kind == domain.FINAL
        ]
        every = (
            actual_years
            + baseline_years
            + target_years
            + [f.fy for i in self.indicators.values() for f in i.figs if f.fy is not None]
        )
        start, end = self.facts.start_fy, self.facts.end_fy
        span = _span_years(self.layout)
        by_year = (
            any(c.is_figure and c.fy is not None for c in self.layout.columns.values())
            or self.mapping.layout == m.LONG
        )
        if start is None:
            if actual_years and (by_year or not baseline_years):
                start, why = min(actual_years), ("最初の実績の年度", "the first year with a figure")
            elif baseline_years:
                start, why = (
                    max(baseline_years) + 1,
                    ("基準値の年度の翌年度", "the year after the baselines'"),
                )
            elif end is not None or target_years:
                start = (end or max(target_years)) - (span or 5) + 1
                why = (f"目標年度の{span or 5}年前から", f"{span or 5} years up to the target year")
            else:
                raise MachiplanError(
                    "the table names no year: give --start-fy and --end-fy", where=self.grid.where
                )
            self.guesses.append(MappingGuess("plan.start_fy", str(start), *why))
        if end is None:
            if target_years:
                end, why = max(target_years), ("最終目標の年度", "the final targets' year")
            elif span:
                end, why = start + span - 1, (f"{span}ヵ年の計画", f"a plan of {span} years")
            else:
                end, why = max([start, *every]), ("表の最後の年度", "the last year in the table")
            self.guesses.append(MappingGuess("plan.end_fy", str(end), *why))
        if end < start:
            raise MachiplanError(
                f"the plan ends (FY{end}) before it starts (FY{start}): give --start-fy and --end-fy",
                where=self.grid.where,
            )
        return start, end

    def _codes(self) -> dict[int, str]:
        """Each indicator's code: the mapping's, the table's own (指標番号) when unique, else made from
        its node's code and its place there."""
        found: dict[int, str] = {}
        taken: set[str] = set()
        for ind in self.indicators.values():
            fix = self.mapping.fix(ind.name, ind.node)
            if fix is not None and fix.code:
                found[id(ind)] = fix.code
                taken.add(fix.code)
        own = [_slug(i.code_cell) for i in self.indicators.values()]
        unique = all(own) and len(set(own)) == len(own)
        counts: dict[str | None, int] = {}
        for ind, slug in zip(self.indicators.values(), own, strict=True):
            counts[ind.node] = counts.get(ind.node, 0) + 1
            if id(ind) in found:
                continue
            if unique and slug and slug not in taken:
                code = slug
            elif slug and ind.node and (joined := _slug(f"{ind.node}-{ind.code_cell}")):
                code = joined
            else:
                base = _slug(ind.node or "") or "i"
                code = f"{base}-{counts[ind.node]}" if ind.node else f"i{len(found) + 1}"
            while code in taken:
                code += "x" if len(code) < 64 else ""
                if len(code) >= 64:
                    code = f"i{len(found) + 1}-{len(taken)}"
            found[id(ind)] = code
            taken.add(code)
        return found

    @staticmethod
    def _summed_from(f: _Fig, ind: _Indicator, start: int, end: int) -> int | None:
        """The first year of a target summed over a period: the cell's (H26-30計), or for '累計
        500人' the plan's first year (a running total since before the plan, named so, excepted)."""
        return summed_since(
            f.cell.period_start_fy, f.cell.summed, ind.name, start, f.fy if f.fy is not None else end
        )

    def _indicator(
        self, ind: _Indicator, code: str, fix: m.IndicatorFix | None, start: int, end: int
    ) -> tuple[domain.Indicator, list[Guess]]:
        unit = (fix.unit if fix and fix.unit else None) or ind.unit or self.mapping.unit
        if unit is None:
            unit = next((f.unit for f in ind.figs if f.unit), None)
        # a state indicator (なし → 設置) states every figure in words
        numeric = any(f.cell.kind == VALUE for f in ind.figs)
        state = not numeric and any(f.what == "obs" and f.cell.kind == TEXT for f in ind.figs)
        observations: dict[tuple[str, int], domain.Observation] = {}
        targets: list[domain.Target] = []
        baselines: list[domain.Baseline] = []
        finals: set[str] = set()
        for f in ind.figs:
            value, note = self._value(f, unit)
            if value is None and f.cell.kind == VALUE:
                continue
            if f.what == "obs":
                if f.cell.kind == TEXT and not state:
                    self.warn(
                        f.where,
                        f"{excerpt(f.text)} is not a figure: not read",
                        f"{excerpt(f.text)}は数値ではありません：読み込みません",
                    )
                    continue
                obs = domain.Observation(
                    fy=f.fy, kind=f.kind, value=value if f.kind in domain.VALUE_KINDS else None,
                    as_of=f.as_of if f.kind in domain.VALUE_KINDS else None, approximate=f.cell.approximate,  # type: ignore[arg-type]
                    breakdown=f.cell.breakdown if value is not None and f.cell.breakdown else (), source_text=f.text,
                    note=note, source=f.where, series=f.series, period=f.period,
                    text=f.cell.text if f.cell.kind == TEXT else "",
                )  # fmt: skip
                key = (f.series, f.fy)
                held = observations.get(key)
                if held is None or _OBS_ORDER[obs.kind] < _OBS_ORDER[held.kind]:
                    if held is not None and held.kind in domain.VALUE_KINDS:
                        obs = replace(obs, note=_join(obs.note, _aside(held)))
                    observations[key] = obs
                elif obs.kind in domain.VALUE_KINDS:
                    if obs.kind == held.kind:  # the same indicator twice, or two columns of one year
                        self.warn(
                            f.where,
                            f"a second figure for {code} FY{f.fy} (the first is {held.source}): kept in its note",
                            f"{code}の{f.fy}年度の数値が二つあります（一つ目は{held.source}）：備考に残します",
                        )
                    observations[key] = replace(held, note=_join(held.note, _aside(obs)))
            elif f.what == "target":
                if f.cell.kind in (PENDING, NONE):
                    continue
                kind = f.kind
                if kind == domain.FINAL and f.series in finals:
                    self.warn(
                        f.where,
                        f"a second final target for {code}: not read (the first is kept)",
                        f"{code}の最終目標が二つあります：二つ目は読み込みません（一つ目を使います）",
                    )
                    continue
                if kind == domain.ANNUAL and any(
                    t.kind == kind and t.fy == f.fy and t.series == f.series for t in targets
                ):
                    self.warn(
                        f.where,
                        f"a second target for FY{f.fy}: not read",
                        f"{f.fy}年度の目標が二つあります：二つ目は読み込みません",
                    )
                    continue
                if kind == domain.FINAL:
                    finals.add(f.series)
                targets.append(domain.Target(
                    horizon=domain.PLAN_HORIZON, fy=f.fy if f.fy is not None else end, value=value,
                    period_start_fy=self._summed_from(f, ind, start, end), approximate=f.cell.approximate, source_text=f.text,
                    source=f.where, series=f.series, kind=kind, operator=f.cell.operator,
                    text=f.cell.text if f.cell.kind == TEXT else "", year_stated=f.fy is not None, note=note,
                ))  # fmt: skip
            else:
                if f.cell.kind == PENDING:
                    continue
                if any(b.label == f.kind and b.series == f.series for b in baselines):
                    self.warn(
                        f.where,
                        f"a second {f.kind} for {code}: not read",
                        f"{code}の{f.kind}が二つあります：二つ目は読み込みません",
                    )
                    continue
                baselines.append(domain.Baseline(
                    fy=f.fy if f.cell.kind != NONE else None, value=value, label=f.kind, series=f.series,
                    approximate=f.cell.approximate, period=f.period, as_of=f.as_of,  # type: ignore[arg-type]
                    text=f.cell.text if f.cell.kind == TEXT else "", source_text=f.text, note=note, source=f.where,
                ))  # fmt: skip
        for series in dict.fromkeys(
            t.series for t in targets if t.series not in finals
        ):  # in the table's order
            annual = [t for t in targets if t.series == series and t.kind == domain.ANNUAL]
            if annual:  # the last year's target is the plan's target
                targets.append(replace(max(annual, key=lambda t: t.fy), kind=domain.FINAL))
        said = guess_indicator(ind.name, unit, (t.operator for t in targets))
        values = {g.field: g.value for g in said}
        if ind.direction is not None:
            values["direction"] = ind.direction
        shown = [g for g in said if not (g.field == "direction" and ind.direction is not None)]
        if fix is not None:
            for name in ("measure", "survey", "direction"):
                if getattr(fix, name) is not None:
                    values[name] = getattr(fix, name)
                    shown = [g for g in shown if g.field != name]
        obs = sorted(observations.values(), key=lambda o: (o.series, o.fy))
        indicator = domain.Indicator(
            code=code,
            name=ind.name,
            nodes=(ind.node,) if ind.node else (),
            category=ind.category,
            type=(fix.type if fix and fix.type else ind.type),
            unit=unit,
            per=ind.per,
            direction=str(values["direction"]),
            measure=str(values["measure"]),
            value_type=domain.STATE if state else domain.NUMBER,
            survey=bool(values["survey"]),
            reference=fix.reference if fix and fix.reference is not None else ind.reference,
            note=ind.note or None,
            department=ind.department,
            definition=ind.definition,
            calculation=ind.calculation,
            data_source=ind.data_source,
            confirmed_when=ind.confirmed_when,
            target_rationale=ind.target_rationale,
            selection_rationale=ind.selection_rationale,
            series=tuple(s for s in ind.series if s),
            baselines=tuple(baselines),
            observations=tuple(obs),
            targets=tuple(targets),
        )
        return indicator, shown

    def _value(self, f: _Fig, unit: str | None) -> tuple[Decimal | None, str]:
        value, note = f.cell.value, f.note
        if value is None or not f.unit or unit is None or norm(f.unit) == norm(unit):
            return value, note
        factor = unit_factor(norm(f.unit), norm(unit))
        if factor is not None:
            return (value * factor).normalize() if factor != 1 else value, note
        self.warn(
            f.where,
            f"the unit {f.unit} differs from the indicator's ({unit}): kept as written (check it)",
            f"単位{f.unit}が指標の単位（{unit}）と異なります：記載のまま読み込みます（ご確認ください）",
        )
        return value, _join(note, f"単位: {f.unit}")

    def _notes(self, indicators: list[domain.Indicator]) -> str:
        """Notes below the table: a note marked ※1 goes to the indicators marked ※1, a note naming an
        indicator to that indicator, the rest to the plan's description."""
        rest: list[str] = []
        by_code = {i.code: n for n, i in enumerate(indicators)}
        drafts = {built.code: ind for ind, built in zip(self.indicators.values(), indicators, strict=True)}
        for row in self.layout.notes:
            text = " ".join(t for t in self.grid.rows[row] if t)
            mark = _NOTE_MARK_RE.match(text)
            placed = False
            if mark:
                key = norm(mark.group(1))
                for code, ind in drafts.items():
                    if key in ind.marks or (not key and "" in ind.marks):
                        n = by_code[code]
                        indicators[n] = replace(
                            indicators[n], note=_join(indicators[n].note or "", text, "\n")
                        )
                        placed = True
            if not placed:
                for n, ind in enumerate(indicators):
                    if len(ind.name) >= 4 and ind.name in text:
                        indicators[n] = replace(ind, note=_join(ind.note or "", text, "\n"))
                        placed = True
            if not placed:
                rest.append(text)
        return "\n".join(rest)

    def _nodes(self) -> list[domain.Node]:
        found = []
        for node in self.nodes.values():
            name = node.name
            if not node.named:
                name = (
                    self.mapping.nodes.get(node.code) or f"{self._level_name(node)}{node.number or node.code}"
                )
                if node.code not in self.mapping.nodes:
                    self.guesses.append(
                        MappingGuess(
                            f"nodes.{node.code}",
                            name,
                            "表に名前がないため、階層名と番号で仮に名付けた",
                            "the table does not name it: named after its level and code (name it in nodes)",
                        )
                    )
            found.append(
                domain.Node(
                    code=node.code,
                    name=name,
                    parent=node.parent,
                    number=node.number if node.number != node.code else "",
                )
            )
        return found

    def _level_name(self, node: _Node) -> str:
        depth = self._depth(node.code)
        return self.mapping.levels[depth] if depth < len(self.mapping.levels) else ""

    def _depth(self, code: str) -> int:
        depth, node = 0, self.nodes.get(code)
        while node is not None and node.parent is not None and depth < 100:
            depth, node = depth + 1, self.nodes.get(node.parent)
        return depth


def _what(
    role: str, row_kind: str | None, column: m.Column, baseline_rows: bool, yearly: bool
) -> tuple[str, str]:
    """(obs | target | baseline, its kind) of a figure cell."""
    if role == m.VALUE and row_kind is not None:
        role = {
            m.TARGET: m.TARGET, "midterm": m.TARGET, m.BASELINE: m.BASELINE, m.FORECAST: m.FORECAST,
            m.INTERIM: m.INTERIM, m.ACTUAL: m.ACTUAL, "current": m.ACTUAL if baseline_rows else m.BASELINE,
        }.get(row_kind, m.ACTUAL)  # fmt: skip
        if row_kind == "midterm":
            return "target", domain.MIDTERM
        if role == m.TARGET:
            return "target", domain.ANNUAL if yearly else domain.FINAL
        if role == m.BASELINE:
            return "baseline", "現状値" if row_kind == "current" else "基準値"
    if role in (m.ACTUAL, m.VALUE):
        return "obs", domain.ACTUAL
    if role == m.INTERIM:
        return "obs", domain.INTERIM
    if role == m.FORECAST:
        return "obs", domain.FORECAST
    if role == m.TARGET:
        return "target", column.target
    label = column.label or ("現状値" if column.role == m.BASELINE_TARGET else "基準値")
    return "baseline", label


def _aside(obs: domain.Observation) -> str:
    """A figure that shares its year with a stronger one, kept in the stronger one's note."""
    return f"{_KIND_WORDS.get(obs.kind, obs.kind)}: {obs.source_text} ({obs.source})"


def _join(a: str, b: str, sep: str = "; ") -> str:
    return f"{a}{sep}{b}" if a and b else a or b


def _clean_name(text: str) -> tuple[str, set[str], str | None, bool]:
    """The name without its footnote mark (※1), its unit in brackets (（人）) or a 参考 prefix."""
    name = " ".join(text.split())
    marks: set[str] = set()
    found = _MARK_RE.search(name)
    if found:
        marks.add(norm(found.group(1)))
        name = name[: found.start()].strip()
    reference = False
    found = _REFERENCE_RE.match(name)
    if found and len(name) > found.end():
        reference, name = True, name[found.end() :].strip()
    unit = unit_of(name)
    if unit:
        name = without_unit(name)
    return name, marks, unit, reference


def _unit(text: str) -> tuple[str, str | None]:
    """'人/年' -> ('人', 'year'); '％' -> ('%', None)."""
    unit = norm(text).strip("()（）[]")
    for suffix, per in (("/年度", "year"), ("/年", "year"), ("/月", "month"), ("/日", "day")):
        if unit.endswith(suffix) and len(unit) > len(suffix):
            return unit[: -len(suffix)], per
    return unit, None


def _year_of(text: str) -> tuple[int, str] | None:
    try:
        when = read_when(norm(text), bare_western=True)
    except MachiplanError:
        return None
    if when is None:
        return None
    return when.fy, domain.FISCAL_YEAR  # 令和2年 in a year column: the fiscal year, as headers are read


def _span_years(layout: Layout) -> int | None:
    """The years a plan spans when a header says so: 5ヵ年目標 -> 5."""
    for column in layout.columns.values():
        found = re.search(r"(\d{1,2})\s*(?:ヵ|か|カ|ケ|箇|ヶ)年", norm(column.header))
        if found and column.role in (m.TARGET, m.BASELINE_TARGET):
            return int(found.group(1))
    return None


def _slug(text: str) -> str:
    """A text as an indicator code: '1-1-2' stays, 'Ⅰ-2-(3)' -> 'I-2-3', 'No.12' -> 'No-12'."""
    t = norm(text)
    t = re.sub(r"[()（）]", "", t)
    t = re.sub(r"[^A-Za-z0-9_-]+", "-", t).strip("-_")
    t = re.sub(r"-{2,}", "-", t)[:64]
    return t if t and is_code(t) else ""


def _code_from(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(name).stem).strip("-_")
    return (stem or "imported-table")[:64]


def build(grid: Grid, layout: Layout, facts: m.PlanFacts, *, suggesting: bool = False) -> TableResult:
    builder = _Builder(grid, layout, facts, suggesting)
    builder.read()
    plan, guesses, completed = builder.plan()
    return TableResult(
        plan=plan,
        mapping=completed,
        layout=layout,
        warnings=tuple(builder.warnings),
        guesses=tuple(guesses),
        mapping_guesses=tuple(builder.guesses),
        encoding=grid.encoding,
    )
