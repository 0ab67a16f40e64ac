"""The evaluation method: the issue's examples on the Sapporo plan, each trap docs/evaluation.md settles,
configurable parameters, and properties that hold for any series."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from machiplan.domain.errors import MachiplanError
from machiplan.domain.evaluation import (
    ACHIEVED,
    BEHIND,
    NO_DATA,
    NO_TARGET,
    ON_TRACK,
    REGRESSING,
    ROUGHLY_ON_TRACK,
    STATUSES,
    Params,
    evaluate_indicator,
    evaluate_plan,
)
from machiplan.domain.explain import explain
from machiplan.domain.plan import Indicator, Method, Observation, Target

D = Decimal


def by_name(plan, name):
    return next(i for i in plan.indicators if i.name == name)


def test_the_issue_examples(sapporo):
    result = evaluate_plan(sapporo)
    assert result.evaluation_fy == 2017
    status = {i.name: result.indicators[i.code].status for i in sapporo.indicators}
    assert status["市民活動サポートセンター登録団体数"] == ACHIEVED  # 2,653 against 2,500
    assert status["身近に交流の機会があると感じている人の割合"] == REGRESSING  # 31.8 -> 23.5 toward 40
    assert status["認証NPO法人数"] == BEHIND  # 939 from 887 toward 1,100


def test_every_sapporo_status_follows_the_method(sapporo):
    expected = {
        "1a": ACHIEVED,
        "1b": REGRESSING,
        "1c": REGRESSING,
        "1d": ACHIEVED,
        "2a": ACHIEVED,
        "2b": BEHIND,
        "2c": REGRESSING,
        "2d": NO_TARGET,
        "2e": ON_TRACK,
        "3a": REGRESSING,
        "3b": ROUGHLY_ON_TRACK,
        "3c": ACHIEVED,
        "4a": BEHIND,
        "4b": ACHIEVED,
        "4c": ACHIEVED,
    }
    result = evaluate_plan(sapporo)
    assert {code: e.status for code, e in result.indicators.items()} == expected
    assert result.overall == {
        ACHIEVED: 6,
        ON_TRACK: 1,
        ROUGHLY_ON_TRACK: 1,
        BEHIND: 2,
        REGRESSING: 4,
        "missed": 0,
        NO_DATA: 0,
        NO_TARGET: 1,
    }
    assert sum(result.by_node["1"].values()) == 4 and result.by_node["1"][ACHIEVED] == 2


def test_progress_and_pace_are_the_documented_ratios(sapporo):
    e = evaluate_plan(sapporo).indicators["2b"]
    assert e.headline.progress == pytest.approx((939 - 887) / (1100 - 887))
    assert e.headline.pace == pytest.approx(3 / 5)  # FY2016 of a FY2013-baseline, FY2018 target
    assert e.headline.baseline.fy == 2013 and e.headline.latest.fy == 2016


def test_interim_value_is_shown_beside_never_judged(sapporo):
    e = evaluate_plan(sapporo).indicators["1c"]
    # 69 by September is not a fall from 229: the judgement uses FY2016's actual
    assert e.headline.latest.fy == 2016 and e.headline.latest.value == 229
    assert e.interim.fy == 2017 and e.interim.value == 69 and e.interim.as_of == dt.date(2017, 9, 15)
    # a per-year count carried on at the same rate: 69 / (168/365) ≈ 150
    assert e.interim.projection == 150
    assert "年度途中の値のため評価に含めない" in explain(e, by_name(sapporo, "さぽーとほっと基金寄附件数"))


def test_interim_level_is_projected_from_the_year_before(sapporo):
    e = evaluate_plan(sapporo).indicators["2a"]
    # 2,653 at FY2016's end, 2,684 by 31 August (153/365 of the year): +31 -> about +74
    assert e.interim.projection == 2653 + round(31 / (153 / 365))


def test_a_figure_of_thirty_digits_is_projected_and_explained_not_a_crash(sapporo):
    huge = D("1" * 31)
    indicator = by_name(sapporo, "さぽーとほっと基金寄附件数")
    observations = tuple(
        dataclasses.replace(o, value=huge) if o.fy == 2017 else o for o in indicator.observations
    )
    indicator = dataclasses.replace(indicator, observations=observations)
    e = evaluate_indicator(indicator, evaluation_fy=2017, baseline_fy=2013, params=Params())
    assert e.interim.value == huge and e.interim.projection > huge
    assert "1,111,111,111" in explain(e, indicator)


def test_pending_and_none_are_missing_not_zero(sapporo):
    e = evaluate_plan(sapporo).indicators["3a"]  # H26, H27 and H29 are —
    assert e.headline.latest.value == D("23.5")
    assert e.interim is None
    e = evaluate_plan(sapporo).indicators["1a"]  # H29 今後調査
    assert e.headline.latest.fy == 2016


def test_summed_period_target_compares_the_sum_within_the_period(sapporo):
    e = evaluate_plan(sapporo).indicators["3b"]
    # a running total: 62 at FY2016 minus 20 before the period = 42 toward 100 (H26-30 計)
    assert e.headline.amount == 42
    assert e.headline.progress == pytest.approx(0.42)
    assert e.headline.pace == pytest.approx(3 / 5)
    assert e.status == ROUGHLY_ON_TRACK  # 0.42 >= 0.6 * 0.6


def test_a_survey_jump_is_flagged_not_silently_called_progress(sapporo):
    e = evaluate_plan(sapporo).indicators["1a"]
    assert "break_suspected:2014" in e.flags
    assert "変更が疑われる" in explain(e, by_name(sapporo, "市民まちづくり活動に参加したことのある人の割合"))


def test_every_other_horizon_is_judged(sapporo):
    e = evaluate_plan(sapporo).indicators["1a"]
    horizons = {j.horizon: j for j in e.by_horizon}
    assert set(horizons) == {"action_plan", "vision"}
    ap = horizons["action_plan"]
    assert ap.target.fy == 2019 and ap.pace == pytest.approx(0.5)
    assert ap.progress == pytest.approx((81.4 - 32.4) / (100 - 32.4))
    assert ap.status == ON_TRACK
    vision = {j.horizon: j for j in evaluate_plan(sapporo).indicators["2b"].by_horizon}["vision"]
    assert vision.target.fy == 2022 and vision.pace == pytest.approx(3 / 9)


def test_reference_indicators_have_no_target(sapporo):
    e = evaluate_plan(sapporo).indicators["2d"]
    assert e.status == NO_TARGET
    assert "参考指標" in explain(e, by_name(sapporo, "団体指定寄附を受けた団体数"))


def test_every_evaluation_has_a_one_line_japanese_explanation(sapporo):
    result = evaluate_plan(sapporo)
    for ind in sapporo.indicators:
        text = explain(result.indicators[ind.code], ind)
        assert text and "\n" not in text and text.endswith("。")
        assert explain(result.indicators[ind.code], ind, "en").endswith(".")


def test_evaluation_year_changes_what_is_known(sapporo):
    early = evaluate_plan(sapporo, evaluation_fy=2015)
    e = early.indicators["2b"]
    assert e.headline.latest.fy == 2015 and e.headline.latest.value == 943
    assert early.indicators["3a"].status == NO_DATA  # no survey between H25 and H27


def test_evaluation_year_outside_the_plan_is_an_error(sapporo):
    with pytest.raises(MachiplanError, match="outside the plan"):
        evaluate_plan(sapporo, evaluation_fy=2030)
    with pytest.raises(MachiplanError, match="outside the plan"):
        evaluate_plan(sapporo, evaluation_fy=2010)


# --- parameters are the plan's ---------------------------------------------------------


def test_thresholds_are_parameters(sapporo):
    # 2e: progress 0.63 at pace 0.6 is on track by default; stricter ratio makes it roughly
    strict = Params(on_track_ratio=1.1)
    e = evaluate_plan(sapporo, params=strict).indicators["2e"]
    assert e.status == ROUGHLY_ON_TRACK
    # 4a: 0.31 at pace 0.6 is behind by default, roughly on track from half the pace
    assert (
        evaluate_plan(sapporo, params=Params(roughly_ratio=0.5)).indicators["4a"].status == ROUGHLY_ON_TRACK
    )


def test_survey_tolerance_is_a_parameter(sapporo):
    # 4a moved 3.2 points: beyond the default ±3, within ±5
    loose = evaluate_plan(sapporo, params=Params(survey_tolerance_points=5)).indicators["4a"]
    assert loose.headline.progress == 0 and loose.headline.reason == "within_tolerance"
    assert loose.status == BEHIND


def test_baseline_year_and_horizon_are_parameters(sapporo):
    e = evaluate_plan(sapporo, params=Params(baseline_fy=2014)).indicators["2b"]
    assert e.headline.baseline.fy == 2014
    e = evaluate_plan(sapporo, params=Params(horizon="vision")).indicators["2b"]
    assert e.headline.horizon == "vision" and e.headline.target.fy == 2022


def test_plan_method_params_are_used(sapporo):
    plan = dataclasses.replace(sapporo, method=Method(params={"on_track_ratio": 1.1}))
    assert evaluate_plan(plan).indicators["2e"].status == ROUGHLY_ON_TRACK


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"speed": 1}, "unknown parameter 'speed'"),
        ({"on_track_ratio": "high"}, "on_track_ratio: must be a number"),
        ({"baseline_fy": "H25"}, "baseline_fy: must be a fiscal year"),
        ({"roughly_ratio": 2.0}, "roughly_ratio must lie between"),
    ],
)
def test_bad_parameters_are_named(params, message):
    with pytest.raises(MachiplanError, match=message):
        Params.from_mapping(params)


# --- small series ----------------------------------------------------------------------


def indicator(
    values,
    target,
    *,
    target_fy=2018,
    direction="increase",
    measure="level",
    survey=False,
    unit="件",
    period_start=None,
):
    observations = tuple(
        Observation(fy=fy, kind="actual", value=D(str(v)))
        if v is not None
        else Observation(fy=fy, kind="none")
        for fy, v in values.items()
    )
    targets = (
        (Target(horizon="plan", fy=target_fy, value=D(str(target)), period_start_fy=period_start),)
        if target is not None
        else ()
    )
    return Indicator(
        code="x",
        nodes=("1",),
        category="",
        name="x",
        unit=unit,
        direction=direction,
        measure=measure,
        survey=survey,
        observations=observations,
        targets=targets,
    )


def judge(ind, evaluation_fy=2017, baseline_fy=2013, **params):
    return evaluate_indicator(
        ind, evaluation_fy=evaluation_fy, baseline_fy=baseline_fy, params=Params(**params)
    )


def test_lower_is_better():
    ind = indicator({2013: 100, 2016: 85}, 80, direction="decrease")
    e = judge(ind)
    assert e.headline.progress == pytest.approx(0.75)
    assert e.status == ON_TRACK
    assert judge(indicator({2013: 100, 2016: 79}, 80, direction="decrease")).status == ACHIEVED
    assert judge(indicator({2013: 100, 2016: 110}, 80, direction="decrease")).status == REGRESSING


def test_flow_summed_over_a_period():
    ind = indicator({2013: 9, 2014: 10, 2015: 12, 2016: 8}, 50, measure="flow", period_start=2014)
    e = judge(ind)
    assert e.headline.amount == 30 and e.headline.progress == pytest.approx(0.6)
    assert e.status == ON_TRACK


def test_a_gap_in_a_summed_flow_cannot_be_added_up():
    ind = indicator({2014: 10, 2015: None, 2016: 8}, 50, measure="flow", period_start=2014)
    assert judge(ind).status == NO_DATA


def test_no_actual_since_the_baseline_is_no_data():
    assert judge(indicator({2013: 5}, 10)).status == NO_DATA
    assert judge(indicator({}, 10)).status == NO_DATA


def test_no_target_is_no_target():
    assert judge(indicator({2013: 5, 2016: 6}, None)).status == NO_TARGET


def test_a_falling_running_total_is_flagged():
    assert (
        "cumulative_decrease:2016"
        in judge(indicator({2013: 5, 2015: 9, 2016: 8}, 20, measure="cumulative")).flags
    )


series = st.dictionaries(st.integers(2013, 2017), st.integers(0, 1000), min_size=2, max_size=5)


@given(series, st.integers(0, 2000))
def test_status_is_always_one_of_the_documented(values, target):
    e = judge(indicator(values, target))
    assert e.status in STATUSES


@given(series, st.integers(1, 2000))
def test_status_agrees_with_progress_and_pace(values, target):
    e = judge(indicator(values, target))
    h = e.headline
    if h.status == ACHIEVED:
        assert h.latest.value >= target
    elif h.status in (ON_TRACK, ROUGHLY_ON_TRACK, BEHIND):
        assert h.progress is None or h.progress >= 0
        if h.status == ON_TRACK:
            assert h.progress >= h.pace
    elif h.status == REGRESSING:
        assert h.latest.value < h.baseline.value


@given(series, st.integers(1, 2000))
def test_mirroring_a_series_for_lower_is_better_keeps_the_status(values, target):
    assume(values.get(2013) is not None)
    up = judge(indicator(values, target))
    down = judge(indicator({fy: -v for fy, v in values.items()}, -target, direction="decrease"))
    assert up.status == down.status
    if up.headline.progress is not None:
        assert down.headline.progress == pytest.approx(up.headline.progress)


@st.composite
def series_and_a_year_without_a_figure(draw) -> tuple[dict[int, int], int]:
    """A series (as ``series``, with a year of 2013–2017 left free) and that free year: drawn, not
    filtered, since a filter threw away most series and failed Hypothesis's health check on CI."""
    values = draw(st.dictionaries(st.integers(2013, 2017), st.integers(0, 1000), min_size=2, max_size=4))
    return values, draw(st.sampled_from(sorted(set(range(2013, 2018)) - values.keys())))


@given(series_and_a_year_without_a_figure(), st.integers(1, 2000))
def test_interim_values_never_change_the_judgement(drawn, target):
    values, interim_fy = drawn
    ind = indicator(values, target)
    with_interim = dataclasses.replace(
        ind,
        observations=(
            *ind.observations,
            Observation(fy=interim_fy, kind="interim", value=D(0), as_of=dt.date(interim_fy, 9, 1)),
        ),
    )
    assert judge(with_interim).headline == judge(ind).headline


@pytest.mark.parametrize("horizons", [("midterm", "vision"), ("vision", "midterm")])
def test_horizons_with_yearly_targets_only_are_judged_in_the_order_given(horizons):
    """Each is judged against its last year's target; two of the same year keep the order their
    targets are given in, the same in every run (they were taken from a set of names)."""
    ind = dataclasses.replace(
        indicator({2013: 100, 2016: 120}, 150),
        targets=(
            Target(horizon="plan", fy=2020, value=D("150")),
            *(
                Target(horizon=h, fy=fy, value=D(v), kind="annual")
                for h in horizons
                for fy, v in ((2017, "130"), (2018, "140"))
            ),
        ),
    )
    e = judge(ind)
    assert [(j.horizon, j.target.fy, j.target.value) for j in e.by_horizon] == [
        (h, 2018, D("140")) for h in horizons
    ]
