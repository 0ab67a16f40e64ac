"""What a table says of the city's own judgement and money: its grades (評価 A–D, 達成度 ◎○△×) with
the scale they make, and a node's costs (事業費（千円）, 決算額, 予算額), with the year they are of."""

from __future__ import annotations

import re
from decimal import Decimal

from machiplan.domain import plan as domain
from machiplan.domain.errors import MachiplanError

from . import mapping as m
from .cells import VALUE, YEN_UNITS, CellValue, is_none, norm, read_when
from .headers import GRADE_HEADERS

MAX_GRADE = 20  # a grade is a mark or a few words (A, ◎, 概ね順調); a longer cell is a comment
# scales whose order is known, best first: a city's grades that all belong to one are put in its order
KNOWN_ORDERS = (
    ("S", "A", "B", "C", "D", "E"),
    ("◎", "○", "△", "×"),
    ("達成", "順調", "概ね順調", "やや遅れ", "遅れ"),
)
_ALIASES = {"〇": "○", "◯": "○", "✕": "×", "✖": "×", "Ｘ": "×"}
_CODE = r"(?:[SA-E]|[◎○〇◯△×✕])"
# a legend: 'A：目標達成 B：概ね順調', '◎=目標値以上、○=目標値と同等'
_LEGEND_RE = re.compile(rf"(?<![A-Za-z]){_CODE}\s*[:：=＝]\s*")
# a year the table states it is of: 令和４年度施策評価, （令和５年度実績）; not a period (令和2年度～令和6年度)
_STATED_RE = re.compile(r"(?:令和|平成|R|H)(?:[0-9]{1,2}|元)年度|(?:19|20)[0-9]{2}年度")
_RANGE = "～〜~-‐－ー"


def grade_of(text: str) -> str | None:
    """A grade cell's code as the scale keeps it (Ａ -> A, 〇 -> ○); None for none (―, 空欄)."""
    code = norm(text)
    if not code or is_none(code):
        return None
    code = "".join(_ALIASES.get(c, c) for c in code)
    return code.upper() if re.fullmatch(r"[a-eA-Es]", code) else code


def scale_key(column: m.Column) -> str:
    """A rating column's scale: 総合評価 overall, 進捗状況 progress, 達成度 achievement, else evaluation."""
    return GRADE_HEADERS.get(column.label) or GRADE_HEADERS.get(norm(column.header)) or "evaluation"


def scale_name(column: m.Column) -> str:
    return column.label or column.header or "評価"


def ordered(codes: list[str]) -> list[str]:
    """The grades best first: in a known order when they all belong to one, else as first seen."""
    codes = list(dict.fromkeys(codes))
    for order in KNOWN_ORDERS:
        if set(codes) <= set(order):
            return sorted(codes, key=order.index)
    return codes


def legend(lines: list[str]) -> dict[str, str]:
    """What the table's notes say each grade means: '※評価 A：目標達成 B：概ね順調' -> {A: 目標達成, …}."""
    found: dict[str, str] = {}
    for line in lines:
        text = " ".join(line.split())
        marks = list(_LEGEND_RE.finditer(text))
        if len(marks) < 2:
            continue
        for n, mark in enumerate(marks):
            end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
            label = text[mark.end() : end].strip(" 、,，/／・;；")
            code = grade_of(mark.group().rstrip(" :：=＝"))
            if code and label and code not in found:
                found[code] = label[:100]
    return found


def stated_year(lines: list[str]) -> tuple[int, str] | None:
    """The year the table says it is of (its title's 令和４年度), with the text it was read from."""
    for line in lines:
        text = norm(line)
        for found in _STATED_RE.finditer(text):
            before = text[found.start() - 1 : found.start()]
            after = text[found.end() : found.end() + 1]
            if (
                (before and before in _RANGE)
                or (after and after in _RANGE)
                or text[found.end() :].startswith("から")
                or text[: found.start()].endswith("から")
            ):
                continue  # a period: 令和2年度～令和6年度
            try:
                when = read_when(found.group(), bare_western=True)
            except MachiplanError:
                continue
            if when is not None and when.fy is not None:
                return when.fy, line
    return None


def cost_unit(column: m.Column, table_unit: str | None) -> str | None:
    """The unit a cost column's figures are written in: its header's (千円), else the table's when it is yen."""
    for unit in (column.unit, table_unit):
        if unit and norm(unit) in YEN_UNITS:
            return norm(unit)
    return None


def cost_amount(cell: CellValue, unit: str | None) -> tuple[Decimal, str] | None:
    """A cost cell's amount in a unit of the model (domain.COST_UNITS): as written when its unit is one
    (千円, 百万円), else converted to 円 (万円); None without a unit or a figure."""
    if cell.kind != VALUE or cell.value is None:
        return None
    written = norm(cell.unit) if cell.unit and norm(cell.unit) in YEN_UNITS else unit
    if written is None:
        return None
    kept = next((u for u in (unit, written) if u in domain.COST_UNITS), "円")
    if written == kept:
        return cell.value, kept
    value = cell.value * Decimal(YEN_UNITS[written]) / Decimal(domain.COST_UNITS[kept])
    return (value.to_integral_value() if value == value.to_integral_value() else value.normalize()), kept
