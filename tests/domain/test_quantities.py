import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from machiplan.domain.errors import MachiplanError, excerpt
from machiplan.domain.quantities import (
    NONE,
    PENDING,
    VALUE,
    Quantity,
    decimal_places,
    format_breakdown,
    format_number,
    format_quantity,
    format_value,
    parse_breakdown,
    parse_number,
    parse_quantity,
)

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("32.4%", Quantity(value=D("32.4"), unit="%")),
        ("32.4 ％", Quantity(value=D("32.4"), unit="%")),
        ("331件", Quantity(value=D(331), unit="件")),
        ("2,280 団体", Quantity(value=D(2280), unit="団体")),
        ("約4億9,600万円", Quantity(value=D(496_000_000), unit="円", approximate=True)),
        ("7億4,000万円", Quantity(value=D(740_000_000), unit="円")),
        ("2,684 団体 (H29.8.31.時点)", Quantity(value=D(2684), unit="団体", as_of=dt.date(2017, 8, 31))),
        ("950 団体 (H29.8.31 時点)", Quantity(value=D(950), unit="団体", as_of=dt.date(2017, 8, 31))),
        ("37 件 (H29.9.15 時点)", Quantity(value=D(37), unit="件", as_of=dt.date(2017, 9, 15))),
        ("今後調査", Quantity(kind=PENDING)),
        ("—", Quantity(kind=NONE)),
        ("－", Quantity(kind=NONE)),
        (
            "15 認定9、仮認定5、 条例個別指定1",
            Quantity(value=D(15), breakdown=(("認定", D(9)), ("仮認定", D(5)), ("条例個別指定", D(1)))),
        ),
        (
            "23 認定18、仮認定 3、条例個別指定2",
            Quantity(value=D(23), breakdown=(("認定", D(18)), ("仮認定", D(3)), ("条例個別指定", D(2)))),
        ),
        ("100 件 (H26-30 計)", Quantity(value=D(100), unit="件", period=(2014, 2018))),
        ("１，２３４人", Quantity(value=D(1234), unit="人")),
        ("▲3回", Quantity(value=D(-3), unit="回")),
        ("1.5万人", Quantity(value=D(15000), unit="人")),
        ("500 人 (R1.9.30時点)", Quantity(value=D(500), unit="人", as_of=dt.date(2019, 9, 30))),
        ("12 件 (R2-R6 計)", Quantity(value=D(12), unit="件", period=(2020, 2024))),
        ("8 件 (暫定値)", Quantity(value=D(8), unit="件", note="暫定値")),
    ],
)
def test_every_format_of_the_sheet(text, expected):
    parsed = parse_quantity(text)
    assert parsed == expected
    assert parsed.source_text == text  # the original is kept


def test_a_missing_unit_is_taken_from_the_column():
    assert parse_quantity("15 認定9、仮認定5、条例個別指定1", default_unit="団体").unit == "団体"
    assert parse_quantity("今後調査", default_unit="%").kind == PENDING


def test_breakdown_is_checked_against_the_total():
    assert parse_quantity("15 認定9、仮認定5、条例個別指定1").breakdown_matches
    assert not parse_quantity("16 認定9、仮認定5、条例個別指定1").breakdown_matches


def test_pending_and_none_are_not_zero():
    for text in ("今後調査", "—"):
        q = parse_quantity(text)
        assert q.value is None and q.kind != VALUE


@pytest.mark.parametrize("text", ["", "   ", "たくさん", "%", "約"])
def test_unreadable_cells_raise_a_clear_error(text):
    with pytest.raises(MachiplanError) as info:
        parse_quantity(text, where="sheet.txt:12:C3")
    assert "sheet.txt:12:C3" in str(info.value)


def test_parse_number():
    assert parse_number("2,280") == 2280
    assert parse_number("4億9,600万") == 496_000_000
    assert parse_number("△1,000") == -1000


def test_format_value():
    assert format_value(D(2280), "団体") == "2,280団体"
    assert format_value(D(496_000_000), "円") == "4億9,600万円"
    assert format_value(D(1_234_567), "円") == "123万4,567円"
    assert format_value(D(70), "%", 1) == "70.0%"
    assert format_value(D("32.4"), "%") == "32.4%"


units = st.sampled_from(["%", "件", "団体", "人", "回", "円", "社", None])
values = st.one_of(
    st.integers(min_value=-(10**13), max_value=10**13).map(Decimal),
    st.decimals(min_value=-100000, max_value=100000, places=2, allow_nan=False, allow_infinity=False),
)
as_of = st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)))
periods = st.one_of(
    st.none(),
    st.tuples(st.integers(1990, 2060), st.integers(0, 10)).map(lambda p: (p[0], p[0] + p[1])),
)
labels = st.text(alphabet="認定仮条例個別指定法人団体市区町村", min_size=1, max_size=6)


@st.composite
def quantities(draw):
    kind = draw(st.sampled_from([VALUE, VALUE, VALUE, PENDING, NONE]))
    unit = draw(units)
    if kind != VALUE:
        return Quantity(kind=kind, unit=unit)
    value = draw(values)
    breakdown = tuple(
        (label, D(n))
        for label, n in draw(
            st.lists(st.tuples(labels, st.integers(0, 999)), max_size=3, unique_by=lambda p: p[0])
        )
    )
    return Quantity(
        kind=VALUE,
        value=value,
        unit=unit,
        approximate=draw(st.booleans()),
        as_of=draw(as_of),
        breakdown=breakdown,
        period=draw(periods),
    )


@given(quantities())
def test_format_then_parse_is_the_identity(q):
    text = format_quantity(q)
    parsed = parse_quantity(text, default_unit=q.unit)
    assert parsed == q, text


@given(st.text(max_size=30))
def test_parser_never_crashes_on_arbitrary_text(text):
    with contextlib.suppress(MachiplanError):
        parse_quantity(text)


@pytest.mark.parametrize(
    "text", ["2,684 団体 (H29.2.30時点)", "2,684団体 H29.2.30時点", "5 件 (R1.13.1 時点)"]
)
def test_an_impossible_as_of_date_is_an_error_never_dropped(text):
    with pytest.raises(MachiplanError, match=r"as-of date .* cannot be read") as info:
        parse_quantity(text, where="sheet.txt:12")
    assert str(info.value).startswith("sheet.txt:12: ")


def test_a_note_ending_in_jiten_without_a_date_stays_a_note():
    assert parse_quantity("8 件 (年度末時点)") == Quantity(value=D(8), unit="件", note="年度末時点")


def test_numbers_keep_every_digit_and_format_exactly():
    long = "1" * 40
    assert parse_number(long) == D(long)
    assert parse_number(f"{long}億") == D(long + "0" * 8)
    assert parse_quantity(f"{long}人").value == D(long)
    assert format_number(D(long)) == ",".join(["1"] + ["111"] * 13)
    assert format_number(D("1" * 31 + ".5"), 2) == "1," + ",".join(["111"] * 10) + ".50"
    assert format_value(D("1" * 31), "円").endswith("万1,111円")
    q = Quantity(value=D("9" * 35), unit="件")
    assert parse_quantity(format_quantity(q)) == q
    assert decimal_places(D("1" * 40 + ".50")) == 1


def test_digits_run_together_after_a_decimal_are_not_a_number():
    with pytest.raises(MachiplanError, match="not a number"):
        parse_number("1.52,3")  # was read as 1.52, the rest dropped


def test_an_overlong_cell_is_refused_with_its_length():
    with pytest.raises(MachiplanError, match=r"sheet\.txt:3: 2,001 characters: too long for one cell"):
        parse_quantity("1" * 2_001, where="sheet.txt:3")
    with pytest.raises(MachiplanError, match=r"too long to be a number"):
        parse_number("1" * 101)
    with pytest.raises(MachiplanError, match=r"too long for one cell"):
        parse_breakdown("認定1、" * 1_000)


def test_errors_quote_a_long_text_shortened():
    with pytest.raises(MachiplanError) as info:
        parse_number("x" * 100)
    assert len(str(info.value)) < 120 and "…" in str(info.value)


def test_a_cell_of_several_lines_is_quoted_in_one_line():
    with pytest.raises(MachiplanError) as info:
        parse_quantity("1,006 件\n1,006 件")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "value", "unit", "extra"),
    [
        ("2,000人以上", D(2000), "人", {"operator": "at_least"}),
        ("15%以下", D(15), "%", {"operator": "at_most"}),
        ("年4回", D(4), "回", {"per": "year"}),
        ("1.4人/年", D("1.4"), "人", {"per": "year"}),
        ("▲152人（平成27年度）", D(-152), "人", {"fy": 2015, "period": "fy"}),
        ("2.5‰", D("2.5"), "‰", {}),
        ("32.0%(平成27年度)", D("32.0"), "%", {"fy": 2015}),
        ("74.3(2025年)", D("74.3"), None, {"fy": 2025, "period": "cy"}),
        ("81.9(2024年度末)", D("81.9"), None, {"fy": 2024, "as_of": dt.date(2025, 3, 31)}),
        ("7 (H31.3末)", D(7), None, {"fy": 2018, "as_of": dt.date(2019, 3, 31)}),
        ("4億3,0000万円", D(430_000_000), "円", {}),
    ],
)
def test_a_published_documents_cells(text, value, unit, extra):
    from machiplan.domain.quantities import read_cell

    cell = read_cell(text)
    assert (cell.quantity.value, cell.quantity.unit) == (value, unit)
    for key, expected in extra.items():
        assert getattr(cell, key) == expected, key
    assert cell.source_text == text
    if text == "4億3,0000万円":
        assert "grouped wrongly" in cell.corrected


def test_words_and_none_in_a_published_document():
    from machiplan.domain.quantities import read_cell, split_arrows

    assert read_cell("全員取得").text == "全員取得" and read_cell("全員取得").quantity is None
    none = read_cell("― 件/年")
    assert (none.quantity.kind, none.quantity.unit, none.per) == (NONE, "件", "year")
    assert split_arrows("未導入 → 試行(R3) → 本格導入(R5)") == ["未導入", "試行(R3)", "本格導入(R5)"]


def _places_by_digits(value: Decimal) -> int:
    """decimal_places as its definition says it, from the digits and exponent alone."""
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or not any(digits):
        return 0
    trailing = len(digits) - len(bytes(digits).rstrip(b"\0"))
    return max(0, -(exponent + trailing))


@given(st.decimals(allow_nan=True, allow_infinity=True) | st.decimals(places=6, allow_nan=False))
def test_decimal_places_read_off_the_text_agrees_with_the_digits(value):
    assert decimal_places(value) == _places_by_digits(value)


@pytest.mark.parametrize(
    "text", ["32.400", "-0.050", "0.000", "1.5E-7", "1.50E-7", "2.28E+3", "12345.25", "7", "-0"]
)
def test_decimal_places_of_every_spelling(text):
    assert decimal_places(D(text)) == _places_by_digits(D(text))


@given(st.text(max_size=200))
@example("0\U00010d3a\U0002ebe19件\n" * 8)  # the fuzzed cell that made it
@example("\x00" * 40)
def test_a_quoted_text_stays_short_however_its_characters_are_escaped(text):
    """excerpt (every message that quotes a user's text) counts the length it shows: a line of
    characters repr escapes ('\\U0002ebe1', ten characters each) once made a 415-character message."""
    shown = excerpt(text)
    assert "\n" not in shown and len(shown) <= 82 + len(f"… ({len(text):,} characters)")
    if len(repr(text)) <= 82 and len(text) <= 40:
        assert shown == repr(text)  # a short text is quoted whole, as before
    else:
        assert shown.endswith(f"… ({len(text):,} characters)")


@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=10)
            | st.sampled_from(["65歳以上", "第1地区", "A-1", "ＡＢ", "a;b", "[注]"]),
            st.decimals(min_value=-(10**12), max_value=10**12, places=2),
        ),
        max_size=4,
    )
)
@example([("65歳以上", D(700)), ("第1地区", D(500))])
def test_a_breakdown_as_a_form_or_template_shows_it_reads_back_the_same(parts):
    """format_breakdown's text (the staff form's box, the bulk template's cell) is read back by
    parse_breakdown as the same parts, whatever the labels: '65歳以上700、第1地区510' could not be."""
    parts = tuple(parts)
    assert parse_breakdown(format_breakdown(parts)) == parts
    assert (
        format_breakdown((("認定", D(9)), ("仮認定", D(5)))) == "認定9、仮認定5"
    )  # the usual stays as people write it


def test_a_value_is_read_with_or_without_its_indicators_own_unit():
    from machiplan.domain.quantities import parse_value

    assert parse_value("70.1%", "%") == Decimal("70.1")
    assert parse_value("70.1 ％", "%") == Decimal("70.1")
    assert parse_value("2,280人", "人") == Decimal("2280")
    assert parse_value("4億9,600万円", "円") == Decimal("496000000")
    assert parse_value("32.4", "%") == Decimal("32.4")
    for text, unit in (("70.1%", "人"), ("70.1%", None), ("%", "%"), ("人人", "人"), ("7O%", "%")):
        with pytest.raises(MachiplanError):
            parse_value(text, unit)
