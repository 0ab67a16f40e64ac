"""progress_vs_pace is judged without a Measurement (evaluation._judge_pace, for speed): its judgements
must be those of the general path, which makes the Measurement and asks the method's classify."""

from dataclasses import replace
from decimal import Decimal
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from machiplan.domain import evaluation
from machiplan.domain.evaluation import Params, evaluate_indicator
from machiplan.domain.plan import AT_LEAST, AT_MOST, MAINTAIN, Indicator, Observation, Target

FIGURES = st.one_of(
    st.sampled_from(["0", "1", "2.5", "10", "10.0", "40", "99.9", "100"]),  # equal values meet often
    st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False).map(str),
)
YEARS = st.integers(min_value=2012, max_value=2019)


@st.composite
def indicators(draw):
    survey = draw(st.booleans())
    observations = tuple(
        Observation(
            fy=fy,
            kind="actual",
            value=Decimal(draw(FIGURES)),
            sample_size=draw(st.sampled_from([None, 40, 1500])) if survey else None,
        )
        for fy in sorted(draw(st.sets(YEARS, min_size=2, max_size=6)))
    )
    horizons = draw(st.lists(st.sampled_from(["plan", "action_plan", "vision"]), unique=True, min_size=1))
    targets = tuple(
        Target(
            horizon=horizon,
            fy=draw(YEARS),
            value=Decimal(draw(FIGURES)),
            operator=draw(st.sampled_from([None, AT_LEAST, AT_MOST, MAINTAIN])),
        )
        for horizon in horizons
    )
    return Indicator(
        code="i",
        name="i",
        unit=draw(st.sampled_from(["%", "件"])),
        direction=draw(st.sampled_from(["increase", "decrease"])),
        survey=survey,
        observations=observations,
        targets=targets,
    )


def _general(indicator: Indicator, **arguments) -> evaluation.Evaluation:
    """The same evaluation with the shortcut off: every target judged through its Measurement."""
    set_up = evaluation.Context.__post_init__

    def without_shortcut(context):
        set_up(context)
        object.__setattr__(context, "pace", None)

    with mock.patch.object(evaluation.Context, "__post_init__", without_shortcut):
        return evaluate_indicator(indicator, **arguments)


@settings(max_examples=400)
@given(
    indicators(),
    st.integers(min_value=2013, max_value=2020),
    st.integers(min_value=2012, max_value=2015),
    st.sampled_from([Params(), Params(on_track_ratio=0.8, roughly_ratio=0.5, regressing_below=-0.1)]),
    st.booleans(),
)
def test_progress_vs_pace_judged_without_a_measurement_as_with_one(
    indicator, evaluation_fy, baseline_fy, params, trend
):
    params = replace(params, trend_without_target=trend)
    arguments = {"evaluation_fy": evaluation_fy, "baseline_fy": baseline_fy, "params": params}
    fast = evaluate_indicator(indicator, **arguments)
    assert repr(fast) == repr(_general(indicator, **arguments))


def test_the_general_path_is_the_one_compared():
    indicator = Indicator(
        code="i",
        name="i",
        observations=(Observation(2013, "actual", Decimal(1)), Observation(2015, "actual", Decimal(3))),
        targets=(Target("plan", 2017, Decimal(5)),),
    )
    arguments = {"evaluation_fy": 2015, "baseline_fy": 2013, "params": Params()}
    with mock.patch.object(evaluation, "_judge_pace", side_effect=AssertionError("shortcut taken")):
        general = _general(indicator, **arguments)
    assert general.status == "on_track" and general.headline.progress == 0.5
    assert repr(evaluate_indicator(indicator, **arguments)) == repr(general)
