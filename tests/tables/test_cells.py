"""Cells as cities write them in their tables, and the years headers and cells name."""

import datetime as dt
from decimal import Decimal

import pytest

from machiplan.domain.errors import MachiplanError
from machiplan.tables.cells import parse_cell, read_when, split_arrow


@pytest.mark.parametrize(
    ("text", "value", "unit", "fy", "period", "as_of", "operator", "per", "interim"),
    [
        ("32.0%(平成27年度)", "32.0", "%", 2015, "fy", None, None, None, False),
        ("2,000人以上", "2000", "人", None, "fy", None, "at_least", None, False),
        ("15%以下", "15", "%", None, "fy", None, "at_most", None, False),
        ("10件未満", "10", "件", None, "fy", None, "at_most", None, False),
        ("▲3", "-3", None, None, "fy", None, None, None, False),
        ("△1.5", "-1.5", None, None, "fy", None, None, None, False),
        ("−1.0", "-1.0", None, None, "fy", None, None, None, False),
        ("年4回", "4", "回", None, "fy", None, None, "year", False),
        ("4回/年", "4", "回", None, "fy", None, None, "year", False),
        ("月平均120人", "120", "人", None, "fy", None, None, "month", False),
        ("640件(R4.9.30現在)", "640", "件", 2022, "fy", dt.date(2022, 9, 30), None, None, True),
        ("R4.9.30現在 640", "640", None, 2022, "fy", dt.date(2022, 9, 30), None, None, True),
        ("令和4年9月30日現在 350人", "350", "人", 2022, "fy", dt.date(2022, 9, 30), None, None, True),
        ("2,684 団体 (H29.8.31.時点)", "2684", "団体", 2017, "fy", dt.date(2017, 8, 31), None, None, True),
        ("81.9%（2024年度末）", "81.9", "%", 2024, "fy", dt.date(2025, 3, 31), None, None, False),
        ("74.3%（2025年）", "74.3", "%", 2025, "cy", None, None, None, False),
        ("80.0%以上(2032年度末)", "80.0", "%", 2032, "fy", dt.date(2033, 3, 31), "at_least", None, False),
        ("4,344千円", "4344", "千円", None, "fy", None, None, None, False),
        ("1,200百万円", "1200", "百万円", None, "fy", None, None, None, False),
        ("90.4億円", "90.4", "億円", None, "fy", None, None, None, False),
        ("約4億9,600万円", "496000000", "円", None, "fy", None, None, None, False),
        ("３２．４％", "32.4", "%", None, "fy", None, None, None, False),
        ("H27:8", "8", None, 2015, "fy", None, None, None, False),
    ],
)
def test_values_as_cities_write_them(text, value, unit, fy, period, as_of, operator, per, interim):
    cell = parse_cell(text)
    assert cell.kind == "value"
    assert cell.value == Decimal(value) and cell.unit == unit, cell
    assert (cell.when.fy if cell.when else None) == fy
    assert (cell.when.period if cell.when else "fy") == period
    assert (cell.when.as_of if cell.when else None) == as_of
    assert (cell.operator, cell.per, cell.interim) == (operator, per, interim)


def test_a_forecast_a_breakdown_a_summed_period_and_a_mark():
    assert parse_cell("令和4年末見込 700").forecast
    breakdown = parse_cell("15 認定9、仮認定5、条例個別指定1")
    assert breakdown.value == 15 and breakdown.breakdown == (
        ("認定", Decimal(9)),
        ("仮認定", Decimal(5)),
        ("条例個別指定", Decimal(1)),
    )
    summed = parse_cell("100件(H26-30計)")
    assert (summed.value, summed.period_start_fy, summed.when.fy) == (Decimal(100), 2014, 2018)
    marked = parse_cell("32.0%※1")
    assert marked.value == Decimal("32.0") and marked.note == "※1"


def test_words_nothing_and_not_yet():
    words = parse_cell("全員取得")
    assert (words.kind, words.text) == ("text", "全員取得")
    assert parse_cell("設置(R3)").text == "設置" and parse_cell("設置(R3)").when.fy == 2021
    assert (
        parse_cell("平均寿命の増加分を上回る健康寿命の増加（2028年度末）").text
        == "平均寿命の増加分を上回る健康寿命の増加"
    )
    maintain = parse_cell("現状維持")
    assert (maintain.kind, maintain.operator) == ("text", "maintain")
    for text in ("―", "—", "-", "－", "未定", "― 件/年"):
        assert parse_cell(text).kind == "none", text
    for text in ("今後調査", "集計中"):
        assert parse_cell(text).kind == "pending", text


def test_digits_grouped_wrongly_are_read_as_meant_and_said():
    typo = parse_cell("4億3,0000万円")
    assert typo.value == 430_000_000 and typo.unit == "円"
    assert "read as '4億3,000万円'" in typo.doubt
    assert parse_cell("12,34").doubt == "a thousands separator not before three digits"
    assert not parse_cell("1,234").doubt


@pytest.mark.parametrize("text", ["(H27)", "", "   "])
def test_a_cell_that_is_no_figure_is_an_error(text):
    with pytest.raises(MachiplanError):
        parse_cell(text)


def test_a_date_that_cannot_be_is_an_error_not_a_full_year():
    with pytest.raises(MachiplanError, match="is not a date"):
        parse_cell("640件(R4.2.30現在)")


def test_the_years_headers_and_cells_name():
    assert read_when("令和元年").fy == 2019
    assert read_when("平成31年度").fy == 2019
    assert read_when("H34").fy == 2022  # a Heisei year that never was
    assert read_when("令和4年度3月31日").as_of == dt.date(2023, 3, 31)  # the fiscal year's March
    assert read_when("2019") is None and read_when("2019", bare_western=True).fy == 2019
    assert read_when("5ヵ年目標") is None


def test_now_and_target_in_one_cell():
    assert split_arrow("1.4人/年 → 4組/年") == ("1.4人/年", "4組/年")
    assert split_arrow("― ⇒ 50人") == ("―", "50人")
    assert split_arrow("50人") is None
