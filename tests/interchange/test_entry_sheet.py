"""The bulk-entry template reader: limits met while reading, broken files one clear error, cells read as typed."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from machiplan.domain.errors import MachiplanError
from machiplan.interchange import entry_sheet
from machiplan.interchange.entry_sheet import read_rows

CELLS = {"indicator": "1b", "name": "町内会加入率", "unit": "%", "previous": "71.1", "fy": "2017", "kind": "実績",
         "value": "70.9", "revision": "0"}  # fmt: skip
ROW = [CELLS.get(key, "") for key in entry_sheet.KEYS]
HEADER = ",".join(ja for _, ja, _ in entry_sheet.COLUMNS)
NOTE = entry_sheet.KEYS.index("note")
LAST = entry_sheet._column_letter(len(entry_sheet.KEYS) - 1)  # the template's last column: Q
VALUE = entry_sheet._column_letter(entry_sheet.KEYS.index("value"))  # I


def xlsx(rows=(ROW,)) -> bytes:
    return entry_sheet.write_xlsx([list(r) for r in rows])


def csv_bytes(*lines: str, newline: str = "\r\n") -> bytes:
    return (newline.join([HEADER, *lines]) + newline).encode("utf-8")


def rezip(data: bytes, change) -> bytes:
    """The workbook with its members changed by ``change(name, content) -> content | None`` (None drops it)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = change(info.filename, source.read(info))
            if content is not None:
                target.writestr(info.filename, content)
    return out.getvalue()


def sheet_xml(data: bytes, edit) -> bytes:
    return rezip(data, lambda name, content: edit(content) if name == "xl/worksheets/sheet1.xml" else content)


def with_formula(cell: str, formula: str, cached: str | None = None) -> bytes:
    book = load_workbook(io.BytesIO(xlsx()))
    book.active[cell] = formula
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    if cached is not None:
        data = sheet_xml(data, lambda x: x.replace(b"</f><v></v>", f"</f><v>{cached}</v>".encode()))
    return data


# --- limits, checked while reading -----------------------------------------------------------


def test_a_file_over_the_upload_limit_is_refused_unread():
    data = csv_bytes(*[",".join(ROW)] * 10) + b" " * entry_sheet.MAX_FILE_BYTES
    with pytest.raises(MachiplanError, match=r"figures\.csv: too large: .* \(at most 5 MB\)"):
        read_rows(data, name="figures.csv")


def test_a_workbook_that_inflates_past_the_limit_is_refused_before_it_is_parsed():
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>1b</t></is></c></row>' for n in range(2, 700_000)
    )
    bomb = sheet_xml(
        xlsx(), lambda x: x.replace(b"</row></sheetData>", b"</row>" + rows.encode() + b"</sheetData>")
    )
    assert len(bomb) < 5 * 1024 * 1024
    start = time.perf_counter()
    with pytest.raises(MachiplanError, match=r"x\.xlsx: .* uncompressed .*at most 25 MB"):
        read_rows(bomb, name="x.xlsx")
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_reading_stops_at_the_row_limit(monkeypatch, kind):
    """Rows are read until one past the limit, not all of them first."""
    monkeypatch.setattr(entry_sheet, "MAX_ROWS", 50)
    read = []
    if kind == "xlsx":
        cell_text = entry_sheet._cell_text
        monkeypatch.setattr(entry_sheet, "_cell_text", lambda value: read.append(1) or cell_text(value))
        data = xlsx([ROW] * 2_000)
    else:
        csv_reader = entry_sheet.csv.reader

        class Counting:
            def __init__(self, *args, **kwargs):
                self.reader = csv_reader(*args, **kwargs)

            def __iter__(self):
                return self

            def __next__(self):
                read.append(1)
                return next(self.reader)

            @property
            def line_num(self):
                return self.reader.line_num

        monkeypatch.setattr(entry_sheet.csv, "reader", Counting)
        data = csv_bytes(*[",".join(ROW)] * 2_000)
    with pytest.raises(MachiplanError, match="more than 50 rows: split the file"):
        read_rows(data, name=f"x.{kind}")
    cells_per_row = entry_sheet.MAX_COLUMNS if kind == "xlsx" else 1  # cells read, or rows
    assert len(read) <= 60 * cells_per_row  # not 2,000 rows


def test_rows_far_down_a_sheet_are_not_walked_to_one_by_one():
    far = sheet_xml(
        xlsx(),
        lambda x: re.sub(rb'r="([A-Z]*)2"', rb'r="\g<1>1048576"', x),  # row 2 moved to the sheet's last row
    )
    start = time.perf_counter()
    with pytest.raises(MachiplanError, match=r"more than 20,000 rows"):
        read_rows(far, name="x.xlsx")
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_template_column_beyond_those_read_is_an_error_and_other_cells_there_are_ignored(kind):
    header = [ja for _, ja, _ in entry_sheet.COLUMNS]
    far = [*header[:NOTE], *header[NOTE + 1 :], *[""] * 40, header[NOTE]]  # 備考 moved to column 57
    if kind == "xlsx":
        book = load_workbook(io.BytesIO(xlsx([ROW])))
        for i, text in enumerate(far, start=1):
            book.active.cell(row=1, column=i, value=text or None)
        out = io.BytesIO()
        book.save(out)
        data = out.getvalue()
    else:
        data = (",".join(far) + "\r\n" + ",".join(ROW) + "\r\n").encode("utf-8")
    with pytest.raises(
        MachiplanError, match=r"row 1: only the first 50 columns are read: move 備考 \(BH\) to the left"
    ):
        read_rows(data, name=f"x.{kind}")
    memo = [*ROW, *[""] * 40, "a note of one's own"]  # under no header: ignored like any unknown column
    data = xlsx([memo]) if kind == "xlsx" else csv_bytes(",".join(memo))
    assert read_rows(data, name=f"x.{kind}")[0].cells["value"] == "70.9"


def test_a_workbook_declaring_every_column_is_read_in_the_time_of_its_own():
    huge = sheet_xml(
        xlsx([ROW] * 2_000),
        lambda x: x.replace(f'<dimension ref="A1:{LAST}2001"/>'.encode(), b'<dimension ref="A1:XFD2001"/>'),
    )
    start = time.perf_counter()
    assert len(read_rows(huge, name="x.xlsx")) == 2_000
    assert time.perf_counter() - start < 5


def test_rows_beyond_a_wrong_dimension_are_read_too():
    short = sheet_xml(
        xlsx([ROW, ROW, ROW]),
        lambda x: x.replace(
            f'<dimension ref="A1:{LAST}4"/>'.encode(), f'<dimension ref="A1:{LAST}2"/>'.encode()
        ),
    )
    assert [r.number for r in read_rows(short, name="x.xlsx")] == [2, 3, 4]


def test_an_overlong_cell_is_a_problem_of_its_row_and_column():
    row = [*ROW[:NOTE], "x" * 1_001, *ROW[NOTE + 1 :]]
    (read,) = read_rows(csv_bytes(",".join(row)), name="x.csv")
    assert read.problems == {"note": "too_long"} and read.cells["note"] == ""


@pytest.mark.parametrize("length", [131_073, 1_000_000])
def test_a_csv_cell_beyond_the_csv_modules_limit_is_one_error(length):
    row = [*ROW[:NOTE], "x" * length, *ROW[NOTE + 1 :]]
    with pytest.raises(
        MachiplanError, match=r"x\.csv: line 2: not valid CSV: a cell longer than 131,072 characters"
    ):
        read_rows(csv_bytes(",".join(row)), name="x.csv")


# --- broken files: one clear error -------------------------------------------------------------


def _corrupt_deflate(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    return data[:middle] + bytes(b ^ 0x5A for b in data[middle : middle + 16]) + data[middle + 16 :]


def _chart_sheet_only() -> bytes:
    book = Workbook()
    book.create_chartsheet("chart")
    book.remove(book.worksheets[0])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: rezip(xlsx(), lambda n, c: None if n == "xl/worksheets/sheet1.xml" else c), "no worksheet"),
        (_chart_sheet_only, "no worksheet"),
        (lambda: _corrupt_deflate(xlsx([ROW] * 200)), "not a readable Excel workbook"),
        (
            lambda: rezip(xlsx(), lambda n, c: None if n == "[Content_Types].xml" else c),
            "not a readable Excel workbook",
        ),
        (lambda: sheet_xml(xlsx(), lambda x: x[: len(x) // 2]), "not a readable Excel workbook"),
        (lambda: b"PK\x03\x04" + b"\x00" * 100, "not an Excel workbook"),
    ],
    ids=[
        "missing-sheet-part",
        "chart-sheet-only",
        "corrupt-deflate",
        "no-content-types",
        "truncated-xml",
        "not-a-zip",
    ],
)
def test_a_broken_workbook_is_one_clear_error(make, message):
    with pytest.raises(MachiplanError, match=f"x\\.xlsx: .*{message}") as info:
        read_rows(make(), name="x.xlsx")
    assert "\n" not in str(info.value)


def test_a_utf8_file_cut_in_the_middle_of_a_character_says_so():
    data = csv_bytes(",".join([*ROW[:NOTE], "終わり"])).rstrip(b"\r\n")[:-1]
    with pytest.raises(MachiplanError, match=r"x\.csv: the file ends in the middle of a character"):
        read_rows(data, name="x.csv")


# --- cells read as typed -------------------------------------------------------------------------


def test_cr_only_line_ends_are_read():
    rows = read_rows(csv_bytes(",".join(ROW), ",".join(ROW).replace("1b", "3a"), newline="\r"), name="x.csv")
    assert [(r.number, r.cells["indicator"], r.cells["value"]) for r in rows] == [
        (2, "1b", "70.9"),
        (3, "3a", "70.9"),
    ]


def test_a_column_given_twice_is_an_error_naming_both():
    header = HEADER + ",値"
    data = (header + "\r\n" + ",".join(ROW) + ",\r\n").encode("utf-8")
    with pytest.raises(
        MachiplanError, match=r"row 1: the column 値 is there twice \(columns I and U\): keep one"
    ):
        read_rows(data, name="x.csv")


def test_a_formula_without_a_computed_value_is_a_problem_not_a_blank():
    (row,) = read_rows(with_formula(f"{VALUE}2", "=70+0.9"), name="x.xlsx")
    assert row.problems == {"value": "formula"}


def test_a_formula_with_its_computed_value_is_read_as_that_value():
    (row,) = read_rows(with_formula(f"{VALUE}2", "=70+0.9", cached="70.9"), name="x.xlsx")
    assert row.cells["value"] == "70.9" and row.problems == {}


def test_a_nul_character_in_a_csv_is_an_error_naming_its_line():
    with pytest.raises(MachiplanError, match=r"x\.csv: line 3: a NUL character"):
        read_rows(csv_bytes(",".join(ROW), ",".join(ROW).replace("70.9", "7\x000.9")), name="x.csv")


def test_utf16_without_a_bom_and_all_ascii_is_not_taken_for_utf8_with_nuls():
    text = "indicator,fiscal year,kind,value\r\n1b,2017,actual,70.9\r\n"
    (row,) = read_rows(text.encode("utf-16-le"), name="x.csv")
    assert row.cells == {"indicator": "1b", "fy": "2017", "kind": "actual", "value": "70.9"}
