"""The checks on an entered figure: errors at the field, warnings that ask for a reason."""

import datetime as dt
from decimal import Decimal
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from machiplan.domain import plan as domain
from machiplan.domain.entry_checks import check_entry, figure_history, usual_change
from machiplan.domain.plan import narrative_items
from machiplan.domain.quantities import format_breakdown, parse_breakdown

D = Decimal
PERCENT = domain.Indicator(code="1b", nodes=("1",), category="", name="町内会加入率", unit="%")
COUNT = domain.Indicator(
    code="3b", nodes=("3",), category="", name="場の数", unit="件", measure=domain.CUMULATIVE
)


def obs(fy, value, kind=domain.ACTUAL, **kw):
    return domain.Observation(fy=fy, kind=kind, value=None if value is None else D(str(value)), **kw)


HISTORY_1B = [obs(2013, "71.7"), obs(2014, "71.5"), obs(2015, "71.2"), obs(2016, "71.1")]


def codes(findings):
    return [(p.field, p.code) for p in findings.errors], [(p.field, p.code) for p in findings.warnings]


def test_a_usual_figure_passes():
    assert codes(check_entry(PERCENT, obs(2017, "70.9"), HISTORY_1B)) == ([], [])


def test_a_percentage_outside_0_to_100_is_refused_at_the_value():
    errors, _ = codes(check_entry(PERCENT, obs(2017, "120"), HISTORY_1B))
    assert errors == [("value", "percent_range")]
    assert codes(check_entry(PERCENT, obs(2017, "-1"), HISTORY_1B))[0] == [("value", "percent_range")]
    assert codes(check_entry(PERCENT, obs(2017, "100"), []))[0] == []


def test_as_of_must_fall_in_the_fiscal_year():
    inside = obs(2017, "70", kind=domain.INTERIM, as_of=dt.date(2018, 3, 31))
    outside = obs(2017, "70", kind=domain.INTERIM, as_of=dt.date(2017, 3, 31))
    assert codes(check_entry(PERCENT, inside))[0] == []
    errors, _ = codes(check_entry(PERCENT, outside))
    assert errors == [("as_of", "as_of_outside_year")]
    problem = check_entry(PERCENT, outside).errors[0]
    assert (
        problem.message("ja")
        == "時点 平成29年3月31日 は平成29年度（平成29年4月1日〜平成30年3月31日）の外です。"
    )
    assert problem.message("en") == "The as-of date 2017-03-31 is outside FY2017 (2017-04-01 to 2018-03-31)."


def test_an_interim_value_without_a_date_asks_for_a_reason_and_values_match_the_kind():
    # a warning, not an error: the city's own sheets carry interim values without a date
    assert codes(check_entry(PERCENT, obs(2017, "70", kind=domain.INTERIM))) == (
        [],
        [("as_of", "as_of_missing")],
    )
    assert codes(check_entry(PERCENT, obs(2017, None)))[0] == [("value", "value_required")]
    assert codes(check_entry(PERCENT, obs(2017, "3", kind=domain.PENDING)))[0] == [
        ("value", "value_forbidden")
    ]
    assert codes(check_entry(PERCENT, obs(2017, None, kind=domain.PENDING)))[0] == []


def test_a_breakdown_must_add_up():
    ok = obs(2017, "14", breakdown=(("認定", D(9)), ("仮認定", D(5))))
    bad = obs(2017, "15", breakdown=(("認定", D(9)), ("仮認定", D(5))))
    assert codes(check_entry(COUNT, ok))[0] == []
    errors, _ = codes(check_entry(COUNT, bad))
    assert errors == [("breakdown", "breakdown_sum")]
    assert "14" in check_entry(COUNT, bad).errors[0].message("en")


def test_a_running_total_cannot_fall():
    history = [obs(2015, 41), obs(2016, 62), obs(2018, 80)]
    assert codes(check_entry(COUNT, obs(2017, 61), history))[0] == [("value", "cumulative_below_previous")]
    assert codes(check_entry(COUNT, obs(2017, 81), history))[0] == [("value", "cumulative_above_next")]
    assert codes(check_entry(COUNT, obs(2017, 70), history))[0] == []
    # a level indicator may fall
    assert codes(check_entry(PERCENT, obs(2017, "71.0"), HISTORY_1B))[0] == []


def test_a_change_beyond_the_usual_range_asks_for_a_reason():
    # 1b moved at most 0.3 points a year: a fall of 11 points needs confirming
    errors, warnings = codes(check_entry(PERCENT, obs(2017, "60"), HISTORY_1B))
    assert errors == [] and warnings == [("value", "unusual_change")]
    text = check_entry(PERCENT, obs(2017, "60"), HISTORY_1B).warnings[0].message("ja")
    assert "71.1" in text and "-11.1" in text
    # with little history, half the year before's value is the bound
    assert codes(check_entry(COUNT, obs(2017, 100), [obs(2016, 62)]))[1] == [("value", "unusual_change")]
    assert codes(check_entry(COUNT, obs(2017, 80), [obs(2016, 62)]))[1] == []
    # an interim value is a part of a year: no comparison
    assert (
        codes(
            check_entry(PERCENT, obs(2017, "10", kind=domain.INTERIM, as_of=dt.date(2017, 9, 1)), HISTORY_1B)
        )[1]
        == []
    )


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=3, max_size=8))
def test_a_figure_inside_the_seen_changes_never_warns(values):
    history = [obs(2010 + n, v) for n, v in enumerate(values)]
    last = values[-1]
    biggest = max(abs(b - a) for a, b in pairwise(values))
    entry = obs(2010 + len(values), last + biggest)
    assert (
        check_entry(COUNT.__class__(code="x", nodes=("1",), category="", name="x"), entry, history).warnings
        == ()
    )


@given(st.lists(st.tuples(st.sampled_from(["認定", "仮認定", "指定"]), st.integers(0, 10**6)), max_size=4))
def test_breakdowns_round_trip(parts):
    parts = tuple((label, D(v)) for label, v in parts)
    assert parse_breakdown(format_breakdown(parts)) == parts


def test_narrative_text_round_trips():
    items = narrative_items("●見出し\n本文\n・一\n・二\n●次\n・三")
    assert [i.heading for i in items] == ["見出し", "次"]
    assert items[0].bullets == ("一", "二") and items[0].text == "本文"
    assert narrative_items(domain.Narrative(kind="results", fy=2017, items=items).text) == items


@settings(max_examples=500)  # a hundred histories missed a miscount of the changes left
@given(
    st.dictionaries(
        st.integers(2010, 2020),
        st.tuples(
            st.sampled_from((domain.ACTUAL, domain.ACTUAL, domain.INTERIM)),
            # equal changes written with other exponents too: the limit is the same whichever is the largest
            st.integers(-50, 50) | st.sampled_from(["1", "1.0", "2.50", "2.5", "-3", "-3.00", "0", "0.00"]),
        ),
        max_size=12,
    ),
    st.integers(2009, 2021),
)
def test_a_history_gives_the_usual_change_without_the_years_own_figure(figures, fy):
    """The changes a history works out once give what working them out again without the year gives,
    digit for digit."""
    history = figure_history(obs(year, value, kind) for year, (kind, value) in figures.items())
    actuals = [o for o in history if o.kind == domain.ACTUAL and o.fy != fy]
    changes = [abs(b.value - a.value) / (b.fy - a.fy) for a, b in pairwise(actuals)]
    for previous in (obs(fy - 1, 40), obs(fy - 1, 0)):
        found = history.usual_change_without(fy, previous)
        expected = usual_change(changes, previous)
        assert str(found) == str(expected)
