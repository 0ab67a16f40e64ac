"""A survey share's own error on its chart: each actual that states its sample (n, or the survey's
margin) gets a 95 % error bar, as tall as its interval on the value axis; the legend names it."""

import re
from decimal import Decimal

import pytest

from machiplan.domain.evaluation import Params, evaluate_indicator
from machiplan.domain.plan import Indicator, Municipality, Observation, Plan, Target
from machiplan.reports.charts import indicator_chart

D = Decimal
BAR = re.compile(r'<path class="error-bar" d="M([\d.]+) ([\d.]+)V([\d.]+)')


def _plan(*observations, unit="%"):
    ind = Indicator(
        code="s", name="満足している市民の割合", unit=unit, survey=True, observations=observations,
        targets=(Target("plan", 2020, D("60")),),
    )  # fmt: skip
    plan = Plan(code="p", title="p", municipality=Municipality("札幌市", "011002"), start_fy=2015, end_fy=2020,
                indicators=(ind,))  # fmt: skip
    return plan, ind


def _chart(plan, ind, lang="ja"):
    e = evaluate_indicator(ind, evaluation_fy=2018, baseline_fy=2015, params=Params())
    return indicator_chart(plan, ind, e, 2018, lang)


def _bars(svg):
    """(x, length) of each error bar in the plot (the legend's swatch is 12 units tall)."""
    return [
        (float(x), float(foot) - float(top))
        for x, top, foot in BAR.findall(svg)
        if float(foot) - float(top) != 12
    ]


def test_each_actual_with_its_sample_gets_a_bar_as_tall_as_its_interval():
    # 50 % with n = 400: ±4.9 points; 50 % with n = 1,600: ±2.45 (half as tall); 2016 states no sample
    plan, ind = _plan(
        Observation(2015, "actual", D("50"), sample_size=400),
        Observation(2016, "actual", D("52")),
        Observation(2017, "actual", D("50"), sample_size=1600),
        Observation(2018, "actual", D("55"), margin=D("3.0")),
    )
    chart = _chart(plan, ind)
    for svg in (chart.svg, chart.svg_narrow):
        bars = _bars(svg)
        assert len(bars) == 3
        (x15, small_n), (x17, big_n), (_, stated) = bars
        assert x15 < x17
        assert small_n / big_n == pytest.approx(2.0, rel=0.02)
        assert stated / big_n == pytest.approx(3.0 / 2.4495, rel=0.02)
        assert "誤差範囲（95%）" in svg
    assert "Sampling error (95%)" in _chart(plan, ind, "en").svg
    # the data rows under the chart state n and ± as the report's tables do
    assert any("n=400" in value and "±4.9" in value for _, _, value in chart.rows)


def test_no_sample_no_bar_and_no_legend_entry():
    plan, ind = _plan(Observation(2015, "actual", D("50")), Observation(2018, "actual", D("55")))
    chart = _chart(plan, ind)
    assert "error-bar" not in chart.svg and "誤差範囲" not in chart.svg


def test_n_alone_gives_no_bar_for_a_figure_that_is_not_a_share():
    # a mean score of 3.4 from 500 answers: n says nothing of its spread; a stated margin does
    plan, ind = _plan(
        Observation(2015, "actual", D("3.4"), sample_size=500),
        Observation(2018, "actual", D("3.6"), sample_size=500, margin=D("0.2")),
        unit="点",
    )
    assert len(_bars(_chart(plan, ind).svg)) == 1


def test_the_axis_makes_room_for_the_bars():
    # 98 % ± 1.4: the bar's top (99.4) is inside the plot, not cut off above it
    plan, ind = _plan(
        Observation(2015, "actual", D("97")), Observation(2018, "actual", D("98"), sample_size=400)
    )
    svg = _chart(plan, ind).svg
    ((_, _),) = _bars(svg)
    top = float(BAR.search(svg).group(2))
    grid_tops = [float(y) for y in re.findall(r'<path d="M[\d.]+ ([\d.]+)H', svg)]
    assert top >= min(grid_tops) - 0.01
