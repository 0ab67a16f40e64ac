"""A number in a workbook's cell as a person sees it, by the cell's number format: 0.324 formatted
as a percentage reads ``32.4%``, 32 formatted with one decimal ``32.0``, 2280 with thousands
``2,280``; General writes the number out without an exponent (0.00005, never ``5e-05``). As in
Excel, a format shows at most 30 decimals, and one longer than Excel allows (255 characters) is
not read: the number reads as for General. The table import (tables/grid.py) and the staff bulk
upload (entry_sheet.py) read a typed number through this one function, so that a figure a
person typed as 70.1% is 70.1% whichever way it comes in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

MAX_FORMAT_CHARS = 255  # Excel's longest number format: a longer one is read as General
MAX_DECIMALS = 30  # the most decimals Excel shows
_QUOTED_RE = re.compile(r'"[^"]*"|\\.')  # literal text in a format: "kg", \%
_LITERAL_RE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # and [Red], [>=100], [$-411]
_DIGIT_RE = re.compile(r"[0#?]")
_GROUPED_RE = re.compile(r"[0#?],[0#?]")
_DECIMALS_RE = re.compile(r"\.([0#?]+)")


@dataclass(frozen=True, slots=True)
class _Shown:
    """What a number format does to a number's text."""

    percent: bool  # times 100, with a % sign
    places: int | None  # the decimals shown ('0.0%' -> 1, '#,##0' -> 0); None for General
    grouped: bool  # thousands separated by commas


_GENERAL = _Shown(percent=False, places=None, grouped=False)


@lru_cache(maxsize=1024)  # at most 1,024 formats of at most 255 characters
def _format(number_format: str) -> _Shown:
    """A number format read once, not once per cell: a sheet has few formats and many cells."""
    section = number_format.split(";")[0]  # the positive numbers' section
    percent = "%" in section.replace('"%"', "").replace("\\%", "")
    cleaned = _LITERAL_RE.sub("", section)
    if not _DIGIT_RE.search(cleaned):
        return _Shown(percent=percent, places=None, grouped=False)
    m = _DECIMALS_RE.search(cleaned)
    places = min(len(m.group(1)), MAX_DECIMALS) if m else 0
    grouped = _GROUPED_RE.search(_QUOTED_RE.sub("", section)) is not None
    return _Shown(percent=percent, places=places, grouped=grouped)


def number_as_shown(value: int | float, number_format: str) -> str:
    """``value`` (an int or a float openpyxl read) as ``number_format`` shows it."""
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    # a format longer than Excel allows is not read: a workbook may hold one of any length
    shown = _format(number_format) if len(number_format) <= MAX_FORMAT_CHARS else _GENERAL
    if shown.percent:
        number *= 100
    if shown.places is not None:
        exponent = number.normalize().as_tuple().exponent
        places = max(shown.places, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
        text = f"{number:{',' if shown.grouped else ''}.{places}f}"
    else:
        text = _plain(number)
    return text + ("%" if shown.percent else "")


def _plain(number: Decimal) -> str:
    """A number without an exponent, without trailing zeros after the point."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
