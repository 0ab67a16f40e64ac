"""Each evaluation method (docs/evaluation.md, "Methods"): its formulas at every boundary, the
cities' own published examples where they give them, roll-ups, overrides and the signals every
method shares."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from machiplan.domain import methods
from machiplan.domain.errors import MachiplanError
from machiplan.domain.evaluation import Params, evaluate_indicator, evaluate_plan
from machiplan.domain.explain import explain
from machiplan.domain.plan import (
    Baseline,
    Indicator,
    Method,
    MethodOverride,
    Municipality,
    Node,
    Observation,
    Plan,
    Target,
)

D = Decimal


def ind(values, target=None, target_fy=2020, *, unit=None, direction="increase", survey=False, **kw):
    observations = tuple(Observation(fy, "actual", D(str(v))) for fy, v in values.items())
    targets = (Target("plan", target_fy, D(str(target))),) if target is not None else ()
    return Indicator(
        "x",
        "x",
        unit=unit,
        direction=direction,
        survey=survey,
        observations=observations,
        targets=targets,
        **kw,
    )


def judge(indicator, method="progress_vs_pace", evaluation_fy=2017, baseline_fy=2014, **params):
    return evaluate_indicator(
        indicator,
        evaluation_fy=evaluation_fy,
        baseline_fy=baseline_fy,
        params=Params.from_mapping(params, method=method),
    )


# --- progress_vs_pace ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        (200, "achieved"),  # the target
        (160, "on_track"),  # progress 60 % = pace 60 % (2018: 3 of the 5 years from 2015 to 2020)
        (159, "roughly_on_track"),  # 59 % < 60 %, ≥ 60 % × 0.6 = 36 %
        (136, "roughly_on_track"),  # progress 36 %: the roughly band's edge
        (135, "behind"),  # 35 %
        (100, "behind"),  # progress 0: not below regressing_below (0)
        (99, "regressing"),
    ],
)
def test_pace_bands_at_their_edges(latest, status):
    e = judge(ind({2015: 100, 2018: latest}, 200, 2020), evaluation_fy=2018, baseline_fy=2015)
    assert e.headline.pace == pytest.approx(0.6) and e.status == status


def test_a_missed_target_is_its_own_class_and_never_roughly_on_track():
    # the target year's actual is in and short of 200: 未達成, even at 95 % progress
    short = ind({2015: 100, 2020: 195}, 200, 2020)
    e = judge(short, evaluation_fy=2020, baseline_fy=2015)
    assert e.status == "missed"
    assert "届かなかった" in explain(e, short)
    # before the target year's actual is in, it is judged against pace as any year
    e = judge(ind({2015: 100, 2019: 195}, 200, 2020), evaluation_fy=2021, baseline_fy=2015)
    assert e.status == "on_track" and e.headline.pace == 0.8  # 95 % of the way at 80 % of the time


def test_regressing_below_is_checked_before_the_pace_bands():
    # progress 8 % is ahead of pace 5 %, but regressing_below 0.1 puts it first
    e = judge(
        ind({2000: 100, 2001: 108}, 200, 2020), evaluation_fy=2001, baseline_fy=2000, regressing_below=0.1
    )
    assert e.headline.progress == pytest.approx(0.08) and e.headline.pace == pytest.approx(0.05)
    assert e.status == "regressing"


def test_a_target_equal_to_the_baseline():
    assert judge(ind({2015: 0, 2017: 0}, 0, direction="decrease"), baseline_fy=2015).status == "achieved"
    assert judge(ind({2015: 0, 2017: 2}, 0, direction="decrease"), baseline_fy=2015).status == "regressing"


def test_a_target_on_the_wrong_side_of_the_baseline_is_asked_not_judged():
    # 3,550 → 2,179 toward 2,400 with "higher is better": read as 119 % progress before
    indicator = ind({2015: 3550, 2017: 2179}, 2400)
    e = judge(indicator, baseline_fy=2015)
    assert e.status == "no_data" and e.headline.reason == "target_wrong_side"
    assert "target_wrong_side" in e.flags
    assert "方向" in explain(e, indicator)
    # the right direction judges it
    assert (
        judge(ind({2015: 3550, 2017: 2179}, 2400, direction="decrease"), baseline_fy=2015).status
        == "achieved"
    )


def test_stale_data_is_flagged():
    e = judge(ind({2013: 100, 2014: 110}, 200), evaluation_fy=2018, baseline_fy=2013)
    assert "stale:2014" in e.flags
    assert (
        "stale:2016"
        not in judge(ind({2013: 100, 2016: 110}, 200), evaluation_fy=2018, baseline_fy=2013).flags
    )


def test_a_survey_break_can_restart_the_comparison():
    # Sapporo's 1a: 32.4 % (H25) then 94.1 % (H26), 92.1, 81.4 % (H28) toward 70 %
    share = ind({2013: 32.4, 2014: 94.1, 2015: 92.1, 2016: 81.4}, 70, 2018, unit="%", survey=True)
    before = judge(share, baseline_fy=2013)
    assert before.status == "achieved" and before.headline.baseline.fy == 2013
    assert "94.1%から" in explain(before, share) and "低下" in explain(before, share)
    restarted = judge(share, baseline_fy=2013, restart_after_break=True)
    assert restarted.headline.baseline.fy == 2014 and restarted.headline.baseline.value == D("94.1")
    assert "target_wrong_side" in restarted.flags  # 70 % is below where the new survey started


def test_a_period_sum_target_on_a_level_is_not_added_up():
    level = Indicator(
        "x", "x", observations=(Observation(2015, "actual", D(5)), Observation(2016, "actual", D(6))),
        targets=(Target("plan", 2018, D(30), period_start_fy=2014),),
    )  # fmt: skip
    assert judge(level).headline.reason == "sum_of_levels"


def test_an_interim_projection_never_goes_below_zero():
    fell = Indicator(
        "x", "x", measure="level",
        observations=(Observation(2016, "actual", D(100)), Observation(2017, "interim", D(10), as_of=__import__("datetime").date(2017, 6, 30))),
        targets=(Target("plan", 2020, D(200)),),
    )  # fmt: skip
    assert judge(fell).interim.projection == 0  # 100 − 90 ÷ 0.25 would be −260


# --- achievement_bands ------------------------------------------------------------------------

INO = {
    "rate": "ratio",
    "no_progress": "×",
    "bands": [
        {"code": "◎", "label": "目標値以上", "min": 1.0},
        {"code": "○", "label": "目標値と同等", "min": 0.95},
        {"code": "△", "label": "目標値未達成"},
        {"code": "×", "label": "進捗なし"},
    ],
}


@pytest.mark.parametrize(
    ("latest", "grade"),
    [(120, "◎"), (100, "◎"), (95, "○"), (94.9, "△"), (60, "△"), (50, "×"), (40, "×")],
)
def test_bands_of_the_ratio_like_ino(latest, grade):
    # いの町: ◎ 目標値以上 / ○ 同等 / △ 未達成 / × 進捗なし (the latest no better than the baseline 50)
    assert (
        judge(ind({2015: 50, 2017: latest}, 100), "achievement_bands", baseline_fy=2015, **INO).status
        == grade
    )


def test_bands_of_progress_by_default_and_lower_is_better():
    # default bands A ≥ 100 %, B ≥ 80 %, C ≥ 50 %, D below, on (latest − baseline) ÷ (target − baseline)
    assert judge(ind({2015: 0, 2017: 85}, 100), "achievement_bands", baseline_fy=2015).status == "B"
    assert judge(ind({2015: 0, 2017: 49}, 100), "achievement_bands", baseline_fy=2015).status == "D"
    # ratio for lower-is-better: target ÷ latest (待機児童 10 toward 8: 80 %)
    waiting = ind({2015: 20, 2017: 10}, 8, direction="decrease")
    e = judge(waiting, "achievement_bands", baseline_fy=2015, rate="ratio")
    assert e.status == "B" and e.headline.measure == pytest.approx(0.8)


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"rate": "share"}, r"rate: must be progress or ratio"),
        ({"bands": []}, r"bands: needs at least one band"),
        ({"bands": [{"code": "A"}, {"code": "B", "min": 1}]}, r"every band but the last needs 'min'"),
        (
            {"bands": [{"code": "A", "min": 0.5}, {"code": "B", "min": 0.8}, {"code": "C"}]},
            r"from the highest",
        ),
        ({"bands": [{"code": "A", "min": 1}, {"code": "A"}]}, r"band codes must differ"),
        ({"bands": [{"code": "A", "min": 1, "tone": "pink"}, {"code": "B"}]}, r"'tone' must be one of"),
        ({"no_progress": "Z"}, r"no_progress: must be one of the bands' codes"),
        ({"speed": 1}, r"unknown parameter 'speed'"),
    ],
)
def test_band_parameters_are_checked(params, error):
    with pytest.raises(MachiplanError, match=error):
        Params.from_mapping(params, method="achievement_bands")


# --- fukuoka ----------------------------------------------------------------------------------


def test_fukuoka_a_b_c_with_its_three_point_band():
    # a: on pace; b: behind pace but improved or held; c: worse than the initial value
    assert judge(ind({2015: 40, 2017: 50}, 60), "fukuoka", baseline_fy=2015).status == "a"
    assert judge(ind({2015: 40, 2017: 42}, 60), "fukuoka", baseline_fy=2015).status == "b"
    assert judge(ind({2015: 40, 2017: 39}, 60), "fukuoka", baseline_fy=2015).status == "c"
    survey = dict(unit="%", survey=True)
    # a survey share falling 2.9 points is 現状維持 (within ±3): b; 3.1 points: c
    assert judge(ind({2015: 40, 2017: 37.1}, 60, **survey), "fukuoka", baseline_fy=2015).status == "b"
    assert judge(ind({2015: 40, 2017: 36.9}, 60, **survey), "fukuoka", baseline_fy=2015).status == "c"


def test_fukuoka_rolls_a_goal_up_to_a_b_c_d():
    def plan(values):
        indicators = tuple(
            Indicator(f"i{n}", "x", nodes=("1",), observations=(Observation(2015, "actual", D(40)), Observation(2017, "actual", D(v))),
                      targets=(Target("plan", 2020, D(60)),))
            for n, v in enumerate(values)
        )  # fmt: skip
        return Plan(
            "p", "p", Municipality("福岡市", "401307"), 2016, 2020, evaluation_fy=2017,
            method=Method("fukuoka", {"baseline_fy": 2015}), nodes=(Node("1", "地域生活"),), indicators=indicators,
        )  # fmt: skip

    assert evaluate_plan(plan([50, 52])).node_grades["1"] == "A"  # all a
    assert evaluate_plan(plan([50, 41])).node_grades["1"] == "B"  # a and b, no c
    assert evaluate_plan(plan([50, 30])).node_grades["1"] == "C"  # c is half
    assert evaluate_plan(plan([30, 30, 50])).node_grades["1"] == "D"  # c more than half


# --- osaka ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actuals", "target_fy", "evaluation_fy", "grade"),
    [
        # 大阪府立図書館 重点指標 (平成25-27年度): the library's own published grades
        ({2012: 96.2, 2013: 94.5}, 2013, 2013, "B"),  # 利用者満足度 毎年95%: 94.5 ÷ 95 = 99 %
        ({2012: 5229, 2014: 6568}, 2014, 2014, "A"),  # イベント参加者数 毎年5,300人: 124 %
        ({2012: 5229, 2013: 5424}, 2013, 2013, "B"),  # 102 %
        ({2012: 66756, 2013: 62879}, 2013, 2013, "B"),  # 協力貸出冊数 毎年67,000: 94 %
        # 協力車による市町村間物流冊数 最終年度(27)に30,000: before the target year, the trend classes
        ({2012: 30140, 2013: 30949}, 2015, 2013, "B"),  # 103 % (not yet 110 %), rising
        ({2012: 30140, 2013: 30949, 2014: 32944}, 2015, 2014, "B"),  # 110 % short, rising
        ({2012: 30140, 2013: 30949, 2014: 32944, 2015: 35717}, 2015, 2015, "A"),  # 119 %
    ],
)
def test_osaka_grades_as_the_library_published_them(actuals, target_fy, evaluation_fy, grade):
    values = list(actuals.values())
    target = {96.2: 95, 5229: 5300, 66756: 67000, 30140: 30000}[values[0]]
    e = judge(ind(actuals, target, target_fy), "osaka", evaluation_fy=evaluation_fy, baseline_fy=2012)
    assert e.status == grade


def test_osaka_before_the_target_year_flat_and_falling():
    assert (
        judge(ind({2012: 100, 2013: 100}, 200, 2015), "osaka", evaluation_fy=2013, baseline_fy=2012).status
        == "C"
    )
    assert (
        judge(ind({2012: 100, 2013: 90}, 200, 2015), "osaka", evaluation_fy=2013, baseline_fy=2012).status
        == "D"
    )
    # in the target year, the bands: 60 % → C, 40 % → D
    assert (
        judge(ind({2012: 100, 2015: 120}, 200, 2015), "osaka", evaluation_fy=2015, baseline_fy=2012).status
        == "C"
    )
    assert (
        judge(ind({2012: 100, 2015: 80}, 200, 2015), "osaka", evaluation_fy=2015, baseline_fy=2012).status
        == "D"
    )


# --- open_sdg ---------------------------------------------------------------------------------


def sdg_reference(base, current, t0, t, target=None, target_year=None, increase=True, limit=None):
    """Open SDG's published calculation (sdg-build's IndicatorProgress), written out again."""
    base = base or 0.001
    direction = 1 if increase else -1
    sign = -1 if base < 0 else 1
    if target is not None:
        target = target or 0.001
        if (direction == -1 and current <= target) or (direction == 1 and current >= target):
            return "target_achieved"
        observed = (current / base) ** (1 / (t - t0)) - 1
        required = (target / base) ** (1 / (target_year - t0)) - 1
        value, (high, med, low) = sign * direction * observed / abs(required), (0.95, 0.6, 0)
    else:
        value = sign * direction * ((current / base) ** (1 / (t - t0)) - 1)
        coeff = 1.0
        if limit is not None:
            b, lim = abs(base), abs(limit)
            coeff = (
                1
                if b >= 2 * lim
                else 1 - (b / lim) ** 4.44
                if b <= lim
                else 1 - ((2 * lim - b) / lim) ** 4.44
            )
        high, med, low = 0.015 * coeff, 0.005 * coeff, 0
    if value >= high:
        return "substantial_progress"
    if value >= med:
        return "moderate_progress"
    if value >= low:
        return "limited_progress"
    return "deterioration"


@given(
    base=st.floats(1, 1000),
    current=st.floats(1, 1000),
    target=st.floats(1, 2000),
    years=st.integers(1, 8),
    increase=st.booleans(),
)
def test_open_sdg_agrees_with_its_published_calculation(base, current, target, years, increase):
    base, current, target = round(base, 2), round(current, 2), round(target, 2)
    if abs(target - base) < 0.01 or (target > base) != increase:
        return  # equal to the base, or on the wrong side: machiplan does not judge those (tested above)
    indicator = ind(
        {2015: base, 2015 + years: current}, target, 2025, direction="increase" if increase else "decrease"
    )
    e = judge(indicator, "open_sdg", evaluation_fy=2015 + years, baseline_fy=2015)
    assert e.status == sdg_reference(base, current, 2015, 2015 + years, target, 2025, increase)


@given(base=st.floats(1, 99), current=st.floats(1, 100), years=st.integers(1, 8))
def test_open_sdg_without_a_target_and_near_the_natural_limit(base, current, years):
    base, current = round(base, 2), round(current, 2)
    share = Indicator(
        "x", "x", unit="%",
        observations=(Observation(2015, "actual", D(str(base))), Observation(2015 + years, "actual", D(str(current)))),
    )  # fmt: skip
    e = judge(share, "open_sdg", evaluation_fy=2015 + years, baseline_fy=2015)
    assert e.status == sdg_reference(base, current, 2015, 2015 + years, limit=100)


def test_open_sdg_limit_coefficient():
    assert methods.limit_coefficient(0, 100) == 1.0
    assert methods.limit_coefficient(100, 100) == 0.0
    assert methods.limit_coefficient(90, 100) == pytest.approx(1 - 0.9**4.44)
    assert methods.limit_coefficient(250, 100) == 1.0
    assert math.isclose(methods.limit_coefficient(150, 100), 1 - 0.5**4.44)


# --- trend_only and indicators without a target ------------------------------------------------


def test_trend_only_and_a_plan_that_judges_its_untargeted_indicators_by_trend():
    up, flat, down = (
        ind({2015: 10, 2017: 12}),
        ind({2015: 40, 2017: 41}, unit="%", survey=True),
        ind({2015: 10, 2017: 9}),
    )
    assert [judge(i, "trend_only", baseline_fy=2015).status for i in (up, flat, down)] == [
        "improving",
        "flat",
        "worsening",
    ]
    assert judge(up, baseline_fy=2015).status == "no_target"
    e = judge(up, baseline_fy=2015, trend_without_target=True)
    assert e.status == "improving" and "傾向" in explain(e, up)


def test_a_reference_indicator_is_judged_on_no_horizon():
    reference = Indicator(
        "r", "参考", reference=True,
        observations=(Observation(2015, "actual", D(1)), Observation(2017, "actual", D(2))),
        targets=(Target("plan", 2020, D(3)), Target("vision", 2025, D(5))),
    )  # fmt: skip
    e = judge(reference, baseline_fy=2015)
    assert e.status == "no_target" and e.by_horizon == ()
    # unless its method is trend only: then its trend, still against no target
    e = judge(reference, baseline_fy=2015, method="trend_only")
    assert e.status == "improving" and e.by_horizon == () and e.headline.target is None


def test_an_indicator_can_be_judged_by_another_method():
    plan = Plan(
        "p", "p", Municipality("市", "011002"), 2015, 2019, evaluation_fy=2017,
        method=Method(
            "progress_vs_pace", {"baseline_fy": 2015},
            overrides=(MethodOverride(("ref", "sanko-trend"), "trend_only"), MethodOverride(("band",), "achievement_bands", {"rate": "ratio"})),
        ),
        indicators=(
            Indicator("main", "x", observations=(Observation(2015, "actual", D(10)), Observation(2017, "actual", D(14))), targets=(Target("plan", 2019, D(20)),)),
            Indicator("ref", "x", observations=(Observation(2015, "actual", D(10)), Observation(2017, "actual", D(8)))),
            Indicator("sanko-trend", "x", reference=True, observations=(Observation(2015, "actual", D(10)), Observation(2017, "actual", D(12)))),
            Indicator("sanko", "x", reference=True, observations=(Observation(2015, "actual", D(10)), Observation(2017, "actual", D(12))), targets=(Target("plan", 2019, D(20)),)),
            Indicator("band", "x", observations=(Observation(2015, "actual", D(10)), Observation(2017, "actual", D(17))), targets=(Target("plan", 2019, D(20)),)),
        ),
    )  # fmt: skip
    result = evaluate_plan(plan)
    assert {c: e.status for c, e in result.indicators.items()} == {
        "main": "roughly_on_track",
        "ref": "worsening",
        "sanko-trend": "improving",
        "sanko": "no_target",
        "band": "B",
    }
    codes = [s.code for s in result.scale]
    assert codes[:6] == ["achieved", "on_track", "roughly_on_track", "behind", "regressing", "missed"]
    assert {"improving", "worsening", "A", "B"} <= set(codes) and codes[-2:] == ["no_data", "no_target"]
    assert result.overall["worsening"] == 1 and result.overall["B"] == 1 and result.overall["improving"] == 1


def test_an_override_naming_an_unknown_indicator_or_method_is_refused():
    from machiplan.domain.validation import check_plan

    plan = Plan(
        "p", "p", Municipality("市", "011002"), 2015, 2019,
        method=Method(overrides=(MethodOverride(("nope",), "trend_only"),)),
    )  # fmt: skip
    with pytest.raises(MachiplanError, match=r"method.overrides\[0\]: indicator 'nope' is not in the plan"):
        check_plan(plan)
    with pytest.raises(MachiplanError, match=r"unknown method 'zigzag'"):
        Params.from_mapping({}, method="zigzag")


def test_every_method_gives_only_statuses_of_its_scale():
    indicators = [
        ind({2015: 100, 2017: v}, t, 2020, direction=d)
        for v in (50, 100, 150, 250)
        for t in (80, 200)
        for d in ("increase", "decrease")
    ] + [
        Indicator(
            "s",
            "s",
            value_type="state",
            observations=(Observation(2017, "actual", text="なし"),),
            targets=(Target("plan", 2020, None, text="設置"),),
        )
    ]
    for name in methods.METHODS:
        params = Params.from_mapping({}, method=name)
        allowed = {s.code for s in params.scale}
        for indicator in indicators:
            e = evaluate_indicator(indicator, evaluation_fy=2017, baseline_fy=2015, params=params)
            assert e.status in allowed, (name, e.status)


def test_baseline_stated_per_indicator_is_used_by_every_method():
    own = Indicator(
        "x", "x", baselines=(Baseline(2016, D(50)),),
        observations=(Observation(2014, "actual", D(10)), Observation(2017, "actual", D(60))),
        targets=(Target("plan", 2020, D(100)),),
    )  # fmt: skip
    for name in ("progress_vs_pace", "fukuoka", "achievement_bands"):
        assert judge(own, name, baseline_fy=2014).headline.baseline.value == 50


# --- the edges every method meets (docs/evaluation.md, "Settled") ------------------------------


def period_target(value, start=2015, end=2019, operator=None):
    return (Target("plan", end, D(value), period_start_fy=start, operator=operator),)


@pytest.mark.parametrize("method", list(methods.METHODS))
def test_a_cap_on_a_periods_sum_is_judged_at_its_end_or_once_it_is_passed(method):
    # 交通事故の件数 (per-year counts), at most 50 over FY2015–2019
    def accidents(values):
        observations = tuple(Observation(fy, "actual", D(v)) for fy, v in values.items())
        return Indicator("x", "x", direction="decrease", measure="flow", observations=observations,
                         targets=period_target(50))  # fmt: skip

    scale = [s.code for s in Params.from_mapping({}, method=method).scale]
    best, worst = scale[0], scale[-3]  # the judged statuses, best first, then no_data and no_target
    running = judge(accidents({2015: 9, 2016: 8}), method, evaluation_fy=2016)
    if method == "trend_only":  # it reads no target: the latest against the first year
        assert running.status == "improving" and running.headline.progress is None
        return
    h = running.headline
    assert (running.status, h.reason, h.amount) == ("no_data", "cap_running", 17)
    assert "期間の終わりに判定" in explain(running, accidents({2015: 9, 2016: 8}))
    held = judge(accidents({2015: 9, 2016: 8, 2017: 12, 2018: 10, 2019: 9}), method, evaluation_fy=2019)
    # osaka keeps A for a target exceeded by a margin (50 ÷ 48 is under its 120 %): reached is B
    assert held.status == ("B" if method == "osaka" else best) and held.headline.amount == 48
    passed = accidents({2015: 19, 2016: 20, 2017: 15})  # 54 by 2017: over the cap with two years to go
    early = judge(passed, method, evaluation_fy=2017)
    assert early.headline.amount == 54 and early.status != best
    if method == "progress_vs_pace":
        assert early.status == "missed"
    elif method in ("achievement_bands", "fukuoka", "open_sdg"):
        assert early.status == worst
    else:  # osaka, before the target year: the trend from nothing to 54 is falling in a cap's terms
        assert early.status == "D"


def test_a_periods_sum_with_at_least_on_a_decreasing_indicator_follows_the_operator():
    indicator = Indicator(
        "x", "x", direction="decrease", measure="flow",
        observations=tuple(Observation(fy, "actual", D(30)) for fy in (2015, 2016, 2017)),
        targets=period_target(80, operator="at_least"),
    )  # fmt: skip
    assert judge(indicator, evaluation_fy=2017).status == "achieved"  # 90 ≥ 80: the operator decides


@pytest.mark.parametrize(
    ("latest", "evaluation_fy", "grade"),
    [
        (0, 2020, "B"),  # 0 toward 0: the target exactly reached, 0 ÷ 0 counts as 100 %
        (3, 2020, "D"),  # 0 ÷ 3
        (0, 2018, "B"),  # before the target year: falling from 5 to 0 is the better way
    ],
)
def test_osaka_a_target_of_zero(latest, evaluation_fy, grade):
    zero = ind({2015: 8, 2016: 5, evaluation_fy: latest}, 0, 2020, direction="decrease")
    e = judge(zero, "osaka", evaluation_fy=evaluation_fy, baseline_fy=2015)
    assert e.status == grade
    # 0 ÷ 3 is a ratio of 0; 0 ÷ 0 has none to show
    assert e.headline.measure == (None if latest == 0 else 0.0)


def test_osaka_a_target_of_zero_to_increase_from():
    # 収支 (balance) toward 0 or above, at the target year
    def grade(latest):
        return judge(
            ind({2015: -5, 2020: latest}, 0, 2020), "osaka", evaluation_fy=2020, baseline_fy=2015
        ).status

    assert (grade(2), grade(-1)) == ("A", "D")


@pytest.mark.parametrize("target", [0, 5])
def test_open_sdg_a_target_across_zero_from_the_baseline_has_no_growth_rate(target):
    # 収支 (a balance) from −10 toward 0 or a surplus: no compound rate leads across zero
    e = judge(ind({2015: -10, 2017: -4}, target, 2020), "open_sdg", baseline_fy=2015)
    assert (e.status, e.headline.reason, e.headline.score) == ("no_data", "no_growth_rate", None)
    same_side = judge(ind({2015: -10, 2017: -4}, -2, 2020), "open_sdg", baseline_fy=2015)
    assert same_side.status not in ("no_data", "deterioration")  # −10 → −4 toward −2 is growth


def test_open_sdg_reads_a_survey_share_within_its_tolerance_as_unchanged():
    share = ind({2015: 50, 2017: 48}, 60, 2020, unit="%", survey=True)
    e = judge(share, "open_sdg", baseline_fy=2015)  # −2 points: within ±3
    assert (e.status, e.headline.reason, e.headline.measure) == ("limited_progress", "within_tolerance", 0.0)
    assert judge(share, "open_sdg", baseline_fy=2015, survey_tolerance_points=1).status == "deterioration"
    untargeted = ind({2015: 50, 2017: 52.5}, unit="%", survey=True)
    assert judge(untargeted, "open_sdg", baseline_fy=2015).headline.measure == 0.0


def test_stale_reads_the_newest_actual_whatever_the_judgement_read():
    summed = Indicator(
        "x", "x", measure="flow",
        observations=tuple(Observation(fy, "actual", D(10)) for fy in range(2015, 2021)),
        targets=period_target(40, 2015, 2017),
    )  # fmt: skip
    e = judge(summed, evaluation_fy=2021, baseline_fy=2014)  # the period ended in 2017; actuals to 2020
    assert e.headline.latest.fy == 2017 and not [f for f in e.flags if f.startswith("stale")]
    lonely = judge(ind({2013: 100}, 200), evaluation_fy=2018, baseline_fy=2013)  # nothing after the baseline
    assert lonely.status == "no_data" and "stale:2013" in lonely.flags
