"""A number as Excel shows it, within Excel's own limits on a number format: one longer than
255 characters is not read (the number reads as for General), at most 30 decimals are shown,
and a format is read once for the sheet, not once per cell."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from machiplan.interchange.shown import MAX_DECIMALS, MAX_FORMAT_CHARS
from machiplan.tables.grid import read_grid


def xlsx(cells: dict[str, tuple[float, str]]) -> bytes:
    """A workbook with each cell's number and number format."""
    book = Workbook()
    sheet = book.active
    for ref, (value, number_format) in cells.items():
        sheet[ref] = value
        sheet[ref].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (0.324, "0.0%", "32.4%"),
        (1000, "#,##0", "1,000"),
        (1234567.5, "#,##0.00", "1,234,567.50"),
        (32, "0.00", "32.00"),
        (0.5, "General", "0.5"),
        (12, '0.0"人"', "12.0"),
    ],
)
def test_a_usual_format_shows_the_number_as_excel_does(value, number_format, shown):
    assert read_grid(xlsx({"A1": (value, number_format)}), "f.xlsx").text(1, 0) == shown


def test_a_format_longer_than_excel_allows_is_read_as_general():
    too_long = "0." + "0" * (MAX_FORMAT_CHARS - 2) + "%"  # 256 characters
    longest = "0." + "0" * (MAX_FORMAT_CHARS - 3) + "%"  # 255: read, its decimals capped
    grid = read_grid(xlsx({"A1": (0.5, too_long), "B1": (0.5, longest)}), "f.xlsx")
    assert grid.text(1, 0) == "0.5"
    assert grid.text(1, 1) == "50." + "0" * MAX_DECIMALS + "%"


def test_at_most_30_decimals_are_shown():
    grid = read_grid(xlsx({"A1": (0.5, "0." + "0" * 40), "B1": (0.25, "0." + "0" * 40 + "%")}), "f.xlsx")
    assert MAX_DECIMALS == 30
    assert grid.text(1, 0) == "0." + "5" + "0" * 29
    assert grid.text(1, 1) == "25." + "0" * 30 + "%"


def test_a_hostile_format_of_two_million_characters_on_many_cells_is_read_as_general():
    hostile = "0." + "0" * 2_000_000 + "%"
    cells = {f"{column}{row}": (0.5, hostile) for column in "ABCDEFGHIJ" for row in range(1, 21)}
    grid = read_grid(xlsx(cells), "hostile.xlsx")
    assert grid.numbers == list(range(1, 21))
    assert all(grid.rows[row] == ("0.5",) * 10 for row in grid.numbers)
    assert grid.problems == {}
