"""Figures as the public pages write them: as the report does in Japanese, and in English with
English units and amounts ('2,653 groups', '¥760 million'); a change of a share in points, and
progress as a bar capped at 0–100 % with the number beside it."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from machiplan.domain.errors import MachiplanError
from machiplan.domain.evaluation import Judgement
from machiplan.domain.fiscal import format_fiscal_year
from machiplan.domain.labels import (
    YEN_UNITS,
    format_value_en,
    fy_label,
    progress_label,
    unit_en,
    unit_known_en,
    yen_en,
)
from machiplan.domain.plan import (
    CALENDAR_YEAR,
    FORECAST,
    NONE,
    PENDING,
    Baseline,
    Indicator,
    Observation,
    Target,
)
from machiplan.domain.quantities import format_number, parse_number
from machiplan.reports import model
from machiplan.reports.model import IndicatorView, SeriesView, latest_actual

from .text import WEB_TEXT, data_lang


def _value(value: Decimal, ind: Indicator) -> str:
    return format_value_en(value, ind.unit, ind.display_places)


def observation_text(obs: Observation, ind: Indicator, lang: str) -> str:
    if lang != "en":
        return model.observation_text(obs, ind, data_lang(lang))
    if obs.kind == PENDING:
        return "To be surveyed"
    if obs.kind == NONE or (obs.value is None and not obs.text):
        return "—"
    text = obs.text if obs.value is None else ("≈" if obs.approximate else "") + _value(obs.value, ind)
    if obs.kind == FORECAST:
        text += " (forecast)"
    if obs.breakdown:
        text += " (" + ", ".join(f"{label} {format_number(v)}" for label, v in obs.breakdown) + ")"
    if obs.as_of:
        text += f" (as of {obs.as_of.isoformat()})"
    return text


OPERATORS_EN = {"at_least": " or more", "at_most": " or less", "maintain": " (maintained)"}


def target_text(target: Target | None, ind: Indicator, lang: str) -> str:
    if lang != "en":
        return model.target_text(target, ind, data_lang(lang))
    if target is None or (target.value is None and not target.text):
        return "—"
    if target.value is None:
        return target.text
    text = ("≈" if target.approximate else "") + _value(target.value, ind)
    if target.operator:
        text += OPERATORS_EN[target.operator]
    if target.period_start_fy is not None:
        text += f" (total FY{target.period_start_fy}–{target.fy})"
    return text


def _year(fy: int, period: str) -> str:
    return str(fy) if period == CALENDAR_YEAR else f"FY{fy}"


def baseline_value_text(b: Baseline, ind: Indicator, lang: str) -> str:
    if lang != "en":
        return model.baseline_value_text(b, ind, data_lang(lang))
    if b.value is None and not b.text:
        return "—"
    value = b.text if b.value is None else ("≈" if b.approximate else "") + _value(b.value, ind)
    return value if b.fy is None else f"{value} ({_year(b.fy, b.period)})"


def baseline_text(ind: Indicator, lang: str, series: str = "") -> str:
    if lang != "en":
        return model.baseline_text(ind, data_lang(lang), series)
    b = ind.baseline(series)
    if b is None:
        return ""
    return f"Baseline {baseline_value_text(b, ind, lang)}"


_YEN = re.compile(r"(約)?((?:\d[\d,]*(?:\.\d+)?[兆億万千])*(?:\d[\d,]*(?:\.\d+)?)?)(千円|百万円|億円|円)")


def english_units(text: str, ind: Indicator) -> str:
    """The figures in a sentence the evaluation wrote (domain/explain.py) with English units:
    '2,653団体' → '2,653 groups', '約7億4,000万円' → '≈¥740 million'. A unit with no English word stays."""
    if not text:
        return text

    def yen(m: re.Match) -> str:
        if not m.group(2):
            return m.group(0)
        try:
            value = parse_number(m.group(2))
        except MachiplanError:
            return m.group(0)
        return ("≈" if m.group(1) else "") + yen_en(value, m.group(3))

    text = _YEN.sub(yen, text)
    unit = ind.unit or ""
    if unit and unit not in YEN_UNITS and unit_known_en(unit):
        pattern = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s?" + re.escape(unit))

        def word(m: re.Match) -> str:
            number = m.group(1)
            try:
                value = Decimal(number.replace(",", ""))
            except ArithmeticError:
                value = None
            english = unit_en(unit, value)
            return f"{number}{english}" if unit in ("%", "％") else f"{number} {english}"

        text = pattern.sub(word, text)
    return text


def in_english(view: IndicatorView, evaluation_fy: int, lang: str) -> IndicatorView:
    """The report's view of an indicator with its figures written in English (on an English page)."""
    if lang != "en":
        return view
    ind, h = view.indicator, view.evaluation.headline
    latest = latest_actual(ind, evaluation_fy, h.series)
    latest_text = observation_text(latest, ind, lang) if latest else "—"
    if latest and h.series:
        latest_text += f" ({h.series})"
    series = tuple(
        replace(
            s,
            latest_text=(
                observation_text(o, ind, lang) if (o := latest_actual(ind, evaluation_fy, s.label)) else "—"
            ),
            target_text=target_text(e.headline.target, ind, lang) if e.headline.target else "—",
            baseline_text=baseline_text(ind, lang, s.label),
        )
        for s, e in zip(view.series, view.evaluation.series, strict=True)
    )
    return replace(
        view,
        explanation=english_units(view.explanation, ind),
        notes=tuple(english_units(n, ind) for n in view.notes),
        latest_text=latest_text,
        target_text=target_text(h.target, ind, lang) if h.target else "—",
        baseline_text=baseline_text(ind, lang),
        series=series,
        horizons=tuple(replace(v, target_text=target_text(j.target, ind, lang)) for v, j in zip(view.horizons, view.evaluation.by_horizon, strict=True)),
    )  # fmt: skip


def short_year(fy: int, lang: str) -> str:
    return f"FY{fy}" if lang == "en" else format_fiscal_year(fy, style="short")


# --- progress and change ---------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Progress toward the target: a bar from 0 to 100 % (capped), the number as it is beside it,
    and the time passed (pace) marked on the same bar."""

    value: float  # as computed: 1.7 is 170 %
    pace: float | None
    lang: str = "ja"

    @property
    def text(self) -> str:
        """170%, or below zero the words of ``labels.progress_label``."""
        return progress_label(self.value, self.lang)

    @property
    def width(self) -> str:
        return f"{max(0.0, min(1.0, self.value)) * 100:.1f}"

    @property
    def pace_at(self) -> str | None:
        return None if self.pace is None else f"{max(0.0, min(1.0, self.pace)) * 100:.1f}"

    @property
    def pace_text(self) -> str:
        return "" if self.pace is None else f"{self.pace * 100:.0f}%"

    @property
    def over(self) -> bool:
        return self.value > 1

    @property
    def under(self) -> bool:
        return self.value < 0


def progress_of(j: Judgement, lang: str = "ja") -> Progress | None:
    if j.progress is None or j.status in ("no_data", "no_target"):
        return None
    return Progress(j.progress, j.pace, lang)


def change_text(ind: Indicator, j: Judgement, lang: str) -> str:
    """The change from the baseline to the latest actual: in points for a share (−0.6ポイント), else
    in the indicator's unit. '' without both."""
    if j.baseline is None or j.latest is None:
        return ""
    delta = j.latest.value - j.baseline.value
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    size = abs(delta)
    if ind.unit in ("%", "％"):
        number = format_number(size, ind.display_places)
        return WEB_TEXT[lang]["points"].format(sign=sign, n=number)
    if lang == "en":
        return sign + format_value_en(size, ind.unit, ind.display_places)
    from machiplan.domain.quantities import format_value

    return sign + format_value(size, ind.unit, ind.display_places)


def year_of(j: Judgement, lang: str) -> str:
    return fy_label(j.latest.fy, data_lang(lang)) if j.latest else ""


__all__ = [
    "Progress",
    "SeriesView",
    "baseline_text",
    "change_text",
    "in_english",
    "observation_text",
    "target_text",
]
