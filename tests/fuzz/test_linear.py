"""No parse slower than linear in the input's size: each parser timed at n and 10n on pathological input.

Linear is a ratio of about 10, quadratic about 100, a backtracking regex never
finishes (the child process measuring it is killed: ``timing.RanAway``). The
bound of 30 leaves room for a shared machine's noise. The length caps on cells
are lifted here, so that what is timed is the parsing, not the refusal.
"""

from __future__ import annotations

import contextlib

import pytest

from machiplan.domain import fiscal, quantities
from machiplan.domain.errors import MachiplanError
from machiplan.interchange import entry_sheet
from machiplan.sheets import read_sheet
from machiplan.sheets.reader import SheetOptions
from tests.sheets.test_reader import REIWA_SHEET

from .timing import growth

BOUND = 30  # linear is ~10, quadratic ~100


@pytest.fixture(autouse=True)
def _no_caps(monkeypatch):
    """Lift the length caps (they would make every long input a quick refusal)."""
    for module, name in (
        (quantities, "MAX_CELL_CHARS"),
        (quantities, "MAX_NUMBER_CHARS"),
        (entry_sheet, "MAX_CELL_CHARS"),
    ):
        monkeypatch.setattr(module, name, 10**9, raising=False)


def refusing(parse):
    """A parser whose refusal (one MachiplanError) is as good an outcome as success."""

    def run(text):
        with contextlib.suppress(MachiplanError):
            parse(text)

    return run


QUANTITY = {
    "a long token before 時点": (lambda n: "1" + "a" * n + "時点x", 2_000),
    "a long token ending in 時点": (lambda n: "1 " + "H" * n + "時点", 2_000),
    "an unclosed bracket": (lambda n: "1 (" + "1" * n, 2_000),
    "many brackets": (lambda n: "1 " + "(()" * n, 1_000),
    "a long breakdown": (lambda n: "1 " + "a1、" * n, 1_000),
    "a breakdown part of digits and commas": (lambda n: "1 a" + "1," * n + "x1", 2_000),
    "digits and magnitudes": (lambda n: "1万" * n + "x", 1_000),
}

NUMBER = {
    "digits and a letter": (lambda n: "1" * n + "x", 8),
    "digits and commas and a letter": (lambda n: "1," * n + "x", 8),
    "digits with magnitudes and a letter": (lambda n: "1千" * n + "x", 8),
    "a long number": (lambda n: "1" * n, 1_000),
}

FISCAL = {
    "a long era year": (fiscal.parse_fiscal_year, lambda n: "H" + "1" * n, 5_000),
    "spaces then junk": (fiscal.parse_fiscal_year, lambda n: " " * n + "H29x", 5_000),
    "a long date": (fiscal.parse_date, lambda n: "H29." + "1" * n + ".1", 5_000),
    "eras repeated": (fiscal.parse_date, lambda n: "平成" * n, 5_000),
}


def _sheet(old: str, new: str):
    assert old in REIWA_SHEET
    return lambda n: REIWA_SHEET.replace(old, new(n), 1)


SHEETS = {
    "a long token in a cell": (_sheet("1,204 件", lambda n: "1" + "a" * n + "時点x"), 1_000),
    "a footnote of は": (_sheet("※R4年度の児童館の利用者数は暫定値", lambda n: "※R4年度の" + "は" * n), 300),
    "names over many lines, blank lines between": (
        _sheet("\t子育て相談 件数", lambda n: "\tx\tx\tx\n\n" * n + "\t子育て相談 件数"),
        200,
    ),
    "a higher-plan row per label": (
        _sheet(
            "総合計画 R7\t", lambda n: "".join(f"計画{i} R7\t1\t1\t1\n" for i in range(n)) + "総合計画 R7\t"
        ),
        100,
    ),
    "an initiative with an open bracket": (_sheet("・オンライン相談を開始", lambda n: "・x(" + "1" * n), 500),
    "unicode spaces after a year": (
        _sheet("今後に向けて\t", lambda n: "R3" + "\u2000" * n + "x\n今後に向けて\t"),
        500,
    ),
    "many footnotes and many rows": (
        _sheet(
            "R5目標",
            lambda n: (
                "R4状況\t1件\t1%\t1人\n" * n
                + "\n"
                + "※R4年度の子育て相談件数はR4.9.30時点\n" * n
                + "\nR5目標"
            ),
        ),
        100,
    ),
    "a wide row": (_sheet("R3実績\t", lambda n: "R3実績\t" + "1\t" * n), 300),
}

OPTIONS = SheetOptions(start_fy=2020, municipality_code="013455")


def _csv(lines: list[str]) -> bytes:
    header = ",".join(ja for _, ja, _ in entry_sheet.COLUMNS)
    return ("\r\n".join([header, *lines]) + "\r\n").encode("utf-8")


CSV = {
    "many rows": (lambda n: _csv(["1b,,,,2017,実績,70.9,,,,,,,0"] * n), 300),
    "a long cell": (lambda n: _csv(['1b,,,,2017,実績,70.9,,,,"' + "x" * n + '",,,0']), 20_000),
    "a quoted cell of many lines": (
        lambda n: _csv(['1b,,,,2017,実績,70.9,,,,"' + "x\n" * n + '",,,0']),
        2_000,
    ),
    "CR-only line ends": (lambda n: _csv(["1b,,,,2017,実績,70.9,,,,,,,0"] * n).replace(b"\r\n", b"\r"), 300),
    "many columns": (lambda n: _csv(["1b,,,,2017,実績,70.9" + ",x" * n]), 2_000),
}


def _assert_linear(fn, make, n, attempts: int = 3):
    """Linear, or measured again: a busy machine can slow one measurement, not three in a row."""
    ratios = []
    for _ in range(attempts):
        ratios.append(growth(fn, make, n))
        if ratios[-1] < BOUND:
            return
    raise AssertionError(f"10x the input took {min(ratios):.0f}x as long (best of {attempts} measurements)")


@pytest.mark.parametrize("name", QUANTITY)
def test_quantity_parser(name):
    make, n = QUANTITY[name]
    _assert_linear(refusing(quantities.parse_quantity), make, n)


@pytest.mark.parametrize("name", NUMBER)
def test_number_parser(name):
    make, n = NUMBER[name]
    _assert_linear(refusing(quantities.parse_number), make, n)


@pytest.mark.parametrize("name", FISCAL)
def test_fiscal_year_and_date_parsers(name):
    parse, make, n = FISCAL[name]
    _assert_linear(refusing(parse), make, n)


@pytest.mark.parametrize("name", SHEETS)
def test_sheet_reader(name):
    make, n = SHEETS[name]
    _assert_linear(refusing(lambda text: read_sheet(text, source="town.txt", options=OPTIONS)), make, n)


@pytest.mark.parametrize("name", CSV)
def test_bulk_csv_reader(name):
    make, n = CSV[name]
    _assert_linear(refusing(lambda data: entry_sheet.read_rows(data, name="figures.csv")), make, n)
