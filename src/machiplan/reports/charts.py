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
from machiplan.domain.labels import OBSERVATION_KIND_LABELS, fy_label, horizon_label, status_label
from machiplan.domain.plan import ACTUAL, CUMULATIVE, INTERIM, PLAN_HORIZON, Indicator, Plan, Target
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


def indicator_chart(
    plan: Plan, indicator: Indicator, evaluation: Evaluation, evaluation_fy: int, lang: str = "ja"
) -> Chart:
    observations = [o for o in indicator.observations if o.fy <= evaluation_fy]
    values = [o.value for o in observations if o.value is not None]
    targets = [(t, _target_level(indicator, t)) for t in indicator.targets]
    values += [level for _, level in targets if level is not None]
    years = [o.fy for o in observations] + [t.fy for t in indicator.targets] + [plan.start_fy, plan.end_fy]
    first, last = min(years), max(years)
    factor, unit_label = _scale(indicator, values)
    ja = lang == "ja"

    with rc_context(STYLE):
        entries = (
            2 + any(o.kind == INTERIM for o in observations) + sum(level is not None for _, level in targets)
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
        by_year = {o.fy: o for o in observations}
        ys = [
            float(by_year[x].value) / factor
            if x in by_year and by_year[x].kind == ACTUAL and by_year[x].value is not None
            else math.nan
            for x in xs
        ]
        if any(not math.isnan(y) for y in ys):
            ax.plot(
                xs,
                ys,
                color=ACTUAL_COLOR,
                marker="o",
                markersize=4,
                linewidth=1.8,
                label="実績" if ja else "Actual",
                gid="actual",
            )
        for obs in observations:
            if obs.kind == INTERIM and obs.value is not None:
                when = (
                    format_date(obs.as_of, style="short") + "時点"
                    if obs.as_of and ja
                    else (f"as of {obs.as_of}" if obs.as_of else "")
                )
                ax.plot([obs.fy], [float(obs.value) / factor], linestyle="none", marker="D", markersize=6, markerfacecolor="white",
                        markeredgecolor=INTERIM_COLOR, markeredgewidth=1.5, label=(f"途中値 {when}" if ja else f"So far {when}").strip(), gid=f"interim-{obs.fy}")  # fmt: skip
        for target, level in targets:
            if level is None:
                continue
            marker, color, size = TARGET_STYLES.get(target.horizon, OTHER_TARGET_STYLE)
            higher = next((h for h in plan.higher_plans if h.horizon == target.horizon), None)
            name = horizon_label(target.horizon, lang, fallback=higher.label if higher else None)
            summed = (
                ""
                if target.period_start_fy is None
                else (
                    f"（{fy_label(target.period_start_fy)}〜の計）"
                    if ja
                    else f" (sum from FY{target.period_start_fy})"
                )
            )
            ax.plot([target.fy], [float(level) / factor], linestyle="none", marker=marker, markersize=size, color=color,
                    label=f"{name} {fy_label(target.fy, lang)}{summed}", gid=f"target-{target.horizon}")  # fmt: skip
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
        if o.kind == ACTUAL and o.value is not None and o.fy <= evaluation_fy
    ]
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
        name = horizon_label(
            target.horizon,
            lang,
            fallback=next((h.label for h in plan.higher_plans if h.horizon == target.horizon), None),
        )
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
    from .model import observation_text, target_text

    rows = [
        (
            fy_label(o.fy, lang, western=True),
            OBSERVATION_KIND_LABELS[lang][o.kind],
            observation_text(o, indicator, lang),
        )
        for o in indicator.observations
        if o.fy <= evaluation_fy
    ]
    for t in indicator.targets:
        higher = next((h.label for h in plan.higher_plans if h.horizon == t.horizon), None)
        rows.append(
            (
                fy_label(t.fy, lang, western=True),
                horizon_label(t.horizon, lang, fallback=higher),
                target_text(t, indicator, lang),
            )
        )
    return rows
