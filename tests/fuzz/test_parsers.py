"""The value parsers under the readers, fuzzed alone (fast, so many more inputs): a value, or one
MachiplanError of one line — never another exception, whatever the cell."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from machiplan.domain.errors import MachiplanError
from machiplan.domain.fiscal import parse_date, parse_fiscal_year
from machiplan.domain.quantities import format_quantity, parse_breakdown, parse_number, parse_quantity
from tests.conftest import SEED

from .mutations import HOSTILE, mutated_text

# every cell of the seed's indicator tables, as extraction left it
CELLS = sorted(
    {
        cell.strip()
        for line in SEED.read_text(encoding="utf-8").splitlines()
        if re.match(r"^(H\d+ ?(実績|状況|目標)|アクションプラン|戦略ビジョン)", line)
        for cell in line.split("\t")[1:]
        if cell.strip()
    }
)
cells = st.one_of(
    st.sampled_from(CELLS).flatmap(lambda c: mutated_text(c, max_edits=3)),
    st.sampled_from(HOSTILE),
    st.text(max_size=60),
)


def _refused_in_one_line(parse, text: str):
    try:
        return parse(text)
    except MachiplanError as exc:
        assert "\n" not in str(exc) and "\r" not in str(exc), repr(str(exc))
        assert len(str(exc)) < 400
        return None


@given(cells)
def test_quantity(text):
    q = _refused_in_one_line(parse_quantity, text)
    if q is not None and q.kind == "value":
        format_quantity(q)  # what was read can be written


@given(cells)
def test_number_and_breakdown(text):
    _refused_in_one_line(parse_number, text)
    _refused_in_one_line(parse_breakdown, text)


@given(
    st.one_of(
        cells,
        st.sampled_from(["H29", "平成29年度", "R1", "令和元年度", "H29.8.31.", "2017-09-15"]).flatmap(
            mutated_text
        ),
    )
)
def test_fiscal_year_and_date(text):
    _refused_in_one_line(parse_fiscal_year, text)
    _refused_in_one_line(parse_date, text)
