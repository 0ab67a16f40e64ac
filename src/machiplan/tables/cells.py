"""Cells as cities write them in their tables: a figure with its year, its operator, its date.

    32.0%(平成27年度)        32.0 %, FY2015
    2,000人以上              2000 人, at least
    15%以下                  15 %, at most
    ▲3                       −3
    年4回 / 4回/年            4 回 per year
    640件(R4.9.30現在)        640 件, as of 2022-09-30 (interim)
    81.9%（2024年度末）       81.9 %, FY2024 as of 2025-03-31
    74.3%（2025年）           74.3 %, calendar year 2025
    4,344千円 / 90.4億円      4344 千円, 90.4 億円: the unit as written
    約4億9,600万円            496000000 円, approximate
    全員取得                  words a figure cannot state
    1.4人/年 → 4組/年          two cells in one (split_arrow)

``read_when`` finds the year (and day) a text names, for headers and cells alike. Every
pattern here runs in time linear in its input; a cell is at most 1,000 characters (grid.py).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from machiplan.domain import plan as domain
from machiplan.domain.errors import MachiplanError, excerpt
from machiplan.domain.fiscal import FIRST_FY, LAST_FY, fiscal_year_bounds, fiscal_year_of
from machiplan.domain.quantities import (
    APPROXIMATE_PREFIXES,
    NONE_WORDS,
    PENDING_WORDS,
    clean_text,
    figure_text,
    fix_grouping,
    parse_quantity,
    split_arrows,
)

VALUE, TEXT, PENDING, NONE = "value", "text", "pending", "none"
YEN_UNITS = {"円": 1, "千円": 1_000, "万円": 10_000, "百万円": 1_000_000, "億円": 100_000_000}
MORE_NONE_WORDS = ("未定", "未設定", "設定なし", "対象外", "該当無し", "なし", "無し", "-", "―", "－")
MORE_PENDING_WORDS = ("集計中", "調査中", "未集計", "未確定", "確定前", "算定中")

_ERA = r"(?<![A-Za-z])(?P<era>令和|平成|昭和|[RHSrhs])(?P<n>\d{1,2}|元)"
_WESTERN = r"(?<!\d)(?P<y>(?:19|20|21)\d\d)"
_MONTH_DAY = r"(?P<m>\d{1,2})[.月/\-](?P<d>\d{1,2})日?\.?"
_DATE_RES = (
    re.compile(rf"{_ERA}(?P<fyear>年度)?[.年/]?{_MONTH_DAY}"),
    re.compile(rf"{_WESTERN}(?P<fyear>年度)?[.年/\-]?{_MONTH_DAY}"),
)
_AS_OF_MARK = re.compile(r"^(?:現在|時点|末現在|末時点|付|付け)")
_YEAR_RES = (  # (pattern, period, end of the year)
    (re.compile(rf"{_ERA}年度末"), "fy", True),
    (re.compile(rf"{_WESTERN}年度末"), "fy", True),
    (re.compile(rf"{_ERA}年度"), "fy", False),
    (re.compile(rf"{_WESTERN}年度"), "fy", False),
    (re.compile(r"(?<![A-Za-z])FY(?P<y>(?:19|20|21)\d\d)", re.IGNORECASE), "fy", False),
    (re.compile(rf"{_ERA}年末"), "cy", True),
    (re.compile(rf"{_WESTERN}年末"), "cy", True),
    (re.compile(rf"{_ERA}年(?![度\d])"), "cy", False),
    (re.compile(rf"{_WESTERN}年(?![度\d])"), "cy", False),
    (re.compile(rf"{_ERA}(?![\d.年/])"), "fy", False),
)
_BARE_WESTERN = re.compile(r"(?P<y>(?:19|20|21)\d\d)")
_ERA_FIRST = {"令和": 2019, "R": 2019, "平成": 1989, "H": 1989, "昭和": 1926, "S": 1926}

_OPERATORS = (
    ("以上", domain.AT_LEAST),
    ("超え", domain.AT_LEAST),
    ("超", domain.AT_LEAST),
    ("以下", domain.AT_MOST),
    ("未満", domain.AT_MOST),
    ("を維持", domain.MAINTAIN),
    ("維持", domain.MAINTAIN),
)
_PREFIX_OPERATORS = (
    ("≧", domain.AT_LEAST),
    (">=", domain.AT_LEAST),
    ("≦", domain.AT_MOST),
    ("<=", domain.AT_MOST),
)
_PER_PREFIX = re.compile(
    r"^(?:(?P<y>年間|毎年|年|1年あたり|1年当たり)|(?P<m>毎月|月|1月あたり|1月当たり|月平均)|(?P<d>1日あたり|1日当たり|日平均))(?=[\d約▲△\-])"
)
_PER_SUFFIX = re.compile(r"/(?:(?P<y>年度|年)|(?P<m>月)|(?P<d>日))$")
_NUMBER_RE = re.compile(r"^(?P<sign>[▲△\-+−])?(?P<num>\d[\d,]*+(?:\.\d++)?+)(?P<rest>.*)$")
_BAD_GROUP_RE = re.compile(r"\d,(?:\d{1,2}|\d{4,})(?!\d)")
_PAREN_RE = re.compile(r"[(（]([^()（）]*)[)）]")
_NONE_WITH_UNIT_RE = re.compile(r"[—―–\-‐−─ー－]+[^\d]{0,10}")  # '― 件/年': nothing, in a unit
_SUMMED_RE = re.compile(
    r"^(?:(?:\d{1,2}(?:ヵ|か|カ|ケ|ヶ|箇)?年間|計画期間中?|期間中?)(?:で|の)?)?(?:累計|合計|累積)(?:で|:)?(?=[\d約▲△])"
)
_MARK_RE = re.compile(r"(?:※|\*|＊)\d*$")  # a footnote mark after a figure: 32.0%※1


@dataclass(frozen=True, slots=True)
class When:
    """A year (and perhaps a day) a text names."""

    fy: int
    period: str = domain.FISCAL_YEAR
    as_of: dt.date | None = None  # a day: R4.9.30現在; the last day of the year for 年度末
    end: bool = False  # 年度末, 年末: the year's end
    span: tuple[int, int] = (0, 0)  # where in the (cleaned) text it was found
    dated: bool = False  # a day was written (R4.9.30), not only a year


@dataclass(frozen=True, slots=True)
class CellValue:
    """One figure cell, understood."""

    kind: str  # value | text | pending | none
    value: Decimal | None = None
    unit: str | None = None
    approximate: bool = False
    when: When | None = None  # the year the cell names itself
    interim: bool = False  # a value so far: a day inside its year (現在, 時点)
    forecast: bool = False  # 見込
    operator: str | None = None
    per: str | None = None  # year | month | day
    text: str = ""  # words no figure states (全員取得), or a state
    breakdown: tuple[tuple[str, Decimal], ...] = ()
    period_start_fy: int | None = None  # a target summed over a period (H26-30 計)
    summed: bool = False  # 累計 500人, 5年間累計 500人: summed over the plan's period (its years unsaid)
    note: str = ""  # what the cell says beside the figure that nothing else took
    doubt: str = ""  # something a person should check (a thousands separator before four digits)
    doubt_ja: str = ""  # the same in Japanese


def norm(text: str) -> str:
    """The form patterns read: NFKC (full-width digits, brackets, % to ASCII), no spaces."""
    return clean_text(text).replace(" ", "")


def _year(m: re.Match[str]) -> int | None:
    groups = m.groupdict()
    if groups.get("y"):
        year = int(groups["y"])
    else:
        era = groups["era"].upper() if len(groups["era"]) == 1 else groups["era"]
        n = 1 if groups["n"] == "元" else int(groups["n"])
        if n < 1:
            return None
        year = _ERA_FIRST[era] + n - 1
    return year if FIRST_FY <= year <= LAST_FY else None


def read_when(text: str, *, bare_western: bool = False) -> When | None:
    """The year a text names, and its day when it names one: the earliest date, else the first year.
    ``text`` is already ``norm``-ed. ``bare_western``: a lone 2019 is a year too (a header, a
    parenthesis)."""
    for pattern in _DATE_RES:
        for m in pattern.finditer(text):
            year = _year(m)
            if year is None:
                continue
            month, day = int(m["m"]), int(m["d"])
            if m["fyear"] and month <= 3:
                year += 1  # 令和4年度3月31日: the fiscal year's March is in the next calendar year
            try:
                date = dt.date(year, month, day)
            except ValueError:
                raise MachiplanError(f"{excerpt(m.group())} is not a date") from None
            end = m.end()
            mark = _AS_OF_MARK.match(text[end:])
            if mark:
                end += mark.end()
            return When(fiscal_year_of(date), as_of=date, span=(m.start(), end), dated=True)
    for pattern, period, end in _YEAR_RES:
        m = pattern.search(text)
        if m is None:
            continue
        year = _year(m)
        if year is None:
            continue
        as_of = None
        if end:
            as_of = fiscal_year_bounds(year)[1] if period == domain.FISCAL_YEAR else dt.date(year, 12, 31)
        stop = m.end()
        mark = _AS_OF_MARK.match(text[stop:])
        if mark:
            stop += mark.end()
        return When(year, period, as_of, end, (m.start(), stop))
    if bare_western:
        m = _BARE_WESTERN.fullmatch(text)
        if m:
            return When(int(m["y"]), span=(0, len(text)))
    return None


def split_arrow(text: str) -> tuple[str, str] | None:
    """'1.4人/年 → 4組/年' -> ('1.4人/年', '4組/年'): a 現状→目標 cell; None when it has no arrow."""
    parts = split_arrows(text)
    if len(parts) != 2:
        return None
    return parts[0].strip(), parts[1].strip()


def is_none(text: str) -> bool:
    compact = norm(text)
    return (
        compact in NONE_WORDS
        or compact in MORE_NONE_WORDS
        or (bool(compact) and set(compact) <= set("—―–-‐−─ー"))
    )


def parse_cell(text: str) -> CellValue:
    """One figure cell; ``MachiplanError`` (without a place: the caller names the cell) when it
    says nothing a figure can be."""
    compact = figure_text(text).replace(" ", "")
    if not compact:
        raise MachiplanError("empty cell")
    if compact in PENDING_WORDS or compact in MORE_PENDING_WORDS:
        return CellValue(kind=PENDING)
    if is_none(compact) or _NONE_WITH_UNIT_RE.fullmatch(compact):
        return CellValue(kind=NONE)
    rest, when, notes = _take_when(compact)
    forecast = False
    for word in ("見込み", "見込"):
        if word in rest:
            forecast, rest = True, rest.replace(word, "")
    operator = None
    for word, op in _PREFIX_OPERATORS:
        if rest.startswith(word):
            operator, rest = op, rest[len(word) :]
    for word, op in _OPERATORS:
        if rest.endswith(word):
            operator, rest = op, rest[: -len(word)]
            break
    per = None
    m = _PER_PREFIX.match(rest)
    if m:
        per, rest = _per(m), rest[m.end() :]
    m = _PER_SUFFIX.search(rest)
    if m:
        per, rest = _per(m), rest[: m.start()]
    summed = False
    m = _SUMMED_RE.match(rest)
    if m:
        summed, rest = True, rest[m.end() :]
    approximate = False
    for prefix in APPROXIMATE_PREFIXES:
        if rest.startswith(prefix):
            approximate, rest = True, rest[len(prefix) :]
    interim = bool(when and when.dated and when.as_of != _year_end(when))
    if operator == domain.MAINTAIN and rest in ("", "現状", "現状値", "現在の水準"):  # 現状維持
        return CellValue(
            kind=TEXT, text=clean_text(text), operator=operator, when=when, note="; ".join(notes)
        )
    if not rest:
        raise MachiplanError(f"{excerpt(text.strip())} names no figure")
    number = _NUMBER_RE.match(rest)
    if number is None:  # words: 全員取得, 設置, 策定済 (without the year beside them)
        return CellValue(
            kind=TEXT, text=_without_year(clean_text(text)), when=when, forecast=forecast, operator=operator,
            interim=interim, note="; ".join(notes),
        )  # fmt: skip
    doubt = doubt_ja = ""
    written = number["num"] + number["rest"]
    fixed = fix_grouping(written)
    if fixed != written:  # 4億3,0000万円: one zero too many after the comma
        doubt = f"{excerpt(written)} read as {excerpt(fixed)} (digits grouped wrongly)"
        doubt_ja = f"{excerpt(written)}を{excerpt(fixed)}と読みました（桁区切りの誤り）"
        number = _NUMBER_RE.match((number["sign"] or "") + fixed)
        assert number is not None
    elif _BAD_GROUP_RE.search(written):
        doubt = "a thousands separator not before three digits"
        doubt_ja = "桁区切りのコンマの後が3桁ではありません"
    tail = number["rest"].strip()
    if re.search(r"\d", tail) or (tail.startswith(("兆", "億", "万", "千")) and tail not in YEN_UNITS):
        try:  # 4億9,600万円, a breakdown: the quantity reader knows them
            q = parse_quantity(("-" if number["sign"] else "") + number["num"] + number["rest"])
        except MachiplanError as exc:
            raise MachiplanError(exc.message) from None
        value, unit, breakdown = q.value, q.unit, q.breakdown
        period_start = q.period[0] if q.period else None
        if q.period and when is None:
            when = When(q.period[1])
        if q.note:
            notes.append(q.note)
    else:
        digits = number["num"].replace(",", "")
        value = Decimal(digits)
        if number["sign"] and number["sign"] != "+":
            value = -value
        unit, breakdown, period_start = tail or None, (), None
    return CellValue(
        kind=VALUE, value=value, unit=unit, approximate=approximate, when=when, interim=interim,
        forecast=forecast, operator=operator, per=per, breakdown=breakdown, period_start_fy=period_start,
        note="; ".join(notes), doubt=doubt, doubt_ja=doubt_ja, summed=summed and period_start is None,
    )  # fmt: skip


def _without_year(text: str) -> str:
    """'設置(R3)' -> '設置': brackets naming a year dropped (the year is kept apart)."""

    def drop(m: re.Match[str]) -> str:
        try:
            return "" if read_when(norm(m.group(1)), bare_western=True) is not None else m.group()
        except MachiplanError:
            return m.group()

    return _PAREN_RE.sub(drop, text).strip() or text


def _per(m: re.Match[str]) -> str:
    return "year" if m["y"] else "month" if m["m"] else "day"


def _year_end(when: When) -> dt.date:
    if when.period == domain.CALENDAR_YEAR:
        return dt.date(when.fy, 12, 31)
    return fiscal_year_bounds(when.fy)[1]


def _take_when(text: str) -> tuple[str, When | None, list[str]]:
    """The cell without the year it names (in brackets, or before or after the figure), the year,
    and the brackets nothing understood."""
    when: When | None = None
    notes: list[str] = []

    def bracket(m: re.Match[str]) -> str:
        nonlocal when
        inner = m.group(1)
        if re.fullmatch(r"[^\d]*\d.*[-~〜～].*(?:計|合計|累計)", inner):
            return f"({inner})"  # a summed period (H26-30計): the quantity reader reads it
        if when is None:
            found = read_when(inner, bare_western=True)
            if found is not None:
                when = found
                left = (inner[: found.span[0]] + inner[found.span[1] :]).strip()
                if left in ("見込", "見込み", "現在", "時点", "実績", "速報値", "速報"):
                    return left if left.startswith("見込") else ""
                if left:
                    notes.append(left)
                return ""
        notes.append(inner)
        return ""

    mark = _MARK_RE.search(text)
    if mark:
        notes.append(mark.group())
        text = text[: mark.start()]
    rest = _PAREN_RE.sub(bracket, text)
    if when is None:
        found = read_when(rest)
        if found is not None and (found.span[0] == 0 or found.span[1] == len(rest)):
            when = found
            rest = (rest[: found.span[0]] + rest[found.span[1] :]).strip(":：")
    return rest.strip(), when, notes


def summed_since(period_start_fy: int | None, summed: bool, name: str, start: int, fy: int) -> int | None:
    """The first year of a target summed over a period: the cell's own (H26-30計), or for '累計 500人'
    the plan's first year ``start`` (a running total since before the plan, named so, excepted), when
    the target's year ``fy`` is not before it. import-table's and import-sheet's year-column tables."""
    if period_start_fy is not None or not summed or "累計" in name:
        return period_start_fy
    return start if start <= fy else None


def unit_factor(cell_unit: str | None, unit: str | None) -> Decimal | None:
    """The factor from a yen unit to another (千円 -> 円: 1000); None unless both are yen units."""
    if cell_unit in YEN_UNITS and unit in YEN_UNITS:
        return Decimal(YEN_UNITS[cell_unit]) / Decimal(YEN_UNITS[unit])
    return None
