"""Quantities as progress sheets write them, parsed into value, unit and their qualifiers.

Every format cities write in their sheets is read, and ``format_quantity`` writes the
canonical spelling back, so ``parse_quantity(format_quantity(q)) == q``:

    32.4%                          32.4 %
    2,280 団体                     2280 団体
    約4億9,600万円                  496000000 円, approximate
    2,684 団体 (H29.8.31.時点)      2684 団体, interim as of 2017-08-31
    15 認定9、仮認定5、条例個別指定1  15 with a breakdown
    100 件 (H26-30 計)             100 件 summed over FY2014–FY2018
    今後調査 / —                     pending / none (missing, never zero)

The original text is kept in ``source_text``; it does not take part in equality.

Every pattern here runs in time linear in its input (no two ways to match the
same text, possessive where a number could be split), a cell is at most
``MAX_CELL_CHARS`` long, and numbers keep every digit they are written with.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation, localcontext

from .errors import MachiplanError, excerpt
from .fiscal import _ERA_TOKEN, HEISEI, _western, era_of_year, format_date, parse_date

VALUE = "value"
PENDING = "pending"  # 今後調査: will be measured
NONE = "none"  # —: nothing to report for this cell

PENDING_WORDS = ("今後調査", "調査予定", "調査中", "集計中", "未集計")
NONE_WORDS = ("—", "―", "–", "-", "‐", "−", "─", "ー", "なし", "該当なし")
APPROXIMATE_PREFIXES = ("約", "およそ", "概ね", "≒")
MULTIPLIERS = {"兆": Decimal(10) ** 12, "億": Decimal(10) ** 8, "万": Decimal(10) ** 4, "千": Decimal(1000)}
_YEN_GROUPS = (("兆", MULTIPLIERS["兆"]), ("億", MULTIPLIERS["億"]), ("万", MULTIPLIERS["万"]))

MAX_CELL_CHARS = 1_000  # one cell of a sheet, a breakdown: far more than any real one
MAX_NUMBER_CHARS = 100  # a number as text: '1,234,567,890.5', '4億9,600万'

_NUMBER = r"\d[\d,]*+(?:\.\d++)?+"
# A number is parts that each end in a magnitude (4億, 9,600万) and perhaps one without: written
# so that a run of digits can be matched one way only (no backtracking over ways to split it).
_MAGNITUDE_RE = re.compile(rf"^(?P<sign>[-+▲△]?)(?=\d)(?P<body>(?:{_NUMBER}[兆億万千])*+(?:{_NUMBER})?+)")
_PART_RE = re.compile(rf"({_NUMBER})([兆億万千]?)")
_PAREN_RE = re.compile(r"[(（]([^()（）]*)[)）]")
AS_OF_MARK = "時点"
_PERIOD_RE = re.compile(
    rf"^(?P<era>{_ERA_TOKEN})?(?P<start>\d{{1,4}}|元)(?:年度)?[-~〜～](?P<era2>{_ERA_TOKEN})?"
    r"(?P<end>\d{1,4}|元)(?:年度)?(?:計|合計|累計|の計)$",
    re.IGNORECASE,
)
_BREAKDOWN_PART_RE = re.compile(rf"^(?P<label>\D+?)(?P<number>{_NUMBER})(?P<unit>\D*+)$")


@dataclass(frozen=True, slots=True)
class Quantity:
    """One cell of an indicator table, understood."""

    kind: str = VALUE  # value | pending | none
    value: Decimal | None = None
    unit: str | None = None
    approximate: bool = False
    as_of: dt.date | None = None  # set for an interim value (…時点)
    breakdown: tuple[tuple[str, Decimal], ...] = ()
    period: tuple[int, int] | None = None  # fiscal years a summed target covers
    note: str | None = None  # a parenthetical the parser could not place: kept, never dropped
    source_text: str = field(default="", compare=False)

    @property
    def breakdown_total(self) -> Decimal | None:
        return sum((v for _, v in self.breakdown), Decimal(0)) if self.breakdown else None

    @property
    def breakdown_matches(self) -> bool:
        """True when there is no breakdown or its parts add up to the value."""
        return not self.breakdown or self.breakdown_total == self.value


def clean_text(text: str) -> str:
    """NFKC (full-width digits, %, brackets to ASCII) with runs of whitespace made single."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


_IDEOGRAPHIC_GROUPING = re.compile(r"(?<=\d)、(?=\d{3}(?![\d.]))")


def figure_text(text: str) -> str:
    """``clean_text`` for a figure: an ideographic comma between digits groups thousands as a
    comma does ('1、200' is 1,200, as typed with a Japanese input method); a breakdown's
    '認定9、仮認定5' keeps its comma."""
    return _IDEOGRAPHIC_GROUPING.sub(",", clean_text(text))


def _check_length(text: str, limit: int, what: str, where: str | None = None) -> None:
    if len(text) > limit:
        raise MachiplanError(f"{len(text):,} characters: {what} (at most {limit:,})", where=where)


def parse_number(text: str) -> Decimal:
    """'2,280' -> 2280; '4億9,600万' -> 496000000; '▲3' -> -3."""
    _check_length(text, MAX_NUMBER_CHARS, "too long to be a number")
    compact = clean_text(text).replace(" ", "")
    m = _MAGNITUDE_RE.fullmatch(compact)
    if not m:
        raise MachiplanError(f"not a number: {excerpt(text)}")
    return _magnitude(m)


def parse_value(text: str, unit: str | None) -> Decimal:
    """A figure's value as a person enters it for an indicator of ``unit``: a number as
    ``parse_number`` reads it, or followed by the unit itself ('70.1%' for a %, '2,280人' for 人:
    a spreadsheet cell formatted as a percentage shows 70.1%, and people type what they see).
    Another unit after the number is refused, as any text that is no number."""
    try:
        return parse_number(text)
    except MachiplanError:
        compact, unit_text = clean_text(text).replace(" ", ""), clean_text(unit or "")
        if unit_text and compact.endswith(unit_text) and compact != unit_text:
            return parse_number(compact.removesuffix(unit_text))
        raise


def parse_whole_number(text: str) -> int:
    """'1,234' -> 1234; '2千' -> 2000: a count as people write it, refused unless whole."""
    number = parse_number(text)
    if not number.is_finite() or number != number.to_integral_value():
        raise MachiplanError(f"not a whole number: {excerpt(text)}")
    return int(number)


def _magnitude(m: re.Match[str]) -> Decimal:
    body = m["body"]
    with localcontext() as exact:  # every digit kept, however many: no rounding to 28 digits
        exact.prec = max(exact.prec, 2 * len(body) + 16)
        total = Decimal(0)
        for number, multiplier in _PART_RE.findall(body):
            digits = number.replace(",", "")
            try:
                amount = Decimal(digits)
            except InvalidOperation:  # pragma: no cover - the regex admits only digits
                raise MachiplanError(f"not a number: {excerpt(number)}") from None
            total += amount * MULTIPLIERS.get(multiplier, Decimal(1))
        return -total if m["sign"] in ("-", "▲", "△") else total


def _period(text: str) -> tuple[int, int] | None:
    m = _PERIOD_RE.match(text.replace(" ", ""))
    if not m:
        return None
    if m["era"] is None and len(m["start"]) < 4:
        return None  # '26-30計' without an era is too ambiguous to guess
    start = _western(m["era"], m["start"], None) if m["era"] else int(m["start"])
    if m["era2"]:
        end = _western(m["era2"], m["end"], None)
    elif m["era"]:
        end = _western(m["era"], m["end"], None)
    else:
        end = int(m["end"])
    return (start, end) if start <= end else None


def _as_of_date(text: str, where: str | None) -> dt.date | None:
    """The date of 'H29.8.31.時点'; None when the text before 時点 is no date at all ('年度末時点').

    A date that cannot be one (H29.2.30) is an error: the value must not pass for a full year's.
    """
    if not text.endswith(AS_OF_MARK):
        return None
    date_text = text[: -len(AS_OF_MARK)]
    if not re.search(r"\d", date_text):
        return None
    try:
        return parse_date(date_text)
    except MachiplanError as exc:
        raise MachiplanError(
            f"the as-of date {excerpt(text)} cannot be read: {exc.message}", where=where
        ) from None


def _read_parentheticals(
    text: str, where: str | None = None
) -> tuple[str, dt.date | None, tuple[int, int] | None, list[str]]:
    as_of: dt.date | None = None
    period: tuple[int, int] | None = None
    unplaced: list[str] = []
    for inner in _PAREN_RE.findall(text):
        inner = inner.strip()
        if as_of is None:
            as_of = _as_of_date(inner.replace(" ", ""), where)
            if as_of is not None:
                continue
        found = _period(inner)
        if found and period is None:
            period = found
            continue
        unplaced.append(inner)
    rest = _PAREN_RE.sub(" ", text).strip()
    # '2,684団体 H29.8.31時点' without brackets: the last word
    if as_of is None and rest.endswith(AS_OF_MARK):
        before, _, word = rest.rpartition(" ")
        as_of = _as_of_date(word, where)
        if as_of is not None:
            rest = before
    return rest.strip(), as_of, period, unplaced


def _read_breakdown(text: str, where: str) -> tuple[tuple[str, Decimal], ...]:
    parts = [p.strip() for p in re.split(r"[、;；]", text) if p.strip()]
    result = []
    for part in parts:
        m = _BREAKDOWN_PART_RE.match(part.replace(" ", ""))
        if not m:
            raise MachiplanError(f"cannot read {excerpt(part)} as a part of a breakdown", where=where)
        result.append((m["label"].strip(":： "), Decimal(m["number"].replace(",", ""))))
    return tuple(result)


def parse_breakdown(text: str, *, where: str | None = None) -> tuple[tuple[str, Decimal], ...]:
    """'認定9、仮認定5' (or one part per line) -> (('認定', 9), ('仮認定', 5)); blank -> (). The
    form ``format_breakdown`` writes for labels that one cannot hold, '[["65歳以上", "700"], …]',
    is read exactly."""
    _check_length(text, MAX_CELL_CHARS, "too long for one cell", where)
    if (exact := _breakdown_list(text, where or "breakdown")) is not None:
        return exact
    joined = "、".join(line for line in clean_text(text.replace("\n", "、")).split("、") if line.strip())
    return _read_breakdown(joined, where or "breakdown") if joined else ()


def format_breakdown(parts: tuple[tuple[str, Decimal], ...]) -> str:
    """'認定9、仮認定5'; where that would not read back the same (a label with digits, as 65歳以上
    or 第1地区, or a ';'), the parts as a JSON list of [label, number], which reads back exactly:
    a form or a bulk template shows a figure so that saving it unchanged changes nothing."""
    parts = tuple(parts)
    text = "、".join(f"{label}{format_number(value)}" for label, value in parts)
    try:
        if parse_breakdown(text) == parts:
            return text
    except MachiplanError:
        pass
    plain = [[label, format_number(value).replace(",", "")] for label, value in parts]
    return json.dumps(plain, ensure_ascii=False)


def _breakdown_list(text: str, where: str | None) -> tuple[tuple[str, Decimal], ...] | None:
    """A breakdown written as a JSON list of [label, number] pairs; None for a text that is no JSON
    ('[注]認定9' is read as people write it), an error for JSON that is no such list."""
    if not text.lstrip().startswith("["):
        return None
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except (ValueError, RecursionError):
        return None
    try:
        if isinstance(data, list) and all(
            isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) and isinstance(p[1], str | Decimal)
            for p in data
        ):  # a label of text, a number as digits (not true, which Decimal reads as 1)
            return tuple((label, Decimal(number)) for label, number in data)
    except InvalidOperation:
        pass
    raise MachiplanError(f"cannot read {excerpt(text)} as a list of [label, number]", where=where)


def parse_quantity(text: str, *, default_unit: str | None = None, where: str | None = None) -> Quantity:
    """Read one cell. ``default_unit`` fills in a unit the cell leaves out (e.g. '15 認定9…')."""
    source = text
    _check_length(text, MAX_CELL_CHARS, "too long for one cell", where)
    cleaned = figure_text(text)
    compact = cleaned.replace(" ", "")
    if not compact:
        raise MachiplanError("empty cell", where=where)
    if compact in PENDING_WORDS:
        return Quantity(kind=PENDING, unit=default_unit, source_text=source)
    if compact in NONE_WORDS or set(compact) <= set("—―–-‐−─ー"):
        return Quantity(kind=NONE, unit=default_unit, source_text=source)

    rest, as_of, period, unplaced = _read_parentheticals(cleaned, where)
    approximate = False
    for prefix in APPROXIMATE_PREFIXES:
        if rest.startswith(prefix):
            approximate, rest = True, rest[len(prefix) :].strip()
            break
    m = _MAGNITUDE_RE.match(rest.replace(" ", "", 1) if re.match(r"^[-+▲△] ", rest) else rest)
    if not m:
        raise MachiplanError(f"cannot read {excerpt(source.strip())} as a value", where=where)
    value = _magnitude(m)
    tail = rest[m.end() :].strip()
    unit, breakdown_text = _split_unit(tail)
    if unit is None:
        unit = default_unit
    breakdown = _read_breakdown(breakdown_text, where or excerpt(source.strip())) if breakdown_text else ()
    return Quantity(
        kind=VALUE,
        value=value,
        unit=unit,
        approximate=approximate,
        as_of=as_of,
        breakdown=breakdown,
        period=period,
        note="; ".join(unplaced) or None,
        source_text=source,
    )


def _split_unit(tail: str) -> tuple[str | None, str]:
    """'団体' -> ('団体', ''); '認定9、仮認定5' -> (None, '認定9、…'); '団体 認定9…' -> both."""
    if not tail:
        return None, ""
    first, _, after = tail.partition(" ")
    if re.search(r"\d", first):
        return None, tail  # the breakdown starts straight after the number
    if re.search(r"\d", after):
        return first, after
    # a unit written with a space inside it by the PDF extraction ('団 体')
    return tail.replace(" ", ""), ""


# --- formatting -----------------------------------------------------------------


_WRITTEN_OUT = 1_000  # digits either side of the point up to which a number is written out in full


def decimal_places(value: Decimal) -> int:
    """Digits after the point that carry information: 32.400 -> 1, 2280 -> 0 (exact for any length)."""
    if value.is_finite() and value == value.to_integral_value():
        return 0  # a whole number, however written (32.00): most figures; ten times faster than below
    text = str(value)
    if "E" not in text:  # written out (32.400, -0.05): the digits after the point, less trailing zeros,
        # read off its text at a quarter of the cost of ``as_tuple``: a plan has a million figures
        # (NaN and Infinity, which have no point, come out as 0 here as below)
        point = text.find(".")
        return 0 if point < 0 else len(text[point + 1 :].rstrip("0"))
    _, digits, exponent = value.as_tuple()  # scientific (1.5E-7)
    if not isinstance(exponent, int):
        return 0
    significant = len(digits) - len(bytes(digits).rstrip(b"\0"))  # trailing zeros carry none
    return 0 if significant == len(digits) else max(0, -(exponent + significant))


def format_number(value: Decimal, places: int | None = None) -> str:
    """2280 -> '2,280'; 32.40 -> '32.4'; with places=1, 70 -> '70.0'. Never scientific, never rounded."""
    if not value.is_finite() or abs(value.adjusted()) > _WRITTEN_OUT:
        return str(value)  # no figure is like this: shown as it is rather than a million digits long
    digits = decimal_places(value) if places is None else max(places, decimal_places(value))
    return f"{value:,.{digits}f}"


def format_yen(value: Decimal) -> str:
    """496000000 -> '4億9,600万' (the unit is added by the caller)."""
    if not value.is_finite() or value != value.to_integral_value() or value.copy_abs() < 10_000:
        return format_number(value)
    if value.adjusted() > _WRITTEN_OUT:
        return format_number(value)
    sign, rest, parts = ("-" if value < 0 else ""), int(value.copy_abs()), []
    for name, size in _YEN_GROUPS:
        count, rest = divmod(rest, int(size))
        if count:
            parts.append(f"{format_number(Decimal(count))}{name}")
    if rest:
        parts.append(format_number(Decimal(rest)))
    return sign + "".join(parts)


def format_value(value: Decimal, unit: str | None, places: int | None = None) -> str:
    """A value with its unit as a reader expects it: '2,280団体', '4億9,600万円', '32.4%'."""
    number = format_yen(value) if unit == "円" else format_number(value, places)
    return f"{number}{unit or ''}"


def _format_period(period: tuple[int, int]) -> str:
    start, end = period
    start_era, end_era = era_of_year(start), era_of_year(end)
    # Plans of the Heisei era keep writing Heisei years past 2019 (H26-34): so do we.
    if start_era is HEISEI or start_era is end_era:
        return f"{start_era.letter}{start_era.era_year(start)}-{start_era.era_year(end)}計"
    return f"{start_era.letter}{start_era.era_year(start)}-{end_era.letter}{end_era.era_year(end)}計"


def format_quantity(q: Quantity) -> str:
    """The canonical spelling of a quantity; ``parse_quantity`` reads it back to an equal one."""
    if q.kind == PENDING:
        return PENDING_WORDS[0]
    if q.kind == NONE:
        return NONE_WORDS[0]
    assert q.value is not None
    text = ("約" if q.approximate else "") + format_value(q.value, q.unit)
    if q.breakdown:
        text += " " + "、".join(f"{label}{format_number(v)}" for label, v in q.breakdown)
    if q.period:
        text += f" ({_format_period(q.period)})"
    if q.as_of:
        text += f" ({format_date(q.as_of, style='short')}時点)"
    if q.note:
        text += f" ({q.note})"
    return text


# --- cells of published documents ---------------------------------------------------
#
# Published plans write more than a progress sheet's table: '2,000人以上', '15%以下', '年4回',
# '1.4人/年', '32.0%(平成27年度)', '74.3(2025年)', '全員取得', '4億3,0000万円'. ``read_cell``
# reads them into a ``Cell``: a quantity plus what was around it (an operator, a period the
# figure is counted per, its own year, a state in words), and says what it corrected.

AT_LEAST, AT_MOST, MAINTAIN = "at_least", "at_most", "maintain"
_OPERATOR_SUFFIXES = (
    ("以上", AT_LEAST), ("超", AT_LEAST), ("を上回る", AT_LEAST), ("以下", AT_MOST), ("未満", AT_MOST),
    ("を下回る", AT_MOST), ("を維持", MAINTAIN), ("維持", MAINTAIN), ("の維持", MAINTAIN),
)  # fmt: skip
_PER_WORDS = {"年": "year", "月": "month", "日": "day", "年間": "year", "年度": "year"}
_PER_PREFIX_RE = re.compile(r"^(?:毎|1|一)?(?P<per>年間|年度|年|月|日)(?=[\d約▲△-])")
_PER_SUFFIX_RE = re.compile(
    r"(?:/|／|per)(?P<per>年度|年|月|日)$|(?:1|一)?(?P<per2>年|月|日)(?:あたり|当たり)$"
)
# the figure's own year, in brackets after it: (平成27年度), (2025年), (R2), (令和6年度末), (H31.3末)
_OWN_YEAR_RE = re.compile(
    rf"[(（]\s*(?P<year>(?:(?:{_ERA_TOKEN})\s*(?:\d{{1,2}}|元)|\d{{4}}))\s*(?P<unit>年度|年)?\s*(?P<end>末)?"
    r"(?:\s*[.．]?\s*(?P<month>\d{1,2})\s*(?:月|[.．](?=\s*\d))?\s*(?:(?P<day>\d{1,2})\s*日?)?\s*(?:末|現在|時点)?)?\s*[)）]",
    re.IGNORECASE,
)
_STATE_RE = re.compile(r"^[^\d▲△+\-]*[^\d\s▲△+\-.,%]$")  # words without a figure: 全員取得, 策定, 設置済
_GROUPING_RE = re.compile(r"(?<![\d.])(\d{1,3})((?:,\d+)+)")


@dataclass(frozen=True, slots=True)
class Cell:
    """One value as a published document writes it."""

    quantity: Quantity | None  # None: words, not a figure (see ``text``)
    operator: str | None = None  # at_least | at_most | maintain
    per: str | None = None  # year | month | day: a figure per period (年4回, 1.4人/年)
    fy: int | None = None  # its own year, written beside it
    period: str = "fy"  # fy (年度) | cy (年)
    as_of: dt.date | None = None  # 年度末, 2024年度末 -> the last day of that fiscal year
    text: str = ""  # a state or a target in words (全員取得)
    corrected: str = ""  # what was read differently from the text, and why (a typo)
    source_text: str = ""
    corrected_ja: str = ""  # ``corrected`` in Japanese


def read_cell(text: str, *, default_unit: str | None = None, where: str | None = None) -> Cell:
    """Read one value of a published document; ``MachiplanError`` when it is neither a figure nor words."""
    _check_length(text, MAX_CELL_CHARS, "too long for one cell", where)
    source = text
    cleaned = clean_text(text)
    fy, period, as_of = None, "fy", None
    m = _OWN_YEAR_RE.search(cleaned)
    if m:
        fy, period, as_of = _own_year(m)
        cleaned = (cleaned[: m.start()] + " " + cleaned[m.end() :]).strip()
    compact = cleaned.replace(" ", "")
    if not compact:
        raise MachiplanError("empty cell", where=where)
    operator = None
    for suffix, op in _OPERATOR_SUFFIXES:
        if compact.endswith(suffix) and len(compact) > len(suffix):
            operator, compact = op, compact[: -len(suffix)]
            break
    per = None
    pm = _PER_SUFFIX_RE.search(compact)
    if pm and pm.start() > 0:
        per = _PER_WORDS[pm["per"] or pm["per2"]]
        compact = compact[: pm.start()]
    pm = _PER_PREFIX_RE.match(compact)
    if pm:
        per, compact = _PER_WORDS[pm["per"]], compact[pm.end() :]
    corrected = corrected_ja = ""
    fixed = fix_grouping(compact)
    if fixed != compact:
        corrected = f"{excerpt(compact)} read as {excerpt(fixed)} (digits grouped wrongly)"
        corrected_ja = f"{excerpt(compact)}を{excerpt(fixed)}と読みました（桁区切りの誤り）"
        compact = fixed
    if compact in NONE_WORDS or compact in PENDING_WORDS or set(compact) <= set("—―–-‐−─ー"):
        return Cell(parse_quantity(compact, default_unit=default_unit), operator, per, fy, period, as_of,
                    source_text=source)  # fmt: skip
    if compact and compact[0] in "―—–‐−─ー" and not re.search(r"\d", compact):  # '― 件/年'
        unit = compact.lstrip("―—–‐−─ー") or default_unit
        return Cell(Quantity(kind=NONE, unit=unit, source_text=source), operator, per, fy, period, as_of,
                    source_text=source)  # fmt: skip
    if _STATE_RE.match(compact) and not any(compact.startswith(p) for p in APPROXIMATE_PREFIXES):
        return Cell(None, operator, per, fy, period, as_of, text=compact, source_text=source)
    quantity = parse_quantity(compact, default_unit=default_unit, where=where)
    return Cell(replace(quantity, source_text=source), operator, per, fy, period, as_of or quantity.as_of,
                corrected=corrected, source_text=source, corrected_ja=corrected_ja)  # fmt: skip


def _own_year(m: re.Match[str]) -> tuple[int, str, dt.date | None]:
    from .fiscal import parse_fiscal_year

    year = parse_fiscal_year(m["year"].replace(" ", ""))
    if m["unit"] == "年" and not m["end"] and not m["month"]:
        return year, "cy", None  # (2025年), (平成26年): a calendar year
    if m["month"]:  # (H31.3末)-like: a date within the year
        month = int(m["month"])
        day = int(m["day"]) if m["day"] else _last_day(year, month)
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return year, "fy", None
        fy = date.year if date.month >= 4 else date.year - 1
        return fy, "fy", date
    if m["end"]:  # 2024年度末: the last day of the fiscal year
        return year, "fy", dt.date(year + 1, 3, 31)
    return year, "fy", None


def _last_day(year: int, month: int) -> int:
    if not 1 <= month <= 12:
        return 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def fix_grouping(text: str) -> str:
    """'4億3,0000万円' -> '4億3,000万円': groups of four digits ending in 0 after a comma are a typo
    of three (as documents and tables write them); other groupings are left as written."""

    def fix(m: re.Match[str]) -> str:
        groups = m.group(2).split(",")[1:]
        if all(len(g) == 3 for g in groups):
            return m.group(0)
        if all(len(g) in (3, 4) for g in groups) and all(g.endswith("0") for g in groups if len(g) == 4):
            return m.group(1) + "".join("," + g[:3] for g in groups)
        return m.group(0)

    return _GROUPING_RE.sub(fix, text)


# '32.0%(平成27年度)→40.0%(令和2年度)', '1.4人/年 → 4組/年', '検討(R3)→試行(R4)→実施(R5)'
_ARROW_RE = re.compile(r"\s*(?:→|⇒|➡|➔|⇨|->|=>)\s*")


def split_arrows(text: str) -> list[str]:
    """The stages of 'a → b → c' (one part when there is no arrow)."""
    return [part for part in _ARROW_RE.split(text.strip())]
