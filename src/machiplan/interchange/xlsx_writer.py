"""A big worksheet's rows written as SpreadsheetML directly, for an openpyxl write-only workbook.

openpyxl makes a cell object per value and serialises it through lxml: about 180,000
cells a second, most of a 10,000-indicator report's time. ``FastRows`` writes the same
``<row>``/``<c>`` XML as text, several times faster, into a temporary file that is put
in the sheet's ``<sheetData>`` when openpyxl saves the workbook. Everything else about
the sheet (column widths, frozen header, filter, print setup, header and footer) and the
workbook (its stylesheet, other sheets) stays openpyxl's: a cell's style is an id of the
workbook's own cell styles (``style_id``), registered once.

Values are written as openpyxl writes them, so the workbook reads back the same: text as
an inline string (``xml:space="preserve"`` when it has spaces at either end), numbers
with ``%.16g``, booleans as 1/0, dates and times as Excel serial numbers (their style
gives them a date format). Text a spreadsheet would run as a formula is a quote-prefixed
string (spreadsheet_safety.py); characters XML cannot hold (controls other than tab and
line breaks) are left out, and a text longer than Excel's 32,767 characters is cut there.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import IO, Any

from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .spreadsheet_safety import starts_formula

EXCEL_MAX_TEXT = 32_767  # characters in a cell
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def style_id(book: Any, style: StyleArray, *, quote: bool = False) -> int:
    """The index of ``style`` (a cell's ``_style``) among the workbook's cell styles, added
    if new; ``quote`` the same style with Excel's quote prefix (a text kept from running)."""
    if quote:
        style = StyleArray(style)
        style.quotePrefix = 1
    return book._cell_styles.add(style)


_SPECIAL = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    """A text as an XML element's content: escaped, without the characters XML cannot hold."""
    if len(value) > EXCEL_MAX_TEXT:
        value = _ILLEGAL.sub("", value)[:EXCEL_MAX_TEXT]
    if _SPECIAL.search(value) is None:  # most texts
        return value
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


class Styled:
    """A value with a style id of the workbook (``style_id``) and, if any, an openpyxl ``Comment``:
    what FastRows writes without making an openpyxl cell for it."""

    __slots__ = ("comment", "style", "value")

    def __init__(self, value: Any, style: int | None = None, comment: Comment | None = None) -> None:
        self.value, self.style, self.comment = value, style, comment

    def __repr__(self) -> str:
        return f"Styled({self.value!r}, {self.style!r})"


def _comment_record(ref: str, comment: Comment) -> CommentRecord:
    """As openpyxl's CommentRecord.from_cell."""
    record = CommentRecord(ref=ref, author=comment.author)
    record.text.t = comment.content
    record.height, record.width = comment.height, comment.width
    return record


def _number(value: float | Decimal) -> str:
    """A number as openpyxl writes it: 16 significant digits (of its float), nothing for NaN."""
    value = float(value)
    return "" if math.isnan(value) or math.isinf(value) else format(value, ".16g")


class FastRows:
    """The rows of one write-only worksheet, written as XML; the sheet's ``append`` is not used.

    ``append(values, styles)``: ``styles[i]`` is the style id of the i-th value (None or 0:
    the default style). ``quoted(style)`` is that style with the quote prefix, for a text
    that would run; it is found once per style.
    """

    def __init__(self, book: Any, sheet: WriteOnlyWorksheet) -> None:
        self._book = book
        self._sheet = sheet
        # open until the book is saved (_splice closes it)
        self._file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
        self._row = 0
        self._quoted: dict[int, int] = {}
        self._dates: dict[str, int] = {}
        self._comments: list[CommentRecord] = []
        self._letters: list[str] = [""]
        self._epoch = book.epoch
        original = sheet.close

        def close() -> None:  # openpyxl closes the sheet when it saves the book
            if sheet._rows is not None:
                raise ValueError(f"rows appended to sheet {sheet.title!r} itself, not through FastRows")
            sheet._get_writer()  # which starts the sheet's comments afresh
            sheet._comments.extend(self._comments)
            original()
            self._splice()

        sheet.close = close  # type: ignore[method-assign]
        sheet.fast_rows = self  # type: ignore[attr-defined]

    def quoted(self, style: int | None) -> int:
        found = self._quoted.get(style or 0)
        if found is None:
            base = self._book._cell_styles[style or 0] if style else StyleArray()
            found = self._quoted[style or 0] = style_id(self._book, base, quote=True)
        return found

    def _date_style(self, value: date | datetime | time | timedelta) -> int:
        """A date given no style shows as one, as openpyxl does (yyyy-mm-dd, …)."""
        kind = type(value).__name__
        found = self._dates.get(kind)
        if found is None:
            proto = Cell(self._sheet, value=value)  # openpyxl gives it its date format
            found = self._dates[kind] = style_id(self._book, proto._style)
        return found

    def _letter(self, col: int) -> str:
        letters = self._letters
        while len(letters) <= col:
            letters.append(get_column_letter(len(letters)))
        return letters[col]

    def append(self, values: Sequence[Any], styles: Sequence[int | None] | None = None) -> None:
        """A row: plain values (styled by ``styles``), ``Styled`` values, or openpyxl cells
        (``WriteOnlyCell``), whose style and comment are kept."""
        self._row += 1
        r = str(self._row)
        dimension = self._sheet.row_dimensions.get(self._row) if self._sheet.row_dimensions else None
        if dimension is not None:
            attrs = {"r": r} | dict(dimension)
            parts = ["<row " + " ".join(f'{k}="{v}"' for k, v in attrs.items()) + ">"]
        else:
            parts = [f'<row r="{r}">']
        add = parts.append
        letters = self._letters
        for i, value in enumerate(values):
            style = styles[i] if styles is not None and i < len(styles) else None
            if type(value) is Styled:
                if value.comment is not None:
                    self._comments.append(_comment_record(self._letter(i + 1) + r, value.comment))
                value, style = value.value, value.style
            elif type(value) is Cell:
                value, style = self._cell(value, i + 1)
            if value is None:
                if style:
                    col = i + 1
                    ref = (letters[col] if col < len(letters) else self._letter(col)) + r
                    add(f'<c r="{ref}" s="{style}"/>')
                continue
            col = i + 1
            ref = (letters[col] if col < len(letters) else self._letter(col)) + r
            kind = type(value)
            if kind is str:
                if not value:  # as openpyxl: an empty string cell
                    add(
                        f'<c r="{ref}" s="{style}" t="inlineStr"/>'
                        if style
                        else f'<c r="{ref}" t="inlineStr"/>'
                    )
                    continue
                if value[0] in "=+-@'\t\r\n" and starts_formula(value):
                    style = self.quoted(style)
                s = f' s="{style}"' if style else ""
                space = ' xml:space="preserve"' if value != value.strip() else ""
                add(f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{xml_text(value)}</t></is></c>')
            elif kind is int or kind is float or kind is Decimal:
                s = f' s="{style}"' if style else ""
                add(f'<c r="{ref}"{s} t="n"><v>{_number(value)}</v></c>')
            elif kind is bool:
                s = f' s="{style}"' if style else ""
                add(f'<c r="{ref}"{s} t="b"><v>{1 if value else 0}</v></c>')
            elif isinstance(value, (date, datetime, time, timedelta)):
                if isinstance(value, (datetime, time)) and value.tzinfo is not None:
                    raise TypeError("Excel does not support timezones in datetimes")
                s = f' s="{style or self._date_style(value)}"'
                add(f'<c r="{ref}"{s} t="n"><v>{_number(to_excel(value, self._epoch))}</v></c>')
            elif isinstance(value, (int, float, Decimal)):  # a subclass (a bool is caught above)
                s = f' s="{style}"' if style else ""
                add(f'<c r="{ref}"{s} t="n"><v>{_number(value)}</v></c>')
            else:
                raise TypeError(f"cannot write {kind.__name__} to a worksheet: {value!r}")
        add("</row>")
        self._file.write("".join(parts))

    def _cell(self, cell: Cell, column: int) -> tuple[Any, int | None]:
        """An openpyxl cell's value and style id; its comment goes to the sheet's comments.
        A cell is never a formula here: its text is written as text (quote-prefixed if it would run)."""
        if cell._comment is not None:
            cell.row, cell.column = self._row, column
            self._comments.append(CommentRecord.from_cell(cell))
        style = self._book._cell_styles.add(cell._style) if cell.has_style else None
        return cell._value, style

    @property
    def rows(self) -> int:
        return self._row

    def _splice(self) -> None:
        """Put the rows into the sheet's XML, in place of openpyxl's sheetData."""
        writer = self._sheet._writer
        with open(writer.out, encoding="utf-8") as f:
            xml = f.read()
        # openpyxl wrote no cells, but an empty row for each row given a height: ours replace them
        start = xml.index("<sheetData")
        if xml.startswith("<sheetData/>", start) or xml.startswith("<sheetData />", start):
            head, tail = xml[:start], xml[xml.index("/>", start) + 2 :]
        else:
            head, tail = xml[:start], xml[xml.index("</sheetData>", start) + len("</sheetData>") :]
        self._file.seek(0)
        with open(writer.out, "w", encoding="utf-8", newline="") as out:
            out.write(head)
            out.write("<sheetData>")
            while chunk := self._file.read(1 << 20):
                out.write(chunk)
            out.write("</sheetData>")
            out.write(tail)
        self._file.close()
