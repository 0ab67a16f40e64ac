"""The bulk-entry template: one row per indicator and year, as CSV (UTF-8 with BOM, for Excel) or XLSX.

Writing fills in the figures as they stand; reading gives every row's cells as
text with its row number, so each error can name its row and column. A text a
spreadsheet would run ('=…') is written quoted and read back as it was
(spreadsheet_safety.py), so a template uploaded unchanged changes nothing.

Reading keeps to its limits while it reads — the file's size, a workbook's size
uncompressed (checked before the XML parser sees it), rows, columns, a cell's
length — and turns whatever a broken file makes a parser raise into one error.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from machiplan.domain import figures
from machiplan.domain import plan as domain
from machiplan.domain.errors import MachiplanError
from machiplan.domain.labels import OBSERVATION_KIND_LABELS
from machiplan.interchange.cells import csv_problem
from machiplan.interchange.shown import number_as_shown
from machiplan.interchange.spreadsheet_safety import csv_cell, csv_text_back, xlsx_value
from machiplan.sheets.encoding import decode

# (key, Japanese header, English header); the Japanese header is what the template shows. The figure's
# own columns are its fields as domain/figures.py defines them, in that order.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("indicator", "指標コード", "indicator"),
    ("name", "指標名", "name"),
    ("unit", "単位", "unit"),
    ("previous", "前年度の値", "previous year"),
    *((f.name, f.ja, f.en) for f in figures.FIGURE_FIELDS),
    ("data_source", "出典", "source"),
    ("reason", "確認理由", "reason"),
    ("revision", "版", "revision"),
)
KEYS = tuple(key for key, _, _ in COLUMNS)
# the headers of templates downloaded before series, periods and states were columns: still read
EARLIER_HEADERS = {"注記": "note", "fiscal year": "fy"}
# how the template writes a figure's kind and period (the reader takes these and the codes)
KIND_NAMES = {**OBSERVATION_KIND_LABELS["ja"], domain.NONE: "―"}  # CP932 (Excel's CSV) has ― (U+2015), not —
PERIOD_NAMES = {domain.FISCAL_YEAR: "年度", domain.CALENDAR_YEAR: "暦年"}
REQUIRED = ("indicator", "fy", "kind", "value")
READ_ONLY = ("name", "unit", "previous")  # shown to help; changes there are ignored
HEADER_OF = {key: ja for key, ja, _ in COLUMNS}
_BY_HEADER = {
    **{h.casefold(): key for h, key in EARLIER_HEADERS.items()},
    **{h.casefold(): key for key, ja, en in COLUMNS for h in (ja, en, key)},
}
MAX_ROWS = 5_000  # about eight seconds of checking on the benchmark machine: split bigger files
MAX_FILE_BYTES = (
    5 * 1024 * 1024
)  # an upload; a filled 5,000-row template is about 1 MB (CSV) or 0.3 MB (XLSX)
MAX_UNCOMPRESSED_BYTES = 25 * 1024 * 1024  # a workbook unzipped: a filled 5,000-row template is about 6 MB
MAX_ZIP_MEMBERS = 1_000
# A zip with no worksheet: a workbook of charts only, or another zip (a backup, a .docx) named as one.
# Said alike by the bulk upload and import-table, so it names no template.
NO_WORKSHEET = (
    "not an Excel workbook: the zip holds no worksheet (a workbook of charts only, or another kind of file)"
)
MAX_SHEET_ROWS = 4 * MAX_ROWS  # rows walked through, blank ones included
MAX_COLUMNS = 50  # read of each row; the template has 20: room for a person's own notes beside them
MAX_CELL_CHARS = 1_000  # a note or a source is a sentence or two; 出典 is kept to 300
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")  # a formula element in a worksheet's XML

# What can be wrong with one cell; the staff side words each (bulk.MESSAGES).
FORMULA = "formula"  # a formula whose result the file does not hold
TOO_LONG = "too_long"


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # the row in the file, counting the header as 1
    cells: dict[str, str]
    problems: dict[str, str] = field(default_factory=dict)  # key -> FORMULA | TOO_LONG (its cell is blank)

    def column(self, key: str) -> str:
        """The column's name as the person sees it in the file: 値 (F)."""
        return HEADER_OF[key]


def write_csv(rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([ja for _, ja, _ in COLUMNS])
    writer.writerows(["" if v is None else csv_cell(v) for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(rows: Iterable[Sequence[object]], *, title: str = "入力") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([ja for _, ja, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF2F6")
    for row in rows:
        sheet.append(["" if v is None else xlsx_value(sheet, str(v)) for v in row])
    grey = PatternFill("solid", fgColor="F2F2F2")
    for key in (*READ_ONLY, "revision"):
        col = KEYS.index(key) + 1
        for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.fill = grey
    for key, words in (("kind", KIND_NAMES), ("period", PERIOD_NAMES)):
        choices = DataValidation(type="list", formula1='"' + ",".join(words.values()) + '"', allow_blank=True)
        sheet.add_data_validation(choices)
        letter = sheet.cell(row=1, column=KEYS.index(key) + 1).column_letter
        choices.add(f"{letter}2:{letter}{max(sheet.max_row, 2)}")
    for key, width in (
        ("name", 40),
        ("previous", 16),
        ("text", 16),
        ("note", 30),
        ("breakdown", 24),
        ("data_source", 24),
        ("reason", 24),
    ):
        sheet.column_dimensions[sheet.cell(row=1, column=KEYS.index(key) + 1).column_letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_rows(data: bytes, *, name: str) -> list[Row]:
    """The filled-in rows of a template, CSV or XLSX (told apart by content, not by name)."""
    if len(data) > MAX_FILE_BYTES:
        raise MachiplanError(
            f"too large: {len(data):,} bytes (at most {MAX_FILE_BYTES // (1024 * 1024)} MB): split the file",
            where=name,
        )
    header, body = _xlsx_table(data, name) if data.startswith(b"PK") else _csv_table(data, name)
    if not header:
        raise MachiplanError("the file is empty", where=name)
    keys = [_BY_HEADER.get(h.strip().casefold()) for h in header]
    beyond = [f"{HEADER_OF[k]} ({_column_letter(i)})" for i, k in enumerate(keys) if k and i >= MAX_COLUMNS]
    if beyond:
        raise MachiplanError(
            f"row 1: only the first {MAX_COLUMNS} columns are read: move {', '.join(beyond)} to the left",
            where=name,
        )
    keys = keys[:MAX_COLUMNS]
    for key in dict.fromkeys(k for k in keys if k):
        where = [_column_letter(i) for i, k in enumerate(keys) if k == key]
        if len(where) > 1:
            raise MachiplanError(
                f"row 1: the column {HEADER_OF[key]} is there twice (columns {' and '.join(where)}): keep one",
                where=name,
            )
    missing = [HEADER_OF[k] for k in REQUIRED if k not in keys]
    if missing:
        raise MachiplanError(
            f"row 1: the columns {', '.join(missing)} are missing (download a new template)", where=name
        )
    rows = []
    for number, cells, formulas in body:
        values: dict[str, str] = {}
        problems: dict[str, str] = {}
        for i, key in enumerate(keys):
            if not key:
                continue
            text = cells[i].strip() if i < len(cells) else ""
            if i in formulas:
                problems[key], text = FORMULA, ""
            elif len(text) > MAX_CELL_CHARS:
                problems[key], text = TOO_LONG, ""
            values[key] = text
        rows.append(Row(number=number, cells=values, problems=problems))
    return rows


# header, then (row number, cells, the columns holding a formula without its value) of non-blank rows
Table = tuple[list[str], list[tuple[int, list[str], set[int]]]]


def _column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA': the column as Excel names it."""
    letters, index = "", index + 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def _rows_of(
    cells_by_row: Iterable[list[str]], name: str, *, first: int = 1, header: bool = True
) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows, numbered from ``first``, up to the limits (the header, if still to come, and
    MAX_ROWS rows; MAX_SHEET_ROWS rows walked through): reading stops at the first row too many."""
    seen = 0
    for number, cells in enumerate(cells_by_row, start=first):
        if number > MAX_SHEET_ROWS:
            raise MachiplanError(
                f"more than {MAX_SHEET_ROWS:,} rows (blank ones included): delete the empty rows at the end",
                where=name,
            )
        if any(c.strip() for c in cells):
            seen += 1
            if seen > MAX_ROWS + header:
                raise MachiplanError(f"more than {MAX_ROWS:,} rows: split the file", where=name)
            yield number, cells


class CsvRecords:
    """A CSV text's records, one list of cells each (CR, LF and CRLF line ends alike); ``line`` is the
    line the record last given ends on (a cell may hold a line break). A malformed record is one
    error naming its line."""

    def __init__(self, text: str, name: str) -> None:
        self._reader = csv.reader(io.StringIO(text, newline=""))
        self.name = name

    @property
    def line(self) -> int:
        return self._reader.line_num

    def __iter__(self) -> Iterator[list[str]]:
        return self

    def __next__(self) -> list[str]:
        try:
            return next(self._reader)
        except csv.Error as exc:
            raise MachiplanError(
                f"line {self.line}: not valid CSV: {csv_problem(exc)}", where=self.name
            ) from None


def _csv_table(data: bytes, name: str) -> Table:
    text, _ = decode(data, name=name)
    records = CsvRecords(text, name)
    header: list[str] = []
    body = []
    for _number, cells in _rows_of(records, name):
        if not header:
            header = cells
        else:
            body.append((records.line, [csv_text_back(c) for c in cells], set()))
    return header, body


def _check_zip(data: bytes, name: str) -> bool:
    """Whether a workbook is safe to parse: its size unzipped, declared and actual, within the limit,
    every part intact, a worksheet among them. Answers whether a worksheet holds formulas."""
    limit = f"at most {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise MachiplanError(f"not an Excel workbook ({exc})", where=name) from None
    formulas = False
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise MachiplanError(f"not an Excel workbook: {len(members):,} parts", where=name)
        declared = sum(m.file_size for m in members)
        if declared > MAX_UNCOMPRESSED_BYTES:
            raise MachiplanError(f"{declared:,} bytes uncompressed ({limit}): split the file", where=name)
        sheets = [m for m in members if re.fullmatch(r"xl/worksheets/[^/]+\.xml", m.filename)]
        if not sheets:
            raise MachiplanError(NO_WORKSHEET, where=name)
        actual = 0
        try:
            for member in members:
                tail = b""
                with archive.open(member) as part:
                    while chunk := part.read(1 << 16):
                        actual += len(chunk)
                        if actual > MAX_UNCOMPRESSED_BYTES:
                            raise MachiplanError(
                                f"more than {MAX_UNCOMPRESSED_BYTES:,} bytes uncompressed ({limit})",
                                where=name,
                            )
                        if member in sheets and not formulas:
                            formulas = bool(_FORMULA_RE.search(tail + chunk))
                            tail = chunk[-16:]
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
            RuntimeError,
            NotImplementedError,
        ) as exc:
            raise MachiplanError(f"not a readable Excel workbook (damaged: {exc})", where=name) from None
    return formulas


def _xlsx_cells(
    data: bytes, name: str, *, data_only: bool, first: int = 1, width: int | None = MAX_COLUMNS
) -> Iterator[list[str]]:
    """The first worksheet's rows from row ``first`` as text, ``width`` columns of each, read lazily
    (openpyxl's read-only mode); ``width=None``: row ``first`` alone, whole."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        if not book.worksheets:
            raise MachiplanError(NO_WORKSHEET, where=name)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the declared size may be wrong: read the rows there are
        rows = sheet.iter_rows(min_row=first, max_row=first if width is None else None, max_col=width)
        for row in rows:
            yield [_cell_text(cell) for cell in row]
    finally:
        book.close()


def _xlsx_table(data: bytes, name: str) -> Table:
    formulas = _check_zip(data, name)
    try:
        # the header: the first row with anything in it, read whole so that no template column goes unseen
        found = next(_rows_of(_xlsx_cells(data, name, data_only=True), name), None)
        if found is None:
            return [], []
        header_row = found[0]
        header = next(_xlsx_cells(data, name, data_only=True, first=header_row, width=None), found[1])
        # below it, the columns that have a header (up to MAX_COLUMNS): the others are not read
        width = min(MAX_COLUMNS, max((i + 1 for i, h in enumerate(header) if h.strip()), default=1))
        rows: dict[int, tuple[list[str], set[int]]] = {}
        body = _xlsx_cells(data, name, data_only=True, first=header_row + 1, width=width)
        for number, cells in _rows_of(body, name, first=header_row + 1, header=False):
            rows[number] = (cells, set())
        if formulas:  # a formula whose result the file does not hold reads as blank: find them
            formulas_read = _xlsx_cells(data, name, data_only=False, first=header_row + 1, width=width)
            for number, cells in enumerate(formulas_read, start=header_row + 1):
                if number > MAX_SHEET_ROWS:
                    break
                values = rows[number][0] if number in rows else [""] * len(cells)
                missing = {i for i, text in enumerate(cells) if text and i < len(values) and not values[i]}
                if missing:
                    rows.setdefault(number, (values, set()))[1].update(missing)
    except MachiplanError:
        raise
    except Exception as exc:  # a broken workbook: openpyxl and the XML parser raise anything
        raise MachiplanError(f"not a readable Excel workbook ({type(exc).__name__})", where=name) from None
    return header, [(n, cells, missing) for n, (cells, missing) in sorted(rows.items())]


def _cell_text(cell) -> str:
    """A cell as the person who typed it sees it: a number by its number format (70.1% typed is
    0.701 formatted as a percentage: read ``70.1%``, as the table import reads it; never Python's
    ``5e-05``), a typed date as its day."""
    value = cell.value
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):  # a datetime Excel made from a typed date
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_as_shown(value, getattr(cell, "number_format", None) or "General")
    return str(value)


# The same limits for the table importer (machiplan.tables), which reads any sheet of a workbook.
check_workbook, rows_within_limits, column_letter = _check_zip, _rows_of, _column_letter
