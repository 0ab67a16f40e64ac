"""Survey uncertainty in the evaluation: a change within the 95 % interval of the difference of two
proportions is unchanged when both figures state their sample; the fixed band stands in otherwise;
a target within the latest share's own margin is said so; the fields' rules are the same every way in.
The figures are docs/evaluation.md's worked example ("Survey uncertainty")."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from machiplan.domain.entry_checks import check_entry, sample_problems
from machiplan.domain.evaluation import ACHIEVED, ON_TRACK, Params, evaluate_indicator
from machiplan.domain.explain import explain
from machiplan.domain.plan import Baseline, Indicator, Observation, Target
from machiplan.interchange.plan_json import evaluation_json

D = Decimal


def share(fy, value, n=None, margin=None, deff=None):
    return Observation(
        fy=fy, kind="actual", value=D(str(value)), sample_size=n,
        margin=None if margin is None else D(str(margin)), design_effect=None if deff is None else D(str(deff)),
    )  # fmt: skip


def indicator(*observations, target=40, survey=True, unit="%", baselines=()):
    return Indicator(
        code="s", name="満足している市民の割合", unit=unit, survey=survey, observations=observations,
        targets=(Target("plan", 2020, D(str(target))),), baselines=baselines,
    )  # fmt: skip


def judge(ind, **params):
    e = evaluate_indicator(ind, evaluation_fy=2018, baseline_fy=2015, params=Params(**params))
    return e, e.headline


def test_a_change_within_the_interval_of_two_proportions_is_unchanged():
    # 32.0 % (n = 1,200) → 35.0 % (n = 1,100): ±3.86 points; +3.0 is within it
    e, j = judge(indicator(share(2015, 32.0, 1200), share(2018, 35.0, 1100)))
    assert j.progress == 0 and j.reason == "within_tolerance"
    assert j.interval == pytest.approx(3.8614, abs=1e-3)
    assert "95%信頼区間 ±3.9ポイント" in explain(e, indicator(), "ja")
    assert "±3.9 points at 95 %" in explain(e, indicator(), "en")
    assert evaluation_json(e, indicator())["survey_interval"] == 3.86


def test_a_bigger_sample_makes_the_same_change_real():
    _, j = judge(indicator(share(2015, 32.0, 3000), share(2018, 35.0, 3000)))
    assert j.reason == "" and j.interval == pytest.approx(2.3874, abs=1e-3)
    assert j.progress == pytest.approx(3.0 / 8.0)


def test_without_a_sample_on_either_side_the_fixed_band_stands():
    # 3.0 is not less than ±3: a change, whatever n the latest states
    _, j = judge(indicator(share(2015, 32.0), share(2018, 35.0, 1100)))
    assert j.reason == "" and j.progress == pytest.approx(3.0 / 8.0) and j.interval is None
    _, narrow = judge(indicator(share(2015, 32.0), share(2018, 34.0, 1100)))
    assert narrow.progress == 0 and narrow.reason == "within_tolerance"


def test_a_stated_margin_is_used_as_given_and_a_design_effect_widens_the_interval():
    _, given_margin = judge(indicator(share(2015, 32.0, margin=1.0), share(2018, 35.0, margin=1.0)))
    assert given_margin.interval == pytest.approx(2**0.5, abs=1e-9) and given_margin.reason == ""
    _, deff = judge(indicator(share(2015, 32.0, 3000, deff=2), share(2018, 35.0, 3000, deff=2)))
    assert deff.interval == pytest.approx(2.3874 * 2**0.5, abs=1e-3) and deff.reason == "within_tolerance"


def test_the_baselines_own_sample_counts():
    ind = indicator(
        share(2018, 35.0, 1100), baselines=(Baseline(2015, D("32.0"), "初期値", sample_size=1200),)
    )
    _, j = judge(ind)
    assert j.reason == "within_tolerance" and j.interval == pytest.approx(3.8614, abs=1e-3)


def test_an_indicator_not_marked_survey_ignores_the_sample():
    _, j = judge(indicator(share(2015, 32.0, 1200), share(2018, 34.0, 1100), survey=False))
    assert j.reason == "" and j.interval is None and j.margin is None and j.progress == pytest.approx(0.25)


def test_a_target_within_the_margin_is_said_so_and_keeps_its_status():
    ind = indicator(share(2015, 30.0, 5000), share(2018, 40.5, 800), target=40)
    e, j = judge(ind)
    assert j.status == ACHIEVED and j.margin == pytest.approx(1.96 * (40.5 * 59.5 / 800) ** 0.5, abs=1e-2)
    assert "目標との差0.5ポイントは調査の誤差 ±3.4ポイントの範囲内" in explain(e, ind, "ja")
    assert "within the survey's margin of error, ±3.4 points" in explain(e, ind, "en")
    short = indicator(share(2015, 30.0, 5000), share(2018, 39.0, 800), target=40)
    e, j = judge(short)
    assert j.status == ON_TRACK and "範囲内" in explain(e, short, "ja")
    far = indicator(share(2015, 30.0, 5000), share(2018, 45.0, 800), target=40)
    e, _ = judge(far)
    assert "範囲内" not in explain(e, far, "ja")


@given(st.integers(1, 20000), st.integers(1, 20000), st.floats(1, 99), st.floats(1, 99))
def test_unchanged_exactly_when_the_change_is_less_than_the_interval(n, m, p, q):
    p, q = round(p, 1), round(q, 1)
    ind = indicator(share(2015, p, n), share(2018, q, m), target=100)
    _, j = judge(ind)
    assert (j.reason == "within_tolerance") == (abs(q - p) < j.interval)


# --- the fields' rules (entry_checks.sample_problems): the same for the form, the bulk upload, the API
# and a package ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("figure", "code"),
    [
        (share(2018, 35.0, 0), "sample_size_range"),
        (share(2018, 35.0, 100_000_001), "sample_size_range"),
        (share(2018, 35.0, margin=0), "margin_range"),
        (share(2018, 35.0, margin=51), "margin_range"),
        (share(2018, 35.0, 100, deff=0), "design_effect_range"),
        (share(2018, 35.0, 100, deff=101), "design_effect_range"),
        (share(2018, 35.0, margin=2, deff=1.5), "design_effect_alone"),
        (Observation(fy=2018, kind="pending", sample_size=100), "sample_without_value"),
    ],
)
def test_each_broken_rule_is_refused_with_its_message(figure, code):
    findings = check_entry(indicator(), figure)
    assert [p.code for p in findings.errors] == [code]
    assert findings.errors[0].message("ja") and findings.errors[0].message("en")


def test_n_alone_gives_an_interval_only_for_a_percentage():
    errors, _ = sample_problems(indicator(unit="点"), share(2018, 3.5, 400), has_value=True)
    assert [p.code for p in errors] == ["sample_needs_share"]
    errors, _ = sample_problems(indicator(unit="点"), share(2018, 3.5, 400, margin=0.1), has_value=True)
    assert errors == []


def test_a_sample_on_an_indicator_not_marked_survey_is_kept_with_a_warning():
    findings = check_entry(indicator(survey=False), share(2018, 35.0, 1100))
    assert findings.errors == () and [p.code for p in findings.warnings] == ["sample_not_survey"]
    assert check_entry(indicator(), share(2018, 35.0, 1100, margin=2.1, deff=1.4)).warnings == ()
