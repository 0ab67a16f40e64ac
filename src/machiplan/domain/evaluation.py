"""Progress evaluation: how far each indicator has come toward its target, against the clock.

The default method (``progress_vs_pace``), as DESIGN.md fixes it:

    progress = (latest − baseline) / (target − baseline)
    pace     = (latest year − baseline year) / (target year − baseline year)

A target summed over a period (H26-30 計) compares the amount added within
the period with the target instead, and pace counts the period's years.
The status compares progress with pace; every threshold is a parameter the
plan can set, because every city has its own rules.

Traps this module is built to avoid (docs/evaluation.md, "Settled"): an interim value is never
judged as a full year; pending and none are missing, not zero; a summed target
is not compared with a running total from before its period; a jump in a
survey share is flagged rather than counted as progress.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal, getcontext, localcontext
from itertools import pairwise
from operator import attrgetter
from typing import Any

from . import methods, surveys
from .collection import long_lived_objects_made
from .errors import MachiplanError
from .fiscal import FIRST_FY, LAST_FY, fy_in_range, year_bounds
from .plan import (
    ACTUAL,
    ANNUAL,
    AT_LEAST,
    AT_MOST,
    CUMULATIVE,
    DECREASE,
    FINAL,
    FLOW,
    FORECAST,
    INTERIM,
    LEVEL,
    PLAN_HORIZON,
    STATE,
    Indicator,
    Observation,
    Plan,
    Rating,
    RatingScale,
    Target,
)

ACHIEVED = "achieved"
ON_TRACK = "on_track"
ROUGHLY_ON_TRACK = "roughly_on_track"
BEHIND = "behind"
REGRESSING = "regressing"
MISSED = "missed"  # 未達成: the target year's actual is in, and the target was not reached
NO_DATA = methods.NO_DATA
NO_TARGET = methods.NO_TARGET
# progress_vs_pace's statuses, best first; every method has its own (domain/methods.py)
STATUSES = (ACHIEVED, ON_TRACK, ROUGHLY_ON_TRACK, BEHIND, REGRESSING, MISSED, NO_DATA, NO_TARGET)

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
    stale_after_years: int = 2  # flag a latest actual more than this many years before the evaluation
    restart_after_break: bool = (
        False  # after a suspected survey break, measure from the first survey after it
    )
    trend_without_target: bool = False  # judge an indicator without a target by its trend, not 目標なし
    method: str = METHOD_NAME  # the method's name (domain/methods.py)
    method_params: Any = None  # the method's own parameters; progress_vs_pace's are the three ratios above

    @classmethod
    def from_mapping(
        cls, values: Mapping[str, object], *, where: str = "method.params", method: str = METHOD_NAME
    ) -> Params:
        """The shared parameters and the method's own, from one mapping (plan.yaml ``method.params``)."""
        definition = methods.method_named(method, where.rsplit(".", 1)[0] + ".name")
        shared = {f.name for f in fields(cls) if f.name not in ("method", "method_params")}
        if method != METHOD_NAME:
            shared -= set(PACE_PARAMS)
        own = {f.name for f in fields(definition.params_class)} - shared
        kwargs: dict[str, object] = {}
        for key, value in values.items():
            if key not in shared and key not in own:
                known = ", ".join(sorted(shared | own))
                raise MachiplanError(f"unknown parameter {key!r} (known: {known})", where=where)
            if key in shared:
                kwargs[key] = _coerce(key, value, cls.__dataclass_fields__[key].default, where)
        method_params = methods.parse_params(
            definition.params_class, {k: v for k, v in values.items() if k in own}, where
        )
        params = cls(**kwargs, method=method, method_params=method_params)  # type: ignore[arg-type]
        if not 0 <= params.roughly_ratio <= params.on_track_ratio:
            raise MachiplanError(
                "roughly_ratio must lie between 0 and on_track_ratio", where=f"{where}.roughly_ratio"
            )
        return params

    def as_dict(self) -> dict[str, object]:
        """Every parameter in force, shared and the method's own (not the method's name)."""
        data = {
            f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("method", "method_params")
        }
        if self.method != METHOD_NAME:
            for key in PACE_PARAMS:
                data.pop(key)
            data.update({f.name: getattr(self.method_params, f.name) for f in fields(self.method_params)})
        return data

    @property
    def definition(self) -> methods.MethodDef:
        return methods.METHODS[self.method]

    @property
    def own(self) -> Any:
        """The parameters the method itself reads."""
        if self.method == METHOD_NAME:
            return methods.PaceParams(self.on_track_ratio, self.roughly_ratio, self.regressing_below)
        return self.method_params

    @property
    def scale(self) -> tuple[methods.StatusDef, ...]:
        """Every status this evaluation can give, best first (with the trend statuses when an
        indicator without a target is judged by its trend)."""
        scale = self.definition.scale(self.own)
        if self.trend_without_target and self.definition.classify_without_target is None:
            scale = (*scale[:-2], *methods.TREND_STATUSES, *scale[-2:])
        return scale


PACE_PARAMS = ("on_track_ratio", "roughly_ratio", "regressing_below")


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
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise MachiplanError("must be a whole number from 0 to 100", where=f"{where}.{key}")
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
    sample: surveys.Sample | None = field(default=None, compare=False)  # a survey's n or margin


def _point(figure) -> Point:
    """An observation's or a baseline's year and value, with the survey's own error when it states it."""
    return Point(figure.fy, figure.value, surveys.sample_of(figure))


@dataclass(frozen=True, slots=True)
class InterimValue:
    """A value so far (状況) or an official forecast (見込) in a year without its actual yet:
    shown beside the status, never judged."""

    fy: int
    value: Decimal
    as_of: dt.date | None
    projection: Decimal | None  # the year-end value it points to, where history allows
    kind: str = INTERIM  # interim | forecast


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
    series: str = ""
    state: str = ""  # a state indicator's latest state (設置)
    score: float | None = None  # the method's score for roll-ups that average (Open SDG: -5 … 5)
    measure: float | None = None  # the method's own measure when it is not progress (達成率, a CAGR ratio)
    # a survey share's sampling error, where its figures state it (domain/surveys.py): the half-width
    # of the 95 % interval of latest − baseline, and of the latest share itself, in points
    interval: float | None = None
    margin: float | None = None

    @property
    def kind(self) -> str:
        """final, midterm or annual: which of the horizon's targets this judges."""
        return self.target.kind if self.target is not None else FINAL


@dataclass(frozen=True, slots=True)
class SeriesEvaluation:
    """One series of an indicator (小学6年生, 男性) judged on its own."""

    series: str
    headline: Judgement
    by_horizon: tuple[Judgement, ...]
    interim: InterimValue | None

    @property
    def status(self) -> str:
        return self.headline.status


@dataclass(frozen=True, slots=True)
class Evaluation:
    """An indicator's evaluation: the headline horizon, every other horizon, flags, interim.

    An indicator reported in series (学年別, 男女別) has each series judged in ``series``;
    without a headline series of its own, its headline is the least favourable of them."""

    code: str
    headline: Judgement
    by_horizon: tuple[Judgement, ...]
    flags: tuple[str, ...]
    interim: InterimValue | None
    series: tuple[SeriesEvaluation, ...] = ()

    @property
    def status(self) -> str:
        return self.headline.status


@dataclass(frozen=True, slots=True)
class PlanEvaluation:
    evaluation_fy: int
    baseline_fy: int
    params: Params
    indicators: dict[str, Evaluation]
    by_node: dict[str, dict[str, int]]  # every node: the statuses of the indicators at and below it
    overall: dict[str, int]
    node_grades: dict[str, str | None] = field(
        default_factory=dict
    )  # a node's roll-up, if the method has one
    overrides: Mapping[str, Params] = field(default_factory=dict)  # indicators judged by another method

    @property
    def scale(self) -> tuple[methods.StatusDef, ...]:
        """Every status of the plan's method, then those of the methods some indicators override it
        with, 評価不能 and 目標なし last."""
        return merged_scale(self.params, self.overrides.values())

    def status(self, code: str) -> methods.StatusDef:
        """A status of this evaluation's scale (or an unknown one spelled as its code)."""
        return next((s for s in self.scale if s.code == code), None) or methods.StatusDef(
            code, code, code, "none"
        )


def merged_scale(params: Params, overrides: Iterable[Params] = ()) -> tuple[methods.StatusDef, ...]:
    """Every status of ``params``' method, then those of the methods some indicators override it
    with, 評価不能 and 目標なし last: the words of every status an evaluation can give (a city's own
    bands carry their own: its "A" need not be the default bands' 達成)."""
    main = params.scale
    found = {s.code for s in main}
    extra = []
    for own in overrides:
        for status in own.scale:
            if status.code not in found:
                found.add(status.code)
                extra.append(status)
    return (*main[:-2], *extra, *main[-2:]) if extra else main


def plan_scale(plan: Plan) -> tuple[methods.StatusDef, ...]:
    """The scale of every status the plan's evaluation can give (``PlanEvaluation.scale``), found
    without evaluating it: for a page that judges one indicator."""
    params = plan_params(plan)
    return merged_scale(params, override_params(plan, params).values())


def status_counts(statuses: Iterable[str], order: Sequence[str] = STATUSES) -> dict[str, int]:
    """Counts per status, every status of the scale present and in its order."""
    counts = Counter(statuses)
    found = {status: counts.get(status, 0) for status in order}
    found.update({s: n for s, n in counts.items() if s not in found})  # an override's own statuses
    return found


def baseline_year(plan: Plan, params: Params) -> int:
    """The year progress is measured from by default: the parameter, else the year before the
    plan starts. An indicator's own baseline (初期値, 基準値) takes precedence."""
    return params.baseline_fy if params.baseline_fy is not None else plan.start_fy - 1


@dataclass(frozen=True, slots=True)
class Context:
    """What judging one indicator needs to know of its plan."""

    evaluation_fy: int
    baseline_fy: int
    params: Params
    revision_fy: Mapping[str, int]  # revision code -> the fiscal year it applies from
    scales: Mapping[str, RatingScale]  # the city's rating scales by key
    overrides: Mapping[str, Params] = field(default_factory=dict)  # indicator code -> its own method
    # what every judgement asks of ``params``, found once per evaluation, not once per judgement
    # (``Params.own`` makes a new object each time it is read)
    classify: Callable[[methods.Measurement, Any], methods.Verdict] = field(
        init=False, repr=False, compare=False
    )
    own: Any = field(init=False, repr=False, compare=False)
    measures_progress: bool = field(init=False, repr=False, compare=False)
    own_measure: bool = field(init=False, repr=False, compare=False)  # the method's measure is not progress
    pace: methods.PaceParams | None = field(init=False, repr=False, compare=False)  # progress_vs_pace's own

    def __post_init__(self) -> None:
        params = self.params
        object.__setattr__(self, "classify", params.definition.classify)
        object.__setattr__(self, "own", params.own)
        object.__setattr__(self, "measures_progress", _measures_progress(params))
        object.__setattr__(self, "own_measure", params.method != METHOD_NAME)
        object.__setattr__(self, "pace", self.own if params.method == METHOD_NAME else None)

    @classmethod
    def of(cls, plan: Plan, evaluation_fy: int, params: Params) -> Context:
        return cls(
            evaluation_fy,
            baseline_year(plan, params),
            params,
            {r.code: r.fy for r in plan.revisions},
            plan.rating_scales_by_key,
            override_params(plan, params),
        )


def plan_params(plan: Plan) -> Params:
    return Params.from_mapping(plan.method.params, method=plan.method.name)


def override_params(plan: Plan, params: Params) -> dict[str, Params]:
    """Each overridden indicator's parameters: the plan's shared ones with the override's method."""
    shared = {
        k: v
        for k, v in params.as_dict().items()
        if k in {f.name for f in fields(Params)}
        and k not in PACE_PARAMS
        and k not in ("method", "method_params")
    }
    found: dict[str, Params] = {}
    for n, override in enumerate(plan.method.overrides):
        where = f"method.overrides[{n}].params"
        own = Params.from_mapping({**shared, **override.params}, where=where, method=override.name)
        for code in override.indicators:
            found[code] = own
    return found


def evaluate_plan(
    plan: Plan, *, evaluation_fy: int | None = None, params: Params | None = None
) -> PlanEvaluation:
    params = params or plan_params(plan)
    fy = plan.default_evaluation_fy() if evaluation_fy is None else evaluation_fy
    low, high = plan.evaluation_fy_range
    if not low <= fy <= high:
        raise MachiplanError(
            f"fiscal year {fy} is outside the plan {plan.code} (FY{plan.start_fy}–FY{plan.end_fy}; "
            f"an evaluation may be made in FY{low}–FY{high})"
        )
    context = Context.of(plan, fy, params)
    with long_lived_objects_made():  # no collection walks the results just made (domain/collection.py)
        results = {ind.code: _evaluate(ind, context) for ind in plan.indicators}
    evaluation = PlanEvaluation(fy, context.baseline_fy, params, results, {}, {}, {}, context.overrides)
    order = tuple(s.code for s in evaluation.scale)
    return replace(
        evaluation,
        by_node=node_counts(plan, results, order),
        overall=overall_counts(results, order),
        node_grades=node_grades(plan, results, params),
    )


def overall_counts(results: Mapping[str, Evaluation], order: Sequence[str] = STATUSES) -> dict[str, int]:
    return status_counts((e.status for e in results.values()), order)


def _node_members(plan: Plan) -> dict[str, list[str]]:
    """The indicators at and below each node, each once, in plan order. One pass: a plan can have
    thousands of nodes and 100,000 indicators."""
    parent = {n.code: n.parent for n in plan.nodes}
    per_node: dict[str, set[str]] = {n.code: set() for n in plan.nodes}
    for ind in plan.indicators:
        for code in ind.nodes:
            while code is not None and code in per_node:
                per_node[code].add(ind.code)
                code = parent[code]
    order = {ind.code: n for n, ind in enumerate(plan.indicators)}
    return {code: sorted(codes, key=order.__getitem__) for code, codes in per_node.items()}


def node_counts(
    plan: Plan, results: Mapping[str, Evaluation], order: Sequence[str] = STATUSES
) -> dict[str, dict[str, int]]:
    """Status counts per node over the indicators at and below it (an indicator hung on two nodes
    counts under both)."""
    status = {code: e.status for code, e in results.items()}  # found once, read at every level
    return {
        code: status_counts(map(status.__getitem__, members), order)
        for code, members in _node_members(plan).items()
    }


def node_grades(plan: Plan, results: Mapping[str, Evaluation], params: Params) -> dict[str, str | None]:
    """Each node's grade from its indicators by the method's roll-up (Fukuoka's A–D, Open SDG's mean
    score …); empty for a method without one."""
    rollup = params.definition.rollup(params.own)
    if rollup.kind == "none":
        return {}
    order = [s.code for s in params.scale]
    return {
        code: methods.roll_up(
            rollup,
            [results[c].status for c in members],
            [results[c].headline.score for c in members],
            order,
        )
        for code, members in _node_members(plan).items()
    }


def evaluate_one(plan: Plan, indicator: Indicator) -> tuple[Evaluation, int]:
    """One indicator judged as its page shows it: in its plan's evaluation year, else its latest data's."""
    params = plan_params(plan)
    fy = plan.evaluation_fy or max((o.fy for o in indicator.observations), default=plan.start_fy)
    return _evaluate(indicator, Context.of(plan, fy, params)), fy


def evaluate_indicator(
    indicator: Indicator,
    *,
    evaluation_fy: int,
    baseline_fy: int,
    params: Params,
    revision_fy: Mapping[str, int] | None = None,
    scales: Mapping[str, RatingScale] | None = None,
) -> Evaluation:
    """One indicator judged in ``evaluation_fy``; ``baseline_fy`` is the plan's default baseline year."""
    return _evaluate(indicator, Context(evaluation_fy, baseline_fy, params, revision_fy or {}, scales or {}))


def _evaluate(indicator: Indicator, context: Context) -> Evaluation:
    own = context.overrides.get(indicator.code)
    if own is not None:
        context = replace(context, params=own, overrides={})
    fy = context.evaluation_fy
    if not indicator.series:  # the headline alone, as most indicators are reported
        observations, actuals = _series_figures(indicator, "", fy)
        headline, by_horizon, interim = _evaluate_series(indicator, "", observations, actuals, context)
        named: tuple[SeriesEvaluation, ...] = ()
        flags = _flags(indicator, context, [("", actuals)])
        latest_fy = actuals[-1].fy if actuals else None
    else:
        figures = [(series, *_series_figures(indicator, series, fy)) for series in indicator.all_series]
        judged = [
            SeriesEvaluation(parts[0], *_evaluate_series(indicator, *parts, context)) for parts in figures
        ]
        headline_series = next((e for e in judged if e.series == ""), None)
        named = tuple(e for e in judged if e.series != "")
        if headline_series is not None:
            headline, by_horizon, interim = (
                headline_series.headline,
                headline_series.by_horizon,
                headline_series.interim,
            )
        else:
            headline, by_horizon, interim = _least_favourable(indicator, named, context.params), (), None
        flags = _flags(indicator, context, [(series, actuals) for series, _, actuals in figures])
        latest_fy = max((actuals[-1].fy for _, _, actuals in figures if actuals), default=None)
    flags.extend(_judgement_flags(indicator, headline, context, latest_fy))
    flags.extend(rating_disagreements(indicator.ratings, headline.status, context))
    return Evaluation(
        code=indicator.code,
        headline=headline,
        by_horizon=by_horizon,
        flags=tuple(flags),
        interim=interim,
        series=named,
    )


def _judgement_flags(
    indicator: Indicator, headline: Judgement, context: Context, latest_fy: int | None
) -> list[str]:
    """'target_wrong_side': the baseline is already past the target in the indicator's better
    direction (which way is better is asked, not assumed); 'stale:FY': the newest actual up to the
    evaluation year (``latest_fy``, of any series) is more than ``stale_after_years`` older than it,
    whatever the judgement read (a period's sum reads only the period's years)."""
    flags = []
    target, start = headline.target, headline.baseline
    if (
        target is not None
        and target.value is not None
        and start is not None
        and target.period_start_fy is None
        and _wrong_side(start.value, target, indicator.direction)
    ):
        flags.append("target_wrong_side")
    if (
        latest_fy is not None
        and headline.status != NO_TARGET
        and context.evaluation_fy - latest_fy > context.params.stale_after_years
    ):
        flags.append(f"stale:{latest_fy}")
    return flags


def rating_disagreements(ratings: Iterable[Rating], status: str, context: Context) -> list[str]:
    """'rating_disagrees:FY:scale' for each of the city's own ratings of the evaluation year whose
    grade names the statuses it stands for and ``status`` is not among them."""
    found = []
    for rating in ratings:
        if rating.fy != context.evaluation_fy or status in (NO_DATA, NO_TARGET):
            continue
        scale = context.scales.get(rating.scale)
        grade = scale.grade(rating.grade) if scale else None
        if grade is not None and grade.statuses and status not in grade.statuses:
            found.append(f"rating_disagrees:{rating.fy}:{rating.scale}")
    return found


def _least_favourable(
    indicator: Indicator, series: tuple[SeriesEvaluation, ...], params: Params
) -> Judgement:
    """The headline of an indicator reported only in series: the least favourable judged status of
    its series, in the order of the method's scale (best first)."""
    rank = {s.code: n for n, s in enumerate(params.scale) if s.code not in (NO_DATA, NO_TARGET)}
    judged = [e.headline for e in series if e.status in rank]
    if judged:
        worst = max(judged, key=lambda j: rank[j.status])
        return replace(worst, reason="least_favourable_series")
    if series and all(e.status == NO_DATA for e in series):
        return replace(series[0].headline, reason="no_data_in_series")
    reason = "reference" if indicator.reference else "no_target"
    return Judgement(params.horizon, NO_TARGET, None, None, None, reason=reason)


def _series_figures(
    indicator: Indicator, series: str, fy: int
) -> tuple[list[Observation], list[Observation]]:
    """A series' observations, and its actuals with a value up to ``fy`` by year: found once per
    series for its judgement and its flags. The actuals stay observations: a judgement keeps only
    a few of them (its baseline, its latest), and only those are made ``Point``s."""
    observations = [o for o in indicator.observations if o.series == series]
    actuals = sorted(
        [o for o in observations if o.kind == ACTUAL and o.value is not None and o.fy <= fy], key=_FY
    )
    return observations, actuals


def _evaluate_series(
    indicator: Indicator,
    series: str,
    observations: list[Observation],
    actuals: list[Observation],
    context: Context,
) -> tuple[Judgement, tuple[Judgement, ...], InterimValue | None]:
    """One series judged: its headline, its other judgements and its interim value (a
    ``SeriesEvaluation``'s parts: the headline series is not kept as one); ``observations`` and
    ``actuals`` are its ``_series_figures``."""
    params, fy = context.params, context.evaluation_fy
    latest = _point(actuals[-1]) if actuals else None
    interim = _interim(indicator, observations, actuals, latest.fy if latest else None, fy, params)
    if indicator.reference:  # 参考: shown, never judged against a target, on any horizon
        headline = Judgement(params.horizon, NO_TARGET, None, None, None, reason="reference", series=series)
        if params.method == "trend_only":  # its trend, when its method (the plan's or its own) is trend only
            start = _baseline(indicator, series, actuals, context)
            headline = _without_target(indicator, headline, actuals, start, latest, context, series)
        return headline, (), interim
    targets = _targets_in_force(indicator, series, context)
    start = _baseline(indicator, series, actuals, context)
    judgements = []
    for target in sorted(targets, key=lambda t: (t.horizon != params.horizon, t.kind != FINAL, t.fy)):
        if target.kind == ANNUAL and (latest is None or target.fy != latest.fy):
            continue  # a year's own target is judged in that year only
        judgements.append(_judge(indicator, target, actuals, start, latest, context, observations))
    headline = next((j for j in judgements if j.horizon == params.horizon and j.kind == FINAL), None)
    if headline is None or (headline.status == NO_TARGET and headline.reason in ("no_target", "text_target")):
        headline = _without_target(indicator, headline, actuals, start, latest, context, series)
    elif _dropped(indicator, context):
        headline = Judgement(
            params.horizon, NO_TARGET, None, None, headline.target, reason="dropped", series=series
        )
    others = tuple(
        j for j in judgements if j is not headline and not (j.horizon == params.horizon and j.kind == FINAL)
    )
    return headline, others, interim


def _without_target(
    indicator: Indicator,
    found: Judgement | None,
    actuals: list[Observation],
    start: Point | None,
    latest: Point | None,
    context: Context,
    series: str,
) -> Judgement:
    """An indicator without a (numeric) target: the method's trend where it has one (Open SDG, trend
    only) or the plan asks for it (``trend_without_target``); else 目標なし. ``latest``: the last of
    ``actuals``."""
    params = context.params
    target = found.target if found is not None else None
    reason = found.reason if found is not None else "no_target"
    classify = params.definition.classify_without_target
    own = context.own
    if classify is None and params.trend_without_target:
        classify, own = methods.METHODS["trend_only"].classify, methods.TrendParams()
    if classify is None or indicator.value_type == STATE:
        return Judgement(params.horizon, NO_TARGET, None, None, target, reason=reason, series=series)
    if start is None or latest is None or latest.fy <= start.fy:
        return Judgement(params.horizon, NO_DATA, None, None, target, start, reason="no_trend", series=series)
    m = _measurement(indicator, None, start, latest, actuals, context)
    verdict = classify(m, own)
    return Judgement(
        params.horizon, verdict.status, None, None, target, start, latest,
        reason=verdict.reason or "trend", series=series, score=verdict.score, measure=verdict.value,
        **_survey_error(indicator, start, latest),
    )  # fmt: skip


def _dropped(indicator: Indicator, context: Context) -> bool:
    dropped = indicator.dropped_in
    return dropped is not None and context.revision_fy.get(dropped, 0) <= context.evaluation_fy


def _targets_in_force(indicator: Indicator, series: str, context: Context) -> list[Target]:
    """Each (horizon, kind, year) target as it stood in the evaluation year: a revision re-sets a
    target from its year on; before that, the original stands."""
    chosen: dict[tuple[str, str, int], tuple[int, Target]] = {}
    for target in indicator.targets:
        if target.series != series:
            continue
        since = -1 if target.revision is None else context.revision_fy.get(target.revision, -1)
        if since > context.evaluation_fy:
            continue
        key = (target.horizon, target.kind, target.fy if target.kind != FINAL else 0)
        if key not in chosen or since >= chosen[key][0]:
            chosen[key] = (since, target)
    found = [t for _, t in chosen.values()]
    # the horizons with yearly targets, in the order the targets are given (not a set's: the
    # judgements of two horizons of the same year would come out in a different order each run)
    annual = dict.fromkeys(t.horizon for t in found if t.kind == ANNUAL)
    if not annual:  # most indicators: nothing more to find
        return found
    with_final = {h for h, k, _ in chosen if k == FINAL}
    # a horizon with yearly targets only is judged against its last year's target
    for horizon in (h for h in annual if h not in with_final):
        last = max((t for t in found if t.horizon == horizon and t.kind == ANNUAL), key=_FY)
        found.append(replace(last, kind=FINAL))
    return found


def _baseline(
    indicator: Indicator, series: str, actuals: list[Observation], context: Context
) -> Point | None:
    """Where progress is measured from: the indicator's own baseline (初期値) when it states one;
    when it states there is none (−), zero for a count of new things (flow, cumulative) and the
    first actual otherwise; else the first actual from the plan's baseline year on. With
    ``restart_after_break``, the first survey after a suspected break in the series instead."""
    stated = _baseline_in_force(indicator, series, context)
    if stated is not None and stated.value is not None:
        if stated.fy is None:
            start = _point(replace(stated, fy=context.baseline_fy))
        else:
            # a value as of the first day of its year (従前値 at the start of the 基準年度) stands
            # where the year before ended
            starts_year = (
                stated.as_of is not None and stated.as_of <= year_bounds(stated.fy, stated.period)[0]
            )
            start = replace(_point(stated), fy=stated.fy - 1 if starts_year else stated.fy)
    elif stated is not None:  # stated as none
        if indicator.measure in (FLOW, CUMULATIVE):
            return Point(context.baseline_fy, Decimal(0))
        start = _point(actuals[0]) if actuals else None
    else:
        first = next((o for o in actuals if o.fy >= context.baseline_fy), None)
        start = None if first is None else _point(first)
    if start is not None and context.params.restart_after_break:
        after = _break_after(indicator, actuals, context.params)
        if after is not None and after.fy > start.fy:
            return _point(after)
    return start


def _break_after(indicator: Indicator, actuals: list[Observation], params: Params) -> Observation | None:
    """The first actual after the last suspected break (a jump of ``break_threshold_points`` or more
    in a survey share), or None."""
    if not (indicator.survey or indicator.unit == "%"):
        return None
    found = None
    for before, after in pairwise(actuals):
        if abs(float(after.value - before.value)) >= params.break_threshold_points:
            found = after
    return found


def _baseline_in_force(indicator: Indicator, series: str, context: Context):  # -> Baseline | None
    best = None
    best_since = -2
    for b in indicator.baselines:
        if b.series != series:
            continue
        since = -1 if b.revision is None else context.revision_fy.get(b.revision, -1)
        if since <= context.evaluation_fy and since >= best_since:
            best, best_since = b, since
    return best


def lower_is_better(target: Target | None, direction: str) -> bool:
    """The direction that is better for this target: its operator (以上 / 以下 / 維持 keeps the
    direction) or, without one, the indicator's."""
    if target is not None and target.operator == AT_LEAST:
        return False
    if target is not None and target.operator == AT_MOST:
        return True
    return direction == DECREASE


def reached(value: Decimal, target: Target, direction: str) -> bool:
    """Whether ``value`` meets ``target``: its operator (以上 / 以下 / 維持) or, without one,
    the indicator's direction."""
    assert target.value is not None
    return value <= target.value if lower_is_better(target, direction) else value >= target.value


def _unchanged(indicator: Indicator, a: Point, b: Point, params: Params) -> bool:
    """A survey share moving within sampling error is unchanged: survey error, not progress. The
    error is the 95 % interval of the difference where both figures state their sample, else the
    plan's fixed tolerance (domain/surveys.py)."""
    if not indicator.survey:
        return False
    return surveys.unchanged(_sample(a), _sample(b), params.survey_tolerance_points)


def _sample(point: Point) -> surveys.Sample:
    return point.sample or surveys.Sample(float(point.value))


def _survey_error(indicator: Indicator, start: Point | None, latest: Point | None) -> dict[str, float | None]:
    """The interval of the change since the baseline and the latest share's own margin, in points,
    where the survey's figures state them."""
    if not indicator.survey or latest is None or latest.sample is None:
        return {}
    interval = None if start is None else surveys.difference_half_width(_sample(start), latest.sample)
    return {"interval": interval, "margin": latest.sample.half_width()}


def _measurement(
    indicator: Indicator,
    target: Target | None,
    start: Point,
    latest: Point,
    actuals: list[Observation],
    context: Context,
    *,
    amount: Decimal | None = None,
) -> methods.Measurement:
    params = context.params
    value = amount if amount is not None else latest.value
    base = Decimal(0) if amount is not None else start.value
    previous = next((o for o in reversed(actuals) if o.fy < latest.fy), None) if amount is None else None
    unchanged = amount is None and _unchanged(indicator, latest, start, params)
    # only a survey's shares can be unchanged: the previous actual is made a Point (its sample) for them
    previous_unchanged = (
        previous is not None and indicator.survey and _unchanged(indicator, latest, _point(previous), params)
    )
    if target is None or target.value is None:
        return methods.Measurement(
            start.fy, float(base), latest.fy, float(value), float(previous.value) if previous else None,
            None, None, not lower_is_better(None, indicator.direction), False, None, None, unchanged,
            previous_unchanged, False, _limit(indicator),
        )  # fmt: skip
    met = reached(value, target, indicator.direction)
    delta = 0.0 if unchanged else float(value - base)
    span = _span(base, target, indicator.direction)
    # a sum under a cap (lower is better) has no progress toward it, and once past the cap it
    # cannot come back: its deadline has passed
    cap = amount is not None and lower_is_better(target, indicator.direction)
    return methods.Measurement(
        baseline_fy=start.fy,
        baseline=float(base),
        latest_fy=latest.fy,
        latest=float(value),
        previous=float(previous.value) if previous else None,
        target_fy=target.fy,
        target=float(target.value),
        increase=not lower_is_better(target, indicator.direction),
        met=met,
        progress=delta / span if span and not cap else None,
        pace=_share(latest.fy - start.fy, target.fy - start.fy),
        unchanged=unchanged,
        previous_unchanged=previous_unchanged,
        deadline_passed=latest.fy >= target.fy or (cap and not met),
        limit=_limit(indicator),
        better_up=indicator.direction != DECREASE if amount is None else None,  # a sum: the target's way
    )


def _limit(indicator: Indicator) -> float | None:
    """A natural limit: a share cannot pass 100."""
    return 100.0 if indicator.unit in ("%", "％") else None


def _judge(
    indicator: Indicator,
    target: Target,
    actuals: list[Observation],
    start: Point | None,
    latest: Point | None,
    context: Context,
    observations: list[Observation],
) -> Judgement:
    """``latest``: the last of ``actuals``."""
    horizon, series = target.horizon, target.series
    if indicator.value_type == STATE:
        return _judge_state(indicator, target, observations, context)
    if target.value is None:
        reason = "text_target" if target.text else "no_target"
        return Judgement(horizon, NO_TARGET, None, None, target, reason=reason, series=series)
    if target.period_start_fy is not None and context.params.method != "trend_only":
        # (trend only reads no target: a period's target leaves it the latest against the baseline)
        return _judge_period(indicator, target, actuals, context)

    if start is None:
        return Judgement(horizon, NO_DATA, None, None, target, reason="no_baseline", series=series)
    if latest is None or latest.fy <= start.fy:
        return Judgement(
            horizon, NO_DATA, None, None, target, start, reason="no_actual_since_baseline", series=series
        )
    if context.pace is not None:
        return _judge_pace(indicator, target, start, latest, context.pace, context.params)
    m = _measurement(indicator, target, start, latest, actuals, context)
    reason = "within_tolerance" if m.unchanged else ""
    if (
        not m.met
        and m.progress is not None
        and context.measures_progress
        and _wrong_side(start.value, target, indicator.direction)
    ):
        # the baseline is already past the target in the better direction: which way is better is
        # not what the indicator says; judging it would read a fall as progress
        return Judgement(
            horizon, NO_DATA, None, None, target, start, latest, reason="target_wrong_side", series=series
        )
    verdict = context.classify(m, context.own)
    # a trend read beside a period's sum shows no progress toward it (the sum is not the level)
    progress, pace = (m.progress, m.pace) if target.period_start_fy is None else (None, None)
    return Judgement(
        horizon, verdict.status, progress, pace, target, start, latest, reason=verdict.reason or reason,
        series=series, score=verdict.score, measure=verdict.value if context.own_measure else None,
        **_survey_error(indicator, start, latest),
    )  # fmt: skip


def _judge_pace(
    indicator: Indicator,
    target: Target,
    start: Point,
    latest: Point,
    pace_params: methods.PaceParams,
    params: Params,
) -> Judgement:
    """``_judge``'s last step for progress_vs_pace, the method most plans use, without a ``Measurement``:
    the method reads only four of its figures (met, progress, pace, unchanged), found here as
    ``_measurement`` finds them, and gives its status by the same rule (``methods.pace_status``).
    Making the Measurement and the Verdict was a fifth of judging a large plan."""
    assert target.value is not None
    value, base = latest.value, start.value
    unchanged = _unchanged(indicator, latest, start, params)
    delta = 0.0 if unchanged else float(value - base)
    span = _span(base, target, indicator.direction)
    progress = delta / span if span else None
    met = reached(value, target, indicator.direction)
    if not met and progress is not None and _wrong_side(base, target, indicator.direction):
        # as in _judge: the baseline is already past the target in the better direction
        return Judgement(
            target.horizon, NO_DATA, None, None, target, start, latest, reason="target_wrong_side",
            series=target.series,
        )  # fmt: skip
    pace = _share(latest.fy - start.fy, target.fy - start.fy)
    status = methods.pace_status(
        pace_params, met, latest.fy >= target.fy, progress, pace, unchanged, float(value), float(base)
    )
    return Judgement(
        target.horizon, status, progress, pace, target, start, latest,
        reason="within_tolerance" if unchanged else "", series=target.series,
        **_survey_error(indicator, start, latest),
    )  # fmt: skip


def _measures_progress(params: Params) -> bool:
    """Whether the method reads progress from the baseline toward the target (a target on the wrong
    side of the baseline makes that reading meaningless); the methods of latest ÷ target do not."""
    if params.method in ("osaka", "open_sdg", "trend_only"):
        return False
    return params.method != "achievement_bands" or params.own.rate == "progress"


def _span(base: Decimal, target: Target, direction: str) -> float:
    """target − baseline, progress's denominator; 0 (no progress to read) for a 維持 target no better
    than the baseline: a fall toward it is not progress, and below it the target is not held."""
    assert target.value is not None
    if target.operator == "maintain" and (
        target.value >= base if direction == DECREASE else target.value <= base
    ):
        return 0.0
    return float(target.value - base)


def _wrong_side(base: Decimal, target: Target, direction: str) -> bool:
    """Whether the target lies on the worse side of the baseline for the indicator's direction."""
    assert target.value is not None
    if target.operator == "maintain" or target.value == base:
        return False
    return target.value > base if direction == DECREASE else target.value < base


def _judge_state(indicator: Indicator, target: Target, observations: list, context: Context) -> Judgement:
    """A milestone (なし → 設置): reached when the latest stated state is the target's. Reached is the
    method's best status; not reached is, for progress_vs_pace, 遅れ before the target year and 未達成
    after it, and for the other methods their least favourable status."""
    horizon, series = target.horizon, target.series
    if not target.text:
        return Judgement(horizon, NO_TARGET, None, None, target, reason="no_target", series=series)
    states = sorted(
        (o for o in observations if o.kind == ACTUAL and o.text and o.fy <= context.evaluation_fy), key=_FY
    )
    if not states:
        return Judgement(horizon, NO_DATA, None, None, target, reason="no_state", series=series)
    latest = states[-1]
    judged = [s.code for s in context.params.scale if s.code not in (NO_DATA, NO_TARGET)]
    if latest.text == target.text:
        status = judged[0]
        return Judgement(
            horizon, status, None, None, target, reason="state_reached", series=series, state=latest.text
        )
    if context.params.method == METHOD_NAME:
        status = MISSED if latest.fy >= target.fy else BEHIND
    else:
        status = judged[-1]
    return Judgement(
        horizon, status, None, None, target, reason="state_not_reached", series=series, state=latest.text
    )


def _judge_period(
    indicator: Indicator, target: Target, actuals: list[Observation], context: Context
) -> Judgement:
    """A target summed over start..end: compare what the period has added with the target. After the
    period ended, what it added by its end."""
    assert target.period_start_fy is not None and target.value is not None
    start, end = target.period_start_fy, target.fy
    inside = [o for o in actuals if start <= o.fy <= end]
    if not inside:
        # a level's sum means nothing, with or without figures (the reason says what to fix)
        reason = "sum_of_levels" if indicator.measure == LEVEL else "no_actual_in_period"
        return Judgement(target.horizon, NO_DATA, None, None, target, reason=reason)
    latest = _point(inside[-1])
    if indicator.measure == CUMULATIVE:
        # A running total: the period added latest − the total at the end of the year before it.
        before = next((o for o in actuals if o.fy == start - 1), None)
        if before is None:
            return Judgement(
                target.horizon, NO_DATA, None, None, target, latest=latest, reason="no_total_before_period"
            )
        amount, baseline = latest.value - before.value, _point(before)
    elif indicator.measure == LEVEL:
        # a level is a state at each year's end: a sum of levels means nothing
        return Judgement(target.horizon, NO_DATA, None, None, target, latest=latest, reason="sum_of_levels")
    else:
        amount, baseline = sum((o.value for o in inside), Decimal(0)), None
        if len(inside) != latest.fy - start + 1:
            return Judgement(
                target.horizon, NO_DATA, None, None, target, latest=latest, reason="gap_in_period"
            )
    if (
        latest.fy < end
        and lower_is_better(target, indicator.direction)
        and reached(amount, target, indicator.direction)
    ):
        # a cap (以下) on the period's sum holds so far: whether it held is known at the period's end
        return Judgement(
            target.horizon, NO_DATA, None, None, target, baseline, latest, reason="cap_running", amount=amount
        )
    # the period starts at the beginning of its first year: its "baseline year" is the year before
    m = _measurement(indicator, target, Point(start - 1, Decimal(0)), latest, actuals, context, amount=amount)
    verdict = context.classify(m, context.own)
    return Judgement(
        target.horizon, verdict.status, m.progress, m.pace, target, baseline, latest, amount=amount,
        score=verdict.score, measure=verdict.value if context.own_measure else None,
    )  # fmt: skip


def _share(done: int, planned: int) -> float:
    """The share of the years from the baseline to the target that have passed: capped at 1 once the
    target year is reached."""
    if planned <= 0 or done >= planned:
        return 1.0
    return done / planned if done > 0 else 0.0


def _round_like(value: Decimal, model: Decimal, *, approximate: bool) -> Decimal:
    """Round a projection no finer than the figure it comes from: 約7.9億 -> 8.3億, 69 -> 150."""
    exponent = model.normalize().as_tuple().exponent
    exponent = exponent if isinstance(exponent, int) else 0
    quantum = Decimal(1).scaleb(exponent if approximate else min(exponent, 0))
    digits = value.adjusted() - quantum.adjusted() + 2  # that many digits survive the rounding
    if not value.is_finite() or digits > 10_000:
        return value
    if digits <= getcontext().prec:  # the usual case: the precision in force keeps every digit
        return (value / quantum).quantize(Decimal(1), ROUND_HALF_UP) * quantum  # 四捨五入
    with localcontext() as context:  # a figure of 29 digits or more rounds like any other
        context.prec = digits
        return (value / quantum).quantize(Decimal(1), ROUND_HALF_UP) * quantum


def _flags(
    indicator: Indicator, context: Context, actuals_by_series: list[tuple[str, list[Observation]]]
) -> list[str]:
    """What a reader must check besides the status, per series ('break_suspected:2014', and
    'break_suspected:2014:小学6年生' for a named series); ``actuals_by_series``: each series'
    actuals by year (``_series_figures``)."""
    flags: list[str] = []
    params, evaluation_fy = context.params, context.evaluation_fy
    watch_breaks = indicator.survey or indicator.unit == "%"
    cumulative = indicator.measure == CUMULATIVE
    for series, actuals in actuals_by_series if watch_breaks or cumulative else ():  # else no change flags
        suffix = f":{series}" if series else ""
        for before, after in pairwise(actuals):
            change = float(after.value - before.value)
            if watch_breaks and abs(change) >= params.break_threshold_points:
                flags.append(f"break_suspected:{after.fy}{suffix}")
            if cumulative and change < 0:
                flags.append(f"cumulative_decrease:{after.fy}{suffix}")
    for obs in indicator.observations:
        if not obs.breakdown or obs.fy > evaluation_fy or obs.value is None:  # most have no breakdown
            continue
        if sum((v for _, v in obs.breakdown), Decimal(0)) != obs.value:
            flags.append(f"breakdown_mismatch:{obs.fy}" + (f":{obs.series}" if obs.series else ""))
    return flags


def _interim(
    indicator: Indicator,
    observations: list[Observation],
    actuals: list[Observation],
    latest_fy: int | None,
    evaluation_fy: int,
    params: Params,
) -> InterimValue | None:
    """The newest value so far (状況) or forecast (見込) of a year after the latest actual."""
    obs = None  # the newest, an interim value before a forecast of its year; the first of equals
    for o in observations:
        if (
            (o.kind == INTERIM or o.kind == FORECAST)
            and o.fy <= evaluation_fy
            and (latest_fy is None or o.fy > latest_fy)
            and o.value is not None
            and (obs is None or (o.fy, o.kind == INTERIM) > (obs.fy, obs.kind == INTERIM))
        ):
            obs = o
    if obs is None:
        return None
    assert obs.value is not None
    projection = None
    if (
        obs.kind == INTERIM
        and params.project_interim
        and obs.as_of is not None
        and not indicator.survey
        and indicator.unit != "%"
    ):
        # the share of the year passed, days ÷ days, exactly (a rounded share moved 33 on its first
        # day from 12,045 to 12,044)
        first, last = year_bounds(obs.fy, obs.period)
        days, year_days = (obs.as_of - first).days + 1, (last - first).days + 1
        previous = next((o for o in reversed(actuals) if o.fy == obs.fy - 1), None)
        if indicator.measure == FLOW:
            projection = obs.value * year_days / days  # the year so far, carried on at the same rate
        elif previous is not None:  # a level or a running total: carry the year's change on
            projection = previous.value + (obs.value - previous.value) * year_days / days
        if projection is not None:  # never below zero: a count or an amount cannot fall past it
            projection = max(Decimal(0), _round_like(projection, obs.value, approximate=obs.approximate))
    return InterimValue(obs.fy, obs.value, obs.as_of, projection, kind=obs.kind)
