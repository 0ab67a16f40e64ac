"""One chart per indicator, drawn with matplotlib as SVG: the HTML and the PDF share it.

What a chart shows: actual values as a line (a missing year is a gap, never a
zero), a value so far marked apart with its as-of date, every target horizon
as a marked point, the plan's period shaded, the unit, and years in 和暦 with
the Western year. Each chart comes with a sentence that describes it and its
data as rows, for readers who cannot see it.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from machiplan.domain.evaluation import Evaluation
from machiplan.domain.fiscal import format_date, format_fiscal_year
from machiplan.domain.labels import fy_label, status_label
from machiplan.domain.plan import (
    ACTUAL,
    CUMULATIVE,
    FINAL,
    FORECAST,
    INTERIM,
    PLAN_HORIZON,
    Indicator,
    Plan,
    Target,
)
from machiplan.domain.quantities import format_value

FONTS = ["Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", "DejaVu Sans", "sans-serif"]
STYLE = {
    "svg.fonttype": "none",  # text stays text: small, selectable, read aloud; the PDF embeds the font
    "svg.hashsalt": "machiplan",  # stable ids, so the same data gives the same file
    "font.family": "sans-serif",
    "font.sans-serif": FONTS,
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
ACTUAL_COLOR, INTERIM_COLOR, PERIOD_COLOR = "#0b4680", "#a34a00", "#e8eef5"
TARGET_STYLES = {
    PLAN_HORIZON: ("*", "#8a1111", 11),
    "action_plan": ("^", "#3a560a", 7),
    "vision": ("s", "#5b3a8a", 6),
}
OTHER_TARGET_STYLE = ("D", "#555555", 6)


@dataclass(frozen=True)
class Chart:
    svg: str
    description: str
    rows: tuple[tuple[str, str, str], ...]  # year, what, value


def _tick_label(fy: int, plan: Plan, lang: str) -> str:
    if lang != "ja":
        return str(fy)
    short = format_fiscal_year(fy, style="short")
    if plan.start_fy < 2019 <= fy:  # the plan was written in Heisei: show the year it named too
        short += f"\n(H{fy - 1988})"
    return f"{short}\n{fy}"


def _scale(indicator: Indicator, values: list[Decimal]) -> tuple[float, str]:
    """Yen in 億円 or 万円 so the axis stays readable; other units as they are."""
    unit = indicator.unit or ""
    top = max((abs(v) for v in values), default=Decimal(0))
    if unit == "円" and top >= 10**8:
        return 1e8, "億円"
    if unit == "円" and top >= 10**4:
        return 1e4, "万円"
    return 1.0, unit


def _target_level(indicator: Indicator, target: Target) -> Decimal | None:
    """Where a target sits on the value axis. A sum over a period of a running total sits at the
    total before the period plus the sum; a sum of per-year amounts has no point on this axis."""
    if target.value is None:
        return None
    if target.period_start_fy is None:
        return target.value
    if indicator.measure == CUMULATIVE:
        before = indicator.observation(target.period_start_fy - 1)
        if before is not None and before.value is not None:
            return before.value + target.value
    return None


SERIES_COLORS = ("#0b4680", "#a34a00", "#3a560a", "#5b3a8a", "#006d6d", "#8a1111")


def indicator_chart(
    plan: Plan, indicator: Indicator, evaluation: Evaluation, evaluation_fy: int, lang: str = "ja"
) -> Chart:
    observations = [o for o in indicator.observations if o.fy <= evaluation_fy]
    values = [o.value for o in observations if o.value is not None]
    targets = [(t, _target_level(indicator, t)) for t in indicator.targets]
    values += [level for _, level in targets if level is not None]
    baselines = [b for b in indicator.baselines if b.fy is not None and b.value is not None]
    values += [b.value for b in baselines]
    years = [o.fy for o in observations] + [t.fy for t in indicator.targets] + [plan.start_fy, plan.end_fy]
    years += [b.fy for b in baselines]
    first, last = min(years), max(years)
    factor, unit_label = _scale(indicator, values)
    ja = lang == "ja"
    named = indicator.series  # series beside the headline: a line each
    series_order = ("", *named)
    used: set[str] = set()

    def gid(wanted: str) -> str:
        name, n = wanted, 2
        while name in used:
            name, n = f"{wanted}-{n}", n + 1
        used.add(name)
        return name

    def suffix(series: str) -> str:
        return "" if not series else (f"（{series}）" if ja else f" ({series})")

    with rc_context(STYLE):
        entries = (
            2
            + len(named)
            + sum(o.kind in (INTERIM, FORECAST) and o.value is not None for o in observations)
            + sum(level is not None for _, level in targets)
            + len(baselines)
        )
        legend_rows = math.ceil(entries / 3)
        height = 2.25 + 0.2 * legend_rows  # inches: the plot, the year labels, the legend below
        figure = Figure(figsize=(6.4, height))
        FigureCanvasSVG(figure)
        bottom = (0.62 + 0.2 * legend_rows) / height
        ax = figure.add_axes((0.1, bottom, 0.87, 1 - bottom - 0.06))
        period = ax.axvspan(
            plan.start_fy - 0.5, plan.end_fy + 0.5, color=PERIOD_COLOR, zorder=0, gid="plan-period"
        )
        period.set_label("計画期間" if ja else "Plan period")
        xs = list(range(first, evaluation_fy + 1))
        for n, series in enumerate(series_order):
            by_year = {o.fy: o for o in observations if o.series == series}
            ys = [
                float(by_year[x].value) / factor
                if x in by_year and by_year[x].kind == ACTUAL and by_year[x].value is not None
                else math.nan
                for x in xs
            ]
            if any(not math.isnan(y) for y in ys):
                ax.plot(xs, ys, color=SERIES_COLORS[n % len(SERIES_COLORS)], marker="o", markersize=4, linewidth=1.8,
                        label=("実績" if ja else "Actual") + suffix(series), gid=gid("actual" if not series else f"actual-{n}"))  # fmt: skip
        for obs in observations:
            if obs.kind in (INTERIM, FORECAST) and obs.value is not None:
                when = (
                    format_date(obs.as_of, style="short") + "時点"
                    if obs.as_of and ja
                    else (f"as of {obs.as_of}" if obs.as_of else "")
                )
                if obs.kind == FORECAST:
                    label = "見込" if ja else "Forecast"
                else:
                    label = (f"途中値 {when}" if ja else f"So far {when}").strip()
                n = series_order.index(obs.series) if obs.series in series_order else 0
                ax.plot([obs.fy], [float(obs.value) / factor], linestyle="none", marker="D", markersize=6, markerfacecolor="white",
                        markeredgecolor=INTERIM_COLOR, markeredgewidth=1.5, label=label + suffix(obs.series),
                        gid=gid(f"interim-{obs.fy}" + (f"-{n}" if obs.series else "")))  # fmt: skip
        for n, b in enumerate(baselines):
            name = b.label or ("基準値" if ja else "Baseline")
            ax.plot([b.fy], [float(b.value) / factor], linestyle="none", marker="s", markersize=5, markerfacecolor="white",
                    markeredgecolor="#555555", markeredgewidth=1.2, label=name + suffix(b.series), gid=gid(f"baseline-{n}"))  # fmt: skip
        for target, level in targets:
            if level is None:
                continue
            marker, color, size = TARGET_STYLES.get(target.horizon, OTHER_TARGET_STYLE)
            if target.kind != FINAL:  # a waypoint: 中間目標 a plus, 年度目標 a cross, smaller than the target
                marker, size = ("P" if target.kind == "midterm" else "X"), max(5, size - 4)
            name = _target_name(plan, target, lang)
            summed = (
                ""
                if target.period_start_fy is None
                else (
                    f"（{fy_label(target.period_start_fy)}〜の計）"
                    if ja
                    else f" (sum from FY{target.period_start_fy})"
                )
            )
            wanted = f"target-{target.horizon}"
            if target.kind != FINAL or target.series:
                wanted += f"-{target.kind}-{target.fy}"
            ax.plot([target.fy], [float(level) / factor], linestyle="none", marker=marker, markersize=size, color=color,
                    label=f"{name} {fy_label(target.fy, lang)}{summed}{suffix(target.series)}", gid=gid(wanted))  # fmt: skip
        ax.margins(y=0.18)
        ax.set_xlim(first - 0.6, last + 0.6)
        ax.set_xticks(range(first, last + 1))
        ax.set_xticklabels([_tick_label(y, plan, lang) for y in range(first, last + 1)], fontsize=6.5)
        ax.set_ylabel(unit_label)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.10g}"))
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        figure.legend(loc="lower center", bbox_to_anchor=(0.5, 0.01), ncol=3, fontsize=6.5, frameon=False)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    description = describe(plan, indicator, evaluation, evaluation_fy, lang)
    return Chart(
        svg=_accessible(buffer.getvalue(), f"chart-{indicator.code}", indicator.name, description),
        description=description,
        rows=tuple(_rows(plan, indicator, evaluation_fy, lang)),
    )


def _target_name(plan: Plan, target: Target, lang: str) -> str:
    from .model import horizon_name

    return horizon_name(plan, target.horizon, target.kind, lang)


def _accessible(svg: str, prefix: str, title: str, description: str) -> str:
    """An inline SVG a screen reader can name, with ids unique within the page."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)  # matplotlib's RDF block: bytes, no reader
    svg = re.sub(r'\bid="', f'id="{prefix}-', svg)
    svg = svg.replace("url(#", f"url(#{prefix}-").replace('href="#', f'href="#{prefix}-')
    head_end = svg.index(">") + 1
    head = svg[: head_end - 1] + f' role="img" aria-labelledby="{prefix}-title {prefix}-desc" class="chart"'
    return (
        head
        + f'><title id="{prefix}-title">{_escape(title)}</title><desc id="{prefix}-desc">{_escape(description)}</desc>'
        + svg[head_end:]
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def describe(plan: Plan, indicator: Indicator, evaluation: Evaluation, evaluation_fy: int, lang: str) -> str:
    """The chart in a sentence: where the series starts and ends, the target, the status."""
    ja = lang == "ja"
    places = indicator.display_places
    actuals = [
        o
        for o in indicator.observations
        if o.kind == ACTUAL and o.value is not None and o.fy <= evaluation_fy and o.series == ""
    ]
    if not actuals and indicator.series:  # figures in series only: describe the first that has any
        for series in indicator.series:
            actuals = [
                o
                for o in indicator.observations
                if o.kind == ACTUAL and o.value is not None and o.fy <= evaluation_fy and o.series == series
            ]
            if actuals:
                break
    parts = []
    if actuals:
        a, b = actuals[0], actuals[-1]
        va, vb = format_value(a.value, indicator.unit, places), format_value(b.value, indicator.unit, places)
        if ja:
            parts.append(
                f"{indicator.name}の実績は{fy_label(a.fy)}の{va}から{fy_label(b.fy)}の{vb}"
                if a is not b
                else f"{indicator.name}の実績は{fy_label(a.fy)}の{va}"
            )
        else:
            parts.append(
                f"{indicator.name}: actual values from {va} in FY{a.fy} to {vb} in FY{b.fy}"
                if a is not b
                else f"{indicator.name}: {va} in FY{a.fy}"
            )
    else:
        parts.append(f"{indicator.name}の実績はまだない" if ja else f"{indicator.name}: no actual values yet")
    missing = [
        o.fy for o in indicator.observations if o.kind != ACTUAL and o.value is None and o.fy <= evaluation_fy
    ]
    if missing:
        years = "、".join(fy_label(y) for y in missing) if ja else ", ".join(f"FY{y}" for y in missing)
        parts.append(f"{years}は値なし" if ja else f"no value for {years}")
    for target in indicator.targets:
        if target.value is None:
            continue
        name = _target_name(plan, target, lang)
        if target.series:
            name += f"（{target.series}）" if ja else f" ({target.series})"
        value = format_value(target.value, indicator.unit, places)
        if target.period_start_fy is not None:
            value += (
                f"（{fy_label(target.period_start_fy)}〜の合計）"
                if ja
                else f" (total from FY{target.period_start_fy})"
            )
        parts.append(f"{name}は{fy_label(target.fy)}に{value}" if ja else f"{name}: {value} in FY{target.fy}")
    parts.append(
        f"評価：{status_label(evaluation.status, lang)}"
        if ja
        else f"status: {status_label(evaluation.status, lang)}"
    )
    return ("。".join(parts) + "。") if ja else ("; ".join(parts) + ".")


def _rows(plan: Plan, indicator: Indicator, evaluation_fy: int, lang: str) -> list[tuple[str, str, str]]:
    from .model import baseline_value_text, observation_text, target_text, year_text
    from .text import OBSERVATION_LABELS

    def named(text: str, series: str) -> str:
        return text if not series else (f"{text}（{series}）" if lang == "ja" else f"{text} ({series})")

    rows = [
        (
            b.label or ("基準値" if lang == "ja" else "Baseline"),
            named(b.label or ("基準値" if lang == "ja" else "Baseline"), b.series),
            baseline_value_text(b, indicator, lang),
        )
        for b in indicator.baselines
    ]
    rows = [(year_text(b.fy, b.period, lang, western=True) if b.fy is not None else "—", kind, value)
            for b, (_, kind, value) in zip(indicator.baselines, rows, strict=True)]  # fmt: skip
    rows += [
        (
            year_text(o.fy, o.period, lang, western=True),
            named(OBSERVATION_LABELS[lang].get(o.kind, o.kind), o.series),
            observation_text(o, indicator, lang),
        )
        for o in indicator.observations
        if o.fy <= evaluation_fy
    ]
    for t in indicator.targets:
        rows.append(
            (
                fy_label(t.fy, lang, western=True),
                named(_target_name(plan, t, lang), t.series),
                target_text(t, indicator, lang),
            )
        )
    return rows
