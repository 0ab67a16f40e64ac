"""Japanese fiscal years (年度) and eras (元号): parse every common spelling, format both ways.

A fiscal year runs 1 April to 31 March and is named here by the Western year
it starts in: FY2017 = 平成29年度 = 2017-04-01 … 2018-03-31.

Plans written before 2019 name Heisei years that never happened (H34); they
are accepted and mean the Western year all the same (H34 = 2022 = 令和4年度).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from .errors import MachiplanError, excerpt

# The fiscal years machiplan keeps, one definition for every way in (package, sheet, form,
# bulk upload, API): from FY1927, the first fiscal year wholly in Shōwa, the oldest era
# machiplan writes (every year and date is also shown as 和暦), to FY2200, far past any
# plan's horizon (strategic visions reach 2050 to 2100). Both fit the database's
# small-integer year columns.
FIRST_FY, LAST_FY = 1927, 2200


def fy_in_range(fy: object) -> bool:
    """Whether ``fy`` is a year machiplan keeps (an int from FIRST_FY to LAST_FY)."""
    return isinstance(fy, int) and not isinstance(fy, bool) and FIRST_FY <= fy <= LAST_FY


@dataclass(frozen=True, slots=True)
class Era:
    name: str  # 平成
    letter: str  # H
    romaji: str  # Heisei
    first_year: int  # the Western year of 元年
    start: dt.date  # the first day of the era

    def western_year(self, era_year: int) -> int:
        return self.first_year + era_year - 1

    def era_year(self, western_year: int) -> int:
        return western_year - self.first_year + 1


REIWA = Era("令和", "R", "Reiwa", 2019, dt.date(2019, 5, 1))
HEISEI = Era("平成", "H", "Heisei", 1989, dt.date(1989, 1, 8))
SHOWA = Era("昭和", "S", "Showa", 1926, dt.date(1926, 12, 25))
ERAS = (REIWA, HEISEI, SHOWA)  # newest first
_ERA_BY_TOKEN = {token: era for era in ERAS for token in (era.name, era.letter, era.letter.lower())}
_ERA_TOKEN = "|".join(sorted(_ERA_BY_TOKEN, key=len, reverse=True))

_FY_RE = re.compile(
    rf"^(?:FY)?(?:(?P<era>{_ERA_TOKEN})(?P<n>\d{{1,2}}|元)|(?P<western>\d{{4}}))(?:年度|年)?$",
    re.IGNORECASE,
)
_DATE_RE = re.compile(
    rf"^(?:(?P<era>{_ERA_TOKEN})(?P<n>\d{{1,2}}|元)|(?P<western>\d{{4}}))"
    r"[.\-/年](?P<month>\d{1,2})[.\-/月](?P<day>\d{1,2})日?\.?$",
    re.IGNORECASE,
)


def normalize(text: str) -> str:
    """Full-width digits and letters to ASCII, whitespace removed: the form the parsers read."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _western(era_token: str | None, n: str | None, western: str | None) -> int:
    if western is not None:
        return int(western)
    assert era_token is not None and n is not None
    era = _ERA_BY_TOKEN[era_token]
    number = 1 if n == "元" else int(n)
    if number < 1:
        raise MachiplanError(f"era year must be 1 or more: {era.name}{n}")
    return era.western_year(number)


def parse_fiscal_year(text: str) -> int:
    """'H29', '平成29年度', 'R1', '令和元年度', 'Ｈ２９', '2017年度', 'FY2017' -> 2017."""
    m = _FY_RE.match(normalize(text))
    if not m:
        raise MachiplanError(f"not a fiscal year: {excerpt(text)} (write e.g. 2017, H29, 平成29年度, R1)")
    return _western(m["era"], m["n"], m["western"])


def parse_date(text: str) -> dt.date:
    """'H29.9.15', 'H29.8.31.', '平成29年9月15日', 'R1.5.1', '2017-09-15' -> a date."""
    m = _DATE_RE.match(normalize(text))
    if not m:
        raise MachiplanError(f"not a date: {excerpt(text)} (write e.g. H29.9.15 or 2017-09-15)")
    year = _western(m["era"], m["n"], m["western"])
    try:
        return dt.date(year, int(m["month"]), int(m["day"]))
    except ValueError as exc:
        raise MachiplanError(f"not a date: {excerpt(text)} ({exc})") from None


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year a date falls in: 2018-03-31 is in FY2017."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(fy: int) -> tuple[dt.date, dt.date]:
    if not dt.MINYEAR <= fy < dt.MAXYEAR:  # FY9999 would end in the year 10000
        raise MachiplanError(f"FY{fy} is outside the calendar (FY{dt.MINYEAR}–FY{dt.MAXYEAR - 1})")
    return dt.date(fy, 4, 1), dt.date(fy + 1, 3, 31)


def fiscal_year_fraction(day: dt.date) -> float:
    """The share of its fiscal year that has passed at the end of ``day`` (0 < x ≤ 1)."""
    start, end = fiscal_year_bounds(fiscal_year_of(day))
    return ((day - start).days + 1) / ((end - start).days + 1)


def year_bounds(year: int, period: str = "fy") -> tuple[dt.date, dt.date]:
    """The first and last day of a fiscal year ('fy', April–March) or a calendar year ('cy')."""
    return fiscal_year_bounds(year) if period == "fy" else (dt.date(year, 1, 1), dt.date(year, 12, 31))


def year_fraction(day: dt.date, period: str = "fy") -> float:
    """The share of its fiscal or calendar year that has passed at the end of ``day`` (0 < x ≤ 1)."""
    if period == "fy":
        return fiscal_year_fraction(day)
    start, end = year_bounds(day.year, period)
    return ((day - start).days + 1) / ((end - start).days + 1)


def era_of_year(year: int) -> Era:
    """The era a (fiscal) year is named in: FY2019 is 令和元年度, as Japanese documents write it."""
    for era in ERAS:
        if year >= era.first_year:
            return era
    raise MachiplanError(f"year {year} is before the Showa era")


def era_of_date(day: dt.date) -> Era:
    for era in ERAS:
        if day >= era.start:
            return era
    raise MachiplanError(f"date {day} is before the Showa era")


def _era_number(n: int) -> str:
    return "元" if n == 1 else str(n)


def format_fiscal_year(fy: int, *, style: str = "kanji", western: bool = False) -> str:
    """FY2017 as '平成29年度' (kanji) or 'H29' (short); '平成29年度 (2017)' with western."""
    era = era_of_year(fy)
    n = era.era_year(fy)
    if style == "kanji":
        text = f"{era.name}{_era_number(n)}年度"
    elif style == "short":
        text = f"{era.letter}{n}"
    else:
        raise ValueError(f"unknown style {style!r}")
    return f"{text} ({fy})" if western else text


def heisei_spelling(fy: int) -> str | None:
    """The Heisei name a pre-2019 plan would have used for a Reiwa year (2022 -> '平成34年度')."""
    if fy < REIWA.first_year:
        return None
    return f"{HEISEI.name}{HEISEI.era_year(fy)}年度"


def format_date(day: dt.date, *, style: str = "kanji") -> str:
    """2017-09-15 as '平成29年9月15日' (kanji) or 'H29.9.15' (short)."""
    era = era_of_date(day)
    n = era.era_year(day.year)
    if style == "kanji":
        return f"{era.name}{_era_number(n)}年{day.month}月{day.day}日"
    if style == "short":
        return f"{era.letter}{n}.{day.month}.{day.day}"
    raise ValueError(f"unknown style {style!r}")
