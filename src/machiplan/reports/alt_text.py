"""An indicator chart's alternative text: what the chart shows, in words, from the figures it draws.

The printed report tags each chart as a Figure whose /Alt is this text (PDF/UA-1, ISO 14289-1
7.3): a screen reader reads it in place of the drawing. It says what kind of chart it is, what
it measures and in which unit, the years it covers, each line's first and last value with its
highest and lowest, the values so far and forecasts, the years without a value, the baselines
and targets marked on it, the shaded plan period, and the status. It is made from the plan's
figures, as the chart is (reports/charts.py draws them), so it never depends on how the
drawing is made.
"""

from __future__ import annotations

from machiplan.domain.evaluation import Evaluation
from machiplan.domain.fiscal import format_date
from machiplan.domain.labels import fy_label, status_label
from machiplan.domain.plan import ACTUAL, FORECAST, INTERIM, Indicator, Observation, Plan
from machiplan.domain.quantities import format_value


def _year(fy: int, lang: str, period: str = "fy") -> str:
    """A fiscal year (平成28年度, FY2016), or a calendar year as the report writes it (令和7年, 2025)."""
    from .model import year_text

    return year_text(fy, period, lang) if period != "fy" else fy_label(fy, lang)


def _named(text: str, series: str, lang: str) -> str:
    if not series:
        return text
    return f"{text}（{series}）" if lang == "ja" else f"{text} ({series})"


def _line(actuals: list[Observation], value, lang: str) -> str:
    """One line of the chart: its first and last value, and its highest and lowest where they differ."""
    first, last = actuals[0], actuals[-1]

    def at(o: Observation) -> str:
        return _year(o.fy, lang, o.period)

    if len(actuals) == 1:
        return f"{at(first)}の{value(first)}のみ" if lang == "ja" else f"only {value(first)} in {at(first)}"
    high = max(actuals, key=lambda o: (o.value, -o.fy))
    low = min(actuals, key=lambda o: (o.value, o.fy))
    extremes = high not in (first, last) or low not in (first, last)
    if lang == "ja":
        text = f"{at(first)}の{value(first)}から{at(last)}の{value(last)}まで{len(actuals)}点"
        return text + (
            f"、最高は{at(high)}の{value(high)}、最低は{at(low)}の{value(low)}" if extremes else ""
        )
    text = f"{len(actuals)} points from {value(first)} in {at(first)} to {value(last)} in {at(last)}"
    return text + (
        f", highest {value(high)} in {at(high)}, lowest {value(low)} in {at(low)}" if extremes else ""
    )


def chart_alt(
    plan: Plan, indicator: Indicator, evaluation: Evaluation, evaluation_fy: int, lang: str, scale=None
) -> str:
    """The chart of ``indicator`` in words, for a reader who cannot see it. ``scale``: the
    evaluation's statuses (``PlanEvaluation.scale``), for a city's own bands' words."""
    from .model import horizon_name  # the report's names for horizons and waypoints

    ja = lang == "ja"
    name = indicator.name_en if not ja and indicator.name_en else indicator.name
    places = indicator.display_places
    unit = indicator.unit or ""

    def value(o) -> str:
        return format_value(o.value, indicator.unit, places)

    shown = [o for o in indicator.observations if o.fy <= evaluation_fy]
    baselines = [b for b in indicator.baselines if b.fy is not None and b.value is not None]
    targets = [t for t in indicator.targets if t.value is not None]
    years = [o.fy for o in shown] + [t.fy for t in targets] + [b.fy for b in baselines]
    years += [plan.start_fy, plan.end_fy]
    first, last = min(years), max(years)
    parts: list[str] = []
    unit_text = (f"、単位：{unit}" if unit else "") if ja else (f", unit: {unit}" if unit else "")
    parts.append(
        f"折れ線グラフ：{name}の推移（{_year(first, lang)}〜{_year(last, lang)}{unit_text}）"
        if ja
        else f"Line chart: {name} over {_year(first, lang)}–{_year(last, lang)}{unit_text}"
    )
    drawn = False
    for series in ("", *indicator.series):
        actuals = [o for o in shown if o.series == series and o.kind == ACTUAL and o.value is not None]
        if not actuals:
            continue
        drawn = True
        label = _named("実績" if ja else "Actual values", series, lang)
        parts.append(
            f"{label}は{_line(actuals, value, lang)}" if ja else f"{label}: {_line(actuals, value, lang)}"
        )
    states = [o for o in shown if o.kind == ACTUAL and o.value is None and o.text]
    if states:  # a milestone: its states are words the chart cannot draw
        latest = states[-1]
        parts.append(
            f"実績は状態で示され、最新は{_year(latest.fy, lang, latest.period)}の「{latest.text}」"
            if ja
            else f"actual values are states; the latest, for {_year(latest.fy, lang, latest.period)}: {latest.text}"
        )
    elif not drawn:
        parts.append("実績はまだない" if ja else "no actual values yet")
    for o in shown:
        if o.kind not in (INTERIM, FORECAST) or o.value is None:
            continue
        if o.kind == FORECAST:
            label = "見込" if ja else "forecast"
        elif o.as_of:
            label = (
                f"途中値（{format_date(o.as_of, style='short')}時点）"
                if ja
                else f"value so far (as of {o.as_of})"
            )
        else:
            label = "途中値" if ja else "value so far"
        label = _named(label, o.series, lang)
        parts.append(
            f"{_year(o.fy, lang, o.period)}の{label}は{value(o)}（白抜きの菱形）"
            if ja
            else f"{label} for {_year(o.fy, lang, o.period)}: {value(o)} (open diamond)"
        )
    gaps = sorted({o.fy for o in shown if o.value is None and not o.text})
    if gaps:
        listed = ("、" if ja else ", ").join(_year(fy, lang) for fy in gaps)
        parts.append(
            f"{listed}は値なし（線が途切れる）" if ja else f"no value for {listed} (a gap in the line)"
        )
    for b in baselines:
        label = _named(b.label or ("基準値" if ja else "Baseline"), b.series, lang)
        shown_value = format_value(b.value, indicator.unit, places)
        parts.append(
            f"{label}は{_year(b.fy, lang, b.period)}の{shown_value}（白抜きの四角）"
            if ja
            else f"{label}: {shown_value} in {_year(b.fy, lang, b.period)} (open square)"
        )
    for t in targets:
        label = _named(horizon_name(plan, t.horizon, t.kind, lang), t.series, lang)
        target_value = format_value(t.value, indicator.unit, places)
        if t.period_start_fy is not None:
            target_value += (
                f"（{_year(t.period_start_fy, lang)}からの合計）"
                if ja
                else f" (total from {_year(t.period_start_fy, lang)})"
            )
        parts.append(
            f"{label}は{_year(t.fy, lang)}に{target_value}"
            if ja
            else f"{label}: {target_value} in {_year(t.fy, lang)}"
        )
    parts.append(
        f"網掛けは計画期間（{_year(plan.start_fy, lang)}〜{_year(plan.end_fy, lang)}）"
        if ja
        else f"the shaded band is the plan period ({_year(plan.start_fy, lang)}–{_year(plan.end_fy, lang)})"
    )
    status = status_label(evaluation.status, lang, scale)
    parts.append(f"評価：{status}" if ja else f"status: {status}")
    return "。".join(parts) + "。" if ja else "; ".join(parts) + "."
