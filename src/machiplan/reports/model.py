"""The report model: everything a report shows, computed once from the plan and its evaluation.

Renderers (HTML, JSON, CSV; PDF and Excel to come) only lay this out, so every
format says the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from machiplan.domain.evaluation import Evaluation, Judgement, PlanEvaluation, evaluate_plan
from machiplan.domain.explain import explain, explain_flags, explain_judgement
from machiplan.domain.fiscal import format_date, format_fiscal_year
from machiplan.domain.labels import fy_label, horizon_label, status_label
from machiplan.domain.plan import (
    ACTUAL,
    FORECAST,
    NONE,
    PENDING,
    PLAN_HORIZON,
    Indicator,
    Node,
    Observation,
    Plan,
    Target,
)
from machiplan.domain.quantities import format_number, format_value

from .charts import Chart, indicator_chart
from .text import METHOD_TEXT, PARAM_TEXT, TEXT


@dataclass(frozen=True)
class Cell:
    text: str
    kind: str  # actual | interim | pending | none | target | empty


@dataclass(frozen=True)
class YearRow:
    label: str
    kind: str  # actual | status | target
    fy: int
    cells: tuple[Cell, ...]
    horizon: str | None = None  # for a target row: whose target it is

    @property
    def western(self) -> str:
        return f"({self.fy})"


@dataclass(frozen=True)
class HorizonView:
    horizon: str
    label: str
    fy_text: str
    status: str
    status_label: str
    progress: str
    pace: str
    explanation: str


@dataclass(frozen=True)
class IndicatorView:
    indicator: Indicator
    evaluation: Evaluation
    status: str
    status_label: str
    explanation: str
    notes: tuple[str, ...]
    latest_text: str  # the value: '2,653団体'
    latest_year: str  # its year: '平成28年度 (2016)'
    target_text: str
    target_year: str
    progress: str
    pace: str
    horizons: tuple[HorizonView, ...]
    chart: Chart | None
    series: tuple[SeriesView, ...] = ()
    baseline_text: str = ""  # its own baseline: '初期値 32.0%（平成27年度）'
    ratings: tuple[RatingView, ...] = ()


@dataclass(frozen=True)
class SeriesView:
    """One series of an indicator (小学6年生): its latest value, target and status."""

    label: str
    status: str
    status_label: str
    latest_text: str
    latest_year: str
    target_text: str
    target_year: str
    progress: str
    explanation: str


@dataclass(frozen=True)
class RatingView:
    """The city's own rating beside machiplan's status."""

    fy_text: str
    scale: str  # the scale's name: 総合評価
    grade: str  # B
    meaning: str  # 成果・費用対効果の向上に努めつつ継続実施
    agrees: bool | None  # None: the grade names no statuses, or another year


@dataclass(frozen=True)
class CategoryHeader:
    label: str
    span: int


@dataclass(frozen=True)
class NodeSection:
    """One node of the plan as the report shows it, or (``node`` None) the plan's own indicators.

    A child with nothing of its own to show (no indicators, children, narratives, costs,
    ratings or comments) is listed in its parent's table (Sapporo's 基本施策 with their 主な
    取組) instead of getting a section."""

    node: Node | None
    depth: int
    level_name: str  # the plan's name for the node's level, in the report's language
    heading: str  # 基本目標1『参加』
    anchor: str  # the id of its HTML section
    indicators: tuple[IndicatorView, ...]
    categories: tuple[CategoryHeader, ...]
    rows: tuple[YearRow, ...]
    counts: dict[str, int]  # the statuses of the indicators at and below it
    listed: tuple[Node, ...]  # children shown as rows of its table
    listed_label: str  # the children's level name: 基本施策
    ancestors: tuple[Node, ...] = ()

    @property
    def footnotes(self) -> tuple[str, ...]:
        return self.node.footnotes if self.node else ()

    @property
    def narratives(self):
        return self.node.narratives if self.node else ()


@dataclass(frozen=True)
class Report:
    plan: Plan
    evaluation: PlanEvaluation
    lang: str
    generated_on: dt.date
    sections: tuple[NodeSection, ...]
    t: dict[str, str]
    method_lines: tuple[str, ...]
    parameters: tuple[tuple[str, str, str], ...]  # key, label, value
    status_order: tuple[tuple[str, str], ...]  # status, label
    charts: bool

    @property
    def indicators(self) -> tuple[IndicatorView, ...]:
        """Each indicator once, in the order of the sections (a KPI under two 施策 shows under both)."""
        seen: dict[str, IndicatorView] = {}
        for section in self.sections:
            for view in section.indicators:
                seen.setdefault(view.indicator.code, view)
        return tuple(seen.values())

    @property
    def top_sections(self) -> tuple[NodeSection, ...]:
        """The sections of the top nodes: the rows of the summary's count table."""
        return tuple(s for s in self.sections if s.node is not None and s.depth == 0)

    def fy(self, fy: int) -> str:
        return fy_label(fy, self.lang, western=True)

    @property
    def period_text(self) -> str:
        return f"{self.fy(self.plan.start_fy)} – {self.fy(self.plan.end_fy)}"


CHART_LIMIT = 1000  # beyond this many indicators, charts are left out unless asked for


def build_report(
    plan: Plan,
    *,
    evaluation_fy: int | None = None,
    lang: str = "ja",
    today: dt.date | None = None,
    charts: bool | None = None,
) -> Report:
    """``charts``: None draws them for plans of up to CHART_LIMIT indicators (each takes ~50 ms)."""
    evaluation = evaluate_plan(plan, evaluation_fy=evaluation_fy)
    t = TEXT[lang]
    draw = len(plan.indicators) <= CHART_LIMIT if charts is None else charts
    sections = tuple(_sections(plan, evaluation, lang, draw))
    params = evaluation.params.as_dict()
    params["baseline_fy"] = evaluation.baseline_fy
    shown = {k: str(v) for k, v in params.items()}
    shown["baseline_fy"] = fy_label(evaluation.baseline_fy, lang, western=True)
    shown["horizon"] = horizon_label(str(params["horizon"]), lang)
    return Report(
        plan=plan,
        evaluation=evaluation,
        lang=lang,
        generated_on=today or dt.date.today(),
        sections=sections,
        t=t,
        method_lines=tuple(line.format(**params) for line in METHOD_TEXT[lang]),
        parameters=tuple((k, PARAM_TEXT[lang].get(k, k), shown[k]) for k in params),
        status_order=tuple((s, status_label(s, lang)) for s in evaluation.overall),
        charts=draw,
    )


def observation_text(obs: Observation, ind: Indicator, lang: str = "ja") -> str:
    """A cell as the sheet would print it, from the stored data: '2,684団体 (H29.8.31時点)'."""
    if obs.kind == PENDING:
        return "今後調査" if lang == "ja" else "To be surveyed"
    if obs.kind == NONE or (obs.value is None and not obs.text):
        return "—"
    if obs.value is None:
        text = obs.text
    else:
        text = ("約" if obs.approximate and lang == "ja" else "≈" if obs.approximate else "") + format_value(
            obs.value, ind.unit, ind.display_places
        )
    if obs.kind == FORECAST:
        text += "（見込）" if lang == "ja" else " (forecast)"
    if obs.breakdown:
        text += " (" + "、".join(f"{label}{format_number(v)}" for label, v in obs.breakdown) + ")"
    if obs.as_of:
        text += (
            f" ({format_date(obs.as_of, style='short')}時点)"
            if lang == "ja"
            else f" (as of {obs.as_of.isoformat()})"
        )
    return text


OPERATOR_TEXT = {
    "ja": {"at_least": "以上", "at_most": "以下", "maintain": "を維持"},
    "en": {"at_least": " or more", "at_most": " or less", "maintain": " (maintained)"},
}


def target_text(target: Target | None, ind: Indicator, lang: str = "ja") -> str:
    if target is None or (target.value is None and not target.text):
        return "—"
    if target.value is None:
        return target.text
    text = ("約" if target.approximate and lang == "ja" else "") + format_value(
        target.value, ind.unit, ind.display_places
    )
    if target.operator:
        text += OPERATOR_TEXT[lang][target.operator]
    if target.period_start_fy is not None:
        if lang == "ja":
            text += f" ({format_fiscal_year(target.period_start_fy, style='short')}-{format_fiscal_year(target.fy, style='short')[1:]}計)"
        else:
            text += f" (total FY{target.period_start_fy}–{target.fy})"
    return text


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _horizon_view(plan: Plan, j: Judgement, ind: Indicator, lang: str) -> HorizonView:
    higher = next((h for h in plan.higher_plans if h.horizon == j.horizon), None)
    return HorizonView(
        horizon=j.horizon,
        label=horizon_label(j.horizon, lang, fallback=higher.label if higher else None),
        fy_text=fy_label(j.target.fy, lang, western=True) if j.target else "—",
        status=j.status,
        status_label=status_label(j.status, lang),
        progress=_percent(j.progress),
        pace=_percent(j.pace),
        explanation=explain_judgement(j, ind, lang),
    )


def latest_actual(ind: Indicator, evaluation_fy: int) -> Observation | None:
    """The newest full-year value up to the evaluation year, judged or not (参考 indicators too)."""
    actuals = [
        o for o in ind.observations if o.kind == ACTUAL and o.value is not None and o.fy <= evaluation_fy
    ]
    return max(actuals, key=lambda o: o.fy, default=None)


def indicator_view(
    plan: Plan, ind: Indicator, e: Evaluation, e_fy: int, lang: str, charts: bool
) -> IndicatorView:
    """Everything a page shows of one indicator: the report's section and the public page alike."""
    h = e.headline
    latest = latest_actual(ind, e_fy)
    return IndicatorView(
        indicator=ind,
        evaluation=e,
        status=h.status,
        status_label=status_label(h.status, lang),
        explanation=explain(e, ind, lang),
        notes=tuple(explain_flags(e, ind, lang)),
        latest_text=observation_text(latest, ind, lang) if latest else "—",
        latest_year=fy_label(latest.fy, lang, western=True) if latest else "",
        target_text=target_text(h.target, ind, lang) if h.target else "—",
        target_year=fy_label(h.target.fy, lang, western=True) if h.target else "",
        progress=_percent(h.progress),
        pace=_percent(h.pace),
        horizons=tuple(_horizon_view(plan, j, ind, lang) for j in e.by_horizon),
        chart=indicator_chart(plan, ind, e, e_fy, lang) if charts else None,
        series=tuple(_series_view(ind, s, e_fy, lang) for s in e.series),
        baseline_text=baseline_text(ind, lang),
        ratings=tuple(rating_views(plan, ind.ratings, e.headline.status, e_fy, lang)),
    )


def baseline_text(ind: Indicator, lang: str, series: str = "") -> str:
    """The indicator's own baseline as the report writes it: '初期値 32.0%（平成27年度）', or '' without one."""
    b = ind.baseline(series)
    if b is None:
        return ""
    label = b.label or ("基準値" if lang == "ja" else "Baseline")
    if b.value is None and not b.text:
        return f"{label} —"
    value = b.text if b.value is None else format_value(b.value, ind.unit, ind.display_places)
    year = (
        f"（{fy_label(b.fy, lang)}）"
        if b.fy is not None and lang == "ja"
        else f" ({fy_label(b.fy, lang)})"
        if b.fy
        else ""
    )
    return f"{label} {value}{year}"


def _series_view(ind: Indicator, e, e_fy: int, lang: str) -> SeriesView:
    h = e.headline
    actuals = [
        o
        for o in ind.observations
        if o.series == e.series and o.kind == ACTUAL and o.value is not None and o.fy <= e_fy
    ]
    latest = max(actuals, key=lambda o: o.fy, default=None)
    return SeriesView(
        label=e.series,
        status=h.status,
        status_label=status_label(h.status, lang),
        latest_text=observation_text(latest, ind, lang) if latest else "—",
        latest_year=fy_label(latest.fy, lang, western=True) if latest else "",
        target_text=target_text(h.target, ind, lang) if h.target else "—",
        target_year=fy_label(h.target.fy, lang, western=True) if h.target else "",
        progress=_percent(h.progress),
        explanation=explain_judgement(h, ind, lang),
    )


def rating_views(plan: Plan, ratings, status: str, e_fy: int, lang: str):
    """The city's ratings, newest first, each with whether machiplan's status agrees with it."""
    for rating in sorted(ratings, key=lambda r: -r.fy):
        scale = plan.rating_scale(rating.scale)
        grade = scale.grade(rating.grade) if scale else None
        agrees = None
        if (
            grade is not None
            and grade.statuses
            and rating.fy == e_fy
            and status not in ("no_data", "no_target")
        ):
            agrees = status in grade.statuses
        meaning = (
            (grade.label_en or grade.label) if grade and lang == "en" else (grade.label if grade else "")
        )
        name = (
            (scale.name_en or scale.name)
            if scale and lang == "en"
            else (scale.name if scale else rating.scale)
        )
        yield RatingView(fy_label(rating.fy, lang), name, rating.grade, meaning, agrees)


def _categories(indicators: tuple[Indicator, ...]) -> tuple[CategoryHeader, ...]:
    """Runs of equal category labels become one header cell spanning them, as in the sheet."""
    headers: list[CategoryHeader] = []
    for ind in indicators:
        if headers and headers[-1].label == ind.category and ind.category:
            headers[-1] = CategoryHeader(ind.category, headers[-1].span + 1)
        else:
            headers.append(CategoryHeader(ind.category, 1))
    return tuple(headers)


def has_own_content(plan: Plan, node: Node) -> bool:
    """Whether a node gets a section of its own rather than a row in its parent's table."""
    return bool(
        plan.indicators_at(node.code)
        or plan.children(node.code)
        or node.narratives
        or node.costs
        or node.ratings
        or node.comments
        or node.footnotes
        or node.statement
    )


def node_heading(plan: Plan, node: Node, lang: str) -> str:
    """基本目標1『参加』 / Basic goal 1: 参加 — the level's name, the node's number, its name."""
    level = plan.level(plan.depth(node.code))
    if lang == "ja":
        return f"{level.name}{node.label}『{node.name}』" if level.name else f"{node.label} {node.name}"
    name = node.name_en or node.name
    return (
        f"{level.name_en or level.name} {node.label}: {name}".strip()
        if (level.name_en or level.name)
        else f"{node.label} {name}"
    )


def level_name(plan: Plan, depth: int, lang: str) -> str:
    level = plan.level(depth)
    return level.name if lang == "ja" else (level.name_en or level.name)


def _section(
    plan: Plan, node: Node | None, evaluation: PlanEvaluation, lang: str, charts: bool
) -> NodeSection:
    if node is None:
        indicators = tuple(i for i in plan.indicators if not i.nodes)
        depth, listed, counts = 0, (), status_counts_of(indicators, evaluation)
        heading = TEXT[lang]["plan_indicators"]
        anchor, ancestors = "plan-indicators", ()
    else:
        indicators = plan.indicators_at(node.code)
        depth = plan.depth(node.code)
        listed = tuple(c for c in plan.children(node.code) if not has_own_content(plan, c))
        counts = evaluation.by_node.get(node.code, {})
        heading = node_heading(plan, node, lang)
        anchor = "goal-" + node.code if depth == 0 else "node-" + node.code
        ancestors = plan.ancestors(node.code)
    views = tuple(
        indicator_view(plan, i, evaluation.indicators[i.code], evaluation.evaluation_fy, lang, charts)
        for i in indicators
    )
    return NodeSection(
        node=node,
        depth=depth,
        level_name=level_name(plan, depth, lang),
        heading=heading,
        anchor=anchor,
        indicators=views,
        categories=_categories(indicators),
        rows=tuple(_year_rows(plan, indicators, evaluation.evaluation_fy, lang)),
        counts=counts,
        listed=listed,
        listed_label=level_name(plan, depth + 1, lang) if listed else "",
        ancestors=ancestors,
    )


def status_counts_of(indicators: tuple[Indicator, ...], evaluation: PlanEvaluation) -> dict[str, int]:
    from machiplan.domain.evaluation import status_counts

    return status_counts(evaluation.indicators[i.code].status for i in indicators)


def _sections(plan: Plan, evaluation: PlanEvaluation, lang: str, charts: bool):
    if any(not i.nodes for i in plan.indicators):
        yield _section(plan, None, evaluation, lang, charts)
    for node in plan.nodes:
        if node.parent is None or has_own_content(plan, node):
            yield _section(plan, node, evaluation, lang, charts)


def _short_fy(fy: int, lang: str, plan: Plan | None = None) -> str:
    """H29; a Reiwa year of a plan written in Heisei also as the plan wrote it: R4（H34）."""
    if lang != "ja":
        return f"FY{fy}"
    text = format_fiscal_year(fy, style="short")
    if plan is not None and plan.start_fy < 2019 <= fy:
        text += f"（H{fy - 1988}）"
    return text


def _year_rows(plan: Plan, indicators: tuple[Indicator, ...], evaluation_fy: int, lang: str) -> list[YearRow]:
    t = TEXT[lang]
    years = sorted({o.fy for i in indicators for o in i.observations if o.fy <= evaluation_fy})
    rows = []
    for fy in years:
        observations = [i.observation(fy) for i in indicators]
        all_actual = all(o is None or o.kind == ACTUAL for o in observations)
        kind = "actual" if fy < evaluation_fy or all_actual else "status"
        suffix = t["actual_suffix"] if kind == "actual" else t["status_suffix"]
        cells = tuple(
            Cell(observation_text(o, i, lang), o.kind) if o else Cell("—", "empty")
            for o, i in zip(observations, indicators, strict=True)
        )
        rows.append(YearRow(f"{_short_fy(fy, lang)}{suffix}", kind, fy, cells))
    horizons = [PLAN_HORIZON] + [h.horizon for h in plan.higher_plans]
    for horizon in horizons:
        targets = [i.target(horizon) for i in indicators]  # the final target of each
        if horizon != PLAN_HORIZON and not any(targets) and not any(i.targets for i in indicators):
            continue
        years_of = [tg.fy for tg in targets if tg is not None]
        higher = next((h for h in plan.higher_plans if h.horizon == horizon), None)
        fy = (
            max(set(years_of), key=years_of.count)
            if years_of
            else (higher.end_fy if higher and higher.end_fy else plan.end_fy)
        )
        if horizon == PLAN_HORIZON:
            label = f"{_short_fy(fy, lang, plan)}{t['target_suffix']}"
        else:
            name = (
                higher.label
                if higher and lang == "ja"
                else horizon_label(horizon, lang, fallback=higher.label if higher else None)
            )
            label = f"{name} {_short_fy(fy, lang, plan)}"
        cells = tuple(
            Cell(target_text(tg, i, lang), "target" if tg else "empty")
            for tg, i in zip(targets, indicators, strict=True)
        )
        rows.append(YearRow(label, "target", fy, cells, horizon))
    return rows


def as_context(report: Report) -> dict[str, Any]:
    t = report.t
    count_rows = [{"label": t["all_goals"], "counts": list(report.evaluation.overall.values())}]
    count_rows += [
        {
            "label": f"{s.level_name}{s.node.label} {s.node.name}" if report.lang == "ja" else s.heading,
            "counts": list(s.counts.values()),
        }
        for s in report.top_sections
    ]
    return {
        "report": report,
        "plan": report.plan,
        "t": t,
        "count_rows": count_rows,
        "evaluation_year_text": report.fy(report.evaluation.evaluation_fy),
    }


def decimal_or_none(value: Decimal | None) -> str:
    return "" if value is None else format_number(value).replace(",", "")
