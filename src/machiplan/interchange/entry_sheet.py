"""The bulk-entry template: one row per indicator and year, as CSV (UTF-8 with BOM, for Excel) or XLSX.

Writing fills in the figures as they stand; reading gives every row's cells as
text with its row number, so each error can name its row and column. A text a
spreadsheet would run ('=…') is written quoted and read back as it was
(spreadsheet_safety.py), so a template uploaded unchanged changes nothing.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from machiplan.domain.errors import MachiplanError
from machiplan.interchange.spreadsheet_safety import csv_cell, csv_text_back, xlsx_value
from machiplan.sheets.encoding import decode

# (key, Japanese header, English header); the Japanese header is what the template shows.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("indicator", "指標コード", "indicator"),
    ("name", "指標名", "name"),
    ("unit", "単位", "unit"),
    ("previous", "前年度の値", "previous year"),
    ("fy", "年度", "fiscal year"),
    ("kind", "種別", "kind"),
    ("value", "値", "value"),
    ("as_of", "時点", "as of"),
    ("approximate", "概数", "approximate"),
    ("breakdown", "内訳", "breakdown"),
    ("note", "注記", "note"),
    ("data_source", "出典", "source"),
    ("reason", "確認理由", "reason"),
    ("revision", "版", "revision"),
)
KEYS = tuple(key for key, _, _ in COLUMNS)
REQUIRED = ("indicator", "fy", "kind", "value")
READ_ONLY = ("name", "unit", "previous")  # shown to help; changes there are ignored
HEADER_OF = {key: ja for key, ja, _ in COLUMNS}
_BY_HEADER = {h.casefold(): key for key, ja, en in COLUMNS for h in (ja, en, key)}
MAX_ROWS = 5_000  # about eight seconds of checking on the benchmark machine: split bigger files


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # the row in the file, counting the header as 1
    cells: dict[str, str]

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
    kinds = DataValidation(type="list", formula1='"実績,状況,今後調査,―"', allow_blank=True)
    sheet.add_data_validation(kinds)
    letter = sheet.cell(row=1, column=KEYS.index("kind") + 1).column_letter
    kinds.add(f"{letter}2:{letter}{max(sheet.max_row, 2)}")
    for key, width in (
        ("name", 40),
        ("previous", 16),
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
    header, body = _xlsx_table(data, name) if data.startswith(b"PK") else _csv_table(data, name)
    if not header:
        raise MachiplanError("the file is empty", where=name)
    keys = [_BY_HEADER.get(h.strip().casefold()) for h in header]
    missing = [HEADER_OF[k] for k in REQUIRED if k not in keys]
    if missing:
        raise MachiplanError(
            f"row 1: the columns {', '.join(missing)} are missing (download a new template)", where=name
        )
    if len(body) > MAX_ROWS:
        raise MachiplanError(f"more than {MAX_ROWS:,} rows: split the file", where=name)
    rows = []
    for number, cells in body:
        values = {k: (cells[i].strip() if i < len(cells) else "") for i, k in enumerate(keys) if k}
        rows.append(Row(number=number, cells=values))
    return rows


Table = tuple[list[str], list[tuple[int, list[str]]]]  # header, (row number, cells) of non-blank rows


def _csv_table(data: bytes, name: str) -> Table:
    text, _ = decode(data, name=name)
    reader = csv.reader(io.StringIO(text))
    header: list[str] = []
    body = []
    for cells in reader:
        if not header:
            header = cells if any(c.strip() for c in cells) else []
        elif any(c.strip() for c in cells):
            body.append((reader.line_num, [csv_text_back(c) for c in cells]))
    return header, body


def _xlsx_table(data: bytes, name: str) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise MachiplanError(f"not an Excel workbook ({type(exc).__name__})", where=name) from None
    sheet = book.worksheets[0]
    header: list[str] = []
    body = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in row]
        if number == 1:
            header = cells if any(cells) else []
        elif any(cells):
            body.append((number, cells))
    book.close()
    return header, body


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):  # a datetime Excel made from a typed date
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
