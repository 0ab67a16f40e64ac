"""Progress evaluation: how far each indicator has come toward its target, against the clock.

The default method (``progress_vs_pace``), as DESIGN.md fixes it:

    progress = (latest − baseline) / (target − baseline)
    pace     = (latest year − baseline year) / (target year − baseline year)

A target summed over a period (H26-30 計) compares the amount added within
the period with the target instead, and pace counts the period's years.
The status compares progress with pace; every threshold is a parameter the
plan can set, because every city has its own rules.

Traps this module is built to avoid (DOMAIN.md §4): an interim value is never
judged as a full year; pending and none are missing, not zero; a summed target
is not compared with a running total from before its period; a jump in a
survey share is flagged rather than counted as progress.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from decimal import Decimal, localcontext
from itertools import pairwise
from operator import attrgetter

from .errors import MachiplanError
from .fiscal import FIRST_FY, LAST_FY, fiscal_year_fraction, fy_in_range
from .plan import ACTUAL, CUMULATIVE, DECREASE, FLOW, INTERIM, PLAN_HORIZON, Indicator, Plan, Target

ACHIEVED = "achieved"
ON_TRACK = "on_track"
ROUGHLY_ON_TRACK = "roughly_on_track"
BEHIND = "behind"
REGRESSING = "regressing"
NO_DATA = "no_data"
NO_TARGET = "no_target"
STATUSES = (ACHIEVED, ON_TRACK, ROUGHLY_ON_TRACK, BEHIND, REGRESSING, NO_DATA, NO_TARGET)

METHOD_NAME = "progress_vs_pace"
PARAM_LIMIT = 1_000_000  # ratios and points: far past any sensible setting, and finite (.inf, .nan refused)
_FY = attrgetter("fy")


@dataclass(frozen=True, slots=True)
class Params:
    """The method's parameters. Every one can be set per plan (plan.yaml ``method.params``)."""

    on_track_ratio: float = 1.0  # progress ≥ pace × this: on track
    roughly_ratio: float = 0.6  # progress ≥ pace × this: roughly on track
    regressing_below: float = 0.0  # progress below this: regressing
    survey_tolerance_points: float = 3.0  # a survey share moving less than this is unchanged
    break_threshold_points: float = 20.0  # a survey share jumping this much suggests a new question
    baseline_fy: int | None = None  # None: the year before the plan starts
    horizon: str = PLAN_HORIZON  # the target horizon the headline status judges
    project_interim: bool = True  # project an interim value to the year's end

    @classmethod
    def from_mapping(cls, values: Mapping[str, object], *, where: str = "method.params") -> Params:
        known = {f.name: f for f in fields(cls)}
        kwargs: dict[str, object] = {}
        for key, value in values.items():
            if key not in known:
                raise MachiplanError(f"unknown parameter {key!r} (known: {', '.join(known)})", where=where)
            kwargs[key] = _coerce(key, value, cls.__dataclass_fields__[key].default, where)
        params = cls(**kwargs)  # type: ignore[arg-type]
        if not 0 <= params.roughly_ratio <= params.on_track_ratio:
            raise MachiplanError(
                "roughly_ratio must lie between 0 and on_track_ratio", where=f"{where}.roughly_ratio"
            )
        return params

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _coerce(key: str, value: object, default: object, where: str) -> object:
    if key == "baseline_fy":
        if value is None:
            return None
        if not fy_in_range(value):
            raise MachiplanError(
                f"must be a fiscal year from {FIRST_FY} to {LAST_FY} such as 2013", where=f"{where}.{key}"
            )
        return value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise MachiplanError("must be true or false", where=f"{where}.{key}")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or not abs(value) <= PARAM_LIMIT:
            raise MachiplanError(
                f"must be a number from -{PARAM_LIMIT:,} to {PARAM_LIMIT:,}", where=f"{where}.{key}"
            )
        return float(value)
    if not isinstance(value, str) or not value:
        raise MachiplanError("must be a text", where=f"{where}.{key}")
    return value


@dataclass(frozen=True, slots=True)
class Point:
    fy: int
    value: Decimal


@dataclass(frozen=True, slots=True)
class InterimValue:
    """A value so far in a year without its actual yet, shown beside the status, never judged."""

    fy: int
    value: Decimal
    as_of: dt.date | None
    projection: Decimal | None  # the year-end value it points to, where history allows


@dataclass(frozen=True, slots=True)
class Judgement:
    """One indicator judged against one target."""

    horizon: str
    status: str
    progress: float | None
    pace: float | None
    target: Target | None
    baseline: Point | None = None
    latest: Point | None = None
    amount: Decimal | None = None  # for a summed target: what the period has added so far
    reason: str = ""  # why a status could not be judged or was judged so: a code for explain()


@dataclass(frozen=True, slots=True)
class Evaluation:
    """An indicator's evaluation: the headline horizon, every other horizon, flags, interim."""

    code: str
    headline: Judgement
    by_horizon: tuple[Judgement, ...]
    flags: tuple[str, ...]
    interim: InterimValue | None

    @property
    def status(self) -> str:
        return self.headline.status


@dataclass(frozen=True, slots=True)
class PlanEvaluation:
    evaluation_fy: int
    baseline_fy: int
    params: Params
    indicators: dict[str, Evaluation]
    by_goal: dict[int, dict[str, int]]
    overall: dict[str, int]


def status_counts(statuses: Iterable[str]) -> dict[str, int]:
    """Counts per status, every status present and in the documented order."""
    counts = Counter(statuses)
    return {status: counts.get(status, 0) for status in STATUSES}


def baseline_year(plan: Plan, params: Params) -> int:
    """The year progress is measured from: the parameter, else the year before the plan starts."""
    return params.baseline_fy if params.baseline_fy is not None else plan.start_fy - 1


def evaluate_plan(
    plan: Plan, *, evaluation_fy: int | None = None, params: Params | None = None
) -> PlanEvaluation:
    params = params or Params.from_mapping(plan.method.params)
    fy = plan.default_evaluation_fy() if evaluation_fy is None else evaluation_fy
    low, high = plan.evaluation_fy_range
    if not low <= fy <= high:
        raise MachiplanError(
            f"fiscal year {fy} is outside the plan {plan.code} (FY{plan.start_fy}–FY{plan.end_fy}; "
            f"an evaluation may be made in FY{low}–FY{high})"
        )
    baseline_fy = baseline_year(plan, params)
    with _cycle_collection_paused():
        results = {
            ind.code: evaluate_indicator(ind, evaluation_fy=fy, baseline_fy=baseline_fy, params=params)
            for ind in plan.indicators
        }
    per_goal: dict[int, list[str]] = {goal.number: [] for goal in plan.goals}
    for ind in plan.indicators:  # one pass: a plan can have hundreds of goals and 100,000 indicators
        per_goal.setdefault(ind.goal, []).append(results[ind.code].status)
    by_goal = {number: status_counts(statuses) for number, statuses in per_goal.items()}
    overall = status_counts(e.status for e in results.values())
    return PlanEvaluation(fy, baseline_fy, params, results, by_goal, overall)


def evaluate_one(plan: Plan, indicator: Indicator) -> tuple[Evaluation, int]:
    """One indicator judged as its page shows it: in its plan's evaluation year, else its latest data's."""
    params = Params.from_mapping(plan.method.params)
    fy = plan.evaluation_fy or max((o.fy for o in indicator.observations), default=plan.start_fy)
    baseline = baseline_year(plan, params)
    return evaluate_indicator(indicator, evaluation_fy=fy, baseline_fy=baseline, params=params), fy


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Evaluation makes a few small acyclic objects per indicator; reference counting frees them.
    Left on, the cyclic collector walks the whole plan (a million objects at 100,000 indicators)
    each time a generation fills: a quarter of the time, for nothing to collect."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def evaluate_indicator(
    indicator: Indicator, *, evaluation_fy: int, baseline_fy: int, params: Params
) -> Evaluation:
    actuals = sorted(
        (
            Point(o.fy, o.value)
            for o in indicator.observations
            if o.kind == ACTUAL and o.value is not None and o.fy <= evaluation_fy
        ),
        key=_FY,
    )
    judgements = [
        _judge(indicator, target, actuals, baseline_fy, params)
        for target in sorted(indicator.targets, key=lambda t: (t.horizon != params.horizon, t.fy))
    ]
    headline = next((j for j in judgements if j.horizon == params.horizon), None)
    if headline is None:
        reason = "reference" if indicator.reference else "no_target"
        headline = Judgement(params.horizon, NO_TARGET, None, None, None, reason=reason)
    elif indicator.reference:
        headline = Judgement(params.horizon, NO_TARGET, None, None, headline.target, reason="reference")
    others = tuple(j for j in judgements if j.horizon != params.horizon)
    latest_fy = actuals[-1].fy if actuals else None
    return Evaluation(
        code=indicator.code,
        headline=headline,
        by_horizon=others,
        flags=tuple(_flags(indicator, actuals, evaluation_fy, params)),
        interim=_interim(indicator, actuals, latest_fy, evaluation_fy, params),
    )


def _judge(
    indicator: Indicator, target: Target, actuals: list[Point], baseline_fy: int, params: Params
) -> Judgement:
    horizon = target.horizon
    if target.value is None:
        return Judgement(horizon, NO_TARGET, None, None, target, reason="no_target")
    if target.period_start_fy is not None:
        return _judge_period(indicator, target, actuals, params)

    baseline = next((p for p in actuals if p.fy >= baseline_fy), None)
    if baseline is None:
        return Judgement(horizon, NO_DATA, None, None, target, reason="no_baseline")
    latest = actuals[-1]
    if latest.fy <= baseline.fy:
        return Judgement(horizon, NO_DATA, None, None, target, baseline, reason="no_actual_since_baseline")

    decreasing = indicator.direction == DECREASE
    met = latest.value <= target.value if decreasing else latest.value >= target.value
    pace = _share(latest.fy - baseline.fy, target.fy - baseline.fy)
    delta = float(latest.value - baseline.value)
    reason = ""
    if indicator.survey and abs(delta) < params.survey_tolerance_points:
        delta, reason = 0.0, "within_tolerance"
    span = float(target.value - baseline.value)
    progress = delta / span if span else None
    if met:
        status = ACHIEVED
    elif progress is None:  # the target equals the baseline and is not met: it moved away
        status = REGRESSING if delta else BEHIND
    else:
        status = _status(progress, pace, params)
    return Judgement(horizon, status, progress, pace, target, baseline, latest, reason=reason)


def _judge_period(indicator: Indicator, target: Target, actuals: list[Point], params: Params) -> Judgement:
    """A target summed over start..end: compare what the period has added with the target."""
    assert target.period_start_fy is not None and target.value is not None
    start, end = target.period_start_fy, target.fy
    inside = [p for p in actuals if start <= p.fy <= end]
    if not inside:
        return Judgement(target.horizon, NO_DATA, None, None, target, reason="no_actual_in_period")
    latest = inside[-1]
    if indicator.measure == CUMULATIVE:
        # A running total: the period added latest − the total at the end of the year before it.
        before = next((p for p in actuals if p.fy == start - 1), None)
        if before is None:
            return Judgement(
                target.horizon, NO_DATA, None, None, target, latest=latest, reason="no_total_before_period"
            )
        amount, baseline = latest.value - before.value, before
    else:
        amount, baseline = sum((p.value for p in inside), Decimal(0)), None
        if len(inside) != latest.fy - start + 1:
            return Judgement(
                target.horizon, NO_DATA, None, None, target, latest=latest, reason="gap_in_period"
            )
    pace = _share(latest.fy - start + 1, end - start + 1)
    progress = float(amount) / float(target.value) if target.value else None
    met = amount >= target.value
    if met:
        status = ACHIEVED
    elif progress is None:
        status = BEHIND
    else:
        status = _status(progress, pace, params)
    return Judgement(target.horizon, status, progress, pace, target, baseline, latest, amount=amount)


def _status(progress: float, pace: float, params: Params) -> str:
    if progress < params.regressing_below:
        return REGRESSING
    if progress >= pace * params.on_track_ratio:
        return ON_TRACK
    if progress >= pace * params.roughly_ratio:
        return ROUGHLY_ON_TRACK
    return BEHIND


def _share(done: int, planned: int) -> float:
    if planned <= 0:
        return 1.0
    return min(1.0, max(0.0, done / planned))


def _round_like(value: Decimal, model: Decimal, *, approximate: bool) -> Decimal:
    """Round a projection no finer than the figure it comes from: 約7.9億 -> 8.3億, 69 -> 150."""
    exponent = model.normalize().as_tuple().exponent
    exponent = exponent if isinstance(exponent, int) else 0
    quantum = Decimal(1).scaleb(exponent if approximate else min(exponent, 0))
    digits = value.adjusted() - quantum.adjusted() + 2  # that many digits survive the rounding
    if not value.is_finite() or digits > 10_000:
        return value
    with localcontext() as context:  # a figure of 29 digits or more rounds like any other
        context.prec = max(context.prec, digits)
        return (value / quantum).quantize(Decimal(1)) * quantum


def _flags(indicator: Indicator, actuals: list[Point], evaluation_fy: int, params: Params) -> list[str]:
    flags: list[str] = []
    watch_breaks = indicator.survey or indicator.unit == "%"
    for before, after in pairwise(actuals):
        change = float(after.value - before.value)
        if watch_breaks and abs(change) >= params.break_threshold_points:
            flags.append(f"break_suspected:{after.fy}")
        if indicator.measure == CUMULATIVE and change < 0:
            flags.append(f"cumulative_decrease:{after.fy}")
    for obs in indicator.observations:
        if obs.fy > evaluation_fy or not obs.breakdown or obs.value is None:
            continue
        if sum((v for _, v in obs.breakdown), Decimal(0)) != obs.value:
            flags.append(f"breakdown_mismatch:{obs.fy}")
    return flags


def _interim(
    indicator: Indicator, actuals: list[Point], latest_fy: int | None, evaluation_fy: int, params: Params
) -> InterimValue | None:
    candidates = [
        o
        for o in indicator.observations
        if o.kind == INTERIM
        and o.value is not None
        and o.fy <= evaluation_fy
        and (latest_fy is None or o.fy > latest_fy)
    ]
    if not candidates:
        return None
    obs = max(candidates, key=lambda o: o.fy)
    assert obs.value is not None
    projection = None
    if params.project_interim and obs.as_of is not None and not indicator.survey and indicator.unit != "%":
        fraction = Decimal(str(round(fiscal_year_fraction(obs.as_of), 6)))
        previous = next((p for p in reversed(actuals) if p.fy == obs.fy - 1), None)
        if indicator.measure == FLOW:
            projection = obs.value / fraction  # the year so far, carried on at the same rate
        elif previous is not None:  # a level or a running total: carry the year's change on
            projection = previous.value + (obs.value - previous.value) / fraction
        if projection is not None:
            projection = _round_like(projection, obs.value, approximate=obs.approximate)
    return InterimValue(obs.fy, obs.value, obs.as_of, projection)
