"""One set of rules for every way in (#10): a figure's rules (entry_checks.check_entry) are the rules a
whole plan's figures keep (validation.check_plan), with the same message; and the plan's own rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from machiplan.domain import plan as domain
from machiplan.domain.entry_checks import MESSAGES, check_entry, figure_years, number_fits
from machiplan.domain.errors import MachiplanError
from machiplan.domain.fiscal import FIRST_FY, LAST_FY, fiscal_year_bounds
from machiplan.domain.validation import check_plan

D = Decimal
PERCENT = domain.Indicator(code="1b", nodes=("1",), category="", name="加入率", unit="%")
COUNT = domain.Indicator(code="2e", nodes=("1",), category="", name="法人数", unit="団体")
PLAN = domain.Plan(
    code="town", title="計画", municipality=domain.Municipality("市", "011002"), start_fy=2014, end_fy=2018,
    nodes=(domain.Node("1", "参加", statement="…"),),
)  # fmt: skip

years = st.one_of(
    st.integers(2000, 2020), st.integers(-(2**70), 2**70), st.sampled_from([0, 1, 153, 9999, 2**63])
)
numbers = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-(10**16), max_value=10**16, places=7),
    st.sampled_from(["1e400", "1" * 60, "0.0000001", "123456789012345", "1234567890123456", "99.999999"]).map(
        D
    ),
    st.integers(-(10**30), 10**30).map(D),
)
figures = st.builds(
    domain.Observation,
    fy=years,
    kind=st.sampled_from([*domain.OBSERVATION_KINDS, "guess"]),
    value=st.none() | numbers,
    as_of=st.none() | st.dates(),
    approximate=st.booleans(),
    breakdown=st.lists(st.tuples(st.text(max_size=5), numbers), max_size=3).map(tuple),
    note=st.text(max_size=10),
    source=st.just("observations.csv:7"),
)


@given(figures, st.sampled_from([PERCENT, COUNT]))
def test_a_figure_is_judged_never_crashes_and_every_message_is_one_line(figure, indicator):
    findings = check_entry(indicator, figure, years=figure_years(PLAN.start_fy, PLAN.end_fy))
    for problem in (*findings.errors, *findings.warnings):
        for lang in MESSAGES:
            text = problem.message(lang)
            assert text and "\n" not in text and len(text) < 400
    if not findings.errors:  # what is accepted is kept exactly, in a year of the plan
        assert 2004 <= figure.fy <= 2019
        assert figure.value is None or number_fits(figure.value)
        assert all(number_fits(v) and label.strip() for label, v in figure.breakdown)
        if figure.as_of is not None:
            start, end = fiscal_year_bounds(figure.fy)
            assert start <= figure.as_of <= end


@given(figures, st.sampled_from([PERCENT, COUNT]))
def test_a_plan_refuses_exactly_the_figures_the_form_refuses_with_the_same_message(figure, indicator):
    plan = replace(PLAN, indicators=(replace(indicator, observations=(figure,)),))
    findings = check_entry(indicator, figure, years=figure_years(PLAN.start_fy, PLAN.end_fy))
    if findings.errors:
        with pytest.raises(MachiplanError) as raised:
            check_plan(plan)
        first = findings.errors[0].message("en")
        assert str(raised.value) == f"observations.csv:7: {indicator.code} FY{figure.fy}: {first}"
    else:
        warnings = check_plan(plan)
        assert [w.message for w in warnings] == [
            f"{indicator.code} FY{figure.fy}: {p.message('en')}" for p in findings.warnings
        ]


@pytest.mark.parametrize(
    ("fy", "value", "message"),
    [
        (0, "70", "FY0 is outside the years machiplan keeps (1927 to 2200)."),
        (153, "70", "FY153 is outside the years machiplan keeps (1927 to 2200)."),
        (2**63, "70", f"FY{2**63} is outside the years machiplan keeps (1927 to 2200)."),
        (2030, "70", "FY2030 is outside the plan's years."),
        (2017, "NaN", "Enter a number (not NaN or infinity)."),
        (2017, "-Infinity", "Enter a number (not NaN or infinity)."),
        (
            2017,
            "1e999999",
            "1e+999999 cannot be kept exactly: a number must be less than 10^15 (1,000兆) in size, with at most 6 decimals and 15 significant digits.",
        ),
        (2017, "1" * 60, "1.11111e+59 cannot be kept exactly"),
        (2017, "70.1234567", "70.1234567 cannot be kept exactly"),
        (2017, "120", "A percentage must be between 0 and 100 (entered: 120)."),
    ],
)
def test_each_rule_has_one_message(fy, value, message):
    findings = check_entry(
        PERCENT, domain.Observation(fy=fy, kind="actual", value=D(value)), years=(2004, 2019)
    )
    assert findings.errors[0].message("en").startswith(message)
    assert findings.errors[0].message("ja")  # and its Japanese


def test_dates_and_years_before_showa_are_written_plainly():
    problem = check_entry(PERCENT, domain.Observation(2017, "interim", D(70), as_of=dt.date(1, 1, 1))).errors[
        0
    ]
    assert problem.message("ja").startswith("時点 0001-01-01 は平成29年度")


def test_a_running_total_is_checked_against_the_plans_other_years():
    cumulative = replace(COUNT, measure=domain.CUMULATIVE, observations=(
        domain.Observation(2015, "actual", D(41), source="observations.csv:3"),
        domain.Observation(2016, "actual", D(40), source="observations.csv:4"),
    ))  # fmt: skip
    with pytest.raises(
        MachiplanError, match=r"^observations.csv:3: 2e FY2015: The running total 41 is above 40 of FY2016"
    ):
        check_plan(replace(PLAN, indicators=(cumulative,)))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": "town\n"}, r"^code: 'town\\n' is not a valid code"),
        ({"code": "town.v2"}, r"^code: 'town.v2' is not a valid code"),
        ({"code": "ｔｏｗｎ"}, r"^code: 'ｔｏｗｎ' is not a valid code"),
        (
            {"municipality": domain.Municipality("市", "０１１００２")},
            r"^municipality.code: '０１１００２' is not",
        ),
        ({"municipality": domain.Municipality("市", "011002\n")}, r"^municipality.code: '011002\\n' is not"),
        ({"start_fy": 0}, r"^period.start_fy: FY0 is outside the years machiplan keeps"),
        ({"end_fy": 9999}, r"^period.end_fy: FY9999 is outside"),
        ({"start_fy": 2019}, r"^period: the plan ends \(FY2018\) before it starts \(FY2019\)"),
        ({"evaluation_fy": 2040}, r"^evaluation_fy: FY2040 is not a year of the plan \(FY2014 to FY2019\)"),
        ({"nodes": (domain.Node("1 1", "x"),)}, r"^nodes\[1 1\]: '1 1' is not a valid node code"),
        ({"nodes": (domain.Node(".", "x"),)}, r"^nodes\[\.\]: '\.' is not a valid node code"),
        (
            {"nodes": (domain.Node("1", "x"), domain.Node("1", "y"))},
            r"^nodes\[1\]: node code 1 appears twice",
        ),
        (
            {"nodes": (domain.Node("1-1", "x", parent="1"),)},
            r"^nodes\[1-1\]: parent '1' does not come before it",
        ),
        ({"title": "計画\x00"}, r"^title: Control characters"),
        ({"title": "計" * 301}, r"^title: At most 300 characters \(this has 301\)\.$"),
        ({"nodes": (domain.Node("1", "参" * 301),)}, r"^nodes\[1\]\.name: At most 300 characters"),
        (
            {"higher_plans": (domain.HigherPlan("vision", "ビジョン", "ビジョン", end_fy=1800),)},
            r"higher_plans\[0\].end_fy: FY1800",
        ),
        ({"department": "kikaku"}, r"^department: department 'kikaku' is not declared$"),
    ],
)
def test_the_plans_own_rules(change, message):
    with pytest.raises(MachiplanError, match=message):
        check_plan(replace(PLAN, **change))


def test_the_years_a_plans_figures_may_be_for():
    assert figure_years(2014, 2018) == (2004, 2019)
    assert figure_years(FIRST_FY, LAST_FY) == (FIRST_FY, LAST_FY)


def test_an_interim_value_without_a_date_is_a_warning_for_a_plan_too():
    ind = replace(PERCENT, observations=(domain.Observation(2017, "interim", D(70), source="sheet.txt:55"),))
    (warning,) = check_plan(replace(PLAN, indicators=(ind,)))
    assert warning.where == "sheet.txt:55" and warning.line == 55
    assert warning.message.startswith("1b FY2017: This interim value has no as-of date")


accepted_numbers = st.one_of(
    st.decimals(min_value=-(10**9), max_value=10**9, places=6),
    st.sampled_from(["0", "999999999999999", "-999999999999999", "0.000001", "100"]).map(D),
)


@st.composite
def accepted_indicators(draw):
    unit = draw(st.sampled_from(["%", "件", "円", None]))
    measure = draw(st.sampled_from(domain.MEASURES))
    years = sorted(draw(st.sets(st.integers(2004, 2019), max_size=6)))
    observations = []
    for fy in years:
        kind = draw(st.sampled_from(domain.OBSERVATION_KINDS))
        value = None
        if kind in ("actual", "interim"):
            value = draw(
                st.decimals(min_value=0, max_value=100, places=3) if unit == "%" else accepted_numbers
            )
        as_of = (
            draw(st.none() | st.dates(dt.date(fy, 4, 1), dt.date(fy + 1, 3, 31)))
            if kind == "interim"
            else None
        )
        observations.append(domain.Observation(fy=fy, kind=kind, value=value, as_of=as_of))
    targets = []
    for horizon in draw(st.sets(st.sampled_from(["plan", "vision"]))):
        fy = draw(st.integers(FIRST_FY, LAST_FY))
        start = draw(st.none() | st.integers(FIRST_FY, fy))
        value = draw(
            st.none()
            | (st.decimals(min_value=0, max_value=100, places=1) if unit == "%" else accepted_numbers)
        )
        targets.append(domain.Target(horizon=horizon, fy=fy, value=value, period_start_fy=start))
    return replace(
        COUNT, unit=unit, measure=measure, direction=draw(st.sampled_from(domain.DIRECTIONS)),
        survey=draw(st.booleans()), reference=draw(st.booleans()), observations=tuple(observations),
        targets=tuple(targets),
    )  # fmt: skip


@given(accepted_indicators(), st.integers(2014, 2019))
def test_whatever_the_rules_accept_is_evaluated_and_explained(indicator, fy):
    """Anything load accepts must report: the evaluation and its sentences never fail on it."""
    from machiplan.domain.evaluation import evaluate_plan
    from machiplan.domain.explain import explain

    plan = replace(
        PLAN, higher_plans=(domain.HigherPlan("vision", "ビジョン", "ビジョン"),), indicators=(indicator,)
    )
    try:
        check_plan(plan)
    except MachiplanError:
        return  # refused: a running total that falls, …
    evaluation = evaluate_plan(plan, evaluation_fy=fy)
    for lang in ("ja", "en"):
        assert explain(evaluation.indicators[indicator.code], indicator, lang)


def test_a_warning_speaks_japanese_when_it_can_and_english_otherwise():
    from machiplan.domain.validation import PlanWarning
    from machiplan.sheets import SheetWarning

    both = PlanWarning("observations.csv:12", "no figures", "数値がありません")
    assert both.text("ja") == "数値がありません" and both.text("en") == "no figures"
    assert str(both) == "observations.csv:12: no figures"  # the command line's, as before
    assert both.said("ja") == "observations.csv:12: 数値がありません"
    english_only = PlanWarning("B7", "no figures")  # made before the warnings had both
    assert english_only.text("ja") == english_only.text("en") == "no figures"
    line = SheetWarning(55, "left out", "除きました")
    assert (str(line), line.said("ja"), SheetWarning(None, "left out").text("ja")) == (
        "line 55: left out",
        "55行目：除きました",
        "left out",
    )


@pytest.mark.parametrize("order", [("men", "women"), ("women", "men")])
def test_of_two_series_errors_the_first_in_the_file_is_reported(order):
    """Each series is checked in the order its first figure comes, the same in every run (they were
    taken from a set of names, whose order changes with the hash seed)."""
    rows = {series: line for line, series in enumerate(order, start=3)}
    ind = replace(PERCENT, series=("men", "women"), observations=tuple(
        domain.Observation(2017, "actual", D("120"), series=series, source=f"observations.csv:{line}")
        for series, line in rows.items()
    ))  # fmt: skip
    with pytest.raises(MachiplanError, match=r"^observations.csv:3: .*120"):
        check_plan(replace(PLAN, indicators=(ind,)))
