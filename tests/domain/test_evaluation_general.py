"""The evaluation of what real plans carry beyond Sapporo's sheet: an indicator's own baseline,
series, operators, milestones, forecasts, revised targets, yearly and mid-term targets, the
city's own ratings, and status counts over a hierarchy of any depth."""

import datetime as dt
from decimal import Decimal

import pytest

from machiplan.domain.evaluation import (
    ACHIEVED,
    BEHIND,
    NO_DATA,
    NO_TARGET,
    ON_TRACK,
    REGRESSING,
    Params,
    evaluate_indicator,
    evaluate_plan,
)
from machiplan.domain.explain import explain
from machiplan.domain.plan import (
    Baseline,
    Grade,
    Indicator,
    Level,
    Municipality,
    Node,
    Observation,
    Plan,
    Rating,
    RatingScale,
    Target,
)

D = Decimal


def actuals(values, series=""):
    return tuple(
        Observation(fy=fy, kind="actual", value=D(str(v)), series=series) for fy, v in values.items()
    )


def judge(ind, evaluation_fy=2017, baseline_fy=2013, revisions=None, scales=None, **params):
    return evaluate_indicator(
        ind,
        evaluation_fy=evaluation_fy,
        baseline_fy=baseline_fy,
        params=Params(**params),
        revision_fy=revisions,
        scales=scales,
    )


def test_an_indicators_own_baseline_replaces_the_plans_baseline_year():
    # 初期値 H27 (2015): 32.0% — the plan-wide baseline year 2013 has no figure at all
    ind = Indicator(
        code="k",
        name="k",
        unit="%",
        baselines=(Baseline(fy=2015, value=D("32.0"), label="初期値"),),
        observations=actuals({2016: 35.0}),
        targets=(Target("plan", 2020, D("40.0")),),
    )
    e = judge(ind)
    assert e.headline.baseline.fy == 2015 and e.headline.baseline.value == D("32.0")
    assert e.headline.progress == pytest.approx(3 / 8)
    assert e.headline.pace == pytest.approx(1 / 5)
    assert e.status == ON_TRACK
    # without it, nothing from 2013 on is before the latest: no data to judge
    assert (
        judge(Indicator(code="k", name="k", observations=actuals({2016: 35.0}), targets=ind.targets)).status
        == NO_DATA
    )


def test_a_baseline_stated_as_none_counts_new_things_from_zero():
    # 新規雇用者数: ― → 50人 (a count of new jobs over the plan)
    ind = Indicator(
        code="k",
        name="新規雇用者数",
        measure="cumulative",
        baselines=(Baseline(fy=None, value=None, label="現状"),),
        observations=actuals({2016: 20}),
        targets=(Target("plan", 2019, D(50)),),
    )
    e = judge(ind, baseline_fy=2014)
    assert e.headline.baseline.value == 0
    assert e.headline.progress == pytest.approx(0.4)
    assert e.headline.pace == pytest.approx(2 / 5)
    assert e.status == ON_TRACK


def test_operators_decide_what_reaching_the_target_means():
    rows = actuals({2013: 10, 2016: 4})
    at_most = Indicator(
        code="k",
        name="待機児童",
        observations=rows,
        targets=(Target("plan", 2018, D(5), operator="at_most"),),
    )
    assert judge(at_most).status == ACHIEVED  # 4 ≤ 5 although the direction says increase
    at_least = Indicator(
        code="k",
        name="k",
        direction="decrease",
        observations=rows,
        targets=(Target("plan", 2018, D(5), operator="at_least"),),
    )
    assert judge(at_least).status != ACHIEVED  # 4 is not 5 or more
    keep = Indicator(
        code="k",
        name="待機児童",
        direction="decrease",
        observations=actuals({2013: 0, 2016: 0}),
        targets=(Target("plan", 2018, D(0), operator="maintain"),),
    )
    assert judge(keep).status == ACHIEVED
    slipped = Indicator(
        code="k",
        name="待機児童",
        direction="decrease",
        observations=actuals({2013: 0, 2016: 3}),
        targets=(Target("plan", 2018, D(0), operator="maintain"),),
    )
    assert judge(slipped).status == REGRESSING


def test_a_milestone_is_reached_or_not():
    ind = Indicator(
        code="m",
        name="地域DMOの設立",
        value_type="state",
        observations=(Observation(2015, "actual", text="なし"), Observation(2016, "actual", text="設立準備")),
        targets=(Target("plan", 2019, None, text="設立"),),
    )
    e = judge(ind)
    assert e.status == BEHIND and e.headline.state == "設立準備"
    assert "設立" in explain(e, ind)
    done = Indicator(
        code="m",
        name="地域DMOの設立",
        value_type="state",
        observations=(Observation(2017, "actual", text="設立"),),
        targets=ind.targets,
    )
    assert judge(done).status == ACHIEVED


def test_a_milestone_in_series_is_explained_by_its_least_advanced_series():
    ind = Indicator(
        code="m",
        name="地区ごとの協議会の設立",
        value_type="state",
        series=("北区", "南区"),
        observations=(
            Observation(2016, "actual", text="設立", series="北区"),
            Observation(2016, "actual", text="設立準備", series="南区"),
        ),
        targets=(
            Target("plan", 2019, None, text="設立", series="北区"),
            Target("plan", 2019, None, text="設立", series="南区"),
        ),
    )
    e = judge(ind)
    assert e.status == BEHIND and e.headline.series == "南区"
    ja, en = explain(e, ind), explain(e, ind, "en")
    assert "「南区」" in ja and "現在「設立準備」" in ja and "未到達" in ja
    assert "“南区”" in en and "not reached" in en


def test_a_target_in_words_is_shown_not_judged():
    ind = Indicator(
        code="h",
        name="健康寿命の延伸",
        observations=actuals({2020: 80.04}),
        targets=(Target("plan", 2028, None, text="平均寿命の増加分を上回る健康寿命の増加"),),
    )
    e = judge(ind, evaluation_fy=2024)
    assert e.status == NO_TARGET and e.headline.reason == "text_target"
    assert "平均寿命の増加分を上回る健康寿命の増加" in explain(e, ind)


def test_each_series_is_judged_and_the_headline_is_the_least_favourable():
    ind = Indicator(
        code="s",
        name="将来の夢や目標を持っている児童生徒の割合",
        unit="%",
        series=("小学6年生", "中学3年生"),
        baselines=(
            Baseline(2020, D("80.0"), series="小学6年生"),
            Baseline(2020, D("66.0"), series="中学3年生"),
        ),
        observations=actuals({2024: 83.5}, "小学6年生") + actuals({2024: 64.2}, "中学3年生"),
        targets=(
            Target("plan", 2028, D("87.0"), series="小学6年生"),
            Target("plan", 2028, D("71.0"), series="中学3年生"),
        ),
    )
    e = judge(ind, evaluation_fy=2024)
    by_series = {s.series: s.status for s in e.series}
    assert by_series == {"小学6年生": ON_TRACK, "中学3年生": REGRESSING}
    assert e.status == REGRESSING and e.headline.series == "中学3年生"
    assert "中学3年生" in explain(e, ind)


def test_a_forecast_is_shown_beside_the_status_never_judged():
    ind = Indicator(
        code="f",
        name="f",
        observations=(*actuals({2013: 100, 2014: 110}), Observation(2015, "forecast", D(150))),
        targets=(Target("plan", 2018, D(200)),),
    )
    e = judge(ind, evaluation_fy=2015)
    assert e.headline.latest.fy == 2014  # the forecast is not an actual
    assert e.interim.kind == "forecast" and e.interim.value == 150 and e.interim.projection is None
    assert "見込" in explain(e, ind)


def test_an_interim_value_of_a_calendar_year_is_projected_over_the_calendar_year():
    ind = Indicator(
        code="c",
        name="観光入込客数",
        measure="flow",
        observations=(
            *actuals({2015: 100}),
            Observation(2016, "interim", D(50), as_of=dt.date(2016, 6, 30), period="cy"),
        ),
        targets=(Target("plan", 2019, D(200)),),
    )
    e = judge(ind)
    # half of 2016 (182 of 366 days) has passed on 30 June: 50 carried on is about 100
    assert e.interim.projection == 101


def test_the_target_in_force_follows_the_revisions():
    ind = Indicator(
        code="r",
        name="r",
        observations=actuals({2013: 100, 2016: 130}),
        targets=(Target("plan", 2018, D(150)), Target("plan", 2018, D(200), revision="mid")),
    )
    before = judge(ind, evaluation_fy=2016, revisions={"mid": 2017})
    after = judge(ind, evaluation_fy=2017, revisions={"mid": 2017})
    assert before.headline.target.value == 150 and before.headline.progress == pytest.approx(0.6)
    assert after.headline.target.value == 200 and after.headline.progress == pytest.approx(0.3)


def test_a_dropped_indicator_is_not_judged_from_its_revision_on():
    ind = Indicator(
        code="d",
        name="d",
        dropped_in="mid",
        observations=actuals({2013: 100, 2016: 130}),
        targets=(Target("plan", 2018, D(150)),),
    )
    assert judge(ind, evaluation_fy=2016, revisions={"mid": 2017}).status != NO_TARGET
    e = judge(ind, evaluation_fy=2017, revisions={"mid": 2017})
    assert e.status == NO_TARGET and e.headline.reason == "dropped"


def test_a_years_own_target_is_judged_in_that_year_and_midterm_targets_beside_the_final():
    ind = Indicator(
        code="y",
        name="y",
        observations=actuals({2014: 5, 2015: 9}),
        targets=(
            Target("plan", 2015, D(8), kind="annual"),
            Target("plan", 2016, D(10), kind="annual"),
            Target("plan", 2017, D(10), kind="midterm"),
            Target("plan", 2019, D(12)),
        ),
    )
    e = judge(ind, evaluation_fy=2015, baseline_fy=2014)
    kinds = {(j.kind, j.target.fy): j.status for j in e.by_horizon}
    assert kinds == {("annual", 2015): ACHIEVED, ("midterm", 2017): ON_TRACK}
    assert e.headline.target.value == 12
    # a horizon with yearly targets only is judged against its last year's
    only_yearly = Indicator(code="y", name="y", observations=ind.observations, targets=ind.targets[:2])
    assert judge(only_yearly, evaluation_fy=2015, baseline_fy=2014).headline.target.fy == 2016


def test_the_citys_rating_is_flagged_where_it_disagrees():
    scale = RatingScale(
        "overall",
        "総合評価",
        (
            Grade("◎", "目標値以上", statuses=("achieved",)),
            Grade("△", "目標値未達成", statuses=("behind", "regressing", "on_track", "roughly_on_track")),
        ),
    )
    ind = Indicator(
        code="i",
        name="i",
        observations=actuals({2013: 100, 2016: 160}),
        targets=(Target("plan", 2018, D(150)),),
        ratings=(Rating(2017, "overall", "△"),),
    )
    e = judge(ind, scales={"overall": scale})
    assert e.status == ACHIEVED
    assert "rating_disagrees:2017:overall" in e.flags
    agreeing = Indicator(
        code="i",
        name="i",
        observations=ind.observations,
        targets=ind.targets,
        ratings=(Rating(2017, "overall", "◎"),),
    )
    assert not [f for f in judge(agreeing, scales={"overall": scale}).flags if f.startswith("rating")]


def test_status_counts_cover_every_node_at_any_depth_and_an_indicator_under_two_nodes():
    plan = Plan(
        code="p",
        title="p",
        municipality=Municipality("浦河町", "016071"),
        start_fy=2015,
        end_fy=2019,
        levels=(Level("基本目標"), Level("施策")),
        nodes=(
            Node("1", "産業"),
            Node("1-1", "第一次産業", parent="1"),
            Node("1-3", "付加価値", parent="1"),
            Node("2", "移住"),
        ),
        indicators=(
            Indicator(
                "a",
                "商品開発数",
                nodes=("1-1", "1-3"),
                observations=actuals({2014: 1, 2016: 3}),
                targets=(Target("plan", 2019, D(2)),),
            ),
            Indicator(
                "b",
                "新規就農者数",
                nodes=("1-1",),
                observations=actuals({2014: 4, 2016: 1}),
                targets=(Target("plan", 2019, D(5)),),
            ),
            Indicator("c", "転入者数", nodes=("2",)),
        ),
    )
    result = evaluate_plan(plan, evaluation_fy=2016)
    assert result.by_node["1-1"][ACHIEVED] == 1 and result.by_node["1-1"][REGRESSING] == 1
    assert result.by_node["1-3"][ACHIEVED] == 1 and sum(result.by_node["1-3"].values()) == 1
    assert sum(result.by_node["1"].values()) == 2  # 'a' once, though it hangs on two of its nodes
    assert result.by_node["2"][NO_TARGET] == 1
    assert sum(result.overall.values()) == 3
