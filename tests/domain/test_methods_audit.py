"""Disagreements between docs/evaluation.md and the methods found by an independent implementation
of the page (each test is one rule the page states and the code once read another way)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from machiplan.domain.plan import Indicator, Observation, Target
from tests.domain.test_methods import judge

D = Decimal


def indicator(values, target, target_fy=2020, *, operator=None, direction="increase", period_start_fy=None):
    return Indicator(
        "x",
        "x",
        direction=direction,
        observations=tuple(Observation(fy, "actual", D(str(v))) for fy, v in values.items()),
        targets=(
            Target("plan", target_fy, D(str(target)), operator=operator, period_start_fy=period_start_fy),
        ),
    )


# "Operators against the direction: the operator decides whether the target is met; the direction
# still decides which way is better for progress and trends."


@pytest.mark.parametrize(
    ("compare", "values"), [("baseline", {2014: 20, 2016: 12}), ("previous", {2014: 5, 2015: 20, 2016: 12})]
)
def test_trend_only_reads_the_direction_not_the_operator(compare, values):
    # lower is better; the target says 以上 (at least 5): falling from 20 to 12 is still improving
    fewer = indicator(values, 5, operator="at_least", direction="decrease")
    e = judge(fewer, "trend_only", compare=compare)
    assert e.status == "improving" and e.headline.measure == 8


def test_osakas_trend_before_the_target_year_reads_the_direction():
    # 12 ÷ 100 (the operator's ratio) is far from 110 %: the trend decides, and 20 → 12 is better
    fewer = indicator({2014: 20, 2016: 12}, 100, operator="at_least", direction="decrease")
    e = judge(fewer, "osaka")
    assert e.status == "B" and e.headline.reason == "trend"
    assert e.headline.measure == pytest.approx(0.12)  # the ratio still follows the operator


def test_fukuoka_worse_than_the_baseline_reads_the_direction():
    # lower is better, target 5 以上 missed in its year at 3: better than 20, so b, not c
    fewer = indicator({2014: 20, 2020: 3}, 5, operator="at_least", direction="decrease")
    assert judge(fewer, "fukuoka", evaluation_fy=2020).status == "b"


def test_no_progress_band_reads_the_direction():
    fewer = indicator({2014: 20, 2016: 12}, 30, operator="at_least", direction="decrease")
    e = judge(
        fewer,
        "achievement_bands",
        rate="ratio",
        no_progress="N",
        bands=[{"code": "A", "min": 1.0}, {"code": "C"}, {"code": "N"}],
    )
    assert e.status == "C"  # 12 is better than 20 for a lower-is-better indicator: progress was made


# "A target on the wrong side of the baseline for the indicator's direction … the direction is
# asked, not assumed."


def test_a_target_on_the_wrong_side_of_the_direction_is_asked_whatever_the_operator():
    # lower is better, yet the target (30 以上) lies above the baseline of 10
    e = judge(indicator({2014: 10, 2016: 12}, 30, operator="at_least", direction="decrease"))
    assert (e.status, e.headline.reason) == ("no_data", "target_wrong_side")
    assert "target_wrong_side" in e.flags


def test_a_cap_above_the_baseline_of_a_rising_indicator_is_judged():
    # higher is better and the target (20 以下) lies above the baseline of 14: not the wrong side
    e = judge(indicator({2014: 14, 2020: 24}, 20, operator="at_most"), evaluation_fy=2020)
    assert e.status == "missed" and "target_wrong_side" not in e.flags


# "A target summed over a period on a level indicator is not judged (評価不能, reason sum_of_levels)"


def test_a_sum_of_levels_is_refused_before_any_actual_of_its_period_is_in():
    level = indicator({2013: 50, 2014: 52}, 100, 2019, period_start_fy=2016)
    e = judge(level, evaluation_fy=2017, baseline_fy=2013)
    assert (e.status, e.headline.reason) == ("no_data", "sum_of_levels")


# open_sdg: "A baseline or target of 0 is taken as 0.001" — and a latest of 0 the same, so that a
# series at 0 that stays at 0 has not moved (observed growth 0), rather than fallen by 100 % a year


@pytest.mark.parametrize("latest", [0, 0.0])
def test_open_sdg_a_series_that_stays_at_zero_has_not_moved(latest):
    e = judge(indicator({2014: 0, 2016: latest}, 13, 2018), "open_sdg")
    assert e.status == "limited_progress" and e.headline.score == pytest.approx(-2.5)
    # a fall to 0 from above is still deterioration
    assert judge(indicator({2014: 5, 2016: 0}, 13, 2018), "open_sdg").status == "deterioration"


# open_sdg without a target: "the limit coefficient C … when the series has a natural limit L
# (`percent_limit`, 100 for a share, higher is better)" — the parameter was not read


def test_open_sdg_percent_limit_is_the_shares_limit():
    share = Indicator(
        "x",
        "x",
        unit="%",
        observations=(Observation(2014, "actual", D(90)), Observation(2015, "actual", D(91))),
    )
    # +1.1 % a year: near the limit of 100 (C = 1 − 0.9^4.44 ≈ 0.37) that is substantial
    assert judge(share, "open_sdg").status == "substantial_progress"
    # without a limit the plain thresholds (0.5 % … 1.5 %) make it moderate
    assert judge(share, "open_sdg", percent_limit=None).status == "moderate_progress"
    # a limit of 200: 90 is far from it (C ≈ 0.97)
    assert judge(share, "open_sdg", percent_limit=200).status == "moderate_progress"


# "maintain (維持) is reached when the latest value is at least as good as the target's in the
# indicator's direction": a maintained level below the baseline is a floor, and a fall through it
# is no progress toward it (it read as 200 % and 順調)


@pytest.mark.parametrize(
    ("method", "status"),
    [("progress_vs_pace", "regressing"), ("fukuoka", "c"), ("achievement_bands", "D"), ("osaka", "D")],
)
@pytest.mark.parametrize("direction", ["increase", "decrease"])
def test_a_maintained_floor_fallen_through_is_no_progress(method, status, direction):
    values, floor = ({2014: 40, 2016: 30}, 35) if direction == "increase" else ({2014: 30, 2016: 40}, 35)
    e = judge(indicator(values, floor, operator="maintain", direction=direction), method)
    assert e.status == status and e.headline.progress is None
    held = {2014: 40, 2016: 36} if direction == "increase" else {2014: 30, 2016: 34}
    assert judge(indicator(held, floor, operator="maintain", direction=direction), method).status in (
        "achieved", "a", "A", "D"  # osaka: held, but 36 ÷ 35 is short of 110 % and 40 → 36 fell
    )  # fmt: skip


def test_a_cap_on_a_periods_sum_passed_is_the_worst_grade_whatever_the_direction():
    # 以下 on a rising indicator: the operator makes the sum a cap; passed, it is fukuoka's c
    counts = Indicator(
        "x", "x", measure="flow", observations=(Observation(2015, "actual", D(12)),),
        targets=(Target("plan", 2018, D(5), operator="at_most", period_start_fy=2015),),
    )  # fmt: skip
    assert judge(counts, "fukuoka", evaluation_fy=2015).status == "c"


def test_open_sdg_scores_without_a_target_stay_within_five():
    # +4 % a year between med 0.5 % and high 5 %: 250 × 0.04 − 1.25 = 8.75 is Open SDG's 5 at most
    counts = Indicator(
        "x", "x", observations=(Observation(2014, "actual", D(100)), Observation(2015, "actual", D(104)))
    )
    e = judge(counts, "open_sdg", high_no_target=0.05)
    assert e.status == "moderate_progress" and e.headline.score == 5.0


# Interim values: "value ÷ share of the fiscal year passed", the share counting days (docs: "Fiscal
# years in a leap year … an interim value's share of the year counts days")


@pytest.mark.parametrize(
    ("value", "as_of", "projection"),
    [
        (D(33), dt.date(2017, 4, 1), D(12045)),  # 33 × 365 ÷ 1 (a share rounded to 6 places gave 12,044)
        (D(69), dt.date(2017, 9, 15), D(150)),  # Sapporo's 1c: 69 × 365 ÷ 168 = 149.9
        (D(1), dt.date(2017, 4, 2), D(183)),  # 182.5: halves round up (四捨五入), not to even
        (D("0.5"), dt.date(2017, 4, 2), D("91.3")),  # 91.25, to the value's one decimal
    ],
)
def test_an_interim_counts_projection(value, as_of, projection):
    counts = Indicator(
        "x", "x", measure="flow",
        observations=(Observation(2016, "actual", D(5)), Observation(2017, "interim", value, as_of=as_of)),
        targets=(Target("plan", 2018, D(200)),),
    )  # fmt: skip
    assert judge(counts).interim.projection == projection
