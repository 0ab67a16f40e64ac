"""The mapping: which rows are the header, which column is what, how the hierarchy is written.

machiplan proposes one (detect.py); a person confirms or corrects it as a YAML file
(``import-table FILE --suggest-mapping M.yaml``, then ``--mapping M.yaml``); the plan keeps it,
so next year's sheet imports in one step. docs/import.md describes every key.

A column is found again by its header's text (by its letter when it has no header), so a
column added or moved next year does not shift the others; a column the mapping does not
know is read as its header says, and listed with what was guessed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from machiplan.domain import plan as domain
from machiplan.domain.errors import MachiplanError
from machiplan.domain.validation import CODE_RE, MUNICIPALITY_CODE_RE
from machiplan.interchange.package.document import get, known_keys, load_yaml, load_yaml_bytes, slug, year

SCHEMA = "machiplan/table-mapping@1"
YEN_UNITS = ("円", "千円", "万円", "百万円", "億円")  # a cost column's units (cells.YEN_UNITS)
WIDE, LONG = "wide", "long"
LAYOUTS = (WIDE, LONG)

# What a column can be. Structure: one value per row.
LEVEL = (
    "level"  # a level of the hierarchy (基本目標, 施策): '1 子育て日本一…' gives the node's number and name
)
NODE_CODE = (
    "node_code"  # the code of the indicator's node (1-1-2, Ⅰ-2-(3), 11102): its parts are its ancestors
)
NODE_NAME = "node_name"  # the name of the node a node_code column names (施策名)
CODE = "code"  # the indicator's own code (指標番号)
NAME = "name"  # the indicator's name (指標名) — the one required column
CATEGORY = "category"  # a label over several indicators (区分, 分類)
TYPE = "type"  # KGI / KPI / 成果指標 / 活動指標
UNIT = "unit"  # 単位
DEPARTMENT = "department"  # 担当課
DEFINITION = "definition"  # 指標の説明, 定義
CALCULATION = "calculation"  # 算出方法
DATA_SOURCE = "data_source"  # 出典
CONFIRMED_WHEN = "confirmed_when"  # 数値確定の時期
TARGET_RATIONALE = "target_rationale"  # 設定根拠, 目標設定の考え方
SELECTION_RATIONALE = "selection_rationale"  # 成果指標設定の考え方
NOTE = "note"  # 備考
DIRECTION = "direction"  # 指標の方向性: ↑ / ↓, 増加 / 減少
SERIES = "series"  # 系列: 小学6年生 / 中学3年生
KIND = "kind"  # 区分: 目標 / 実績 (a row per kind), or the kind of a long table's row
FY = "fy"  # a long table's year (年度)
BASELINE_FY = "baseline_fy"  # 基準年度: the year of the row's baseline
TARGET_FY = "target_fy"  # 目標年度: the year of the row's final target
IGNORE = "ignore"  # not read (達成率, 前年比: machiplan works them out itself)
# The city's own judgement and money, a cell each: of the row's indicator, else of the row's node.
RATING = "rating"  # 評価, 達成度, 進捗状況, 総合評価: the city's grade (A, ◎, 概ね順調) for the column's year
COST = "cost"  # 事業費, 決算額, 予算額: the node's money for the column's year (basis: planned | actual)
STRUCTURE_ROLES = (
    LEVEL, NODE_CODE, NODE_NAME, CODE, NAME, CATEGORY, TYPE, UNIT, DEPARTMENT, DEFINITION, CALCULATION,
    DATA_SOURCE, CONFIRMED_WHEN, TARGET_RATIONALE, SELECTION_RATIONALE, NOTE, DIRECTION, SERIES, KIND, FY,
    BASELINE_FY, TARGET_FY, RATING, COST, IGNORE,
)  # fmt: skip
# Figures: a cell each.
ACTUAL = "actual"  # 実績
INTERIM = "interim"  # 令和4年9月30日現在: a value so far, as of a day
FORECAST = "forecast"  # 令和4年末見込
TARGET = "target"  # 目標値, 5ヵ年目標, 令和6年度目標
BASELINE = "baseline"  # 初期値, 基準値, 現状値 (when it is the starting point)
BASELINE_TARGET = "baseline_target"  # 現状→目標 in one cell
VALUE = "value"  # a figure whose kind the row says (a kind column), else an actual
FIGURE_ROLES = (ACTUAL, INTERIM, FORECAST, TARGET, BASELINE, BASELINE_TARGET, VALUE)
ROLES = STRUCTURE_ROLES + FIGURE_ROLES
TARGET_KINDS = domain.TARGET_KINDS
MAX_MAPPING_COLUMNS = 200


@dataclass(frozen=True, slots=True)
class Column:
    """One column: where it was found, its header, and what it holds."""

    column: str  # its letter where it was found: D
    header: str  # its header's text, the header rows joined with ' ' ('' when it has none)
    role: str
    level: int | None = None  # role level: which level (0 = the top)
    fy: int | None = None  # a figure column's year; None: the cell's own (or the row's, or the plan's end)
    period: str = domain.FISCAL_YEAR  # fy (年度) or cy (年)
    as_of: dt.date | None = None  # interim: the day the column's figures stand at
    target: str = domain.FINAL  # role target: final | midterm | annual
    label: str = ""  # role baseline: what the table calls it (初期値, 現状値); rating: the scale's name; cost: what it is
    unit: str | None = None  # a unit the header gives: 実績（件）; cost: a yen unit (千円)
    basis: str = ""  # role cost: planned (予算) | actual (決算, 事業費)
    widths: tuple[int, ...] = ()  # role node_code: digits of each level in a code written without separators

    @property
    def is_figure(self) -> bool:
        return self.role in FIGURE_ROLES


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """What a table cannot say of its plan: its code, title, municipality and period."""

    code: str | None = None
    title: str | None = None
    municipality: str | None = None
    municipality_code: str | None = None
    start_fy: int | None = None
    end_fy: int | None = None

    def overridden(self, other: PlanFacts) -> PlanFacts:
        """These facts with ``other``'s wherever it gives one (the command line over the file)."""
        return PlanFacts(**{
            name: getattr(other, name) if getattr(other, name) is not None else getattr(self, name)
            for name in ("code", "title", "municipality", "municipality_code", "start_fy", "end_fy")
        })  # fmt: skip


@dataclass(frozen=True, slots=True)
class IndicatorFix:
    """What a person says of one indicator, found by its name (and node, when the name repeats)."""

    name: str
    node: str | None = None
    code: str | None = None
    type: str | None = None
    unit: str | None = None
    measure: str | None = None
    survey: bool | None = None
    direction: str | None = None
    reference: bool | None = None


FIX_FIELDS = ("code", "type", "unit", "measure", "survey", "direction", "reference")


@dataclass(frozen=True)
class Mapping:
    layout: str
    header_rows: tuple[int, int]  # the first and last row of the header
    columns: tuple[Column, ...]
    sheet: str | None = None  # a workbook's sheet, by name; None: the first
    file: str = ""  # the file it was made from (for the reader's information)
    unit: str | None = None  # the table's unit, when it states one for all (（単位：千円）)
    plan: PlanFacts = field(default_factory=PlanFacts)
    levels: tuple[str, ...] = ()
    indicators: tuple[IndicatorFix, ...] = ()
    nodes: dict[str, str] = field(default_factory=dict)  # a node's name, by its code
    departments: dict[str, str] = field(default_factory=dict)  # a department's code, by its name

    def with_plan(self, facts: PlanFacts) -> Mapping:
        return replace(self, plan=self.plan.overridden(facts))

    def fix(self, name: str, node: str | None) -> IndicatorFix | None:
        """What the mapping says of an indicator: the entry of its name and node, else of its name."""
        exact = next((f for f in self.indicators if f.name == name and f.node == node), None)
        return exact or next((f for f in self.indicators if f.name == name and f.node is None), None)


# --- reading --------------------------------------------------------------------------------


# The keys a mapping file may hold, by place (None: free-form): a key not listed (a typo: 'taget',
# 'levles') is refused, as in plan.yaml, rather than silently left unread.
FILE_KEYS: dict[str, Any] = {
    **dict.fromkeys(("schema", "file", "sheet", "layout", "header_rows", "unit", "levels", "nodes")),
    "departments": None,
    "plan": {
        **dict.fromkeys(("code", "title", "start_fy", "end_fy")),
        "municipality": {"name": None, "code": None},
    },
    "columns": dict.fromkeys(
        (
            "column",
            "header",
            "role",
            "level",
            "fy",
            "period",
            "as_of",
            "target",
            "label",
            "unit",
            "widths",
            "basis",
        )
    ),
    "indicators": dict.fromkeys(("name", "node", *FIX_FIELDS)),
}


def read_mapping(path: Path) -> Mapping:
    """A mapping file a user names: a regular, size-limited UTF-8 YAML file; errors name the key."""
    return _user_mapping(load_yaml(path), Path(path).name)


def mapping_from_bytes(data: bytes, name: str) -> Mapping:
    """A mapping file a person uploaded (the staff app's --mapping): read and checked as ``read_mapping``."""
    return _user_mapping(load_yaml_bytes(data, name), name)


def _user_mapping(data: Any, where: str) -> Mapping:
    """A mapping file a person wrote: no key it does not know (a mapping kept with a plan is read as
    it was kept, by ``mapping_from_document``)."""
    if isinstance(data, MappingType):
        known_keys(data, FILE_KEYS, where)
    return mapping_from_document(data, where)


def mapping_from_document(data: Any, where: str) -> Mapping:
    """A mapping from its document (the YAML file's, or the one a plan keeps)."""
    if not isinstance(data, MappingType):
        raise MachiplanError("must be a mapping", where=where)
    schema = get(data, "schema", where, str)
    if schema != SCHEMA:
        raise MachiplanError(f"unsupported schema {schema!r} (expected {SCHEMA!r})", where=f"{where}.schema")
    layout = get(data, "layout", where, str)
    if layout not in LAYOUTS:
        raise MachiplanError(f"must be one of {', '.join(LAYOUTS)}, not {layout!r}", where=f"{where}.layout")
    rows = get(data, "header_rows", where, list)
    if len(rows) != 2 or not all(isinstance(r, int) and not isinstance(r, bool) and r >= 1 for r in rows):
        raise MachiplanError("must be [first, last]: two row numbers", where=f"{where}.header_rows")
    if rows[1] < rows[0]:
        raise MachiplanError("the last row is before the first", where=f"{where}.header_rows")
    items = get(data, "columns", where, list)
    if not items:
        raise MachiplanError("must list the columns", where=f"{where}.columns")
    if len(items) > MAX_MAPPING_COLUMNS:
        raise MachiplanError(f"at most {MAX_MAPPING_COLUMNS} columns", where=f"{where}.columns")
    levels = tuple(_texts(get(data, "levels", where, list, required=False, default=[]), f"{where}.levels"))
    columns = tuple(_column(c, f"{where}.columns[{n}]", len(levels)) for n, c in enumerate(items))
    letters = [c.column for c in columns]
    for letter in letters:
        if letters.count(letter) > 1:
            raise MachiplanError(f"column {letter} appears twice", where=f"{where}.columns")
    if not any(c.role == NAME for c in columns):
        raise MachiplanError("no column is the indicators' name (role: name)", where=f"{where}.columns")
    for role in (NAME, CODE, NODE_CODE, KIND, FY, UNIT):
        if sum(c.role == role for c in columns) > 1:
            raise MachiplanError(f"more than one column has role {role}", where=f"{where}.columns")
    if layout == LONG and not any(c.role == FY for c in columns):
        raise MachiplanError("a long table needs its year column (role: fy)", where=f"{where}.columns")
    return Mapping(
        layout=layout,
        header_rows=(rows[0], rows[1]),
        columns=columns,
        sheet=get(data, "sheet", where, str, required=False),
        file=get(data, "file", where, str, required=False, default=""),
        unit=_optional_text(data, "unit", where),
        plan=_plan_facts(get(data, "plan", where, dict, required=False, default={}), f"{where}.plan"),
        levels=levels,
        indicators=tuple(
            _fix(x, f"{where}.indicators[{n}]")
            for n, x in enumerate(get(data, "indicators", where, list, required=False, default=[]))
        ),
        nodes=_text_map(get(data, "nodes", where, dict, required=False, default={}), f"{where}.nodes"),
        departments={
            name: slug(code, f"{where}.departments.{name}")
            for name, code in _text_map(
                get(data, "departments", where, dict, required=False, default={}), f"{where}.departments"
            ).items()
        },
    )


def _column(data: Any, where: str, levels: int) -> Column:
    letter = get(data, "column", where, str).strip().upper()
    if not letter.isascii() or not letter.isalpha() or len(letter) > 3:
        raise MachiplanError(f"must be a column letter (A, B, … AA), not {letter!r}", where=f"{where}.column")
    role = get(data, "role", where, str)
    if role not in ROLES:
        raise MachiplanError(f"unknown role {role!r} (one of {', '.join(ROLES)})", where=f"{where}.role")
    header = get(data, "header", where, str, required=False, default="")
    level = get(data, "level", where, int, required=False)
    if role == LEVEL and (level is None or not 0 <= level < max(levels, 1)):
        raise MachiplanError(
            f"a level column names its level: 0 to {max(levels, 1) - 1} (the levels listed)",
            where=f"{where}.level",
        )
    fy = year(get(data, "fy", where, int, required=False), f"{where}.fy")
    period = get(data, "period", where, str, required=False, default=domain.FISCAL_YEAR)
    if period not in domain.PERIODS:
        raise MachiplanError(f"must be fy or cy, not {period!r}", where=f"{where}.period")
    target = get(data, "target", where, str, required=False, default=domain.FINAL)
    if target not in TARGET_KINDS:
        raise MachiplanError(
            f"must be one of {', '.join(TARGET_KINDS)}, not {target!r}", where=f"{where}.target"
        )
    if role == TARGET and target == domain.ANNUAL and fy is None:
        raise MachiplanError("an annual target column needs its year (fy)", where=f"{where}.fy")
    widths = get(data, "widths", where, list, required=False, default=[])
    if not all(isinstance(w, int) and not isinstance(w, bool) and 1 <= w <= 9 for w in widths):
        raise MachiplanError("must be a list of digit counts from 1 to 9", where=f"{where}.widths")
    unit = _optional_text(data, "unit", where)
    basis = get(data, "basis", where, str, required=False)
    if basis is not None and (role != COST or basis not in domain.COST_BASES):
        raise MachiplanError(
            f"a cost column's basis: one of {', '.join(domain.COST_BASES)}, not {basis!r}"
            if role == COST
            else "only a cost column has a basis",
            where=f"{where}.basis",
        )
    if role == COST:
        if unit is not None and unit not in YEN_UNITS:
            raise MachiplanError(
                f"a cost column's unit is one of {', '.join(YEN_UNITS)}, not {unit!r}", where=f"{where}.unit"
            )
        basis = basis or cost_basis(header)
    return Column(
        column=letter,
        header=header.strip(),
        role=role,
        level=level if role == LEVEL else None,
        fy=fy,
        period=period,
        as_of=_date(data.get("as_of"), f"{where}.as_of"),
        target=target,
        label=_optional_text(data, "label", where) or "",
        unit=unit,
        widths=tuple(widths),
        basis=basis or "",
    )


def cost_basis(header: str) -> str:
    """What a cost column's header says its money is: 予算額 planned, 決算額 / 事業費 / 執行額 spent."""
    return domain.PLANNED if "予算" in header and "決算" not in header else domain.SPENT


def _plan_facts(data: MappingType[str, Any], where: str) -> PlanFacts:
    code = get(data, "code", where, str, required=False)
    municipality = get(data, "municipality", where, dict, required=False, default={})
    muni_code = get(municipality, "code", f"{where}.municipality", (str, int), required=False)
    if muni_code is not None and not MUNICIPALITY_CODE_RE.fullmatch(str(muni_code)):
        raise MachiplanError(
            f'{muni_code!r} is not a six-digit 全国地方公共団体コード (write it in quotes: "011002")',
            where=f"{where}.municipality.code",
        )
    start = year(get(data, "start_fy", where, int, required=False), f"{where}.start_fy")
    end = year(get(data, "end_fy", where, int, required=False), f"{where}.end_fy")
    if start is not None and end is not None and end < start:
        raise MachiplanError("end_fy is before start_fy", where=where)
    return PlanFacts(
        code=slug(code, f"{where}.code") if code is not None else None,
        title=_optional_text(data, "title", where),
        municipality=_optional_text(municipality, "name", f"{where}.municipality"),
        municipality_code=str(muni_code) if muni_code is not None else None,
        start_fy=start,
        end_fy=end,
    )


def _fix(data: Any, where: str) -> IndicatorFix:
    code = get(data, "code", where, str, required=False)
    if code is not None and not CODE_RE.fullmatch(code):
        slug(code, f"{where}.code")
    choices = {
        "type": domain.INDICATOR_TYPES,
        "measure": domain.MEASURES,
        "direction": domain.DIRECTIONS,
    }
    values = {}
    for key, allowed in choices.items():
        value = get(data, key, where, str, required=False)
        if value is not None and value not in allowed:
            raise MachiplanError(
                f"must be one of {', '.join(allowed)}, not {value!r}", where=f"{where}.{key}"
            )
        values[key] = value
    node = get(data, "node", where, (str, int), required=False)
    return IndicatorFix(
        name=get(data, "name", where, str).strip(),
        node=str(node) if node is not None else None,
        code=code,
        unit=_optional_text(data, "unit", where),
        survey=get(data, "survey", where, bool, required=False),
        reference=get(data, "reference", where, bool, required=False),
        **values,
    )


def _optional_text(data: MappingType[str, Any], key: str, where: str) -> str | None:
    value = get(data, key, where, (str, int, float), required=False)
    if isinstance(value, float) and not math.isfinite(value):
        raise MachiplanError("must be a text", where=f"{where}.{key}")
    text = str(value).strip() if value is not None else ""
    return text or None


def _texts(values: list[Any], where: str) -> list[str]:
    found = []
    for n, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            raise MachiplanError("must be a non-empty text", where=f"{where}[{n}]")
        found.append(value.strip())
    return found


def _text_map(data: MappingType[Any, Any], where: str) -> dict[str, str]:
    found = {}
    for key, value in data.items():
        if isinstance(key, bool) or not isinstance(key, str | int) or not str(key).strip():
            raise MachiplanError(f"{key!r} is not a text", where=where)
        if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
            raise MachiplanError("must be a non-empty text", where=f"{where}.{key}")
        found[str(key).strip()] = str(value).strip()
    return found


def _date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise MachiplanError(f"must be a date like 2022-09-30, not {value!r}", where=where)


# --- writing --------------------------------------------------------------------------------


def mapping_document(mapping: Mapping) -> dict[str, Any]:
    """The mapping as plain data (what the YAML file holds and the plan keeps: JSON-safe)."""
    plan = mapping.plan
    facts: dict[str, Any] = {}
    for key in ("code", "title"):
        if getattr(plan, key) is not None:
            facts[key] = getattr(plan, key)
    if plan.municipality is not None or plan.municipality_code is not None:
        facts["municipality"] = {
            k: v for k, v in (("name", plan.municipality), ("code", plan.municipality_code)) if v is not None
        }
    for key in ("start_fy", "end_fy"):
        if getattr(plan, key) is not None:
            facts[key] = getattr(plan, key)
    document: dict[str, Any] = {"schema": SCHEMA}
    if mapping.file:
        document["file"] = mapping.file
    if mapping.sheet is not None:
        document["sheet"] = mapping.sheet
    document["layout"] = mapping.layout
    document["header_rows"] = list(mapping.header_rows)
    if mapping.unit:
        document["unit"] = mapping.unit
    document["plan"] = facts
    document["levels"] = list(mapping.levels)
    document["columns"] = [column_document(c) for c in mapping.columns]
    document["indicators"] = [fix_document(f) for f in mapping.indicators]
    document["nodes"] = dict(mapping.nodes)
    document["departments"] = dict(mapping.departments)
    return document


def column_document(c: Column) -> dict[str, Any]:
    doc: dict[str, Any] = {"column": c.column, "header": c.header, "role": c.role}
    if c.level is not None:
        doc["level"] = c.level
    if c.fy is not None:
        doc["fy"] = c.fy
    if c.period != domain.FISCAL_YEAR:
        doc["period"] = c.period
    if c.as_of is not None:
        doc["as_of"] = c.as_of.isoformat()
    if c.role == TARGET:
        doc["target"] = c.target
    if c.label:
        doc["label"] = c.label
    if c.unit:
        doc["unit"] = c.unit
    if c.widths:
        doc["widths"] = list(c.widths)
    if c.basis:
        doc["basis"] = c.basis
    return doc


def fix_document(f: IndicatorFix) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": f.name}
    if f.node is not None:
        doc["node"] = f.node
    for key in FIX_FIELDS:
        value = getattr(f, key)
        if value is not None:
            doc[key] = value
    return doc


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _flow(value: Any) -> str:
    return yaml.dump(
        value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=True, width=10**9
    ).strip()


def mapping_yaml(mapping: Mapping, comments: dict[str, str] | None = None) -> str:
    """The mapping file: one line per column and per indicator, each with what was guessed as a
    comment (``comments``: by 'column D' or 'indicator NAME')."""
    comments = comments or {}
    doc = mapping_document(mapping)

    def note(key: str) -> str:
        text = " ".join(comments.get(key, "").split())
        return f"  # {text}" if text else ""

    lines = [
        "# machiplan: how to read this table (docs/import.md). Check it and correct it, then:",
        f"#   machiplan import-table {mapping.file or 'FILE'} --mapping THIS-FILE --save",
        "# Roles: " + ", ".join(ROLES),
    ]
    for key in ("schema", "file", "sheet", "layout", "header_rows", "unit"):
        if key in doc:
            lines.append(f"{key}: {_flow(doc[key])}{note(key)}")
    lines.append("plan:  # what the table cannot say (the command line's options win)")
    lines += [f"  {key}: {_flow(value)}{note('plan.' + key)}" for key, value in doc["plan"].items()]
    lines.append(f"levels: {_flow(doc['levels'])}{note('levels')}")
    lines.append("columns:")
    for column, item in zip(mapping.columns, doc["columns"], strict=True):
        lines.append(f"  - {_flow(item)}{note('column ' + column.column)}")
    lines.append(
        "indicators:  # what the names suggest: correct it here" if doc["indicators"] else "indicators: []"
    )
    for fix, item in zip(mapping.indicators, doc["indicators"], strict=True):
        lines.append(f"  - {_flow(item)}{note('indicator ' + fix.name)}")
    for key in ("nodes", "departments"):
        if doc[key]:
            lines.append(f"{key}:{note(key)}")
            lines += [f"  {_flow(k)}: {_flow(v)}" for k, v in doc[key].items()]
        else:
            lines.append(f"{key}: {{}}{note(key)}")
    return "\n".join(lines) + "\n"
