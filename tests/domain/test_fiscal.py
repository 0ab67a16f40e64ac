import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from machiplan.domain.errors import MachiplanError
from machiplan.domain.fiscal import (
    fiscal_year_bounds,
    fiscal_year_fraction,
    fiscal_year_of,
    format_date,
    format_fiscal_year,
    heisei_spelling,
    parse_date,
    parse_fiscal_year,
)


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("H29", 2017),
        ("h29", 2017),
        ("平成29年度", 2017),
        ("平成29年", 2017),
        ("Ｈ２９", 2017),
        ("平成２９年度", 2017),
        ("2017年度", 2017),
        ("2017", 2017),
        ("FY2017", 2017),
        ("R1", 2019),
        ("令和元年度", 2019),
        ("令和1年度", 2019),
        ("H31", 2019),
        ("平成31年度", 2019),
        ("H34", 2022),  # a year that never existed, written before the era changed
        ("R4", 2022),
        ("R3", 2021),
        ("S64", 1989),
        (" H 26 ", 2014),
    ],
)
def test_parse_fiscal_year_every_spelling(text, fy):
    assert parse_fiscal_year(text) == fy


@pytest.mark.parametrize("text", ["", "H", "X29", "平成年度", "H0", "29", "twenty"])
def test_parse_fiscal_year_rejects_with_a_clear_message(text):
    with pytest.raises(MachiplanError, match=r"not a fiscal year|era year"):
        parse_fiscal_year(text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("H29.9.15", dt.date(2017, 9, 15)),
        ("H29.8.31.", dt.date(2017, 8, 31)),  # the seed's trailing dot
        ("H29.8.31", dt.date(2017, 8, 31)),
        ("平成29年9月15日", dt.date(2017, 9, 15)),
        ("R1.5.1", dt.date(2019, 5, 1)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("Ｈ２９．９．１５", dt.date(2017, 9, 15)),
        ("2017-09-15", dt.date(2017, 9, 15)),
        ("2017/9/15", dt.date(2017, 9, 15)),
        ("2017年9月15日", dt.date(2017, 9, 15)),
    ],
)
def test_parse_date_every_spelling(text, day):
    assert parse_date(text) == day


def test_parse_date_rejects_impossible_dates():
    with pytest.raises(MachiplanError, match=r"H29\.2\.30"):
        parse_date("H29.2.30")


def test_fiscal_year_runs_april_to_march():
    assert fiscal_year_of(dt.date(2017, 4, 1)) == 2017
    assert fiscal_year_of(dt.date(2018, 3, 31)) == 2017
    assert fiscal_year_of(dt.date(2017, 3, 31)) == 2016
    assert fiscal_year_bounds(2017) == (dt.date(2017, 4, 1), dt.date(2018, 3, 31))


def test_fiscal_year_fraction():
    assert fiscal_year_fraction(dt.date(2018, 3, 31)) == 1
    assert fiscal_year_fraction(dt.date(2017, 4, 1)) == pytest.approx(1 / 365)
    assert fiscal_year_fraction(dt.date(2017, 9, 15)) == pytest.approx(168 / 365)


def test_format_fiscal_year():
    assert format_fiscal_year(2017) == "平成29年度"
    assert format_fiscal_year(2017, style="short") == "H29"
    assert format_fiscal_year(2016, western=True) == "平成28年度 (2016)"
    assert format_fiscal_year(2019) == "令和元年度"
    assert format_fiscal_year(2022, western=True) == "令和4年度 (2022)"  # the plan's H34


def test_heisei_spelling_of_reiwa_years():
    assert heisei_spelling(2022) == "平成34年度"
    assert heisei_spelling(2017) is None


def test_format_date():
    assert format_date(dt.date(2017, 9, 15)) == "平成29年9月15日"
    assert format_date(dt.date(2017, 9, 15), style="short") == "H29.9.15"
    assert format_date(dt.date(2019, 4, 30), style="short") == "H31.4.30"
    assert format_date(dt.date(2019, 5, 1)) == "令和元年5月1日"


@given(st.integers(min_value=1927, max_value=2100), st.sampled_from(["kanji", "short"]))
def test_fiscal_year_round_trip(fy, style):
    assert parse_fiscal_year(format_fiscal_year(fy, style=style)) == fy


@given(
    st.dates(min_value=dt.date(1927, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.sampled_from(["kanji", "short"]),
)
def test_date_round_trip(day, style):
    assert parse_date(format_date(day, style=style)) == day


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_a_date_lies_within_its_fiscal_year(day):
    start, end = fiscal_year_bounds(fiscal_year_of(day))
    assert start <= day <= end
    assert 0 < fiscal_year_fraction(day) <= 1


@pytest.mark.parametrize("fy", [0, 9999, 12345])
def test_a_fiscal_year_beyond_the_calendar_is_an_error_not_a_crash(fy):
    with pytest.raises(MachiplanError, match=f"FY{fy} is outside the calendar"):
        fiscal_year_bounds(fy)


def test_a_date_in_fy9999_is_an_error_not_a_crash():
    with pytest.raises(MachiplanError, match="FY9999 is outside the calendar"):
        fiscal_year_fraction(dt.date(9999, 8, 31))


def test_errors_quote_a_long_text_shortened():
    with pytest.raises(MachiplanError) as info:
        parse_fiscal_year("H" + "1" * 10_000)
    assert len(str(info.value)) < 200
