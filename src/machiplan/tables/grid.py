"""A sheet as a grid: each non-blank cell's text with its address, and the merged ranges.

XLSX (any sheet of a workbook) or CSV (UTF-8 with or without BOM, UTF-16, CP932), read within
the bulk upload's limits (interchange/entry_sheet.py): the file's size, the workbook's size
uncompressed before openpyxl sees it, the rows walked through and kept, the columns read, a
cell's length. A formula whose result the file does not hold, or a cell too long, is a problem of
that cell (its text left blank), which the importer reports as a warning naming the cell.

A cell's text is what a person sees: a number Excel formats as a percentage (0.324 shown as
32.4%) reads ``32.4%``, one formatted with one decimal (32 shown as 32.0) reads ``32.0``
(interchange/shown.py, as the bulk upload reads it), a typed date reads ``2022-09-30``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from machiplan.domain.errors import MachiplanError, excerpt
from machiplan.interchange import entry_sheet
from machiplan.interchange.entry_sheet import FORMULA, TOO_LONG, check_workbook, column_letter
from machiplan.interchange.shown import number_as_shown
from machiplan.sheets.encoding import decode

__all__ = ["FORMULA", "TOO_LONG", "Grid", "Merged", "column_index", "column_letter", "read_grid"]

MAX_FILE_BYTES = entry_sheet.MAX_FILE_BYTES  # an upload: 5 MB
MAX_COLUMNS = entry_sheet.MAX_COLUMNS  # columns read of each row: 50
MAX_CELL_CHARS = entry_sheet.MAX_CELL_CHARS  # a longer cell is a problem of that cell: 1,000
MAX_MERGED_CELLS = 500_000  # cells inside merged ranges, within the rows and columns read
_MERGE_RE = re.compile(
    rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]{1,3}[0-9]{1,7}(?::[A-Za-z]{1,3}[0-9]{1,7})?)\""
)
_CELL_RE = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")


@dataclass(frozen=True, slots=True)
class Merged:
    """A merged range: rows counted from 1, columns from 0 (A = 0), both ends included."""

    top: int
    left: int
    bottom: int
    right: int


@dataclass(frozen=True)
class Grid:
    """The cells of one sheet as text; ``rows`` holds the non-blank rows by their number."""

    file: str  # the file's name: 成果指標.xlsx
    sheet: str | None  # the sheet's name; None for a CSV file
    rows: dict[int, tuple[str, ...]]
    merged: tuple[Merged, ...] = ()
    problems: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> FORMULA | TOO_LONG
    encoding: str | None = None  # a CSV file's
    sheets: tuple[str, ...] = ()  # every sheet of the workbook
    beyond: tuple[int, ...] = ()  # rows with something past the columns read

    @property
    def numbers(self) -> list[int]:
        return sorted(self.rows)

    @property
    def width(self) -> int:
        return max((len(cells) for cells in self.rows.values()), default=0)

    def text(self, row: int, col: int) -> str:
        cells = self.rows.get(row, ())
        return cells[col] if col < len(cells) else ""

    def anchor(self, row: int, col: int) -> tuple[int, int]:
        """The first cell of the merged range the cell is in (the cell itself when it is in none)."""
        return self._anchors.get((row, col), (row, col))

    def filled(self, row: int, col: int) -> str:
        """The cell's text, or the text of the merged range it is inside."""
        return self.text(*self.anchor(row, col))

    def span(self, row: int, col: int) -> int:
        """The columns a cell's merged range covers (1 when it is in none)."""
        found = self._spans.get(self.anchor(row, col))
        return found if found is not None else 1

    def cell(self, row: int, col: int) -> str:
        return f"{column_letter(col)}{row}"

    def address(self, row: int, col: int | None = None) -> str:
        """Where a cell is, as provenance: 成果指標.xlsx!Sheet1!D7 (kpi.csv!D7 for a CSV file)."""
        place = self.cell(row, col) if col is not None else str(row)
        return f"{self.file}!{self.sheet}!{place}" if self.sheet is not None else f"{self.file}!{place}"

    @property
    def where(self) -> str:
        """The sheet itself: 成果指標.xlsx!Sheet1, or the CSV file's name."""
        return f"{self.file}!{self.sheet}" if self.sheet is not None else self.file

    @cached_property
    def _anchors(self) -> dict[tuple[int, int], tuple[int, int]]:
        last = max(self.rows, default=0)
        found: dict[tuple[int, int], tuple[int, int]] = {}
        for m in self.merged:
            bottom, right = min(m.bottom, last), min(m.right, MAX_COLUMNS - 1)
            if (bottom - m.top + 1) * (right - m.left + 1) + len(found) > MAX_MERGED_CELLS:
                raise MachiplanError(
                    f"more than {MAX_MERGED_CELLS:,} merged cells: unmerge them or split the sheet",
                    where=self.where,
                )
            for row in range(m.top, bottom + 1):
                for col in range(m.left, right + 1):
                    if (row, col) != (m.top, m.left):
                        found[(row, col)] = (m.top, m.left)
        return found

    @cached_property
    def _spans(self) -> dict[tuple[int, int], int]:
        return {(m.top, m.left): m.right - m.left + 1 for m in self.merged}


def column_index(letters: str) -> int:
    """'A' -> 0, 'AA' -> 26: the inverse of ``column_letter``."""
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1


def read_grid(data: bytes, name: str, *, sheet: str | None = None) -> Grid:
    """The grid of a CSV file or of a workbook's sheet (``sheet``: its name; the first by default).
    Told apart by content, not by name."""
    if len(data) > MAX_FILE_BYTES:
        raise MachiplanError(
            f"too large: {len(data):,} bytes (at most {MAX_FILE_BYTES // (1024 * 1024)} MB): split the file",
            where=name,
        )
    if data.startswith(b"PK"):
        return _read_xlsx(data, name, sheet)
    if sheet is not None:
        raise MachiplanError("a CSV file has no sheets (leave out the sheet)", where=name)
    return _read_csv(data, name)


# --- CSV ------------------------------------------------------------------------------------


def _read_csv(data: bytes, name: str) -> Grid:
    text, encoding = decode(data, name=name)
    records = entry_sheet.CsvRecords(text, name)
    rows, problems, beyond = _kept(entry_sheet.rows_within_limits(records, name, header=False))
    return Grid(file=name, sheet=None, rows=rows, problems=problems, encoding=encoding, beyond=beyond)


def _kept(
    found: Iterator[tuple[int, list[str]]],
) -> tuple[dict[int, tuple[str, ...]], dict[tuple[int, int], str], tuple[int, ...]]:
    """The rows as kept: the columns read, a cell too long left blank and noted."""
    rows: dict[int, tuple[str, ...]] = {}
    problems: dict[tuple[int, int], str] = {}
    beyond: list[int] = []
    for number, cells in found:
        if any(c.strip() for c in cells[MAX_COLUMNS:]):
            beyond.append(number)
        kept = []
        for col, text in enumerate(cells[:MAX_COLUMNS]):
            if len(text) > MAX_CELL_CHARS:
                problems[(number, col)] = TOO_LONG
                text = ""
            kept.append(text.strip())
        while kept and not kept[-1]:
            kept.pop()
        if kept:
            rows[number] = tuple(kept)
    return rows, problems, tuple(beyond)


# --- XLSX -----------------------------------------------------------------------------------


def _read_xlsx(data: bytes, name: str, wanted: str | None) -> Grid:
    formulas = check_workbook(data, name)  # sizes, parts, before any XML parser sees them
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            titles = tuple(book.sheetnames)
            sheet = _sheet(book, titles, wanted, name)
            title, path = sheet.title, sheet._worksheet_path
            sheet.reset_dimensions()  # the declared size may be wrong: read the rows there are
            texts = (
                [_text(c) for c in row] for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=False)
            )
            rows, problems, beyond = _kept(entry_sheet.rows_within_limits(texts, name, header=False))
        finally:
            book.close()
        if formulas and rows:
            problems.update(_formulas_without_results(data, title, rows))
        merged = _merged(data, path, name)
    except MachiplanError:
        raise
    except Exception as exc:  # a broken workbook: openpyxl and the XML parser raise anything
        raise MachiplanError(f"not a readable Excel workbook ({type(exc).__name__})", where=name) from None
    return Grid(
        file=name, sheet=title, rows=rows, merged=merged, problems=problems, sheets=titles, beyond=beyond
    )


def _sheet(book, titles: tuple[str, ...], wanted: str | None, name: str):
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    if wanted is None:
        sheets = [s for s in book.worksheets if isinstance(s, ReadOnlyWorksheet)]
        if not sheets:
            raise MachiplanError("the workbook has no worksheet (only charts?)", where=name)
        return sheets[0]
    if wanted not in titles:
        raise MachiplanError(
            f"no sheet named {excerpt(wanted)} (the sheets: {', '.join(titles)})", where=name
        )
    sheet = book[wanted]
    if not isinstance(sheet, ReadOnlyWorksheet):
        raise MachiplanError(f"the sheet {excerpt(wanted)} is a chart, not a table", where=name)
    return sheet


def _formulas_without_results(data: bytes, title: str, rows: dict[int, tuple[str, ...]]) -> dict:
    """The cells holding a formula whose result the file does not hold (they read as blank)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    found: dict[tuple[int, int], str] = {}
    try:
        sheet = book[title]
        sheet.reset_dimensions()
        last = max(rows)
        for number, row in enumerate(sheet.iter_rows(max_row=last, max_col=MAX_COLUMNS, values_only=True), 1):
            for col, value in enumerate(row):
                # '=…', or an array or data-table formula (openpyxl gives those as objects)
                formula = isinstance(value, str) and value.startswith("=")
                if not (formula or type(value).__name__ in ("ArrayFormula", "DataTableFormula")):
                    continue
                kept = rows.get(number, ())
                if col >= len(kept) or not kept[col]:
                    found[(number, col)] = FORMULA
    finally:
        book.close()
    return found


def _merged(data: bytes, path: str, name: str) -> tuple[Merged, ...]:
    from openpyxl.utils.cell import range_boundaries

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(path.lstrip("/"))  # its size is checked: at most the workbook's limit
    ranges = []
    for ref in _MERGE_RE.findall(xml):
        left, top, right, bottom = range_boundaries(ref.decode("ascii").upper())
        if left is None or top is None or right is None or bottom is None:
            continue
        if (right - left + 1) * (bottom - top + 1) > 1:
            ranges.append(Merged(top=top, left=left - 1, bottom=bottom, right=right - 1))
    if len(ranges) > MAX_MERGED_CELLS:
        raise MachiplanError(f"more than {MAX_MERGED_CELLS:,} merged ranges", where=name)
    return tuple(ranges)


def _text(cell) -> str:
    """A typed cell as a person sees it (see the module's notes)."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        return number_as_shown(value, getattr(cell, "number_format", None) or "General")
    return str(value)


def parse_cell_ref(ref: str) -> tuple[int, int] | None:
    """'D7' -> (7, 3); None when it is no cell reference."""
    m = _CELL_RE.fullmatch(ref.strip())
    return (int(m.group(2)), column_index(m.group(1))) if m else None
