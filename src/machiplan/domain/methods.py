"""Evaluation methods as data: each city's published rule, named, with its parameters and its
own statuses.

What every method shares is done once in ``evaluation.py``: which target is in force, where
progress is measured from (the indicator's own baseline, the plan's baseline year), the
latest actual, interim values and forecasts, series, milestones, flags. A method only turns
that ``Measurement`` into a status of its own scale (``classify``), says what an indicator
without a target is (``classify_without_target``), and how a node's indicators roll up
(``rollup``). docs/evaluation.md gives each method's formulas and worked examples.

Methods (``plan.yaml: method.name``):

- ``progress_vs_pace``   progress ÷ pace (Tama City's 60 % of pace is its ``roughly_ratio``)
- ``achievement_bands``  達成率 cut into the city's own labelled bands (◎○△×, A/B/C/D, S/A/B/C)
- ``fukuoka``            Fukuoka City's a / b / c with its ±3-point survey band; A–D per node
- ``osaka``              Osaka Prefectural Library's A–D with "exceeded" and, before the target
                         year, the trend classes
- ``open_sdg``           Open SDG's compound annual growth rate, with or without a target
- ``trend_only``         improving / flat / worsening
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from .errors import MachiplanError

NO_DATA = "no_data"
NO_TARGET = "no_target"

# The tones a status is drawn in, from best to worst: colours and icons key on these, so every
# method's scale reads alike on a page (and under colour blindness, by icon as well as colour).
TONES = ("achieved", "good", "fair", "poor", "bad", "none")


@dataclass(frozen=True, slots=True)
class StatusDef:
    """One status of a method's scale: its code, its words and the tone it is drawn in."""

    code: str
    ja: str
    en: str
    tone: str
    easy_ja: str = ""  # やさしい日本語
    means_ja: str = ""  # one line: what it means
    means_en: str = ""

    def label(self, lang: str) -> str:
        if lang == "en":
            return self.en
        if lang == "ja-easy":
            return self.easy_ja or self.ja
        return self.ja


NO_DATA_STATUS = StatusDef(
    NO_DATA,
    "評価不能",
    "No data",
    "none",
    "はんだんできない",
    "判定に使える実績がない",
    "No actual value to judge",
)
NO_TARGET_STATUS = StatusDef(
    NO_TARGET,
    "目標なし",
    "No target",
    "none",
    "もくひょうが ない",
    "目標がない（参考指標など）",
    "No target (a reference indicator, or none set)",
)


@dataclass(frozen=True, slots=True)
class Measurement:
    """What the shared machinery knows of one indicator (or series) against one target."""

    baseline_fy: int
    baseline: float
    latest_fy: int
    latest: float
    previous: float | None  # the actual before the latest, for trend classes
    target_fy: int | None  # None: no target (trend methods judge it anyway)
    target: float | None
    increase: bool  # the direction that is better (the operator's, else the indicator's)
    met: bool  # the latest reaches the target (operator or direction)
    progress: float | None  # (latest − baseline) ÷ (target − baseline); None when target = baseline
    pace: float | None  # the share of the time from baseline to target year passed at the latest (≤ 1)
    unchanged: bool  # the change from the baseline is within the survey's uncertainty
    previous_unchanged: bool  # the change from the previous actual is within it
    deadline_passed: bool  # the target year's actual (or a later one) is in
    limit: float | None = None  # a natural limit (100 for a share)
    # the indicator's own direction (higher is better), which trends read even where a target's
    # operator says otherwise (以上 on a lower-is-better indicator); None: as ``increase``
    better_up: bool | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    status: str
    score: float | None = None  # for roll-ups that average (Open SDG: -5 … 5)
    value: float | None = None  # the method's own measure (達成率, CAGR ratio) for the reader
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Rollup:
    """How a node's indicators make the node's grade: ``none``, ``worst`` (the least favourable
    judged status), ``share`` (the first grade whose share of judged indicators in the listed
    statuses reaches its minimum), ``mean_score`` (the mean of the scores, cut into grades)."""

    kind: str = "none"
    grades: tuple[StatusDef, ...] = ()
    rules: tuple[dict[str, Any], ...] = ()  # share: {grade, statuses, min}; mean_score: {grade, min}


@dataclass(frozen=True)
class MethodDef:
    name: str
    title_ja: str
    title_en: str
    params_class: type
    statuses: Callable[[Any], tuple[StatusDef, ...]]  # the judged statuses, best first
    classify: Callable[[Measurement, Any], Verdict]
    classify_without_target: Callable[[Measurement, Any], Verdict] | None = None
    rollup: Callable[[Any], Rollup] = field(default=lambda p: Rollup())

    def scale(self, params: Any) -> tuple[StatusDef, ...]:
        """Every status this method gives, best first, then 評価不能 and 目標なし."""
        return (*self.statuses(params), NO_DATA_STATUS, NO_TARGET_STATUS)


# --- parameters --------------------------------------------------------------------------------


def parse_params(cls: type, values: Mapping[str, object], where: str) -> Any:
    """A method's parameters from plan.yaml, each checked against its dataclass field's type."""
    if not isinstance(values, Mapping):
        raise MachiplanError("must be a mapping", where=where)
    known = {f.name: f for f in fields(cls)}
    kwargs: dict[str, object] = {}
    for key, value in values.items():
        if key not in known:
            raise MachiplanError(f"unknown parameter {key!r} (known: {', '.join(known)})", where=where)
        kwargs[key] = _coerce(known[key].type, value, f"{where}.{key}")
    params = cls(**kwargs)
    check = getattr(params, "check", None)
    if check is not None:
        check(where)
    return params


def _coerce(kind: object, value: object, where: str) -> object:
    text = str(kind)
    if "bool" in text:
        if not isinstance(value, bool):
            raise MachiplanError("must be true or false", where=where)
        return value
    if text.startswith("int"):
        if value is None and "None" in text:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise MachiplanError("must be an integer such as 2013", where=where)
        return value
    if text.startswith("float"):
        if value is None and "None" in text:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise MachiplanError("must be a number", where=where)
        return float(value)
    if text.startswith("str"):
        if not isinstance(value, str) or not value:
            raise MachiplanError("must be a text", where=where)
        return value
    if text.startswith("tuple"):
        if not isinstance(value, list | tuple):
            raise MachiplanError("must be a list", where=where)
        return tuple(_band(v, f"{where}[{n}]") for n, v in enumerate(value))
    raise MachiplanError(f"cannot read a parameter of type {text}", where=where)  # pragma: no cover


def _band(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise MachiplanError("must be a mapping", where=where)
    band = dict(value)
    code = band.get("code")
    if not isinstance(code, str | int) or isinstance(code, bool) or not str(code).strip():
        raise MachiplanError("'code' is missing", where=where)
    band["code"] = str(code).strip()
    for key in ("label", "label_en", "easy_ja", "means", "means_en"):
        if key in band and not isinstance(band[key], str):
            raise MachiplanError(f"'{key}' must be a text", where=where)
    if "tone" in band and band["tone"] not in TONES:
        raise MachiplanError(f"'tone' must be one of {', '.join(TONES)}", where=where)
    for key in ("min", "min_share"):
        if key in band and (isinstance(band[key], bool) or not isinstance(band[key], int | float)):
            raise MachiplanError(f"'{key}' must be a number", where=where)
    if "statuses" in band and not (
        isinstance(band["statuses"], list) and all(isinstance(s, str) for s in band["statuses"])
    ):
        raise MachiplanError("'statuses' must be a list of status codes", where=where)
    return band


def _defs(bands: Sequence[dict[str, Any]], tones: Sequence[str]) -> tuple[StatusDef, ...]:
    """Status definitions from bands written in plan.yaml (or a method's defaults)."""
    out = []
    for n, band in enumerate(bands):
        tone = band.get("tone") or tones[min(n, len(tones) - 1)]
        out.append(
            StatusDef(
                band["code"],
                band.get("label") or band["code"],
                band.get("label_en") or band.get("label") or band["code"],
                tone,
                band.get("easy_ja", ""),
                band.get("means", ""),
                band.get("means_en", ""),
            )
        )
    return tuple(out)


def _unique_codes(bands: Sequence[dict[str, Any]], where: str) -> None:
    codes = [b["code"] for b in bands]
    if len(set(codes)) != len(codes):
        raise MachiplanError("band codes must differ", where=where)
    if {NO_DATA, NO_TARGET} & set(codes):
        raise MachiplanError("no_data and no_target are every method's own statuses", where=where)


# --- the methods -----------------------------------------------------------------------------


def _better(m: Measurement, a: float, b: float) -> float:
    """How much better ``a`` is than ``b`` in the indicator's direction (negative: worse): the
    direction, not the target's operator, says which way is better (docs/evaluation.md, "Settled")."""
    up = m.increase if m.better_up is None else m.better_up
    return a - b if up else b - a


def _trend(m: Measurement, against: float, unchanged: bool) -> str:
    if unchanged:
        return "flat"
    change = _better(m, m.latest, against)
    return "improving" if change > 0 else "worsening" if change < 0 else "flat"


def _ratio(m: Measurement) -> float | None:
    """latest ÷ target, or target ÷ latest when lower is better (達成率 as cities compute it); None
    when that divides by zero (``_ratio_rank``)."""
    assert m.target is not None
    if m.increase:
        return m.latest / m.target if m.target else None
    return m.target / m.latest if m.latest else None


def _ratio_rank(m: Measurement) -> float:
    """The ratio to compare with a method's bands: ``_ratio``, or where it divides by zero, +∞ for a
    positive numerator (above any band), 1 for 0 ÷ 0 (the target of 0 is exactly reached) and −∞
    for a negative one."""
    ratio = _ratio(m)
    if ratio is not None:
        return ratio
    numerator = m.latest if m.increase else m.target
    assert numerator is not None
    return math.inf if numerator > 0 else 1.0 if numerator == 0 else -math.inf


# progress_vs_pace ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaceParams:
    on_track_ratio: float = 1.0  # progress ≥ pace × this: on track
    roughly_ratio: float = 0.6  # progress ≥ pace × this: roughly on track
    regressing_below: float = 0.0  # progress below this: regressing

    def check(self, where: str) -> None:
        if not 0 <= self.roughly_ratio <= self.on_track_ratio:
            raise MachiplanError(
                "roughly_ratio must lie between 0 and on_track_ratio", where=f"{where}.roughly_ratio"
            )


PACE_STATUSES = (
    StatusDef("achieved", "達成", "Achieved", "achieved", "たっせい", "最新の実績が目標に届いた", "The latest actual has reached the target"),
    StatusDef("on_track", "順調", "On track", "good", "じゅんちょう", "経過した期間の割合以上に進んでいる", "Progress at least keeps pace with the time passed"),
    StatusDef("roughly_on_track", "概ね順調", "Roughly on track", "fair", "だいたい じゅんちょう", "期間の割合の6割以上進んでいる", "Progress is at least 60 % of the pace"),
    StatusDef("behind", "遅れ", "Behind", "poor", "おくれている", "進んでいるが、期間に比べて遅い", "Progress falls short of the pace"),
    StatusDef("regressing", "後退", "Regressing", "bad", "わるく なった", "基準値より悪くなっている", "Worse than the baseline"),
    StatusDef("missed", "未達成", "Missed", "bad", "たっせい できなかった", "目標年度を過ぎて目標に届いていない", "The target year has passed without reaching the target"),
)  # fmt: skip


def _pace(m: Measurement, p: PaceParams) -> Verdict:
    status = pace_status(p, m.met, m.deadline_passed, m.progress, m.pace, m.unchanged, m.latest, m.baseline)
    return Verdict(status, value=m.progress)


def pace_status(
    p: PaceParams,
    met: bool,
    deadline_passed: bool,
    progress: float | None,
    pace: float | None,
    unchanged: bool,
    latest: float,
    baseline: float,
) -> str:
    """progress_vs_pace's status from the figures of a ``Measurement`` it reads: apart, so that the
    evaluation can judge the most common method without making a Measurement for each target."""
    if met:
        return "achieved"
    if deadline_passed:
        return "missed"
    if progress is None:  # the target equals the baseline and is not met: it moved away, or not
        return "behind" if unchanged or latest == baseline else "regressing"
    assert pace is not None
    if progress < p.regressing_below:
        return "regressing"
    if progress >= pace * p.on_track_ratio:
        return "on_track"
    if progress >= pace * p.roughly_ratio:
        return "roughly_on_track"
    return "behind"


# achievement_bands -----------------------------------------------------------------------------

DEFAULT_BANDS = (
    {"code": "A", "label": "達成", "label_en": "Achieved", "min": 1.0, "tone": "achieved", "means": "達成率100%以上"},
    {"code": "B", "label": "概ね達成", "label_en": "Nearly achieved", "min": 0.8, "tone": "good", "means": "達成率80%以上"},
    {"code": "C", "label": "一部達成", "label_en": "Partly achieved", "min": 0.5, "tone": "fair", "means": "達成率50%以上"},
    {"code": "D", "label": "未達成", "label_en": "Not achieved", "tone": "bad", "means": "達成率50%未満"},
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BandParams:
    rate: str = "progress"  # progress: (latest − baseline) ÷ (target − baseline); ratio: latest ÷ target
    bands: tuple[dict[str, Any], ...] = DEFAULT_BANDS  # best first; each {code, label, min, tone …}
    no_progress: str | None = None  # the band for a latest no better than the baseline (× 進捗なし)

    def check(self, where: str) -> None:
        if self.rate not in ("progress", "ratio"):
            raise MachiplanError("must be progress or ratio", where=f"{where}.rate")
        if not self.bands:
            raise MachiplanError("needs at least one band", where=f"{where}.bands")
        _unique_codes(self.bands, f"{where}.bands")
        ranked = [
            b for b in self.bands if b["code"] != self.no_progress
        ]  # the band of no progress has no min
        mins = [b.get("min") for b in ranked]
        if any(x is None for x in mins[:-1]):
            raise MachiplanError("every band but the last needs 'min'", where=f"{where}.bands")
        if mins[:-1] != sorted(mins[:-1], reverse=True):
            raise MachiplanError("bands go from the highest 'min' down", where=f"{where}.bands")
        if self.no_progress is not None and self.no_progress not in [b["code"] for b in self.bands]:
            raise MachiplanError("must be one of the bands' codes", where=f"{where}.no_progress")


def _bands(m: Measurement, p: BandParams) -> Verdict:
    rate = m.progress if p.rate == "progress" else _ratio(m)
    if m.met:
        return Verdict(p.bands[0]["code"], value=rate)
    if p.no_progress is not None and (m.unchanged or _better(m, m.latest, m.baseline) <= 0):
        return Verdict(p.no_progress, value=rate)
    ranked = [b for b in p.bands if b["code"] != p.no_progress]
    if rate is None:
        return Verdict(ranked[-1]["code"], value=rate)
    for band in ranked:
        if band.get("min") is None or rate >= band["min"]:
            return Verdict(band["code"], value=rate)
    return Verdict(ranked[-1]["code"], value=rate)  # the last band's min is not reached


# fukuoka ---------------------------------------------------------------------------------------

FUKUOKA_STATUSES = (
    StatusDef("a", "a", "a", "good", "じゅんちょう", "目標値に向けて順調に進んでいる", "On track toward the target"),
    StatusDef("b", "b", "b", "fair", "おくれているが よくなっている", "目標値の達成に向けたペースは下回っているが、指標は改善している、または現状維持", "Behind pace, but improving or holding"),
    StatusDef("c", "c", "c", "bad", "わるく なった", "初期値よりも指標が悪化している", "Worse than the initial value"),
)  # fmt: skip
FUKUOKA_GRADES = (
    StatusDef("A", "順調", "On track", "good"),
    StatusDef("B", "概ね順調", "Roughly on track", "fair"),
    StatusDef("C", "やや遅れている", "Somewhat behind", "poor"),
    StatusDef("D", "遅れている", "Behind", "bad"),
)
FUKUOKA_ROLLUP = (
    {"code": "A", "statuses": ["a"], "min_share": 1.0},
    {"code": "B", "statuses": ["a", "b"], "min_share": 1.0},
    {"code": "C", "statuses": ["a", "b"], "min_share": 0.5},
    {"code": "D"},
)


@dataclass(frozen=True, slots=True)
class FukuokaParams:
    # machiplan's reading of 「総合的に勘案」 for a 基本目標: A all a, B no c, C at most half c, D
    rollup: tuple[dict[str, Any], ...] = FUKUOKA_ROLLUP


def _fukuoka(m: Measurement, p: FukuokaParams) -> Verdict:
    if m.met:
        return Verdict("a", value=m.progress)
    if m.progress is not None and m.pace is not None and m.progress >= m.pace and not m.deadline_passed:
        return Verdict("a", value=m.progress)
    if m.unchanged or _better(m, m.latest, m.baseline) >= 0:
        return Verdict("b", value=m.progress)
    return Verdict("c", value=m.progress)


# osaka -----------------------------------------------------------------------------------------

OSAKA_STATUSES = (
    StatusDef("A", "A", "A", "achieved", "", "目標を大きく上回った（目標の110%以上）。目標年度前は既に110%以上", "Well above target (110 % or more)"),
    StatusDef("B", "B", "B", "good", "", "目標をほぼ達成（80%以上110%未満）。目標年度前は着実に上昇", "About the target (80–110 %); before the target year, rising"),
    StatusDef("C", "C", "C", "poor", "", "目標を下回った（50%以上80%未満）。目標年度前は横ばい", "Below target (50–80 %); before the target year, flat"),
    StatusDef("D", "D", "D", "bad", "", "目標を大きく下回った（50%未満）。目標年度前は下降", "Well below target (under 50 %); before the target year, falling"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class OsakaParams:
    exceeded_ratio: float = 1.10  # A at or above this share of the target (also before the target year)
    b_ratio: float = 0.80
    c_ratio: float = 0.50

    def check(self, where: str) -> None:
        if not self.exceeded_ratio >= self.b_ratio >= self.c_ratio >= 0:
            raise MachiplanError("needs exceeded_ratio ≥ b_ratio ≥ c_ratio ≥ 0", where=where)


def _osaka(m: Measurement, p: OsakaParams) -> Verdict:
    ratio, rank = _ratio(m), _ratio_rank(m)
    if rank >= p.exceeded_ratio:
        return Verdict("A", value=ratio)
    assert m.target_fy is not None
    if m.latest_fy < m.target_fy:  # before the target year: the trend since the year before
        against = m.previous if m.previous is not None else m.baseline
        trend = _trend(m, against, m.previous_unchanged if m.previous is not None else m.unchanged)
        return Verdict({"improving": "B", "flat": "C", "worsening": "D"}[trend], value=ratio, reason="trend")
    return Verdict("B" if rank >= p.b_ratio else "C" if rank >= p.c_ratio else "D", value=ratio)


# open_sdg --------------------------------------------------------------------------------------

OPEN_SDG_STATUSES = (
    StatusDef("target_achieved", "目標達成", "Target achieved", "achieved"),
    StatusDef("substantial_progress", "大きく前進", "Substantial progress", "good"),
    StatusDef("moderate_progress", "前進（加速が必要）", "Moderate progress", "fair"),
    StatusDef("limited_progress", "わずかに前進", "Limited progress", "poor"),
    StatusDef("deterioration", "悪化", "Deterioration", "bad"),
)


@dataclass(frozen=True, slots=True)
class OpenSdgParams:
    high: float = 0.95  # with a target: observed ÷ required growth
    med: float = 0.6
    low: float = 0.0
    high_no_target: float = 0.015  # without a target: the observed annual growth
    med_no_target: float = 0.005
    low_no_target: float = 0.0
    percent_limit: float | None = 100.0  # a share cannot pass 100: thresholds shrink near it


def _cagr(value: float, base: float, years: float) -> float:
    return (value / base) ** (1 / years) - 1


def _nonzero(value: float, base: float) -> float:
    """Open SDG takes a value of 0 as 0.001 (on the base's side of zero): a series at 0 that stays
    at 0 has not moved, rather than fallen by 100 % a year."""
    return value or math.copysign(0.001, base)


def _sdg_inputs(m: Measurement) -> tuple[float, float, float] | None:
    base = m.baseline or 0.001  # Open SDG: a base of 0 is taken as 0.001
    if (base > 0 and m.latest < 0) or (base < 0 and m.latest > 0):
        return None  # growth across zero has no rate
    sign = -1.0 if base < 0 else 1.0
    direction = 1.0 if m.increase else -1.0
    return base, sign, direction


def _open_sdg(m: Measurement, p: OpenSdgParams) -> Verdict:
    if m.met:
        return Verdict("target_achieved", score=5.0)
    inputs = _sdg_inputs(m)
    assert m.target is not None and m.target_fy is not None
    if inputs is None or m.latest_fy <= m.baseline_fy or m.target_fy <= m.baseline_fy:
        return Verdict(NO_DATA, reason="no_growth_rate")
    base, sign, direction = inputs
    target = m.target or 0.001  # Open SDG: a target of 0 is taken as 0.001
    if (target > 0) != (base > 0):
        return Verdict(NO_DATA, reason="no_growth_rate")  # growth across zero to the target has no rate
    observed = 0.0 if m.unchanged else _cagr(_nonzero(m.latest, base), base, m.latest_fy - m.baseline_fy)
    required = _cagr(target, base, m.target_fy - m.baseline_fy)
    # a target equal to the base value and not met: any move is away from it
    value = sign * direction * observed / abs(required) if required else (-math.inf if observed else 0.0)
    status = _sdg_status(value, p.high, p.med, p.low)
    score = (7.1429 * value - 4.2857) if value >= p.med else (4.1667 * value - 2.5)
    return Verdict(status, score=max(-5.0, min(5.0, score)), value=value)


def _sdg_status(value: float, high: float, med: float, low: float) -> str:
    if value >= high:
        return "substantial_progress"
    if value >= med:
        return "moderate_progress"
    if value >= low:
        return "limited_progress"
    return "deterioration"


def limit_coefficient(base: float, limit: float) -> float:
    """Open SDG's factor (0–1) that shrinks the growth thresholds of a series near its natural limit."""
    base, limit = abs(base), abs(limit)
    a = 4.44
    if base >= 2 * limit:
        return 1.0
    if base <= limit:
        return 1 - (base / limit) ** a
    return 1 - ((2 * limit - base) / limit) ** a


def _open_sdg_without_target(m: Measurement, p: OpenSdgParams) -> Verdict:
    inputs = _sdg_inputs(m)
    if inputs is None or m.latest_fy <= m.baseline_fy:
        return Verdict(NO_DATA, reason="no_growth_rate")
    base, sign, direction = inputs
    # a survey share within its tolerance has not moved (as for every method)
    years = m.latest_fy - m.baseline_fy
    value = 0.0 if m.unchanged else sign * direction * _cagr(_nonzero(m.latest, base), base, years)
    coefficient = 1.0
    # a share's natural limit is the method's percent_limit (None: no limit)
    if m.limit is not None and p.percent_limit is not None and m.increase:
        coefficient = limit_coefficient(base, p.percent_limit)
    high, med, low = (t * coefficient for t in (p.high_no_target, p.med_no_target, p.low_no_target))
    status = _sdg_status(value, high, med, low)
    if value < low:
        score = max(125 * value - 2.5, -5.0)
    elif coefficient == 0:
        score = 5.0  # the base value is at the limit and holds: substantial
    elif value >= high:
        score = min(500 * value / coefficient - 5, 5.0)
    elif value >= med:
        score = 250 * value / coefficient - 1.25
    else:
        score = 500 * value / coefficient - 2.5
    return Verdict(status, score=max(-5.0, min(5.0, score)), value=value)  # thresholds set apart can pass ±5


def _open_sdg_rollup(p: OpenSdgParams) -> Rollup:
    return Rollup(
        "mean_score",
        OPEN_SDG_STATUSES[1:],
        (
            {"code": "substantial_progress", "min": 2.5},
            {"code": "moderate_progress", "min": 0.0},
            {"code": "limited_progress", "min": -2.5},
            {"code": "deterioration"},
        ),
    )


# trend_only ------------------------------------------------------------------------------------

TREND_STATUSES = (
    StatusDef("improving", "改善", "Improving", "good", "よく なっている", "基準値より良くなっている", "Better than the baseline"),
    StatusDef("flat", "横ばい", "Flat", "fair", "かわらない", "基準値から変わらない（誤差の範囲）", "About the same as the baseline"),
    StatusDef("worsening", "悪化", "Worsening", "bad", "わるく なっている", "基準値より悪くなっている", "Worse than the baseline"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class TrendParams:
    compare: str = "baseline"  # baseline: since the baseline; previous: since the year before

    def check(self, where: str) -> None:
        if self.compare not in ("baseline", "previous"):
            raise MachiplanError("must be baseline or previous", where=f"{where}.compare")


def _trend_only(m: Measurement, p: TrendParams) -> Verdict:
    if p.compare == "previous" and m.previous is not None:
        return Verdict(_trend(m, m.previous, m.previous_unchanged), value=_better(m, m.latest, m.previous))
    return Verdict(_trend(m, m.baseline, m.unchanged), value=_better(m, m.latest, m.baseline))


def _share_rollup(p: Any) -> Rollup:
    return Rollup("share", FUKUOKA_GRADES, tuple(p.rollup))


METHODS: dict[str, MethodDef] = {
    m.name: m
    for m in (
        MethodDef("progress_vs_pace", "進捗と経過の比較", "Progress against pace", PaceParams, lambda p: PACE_STATUSES, _pace),
        MethodDef("achievement_bands", "達成率の区分", "Achievement-rate bands", BandParams, lambda p: _defs(p.bands, ("achieved", "good", "fair", "poor", "bad")), _bands),
        MethodDef("fukuoka", "福岡市の評価基準（a・b・c）", "Fukuoka City's a / b / c", FukuokaParams, lambda p: FUKUOKA_STATUSES, _fukuoka, rollup=_share_rollup),
        MethodDef("osaka", "大阪府立図書館の評価基準（A〜D）", "Osaka Prefectural Library's A–D", OsakaParams, lambda p: OSAKA_STATUSES, _osaka),
        MethodDef("open_sdg", "Open SDG の進捗評価（年平均成長率）", "Open SDG progress (compound annual growth)", OpenSdgParams, lambda p: OPEN_SDG_STATUSES, _open_sdg, _open_sdg_without_target, rollup=_open_sdg_rollup),
        MethodDef("trend_only", "傾向のみ", "Trend only", TrendParams, lambda p: TREND_STATUSES, _trend_only, _trend_only),
    )
}  # fmt: skip


def method_named(name: str, where: str) -> MethodDef:
    method = METHODS.get(name)
    if method is None:
        raise MachiplanError(f"unknown method {name!r} (known: {', '.join(METHODS)})", where=where)
    return method


def roll_up(
    rollup: Rollup, statuses: Sequence[str], scores: Sequence[float | None], order: Sequence[str]
) -> str | None:
    """A node's grade from its indicators' statuses (and scores): None when nothing was judged."""
    judged = [s for s in statuses if s not in (NO_DATA, NO_TARGET)]
    if rollup.kind == "none" or not judged:
        return None
    if rollup.kind == "worst":
        rank = {code: n for n, code in enumerate(order)}
        return max(judged, key=lambda s: rank.get(s, len(rank)))
    if rollup.kind == "mean_score":
        known = [s for s in scores if s is not None]
        if not known:
            return None
        mean = sum(known) / len(known)
        return next(r["code"] for r in rollup.rules if r.get("min") is None or mean >= r["min"])
    for rule in rollup.rules:  # share
        if "statuses" not in rule:
            return rule["code"]
        share = sum(1 for s in judged if s in rule["statuses"]) / len(judged)
        if share >= rule.get("min_share", 1.0):
            return rule["code"]
    return None


# The statuses of the methods whose scale is fixed, by code (a city's own bands are in its plan)
BUILT_IN_STATUSES: dict[str, StatusDef] = {
    s.code: s
    for s in (
        *PACE_STATUSES,
        *FUKUOKA_STATUSES,
        *OSAKA_STATUSES,
        *OPEN_SDG_STATUSES,
        *TREND_STATUSES,
        NO_DATA_STATUS,
        NO_TARGET_STATUS,
    )
}
