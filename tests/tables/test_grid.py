"""Reading a sheet into a grid, within the bulk upload's limits: encodings, merged cells, typed
cells as a person sees them, and hostile files refused whole or cell by cell."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from machiplan.domain.errors import MachiplanError
from machiplan.interchange import entry_sheet
from machiplan.tables.grid import FORMULA, TOO_LONG, read_grid

CSV_TEXT = '指標名,単位,令和2年実績\r\n待機児童数,人,３\r\n"相談件数, 延べ",件,"1,204"\r\n'


def xlsx(build, title: str = "Sheet1") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    build(book, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(data: bytes, member: str, change) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == member else content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8", CSV_TEXT.encode("utf-8")),
        ("utf-8-sig", b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8")),
        ("cp932", CSV_TEXT.encode("cp932")),
        ("utf-16", CSV_TEXT.encode("utf-16")),
        ("utf-16-le", CSV_TEXT.encode("utf-16-le")),
    ],
)
def test_csv_in_every_encoding_cities_save(encoding, data):
    grid = read_grid(data, "kpi.csv")
    assert grid.encoding == encoding
    assert grid.rows[3] == ("相談件数, 延べ", "件", "1,204")
    assert grid.address(2, 2) == "kpi.csv!C2" and grid.sheet is None


def test_a_sheet_by_name_its_merged_cells_and_typed_values():
    def build(book, sheet):
        sheet["A1"] = "基本目標1"
        sheet.merge_cells("A1:A3")
        sheet["B1"] = 0.324
        sheet["B1"].number_format = "0.0%"
        sheet["C1"] = 32
        sheet["C1"].number_format = "0.0"
        sheet["D1"] = 1e16
        sheet["B3"] = "x"
        other = book.create_sheet("令和4年度")
        other["B2"] = "ここ"

    data = xlsx(build)
    grid = read_grid(data, "成果指標.xlsx")
    assert grid.sheet == "Sheet1" and grid.sheets == ("Sheet1", "令和4年度")
    assert grid.rows[1] == ("基本目標1", "32.4%", "32.0", "10000000000000000")
    assert grid.filled(3, 0) == "基本目標1" and grid.text(3, 0) == ""  # the merged range's text on every cell
    other = read_grid(data, "成果指標.xlsx", sheet="令和4年度")
    assert other.address(2, 1) == "成果指標.xlsx!令和4年度!B2" and other.text(2, 1) == "ここ"
    with pytest.raises(
        MachiplanError, match=r"成果指標\.xlsx: no sheet named 'R5' \(the sheets: Sheet1, 令和4年度\)"
    ):
        read_grid(data, "成果指標.xlsx", sheet="R5")
    with pytest.raises(MachiplanError, match="a CSV file has no sheets"):
        read_grid(CSV_TEXT.encode(), "kpi.csv", sheet="Sheet1")


def test_a_formula_without_its_result_is_a_problem_of_its_cell_with_its_result_it_is_read():
    data = xlsx(lambda book, sheet: [sheet.append(["指標名", "令和2年実績"]), sheet.append(["a", "=1+1"])])
    grid = read_grid(data, "f.xlsx")
    assert grid.problems == {(2, 1): FORMULA} and grid.text(2, 1) == ""
    cached = rezip(data, "xl/worksheets/sheet1.xml", lambda x: x.replace(b"<v></v>", b"<v>2</v>"))
    grid = read_grid(cached, "f.xlsx")
    assert grid.problems == {} and grid.text(2, 1) == "2"


def test_a_cell_too_long_is_a_problem_of_its_cell_and_columns_past_the_limit_are_said():
    cells = ["x" * 1001, *[""] * (entry_sheet.MAX_COLUMNS - 1), "beyond"]
    grid = read_grid(("a,b\r\n" + ",".join(cells) + "\r\n").encode(), "long.csv")
    assert grid.problems == {(2, 0): TOO_LONG}
    assert grid.beyond == (2,)


def test_a_zip_bomb_is_refused_before_it_is_parsed():
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(2, 700_000)
    )
    data = xlsx(lambda book, sheet: sheet.append(["指標名"]))
    bomb = rezip(
        data,
        "xl/worksheets/sheet1.xml",
        lambda x: x.replace(b"</sheetData>", rows.encode() + b"</sheetData>"),
    )
    assert len(bomb) < entry_sheet.MAX_FILE_BYTES
    start = time.perf_counter()
    with pytest.raises(MachiplanError, match=r"bomb\.xlsx: .* uncompressed .*at most 25 MB"):
        read_grid(bomb, "bomb.xlsx")
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_50000_row_sheet_is_refused_at_the_row_limit(kind):
    rows = [["指標名", "令和2年実績"], *([f"指標{n}", n] for n in range(50_000))]
    if kind == "csv":
        data = "\r\n".join(f"{a},{b}" for a, b in rows).encode()
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Sheet1")
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        data = out.getvalue()
    start = time.perf_counter()
    with pytest.raises(MachiplanError, match=f"big.{kind}: more than 5,000 rows: split the file"):
        read_grid(data, f"big.{kind}")
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 not really", "not an Excel workbook"),
        (b"a,b\r\n\x00,c", "line 2: a NUL character"),
        (b"\xff\xfe\x00", "cut short"),
        (b"x" * (entry_sheet.MAX_FILE_BYTES + 1), "too large"),
    ],
)
def test_broken_files_are_one_error_naming_the_file(data, message):
    with pytest.raises(MachiplanError, match=message) as caught:
        read_grid(data, "bad.csv")
    assert str(caught.value).startswith("bad.csv")
