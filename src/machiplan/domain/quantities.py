"""Quantities as progress sheets write them, parsed into value, unit and their qualifiers.

Every format of DOMAIN.md §2 is read, and ``format_quantity`` writes the
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
import re
import unicodedata
from dataclasses import dataclass, field
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
    """'認定9、仮認定5' (or one part per line) -> (('認定', 9), ('仮認定', 5)); blank -> ()."""
    _check_length(text, MAX_CELL_CHARS, "too long for one cell", where)
    joined = "、".join(line for line in clean_text(text.replace("\n", "、")).split("、") if line.strip())
    return _read_breakdown(joined, where or "breakdown") if joined else ()


def format_breakdown(parts: tuple[tuple[str, Decimal], ...]) -> str:
    return "、".join(f"{label}{format_number(value)}" for label, value in parts)


def parse_quantity(text: str, *, default_unit: str | None = None, where: str | None = None) -> Quantity:
    """Read one cell. ``default_unit`` fills in a unit the cell leaves out (e.g. '15 認定9…')."""
    source = text
    _check_length(text, MAX_CELL_CHARS, "too long for one cell", where)
    cleaned = clean_text(text)
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
    _, digits, exponent = value.as_tuple()
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
