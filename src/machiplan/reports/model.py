"""The report model: everything a report shows, computed once from the plan and its evaluation.

Renderers (HTML and PDF, Excel, Markdown, JSON, CSV) only lay this out, so every
format says the same thing.

A plan is a hierarchy of nodes of any depth (docs/plan-package.md). The report gives
a section to the plan's own indicators (when it has any), to every top node, and to
every deeper node that has something of its own to show; a node with nothing but its
name and its initiatives is a row of its parent's table, as Sapporo's 基本施策 are.
So a plan shaped like Sapporo's (two levels, the indicators on the top nodes) is laid
out exactly like its sheet, and a deeper one gets a section per node that has content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from itertools import zip_longest
from typing import Any

from machiplan.domain import surveys
from machiplan.domain.evaluation import (
    NO_DATA,
    NO_TARGET,
    Evaluation,
    Judgement,
    PlanEvaluation,
    SeriesEvaluation,
    evaluate_plan,
    status_counts,
)
from machiplan.domain.explain import explain, explain_flags, explain_judgement
from machiplan.domain.fiscal import format_date, format_fiscal_year
from machiplan.domain.labels import date_label, fy_label, horizon_label, progress_label, status_label
from machiplan.domain.method_text import method_lines
from machiplan.domain.methods import StatusDef
from machiplan.domain.plan import (
    ACTUAL,
    ANNUAL,
    CALENDAR_YEAR,
    DOCUMENTATION,
    FINAL,
    FORECAST,
    MIDTERM,
    NONE,
    PENDING,
    PLAN_HORIZON,
    PLANNED,
    SPENT,
    Baseline,
    Comment,
    Cost,
    Indicator,
    Initiative,
    Node,
    Observation,
    Plan,
    Rating,
    Tally,
    Target,
)
from machiplan.domain.quantities import format_number, format_value

from .alt_text import chart_alt
from .charts import Chart, indicator_chart
from .text import BODY_LABELS, INDICATOR_TYPE_LABELS, PARAM_TEXT, TEXT

Statuses = Sequence[StatusDef]  # an evaluation's scale: the words of each status it can give

SHEET_COLUMNS = 6  # the most indicators one table of a section shows side by side on a page


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    kind: str  # actual | interim | forecast | pending | none | target | baseline | empty


EMPTY = Cell("—", "empty")  # one for every empty cell of a table: a plan of 100,000 has millions


def _text_cell(text: str, kind: str) -> Cell:
    """A cell of ``kind``, or the empty cell where the text is the dash."""
    return EMPTY if text == "—" else Cell(text, kind)


@dataclass(frozen=True, slots=True)
class YearRow:
    label: str
    kind: str  # actual | status | target | baseline
    fy: int | None
    cells: tuple[Cell, ...]
    horizon: str | None = None  # for a target row: whose target it is
    target_kind: str = FINAL  # for a target row: final | midterm | annual

    @property
    def western(self) -> str:
        return f"({self.fy})" if self.fy is not None else ""

    @property
    def title(self) -> str:
        """The row's label with its Western year: 'H25実績 (2013)'."""
        return f"{self.label} {self.western}" if self.western else self.label


@dataclass(frozen=True, slots=True)
class HorizonView:
    horizon: str
    label: str  # アクションプラン, 中間目標, 年度目標
    fy_text: str
    status: str
    status_label: str
    progress: str
    pace: str
    explanation: str
    kind: str = FINAL  # final | midterm | annual
    target_text: str = ""


@dataclass(frozen=True, slots=True)
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
    baseline_text: str = ""


@dataclass(frozen=True, slots=True)
class RatingView:
    """The city's own rating beside machiplan's status."""

    fy_text: str
    scale: str  # the scale's name: 総合評価
    grade: str  # B
    meaning: str  # 成果・費用対効果の向上に努めつつ継続実施
    agrees: bool | None  # None: the grade names no statuses, or another year
    note: str = ""
    disagreement: str = ""  # the visible note where it disagrees: この方法による判定（順調）と一致しない


@dataclass(frozen=True, slots=True)
class CommentView:
    """What the internal review, the committee or the council said."""

    heading: str  # 平成29年度 外部委員会（…推進委員会、平成30年8月7日）
    text: str
    body: str  # internal | committee | council | public


@dataclass(frozen=True, slots=True)
class Table:
    """A small table a renderer lays out as it is: costs, tallies, ratings."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()  # per column: right-aligned figures


@dataclass(frozen=True, slots=True)
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
    chart: Chart | None  # drawn wide only: a report has no use for the phone's drawing
    series: tuple[SeriesView, ...] = ()
    baseline_text: str = ""  # its own baseline: '初期値 32.0%（平成27年度）'
    ratings: tuple[RatingView, ...] = ()
    definition: tuple[tuple[str, str], ...] = ()  # the card: (label, text), where the plan documents it
    comments: tuple[CommentView, ...] = ()
    home: str | None = None  # its home node's code; None: a plan-level indicator
    type_label: str = ""  # KPI, 成果指標 …
    also_text: str = ""  # この指標は…にも掲げられている: where else it hangs
    chart_alt: str = ""  # the chart in words: the printed report's alternative text (alt_text.py)


@dataclass(frozen=True, slots=True)
class CategoryHeader:
    label: str
    span: int


@dataclass(frozen=True, slots=True)
class SheetPart:
    """Part of a section's indicator table: at most SHEET_COLUMNS indicators side by side."""

    indicators: tuple[IndicatorView, ...]
    categories: tuple[CategoryHeader, ...]
    rows: tuple[YearRow, ...]


@dataclass(frozen=True, slots=True)
class NodeSection:
    """One node of the plan as the report shows it, or (``node`` None) the plan's own indicators.

    A child with nothing of its own to show (no indicators, children, statement, narratives,
    footnotes, costs, ratings, comments or tallies) is listed in its parent's table (Sapporo's
    基本施策 with their 主な取組) instead of getting a section."""

    node: Node | None
    depth: int
    level_name: str  # the plan's name for the node's level, in the report's language
    heading: str  # 基本目標1『参加』
    anchor: str  # the id of its HTML section
    indicators: tuple[IndicatorView, ...]
    categories: tuple[CategoryHeader, ...]
    plan: Plan = field(repr=False, compare=False)  # whose indicators: their rows (``rows``) are made from it
    evaluation_fy: int
    lang: str
    counts: dict[str, int]  # the statuses of the indicators at and below it
    listed: tuple[Node, ...]  # children shown as rows of its table
    listed_label: str  # the children's level name: 基本施策
    ancestors: tuple[Node, ...] = ()
    title: str = ""  # 基本目標1 参加: the table of contents and the summary's rows
    breadcrumb: tuple[tuple[str, str], ...] = ()  # (anchor, title) of each ancestor, from the top
    listed_heading: str = ""  # 基本施策（◎重点施策）・実施した主な取組
    listed_initiatives: bool = True  # whether any listed child has initiatives
    info: tuple[tuple[str, str], ...] = ()  # 担当, 関係課, 関係する計画
    initiatives: tuple[Initiative, ...] = ()  # the node's own 主な取組
    costs: Table | None = None
    ratings: Table | None = None
    comments: tuple[CommentView, ...] = ()
    tallies: tuple[Table, ...] = ()
    elsewhere: frozenset[str] = frozenset()  # indicators shown here whose home is another node
    home_titles: dict[str, str] = field(default_factory=dict)  # code -> 評価の詳細は…に掲載
    subsections: tuple[tuple[str, str], ...] = ()  # (anchor, title) of its children that have sections
    counts_text: str = ""  # 配下の指標：順調 1、評価不能 2 — for a node with sections below it

    @property
    def rows(self) -> tuple[YearRow, ...]:
        """The table of its indicators' years, targets and baselines, a row each: made each time
        a renderer asks, not kept, for a plan of 100,000 indicators has millions of cells."""
        indicators = tuple(v.indicator for v in self.indicators)
        return tuple(_year_rows(self.plan, indicators, self.evaluation_fy, self.lang))

    @property
    def footnotes(self) -> tuple[str, ...]:
        return self.node.footnotes if self.node else ()

    @property
    def narratives(self):
        return self.node.narratives if self.node else ()

    @property
    def statement(self) -> str:
        return self.node.statement if self.node else ""

    @property
    def heading_level(self) -> int:
        """h2 for a top node, one deeper per level, h4 at most (its parts take h5 and h6)."""
        return min(2 + self.depth, 4)

    @property
    def empty(self) -> bool:
        return not (
            self.indicators
            or self.subsections
            or self.listed
            or self.statement
            or self.info
            or self.initiatives
            or self.footnotes
            or self.narratives
            or self.costs
            or self.ratings
            or self.comments
            or self.tallies
        )

    @property
    def sheet_parts(self) -> tuple[SheetPart, ...]:
        """The indicator table cut into parts a page can hold, SHEET_COLUMNS indicators each."""
        parts, whole = [], self.rows  # made once for all its parts
        for start in range(0, len(self.indicators), SHEET_COLUMNS):
            end = start + SHEET_COLUMNS
            views = self.indicators[start:end]
            rows = tuple(
                YearRow(r.label, r.kind, r.fy, r.cells[start:end], r.horizon, r.target_kind) for r in whole
            )
            parts.append(SheetPart(views, _categories(tuple(v.indicator for v in views)), rows))
        return tuple(parts)


@dataclass(frozen=True, slots=True)
class SourceView:
    title: str
    url: str
    date: str
    note: str


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """What the city wrote, spent, counted and said of the plan as a whole."""

    description: tuple[str, ...]  # its paragraphs
    costs: Table | None
    ratings: Table | None
    comments: tuple[CommentView, ...]
    tallies: tuple[Table, ...]

    def __bool__(self) -> bool:
        return bool(self.description or self.costs or self.ratings or self.comments or self.tallies)


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
    facts: PlanFacts | None = None
    city_method: tuple[str, ...] = ()  # the city's own words on how it judges, by line
    sources: tuple[SourceView, ...] = ()
    revisions: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (heading, lines)
    scales: tuple[Table, ...] = ()  # the city's rating scales and what each grade means

    @cached_property
    def indicators(self) -> tuple[IndicatorView, ...]:
        """Each indicator once, in the section of its home node (a KPI under two 施策 shows
        under both, but is listed once)."""
        seen: dict[str, IndicatorView] = {}
        for section in self.sections:
            for view in section.indicators:
                if view.indicator.code not in section.elsewhere:
                    seen.setdefault(view.indicator.code, view)
        for section in self.sections:  # a home node without a section: cannot happen, but never lose one
            for view in section.indicators:
                seen.setdefault(view.indicator.code, view)
        return tuple(seen.values())

    @property
    def top_sections(self) -> tuple[NodeSection, ...]:
        """The sections of the top nodes: the rows of the summary's count table."""
        return tuple(s for s in self.sections if s.node is not None and s.depth == 0)

    @property
    def deep(self) -> bool:
        """Whether any section is below a top node: the plan is deeper than Sapporo's."""
        return any(s.depth > 0 for s in self.sections)

    def fy(self, fy: int) -> str:
        return fy_label(fy, self.lang, western=True)

    @property
    def period_text(self) -> str:
        return f"{self.fy(self.plan.start_fy)} – {self.fy(self.plan.end_fy)}"

    @property
    def date_text(self) -> str:
        """The report's date as its language writes it: 令和8年11月30日, 30 November 2026."""
        return date_label(self.generated_on, self.lang)

    @property
    def department(self) -> str:
        """The department that issues the report, for the cover: the plan's own (所管課), else the one
        department the plan names, or '' (``Plan.issuing_department``)."""
        found = self.plan.issuing_department
        return found.name if found else ""

    @property
    def issuer(self) -> str:
        """Who issues the report: the municipality, with the owner's department where the plan names it."""
        return " ".join(filter(None, (self.plan.municipality.name, self.department)))

    @cached_property
    def home_header(self) -> str:
        """The summary list's first column: the top level's name when every indicator hangs on a
        top node (基本目標), else 所属."""
        views = self.indicators
        if views and all(v.home is not None and self.plan.depth(v.home) == 0 for v in views):
            return level_name(self.plan, 0, self.lang) or self.t["node"]
        return self.t["home_node"]

    def home_text(self, view: IndicatorView) -> str:
        """Where an indicator lives, for the summary: its top node as plan JSON version 1 wrote
        it (Sapporo's 1), or its home node's code; 計画全体 for a plan-level indicator."""
        if view.home is None:
            return self.t["all_goals"]
        return view.home

    @property
    def data_files(self) -> tuple[str, ...]:
        """The files the CSV renderer writes for this plan, in the order it writes them."""
        return csv_file_names(self.plan)


CHART_LIMIT = 1000  # beyond this many indicators, charts are left out unless asked for


# Every file the CSV renderer may write, in the order it writes them: a report written with CSV
# over an older one removes those it does not write this time (reports/writer.py).
CSV_FILES = (
    "observations.csv",
    "targets.csv",
    "evaluations.csv",
    "baselines.csv",
    "costs.csv",
    "ratings.csv",
    "comments.csv",
    "tallies.csv",
)


def csv_file_names(plan: Plan) -> tuple[str, ...]:
    """observations, targets and evaluations always; the others where the plan has such rows."""
    every = (plan, *plan.nodes)
    has = {
        "baselines.csv": any(i.baselines for i in plan.indicators),
        "costs.csv": any(x.costs for x in every),
        "ratings.csv": any(x.ratings for x in every) or any(i.ratings for i in plan.indicators),
        "comments.csv": any(x.comments for x in every) or any(i.comments for i in plan.indicators),
        "tallies.csv": any(x.tallies for x in every),
    }
    return tuple(name for name in CSV_FILES if has.get(name, True))


def build_report(
    plan: Plan,
    *,
    evaluation_fy: int | None = None,
    lang: str = "ja",
    today: dt.date | None = None,
    charts: bool | None = None,
    printed: bool = True,
) -> Report:
    """``charts``: None draws them for plans of up to CHART_LIMIT indicators (each takes ~50 ms).
    ``printed=False``: a report that will not be printed (no PDF among its formats) leaves out each
    chart's alternative text, which only the PDF carries (a tenth of building the model)."""
    evaluation = evaluate_plan(plan, evaluation_fy=evaluation_fy)
    t = TEXT[lang]
    draw = len(plan.indicators) <= CHART_LIMIT if charts is None else charts
    e_fy = evaluation.evaluation_fy
    scale = evaluation.scale  # the words of every status: a city's own bands carry their own
    views = {
        i.code: indicator_view(
            plan, i, evaluation.indicators[i.code], e_fy, lang, draw, scale=scale, printed=printed
        )
        for i in plan.indicators
    }
    sections = tuple(_sections(plan, evaluation, lang, views))
    params = {
        k: v for k, v in evaluation.params.as_dict().items() if k not in ("bands", "rollup")
    }  # in words
    params["baseline_fy"] = evaluation.baseline_fy
    shown = {k: _param_text(v, lang) for k, v in params.items()}
    shown["baseline_fy"] = fy_label(evaluation.baseline_fy, lang, western=True)
    shown["horizon"] = horizon_label(str(params["horizon"]), lang)
    return Report(
        plan=plan,
        evaluation=evaluation,
        lang=lang,
        generated_on=today or dt.date.today(),
        sections=sections,
        t=t,
        method_lines=method_lines(evaluation.params, lang, evaluation.baseline_fy),
        parameters=tuple((k, PARAM_TEXT[lang].get(k, k), shown[k]) for k in params),
        status_order=tuple((s, status_label(s, lang, scale)) for s in evaluation.overall),
        charts=draw,
        facts=_plan_facts(plan, evaluation, lang),
        city_method=_lines(plan.method.description),
        sources=tuple(
            SourceView(s.title, s.url, s.date.isoformat() if s.date else "", s.note) for s in plan.sources
        ),
        revisions=tuple(_revision(r, lang) for r in plan.revisions),
        scales=tuple(_scale_table(plan, s, lang, scale) for s in plan.rating_scales),
    )


def _param_text(value: object, lang: str) -> str:
    if isinstance(value, bool):
        return ("はい" if value else "いいえ") if lang == "ja" else ("yes" if value else "no")
    if value is None:
        return "—"
    return str(value)


# --- words for values -------------------------------------------------------------------


def year_text(fy: int, period: str, lang: str, *, western: bool = False) -> str:
    """A year as the report writes it: 平成28年度 (2016); a calendar year as 令和7年 (2025) / 2025."""
    if period != CALENDAR_YEAR:
        return fy_label(fy, lang, western=western)
    if lang != "ja":
        return str(fy)
    return format_fiscal_year(fy, western=western).replace("年度", "年")


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
    return text + sample_text(obs, ind, lang)


def sample_text(figure: Observation | Baseline, ind: Indicator, lang: str = "ja") -> str:
    """A survey figure's own error as the report prints it: ' (n=1,523、±2.3)'; the margin is the
    survey's where it states one, else the 95 % half-width its n gives (a share only)."""
    if figure.value is None or (figure.sample_size is None and figure.margin is None):
        return ""
    parts = []
    if figure.sample_size is not None:
        parts.append(f"n={figure.sample_size:,}")
    sample = surveys.sample_of(figure, ind.unit)
    if sample is not None:
        parts.append(f"±{sample.half_width():.1f}")
    return f" ({'、'.join(parts)})" if lang == "ja" else f" ({', '.join(parts)})"


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


def baseline_value_text(b: Baseline, ind: Indicator, lang: str) -> str:
    """A baseline's value and year: '74.3%（2025年）', '—' where the document states none."""
    if b.value is None and not b.text:
        return "—"
    value = b.text if b.value is None else format_value(b.value, ind.unit, ind.display_places)
    if b.approximate and b.value is not None:
        value = ("約" if lang == "ja" else "≈") + value
    value += sample_text(b, ind, lang)
    if b.fy is None:
        return value
    year = year_text(b.fy, b.period, lang)
    return f"{value}（{year}）" if lang == "ja" else f"{value} ({year})"


def baseline_text(ind: Indicator, lang: str, series: str = "") -> str:
    """The indicator's own baseline as the report writes it: '初期値 32.0%（平成27年度）', or '' without one."""
    b = ind.baseline(series)
    if b is None:
        return ""
    label = b.label or ("基準値" if lang == "ja" else "Baseline")
    return f"{label} {baseline_value_text(b, ind, lang)}"


def horizon_name(plan: Plan, horizon: str, kind: str, lang: str, fy: int | None = None) -> str:
    """アクションプラン; 中間目標 and 年度目標 for the plan's waypoints; a higher plan's with its name."""
    higher = next((h for h in plan.higher_plans if h.horizon == horizon), None)
    name = horizon_label(horizon, lang, fallback=higher.label if higher else None)
    if kind == FINAL:
        return name
    t = TEXT[lang]
    part = t["midterm"] if kind == MIDTERM else t["annual"]
    if horizon == PLAN_HORIZON:
        return part
    return f"{name} {part}" if lang == "en" else f"{name}・{part}"


def _horizon_view(plan: Plan, j: Judgement, ind: Indicator, lang: str, scale: Statuses) -> HorizonView:
    return HorizonView(
        horizon=j.horizon,
        label=horizon_name(plan, j.horizon, j.kind, lang),
        fy_text=fy_label(j.target.fy, lang, western=True) if j.target else "—",
        status=j.status,
        status_label=status_label(j.status, lang, scale),
        progress=progress_label(j.progress, lang),
        pace=_percent(j.pace),
        explanation=explain_judgement(j, ind, lang, scale),
        kind=j.kind,
        target_text=target_text(j.target, ind, lang),
    )


def latest_actual(ind: Indicator, evaluation_fy: int, series: str = "") -> Observation | None:
    """The newest full-year value of a series up to the evaluation year, judged or not (参考
    indicators too): a figure, or a milestone's state."""
    actuals = [
        o
        for o in ind.observations
        if o.kind == ACTUAL
        and o.series == series
        and (o.value is not None or o.text)
        and o.fy <= evaluation_fy
    ]
    return max(actuals, key=lambda o: o.fy, default=None)


def indicator_view(
    plan: Plan,
    ind: Indicator,
    e: Evaluation,
    e_fy: int,
    lang: str,
    charts: bool,
    *,
    scale: Statuses,
    printed: bool = True,
) -> IndicatorView:
    """Everything a page shows of one indicator: the report's section and the public page alike.
    ``scale``: the statuses of the plan's evaluation (``PlanEvaluation.scale``, ``plan_scale``), whose
    words every label and sentence uses. ``printed``: with the chart's alternative text, which only
    the printed report (PDF) carries."""
    h = e.headline
    scales = plan.rating_scales_by_key  # a disagreement names the city's scale, not its key
    latest = latest_actual(ind, e_fy, h.series)
    latest_text = observation_text(latest, ind, lang) if latest else "—"
    if latest and h.series:  # judged by one of its series: say which
        latest_text += f"（{h.series}）" if lang == "ja" else f" ({h.series})"
    return IndicatorView(
        indicator=ind,
        evaluation=e,
        status=h.status,
        status_label=status_label(h.status, lang, scale),
        explanation=explain(e, ind, lang, scales, scale),
        notes=tuple(explain_flags(e, ind, lang, scales)),
        latest_text=latest_text,
        latest_year=year_text(latest.fy, latest.period, lang, western=True) if latest else "",
        target_text=target_text(h.target, ind, lang) if h.target else "—",
        target_year=fy_label(h.target.fy, lang, western=True) if h.target else "",
        progress=progress_label(h.progress, lang),
        pace=_percent(h.pace),
        horizons=tuple(_horizon_view(plan, j, ind, lang, scale) for j in e.by_horizon),
        chart=indicator_chart(plan, ind, e, e_fy, lang, scale=scale, narrow=False) if charts else None,
        series=tuple(_series_view(ind, s, e_fy, lang, scale) for s in e.series),
        baseline_text=baseline_text(ind, lang),
        ratings=tuple(rating_views(plan, ind.ratings, e.headline.status, e_fy, lang, scale)),
        definition=definition_card(plan, ind, lang),
        comments=tuple(comment_views(ind.comments, lang)),
        home=ind.node,
        type_label=INDICATOR_TYPE_LABELS[lang].get(ind.type or "", ""),
        also_text=_also_text(plan, ind, lang),
        chart_alt=chart_alt(plan, ind, e, e_fy, lang, scale) if charts and printed else "",
    )


def _also_text(plan: Plan, ind: Indicator, lang: str) -> str:
    others = [plan.node(code) for code in dict.fromkeys(ind.nodes[1:]) if code != ind.node]
    titles = [node_title(plan, n, lang) for n in others if n is not None]
    if not titles:
        return ""
    return TEXT[lang]["also_under"].format(titles=("、" if lang == "ja" else ", ").join(titles))


def definition_card(plan: Plan, ind: Indicator, lang: str) -> tuple[tuple[str, str], ...]:
    """The indicator as the plan documents it: what, how, from where, when, why. Empty when the
    plan documents none of it (Sapporo's sheet does not): its department is shown with the card."""
    t = TEXT[lang]
    documented = [(t[key], getattr(ind, key)) for key in DOCUMENTATION if getattr(ind, key)]
    changes = []
    if ind.added_in:
        changes.append((t["added_in"], _revision_name(plan, ind.added_in, lang)))
    if ind.dropped_in:
        changes.append((t["dropped_in"], _revision_name(plan, ind.dropped_in, lang)))
    if ind.carried_from:
        changes.append((t["carried_from"], ind.carried_from))
    if not documented and not changes:
        return ()
    card: list[tuple[str, str]] = []
    if ind.type:
        card.append((t["type"], INDICATOR_TYPE_LABELS[lang].get(ind.type, ind.type)))
    card += documented
    if ind.department:
        card.append((t["department"], department_name(plan, ind.department)))
    if ind.related_departments:
        card.append(
            (t["related_departments"], "、".join(department_name(plan, d) for d in ind.related_departments))
        )
    return tuple(card + changes)


def department_name(plan: Plan, code: str) -> str:
    return next((d.name for d in plan.departments if d.code == code), code)


def _revision_name(plan: Plan, code: str, lang: str) -> str:
    revision = plan.revision(code)
    if revision is None:
        return code
    return (
        f"{revision.title}（{fy_label(revision.fy, lang)}）"
        if lang == "ja"
        else f"{revision.title} ({fy_label(revision.fy, lang)})"
    )


def _series_view(ind: Indicator, e: SeriesEvaluation, e_fy: int, lang: str, scale: Statuses) -> SeriesView:
    h = e.headline
    latest = latest_actual(ind, e_fy, e.series)
    return SeriesView(
        label=e.series,
        status=h.status,
        status_label=status_label(h.status, lang, scale),
        latest_text=observation_text(latest, ind, lang) if latest else "—",
        latest_year=year_text(latest.fy, latest.period, lang, western=True) if latest else "",
        target_text=target_text(h.target, ind, lang) if h.target else "—",
        target_year=fy_label(h.target.fy, lang, western=True) if h.target else "",
        progress=progress_label(h.progress, lang),
        explanation=explain_judgement(h, ind, lang, scale),
        baseline_text=baseline_text(ind, lang, e.series),
    )


def rating_views(
    plan: Plan, ratings: Iterable[Rating], status: str, e_fy: int, lang: str, statuses: Statuses | None = None
) -> Iterator[RatingView]:
    """The city's ratings, newest first, each with whether machiplan's status agrees with it."""
    for rating in sorted(ratings, key=lambda r: -r.fy):
        scale = plan.rating_scale(rating.scale)
        grade = scale.grade(rating.grade) if scale else None
        agrees = None
        if grade is not None and grade.statuses and rating.fy == e_fy and status not in (NO_DATA, NO_TARGET):
            agrees = status in grade.statuses
        meaning = (
            (grade.label_en or grade.label) if grade and lang == "en" else (grade.label if grade else "")
        )
        name = (
            (scale.name_en or scale.name)
            if scale and lang == "en"
            else (scale.name if scale else rating.scale)
        )
        disagreement = (
            TEXT[lang]["disagrees"].format(status=status_label(status, lang, statuses))
            if agrees is False
            else ""
        )
        yield RatingView(
            fy_label(rating.fy, lang), name, rating.grade, meaning, agrees, rating.note, disagreement
        )


def comment_views(comments: Iterable[Comment], lang: str) -> Iterator[CommentView]:
    """Oldest first, as the review went: internal, then the committee, then the council."""
    for c in comments:
        who = [c.body_name] if c.body_name else []
        if c.date:
            who.append(format_date(c.date) if lang == "ja" else c.date.isoformat())
        label = BODY_LABELS[lang].get(c.body, c.body)
        extra = (
            ("（" + "、".join(who) + "）")
            if who and lang == "ja"
            else (f" ({', '.join(who)})" if who else "")
        )
        yield CommentView(f"{fy_label(c.fy, lang)} {label}{extra}", c.text, c.body)


# --- tables of costs, ratings and tallies --------------------------------------------------


def _money(value: Decimal | None, unit: str) -> str:
    return "" if value is None else f"{format_number(value)}{unit}"


def _period(start: int, end: int, lang: str) -> str:
    if start == end:
        return fy_label(start, lang)
    return f"{fy_label(start, lang)}〜{fy_label(end, lang)}" if lang == "ja" else f"FY{start}–FY{end}"


def cost_table(costs: tuple[Cost, ...], lang: str) -> Table | None:
    """Planned beside spent, per period, account and unit: 事業費, 進捗率 where both exist,
    一般財源 and 事業数; the figures in the unit the city wrote them in. A column no row fills
    is left out."""
    if not costs:
        return None
    t = TEXT[lang]
    groups: dict[tuple, dict[str, list[Cost]]] = {}
    for c in costs:
        groups.setdefault((c.start_fy, c.end_fy, c.account, c.unit), {PLANNED: [], SPENT: []})[
            c.basis
        ].append(c)
    with_accounts = any(c.account for c in costs)
    rows = []
    for (start, end, account, unit), by_basis in groups.items():
        for planned, spent in zip_longest(by_basis[PLANNED], by_basis[SPENT]):
            labels = list(dict.fromkeys(c.label for c in (planned, spent) if c is not None and c.label))
            rate = ""
            if planned is not None and spent is not None and planned.amount and spent.amount is not None:
                rate = f"{spent.amount / planned.amount * 100:.1f}%"
            rows.append(
                (
                    _period(start, end, lang),
                    (account or t["all_accounts"]) if with_accounts else "",
                    " / ".join(labels),
                    _money(planned.amount, unit) if planned else "",
                    _money(spent.amount, unit) if spent else "",
                    rate,
                    _money(planned.general_revenue, unit) if planned else "",
                    _money(spent.general_revenue, unit) if spent else "",
                    str(planned.projects) if planned and planned.projects is not None else "",
                    str(spent.projects) if spent and spent.projects is not None else "",
                )
            )
    header = (t["cost_period"], t["account"], t["cost_item"], t["amount_planned"], t["amount_actual"],
              t["cost_rate"], t["revenue_planned"], t["revenue_actual"], t["projects_planned"], t["projects_actual"])  # fmt: skip
    numeric = (False, False, False, True, True, True, True, True, True, True)
    keep = [n for n in range(len(header)) if n == 0 or any(row[n] for row in rows)]
    return Table(
        t["costs"],
        tuple(header[n] for n in keep),
        tuple(tuple(row[n] for n in keep) for row in rows),
        tuple(numeric[n] for n in keep),
    )


def ratings_table(plan: Plan, ratings: tuple[Rating, ...], lang: str) -> Table | None:
    """The city's ratings of a node or of the plan, newest first."""
    if not ratings:
        return None
    t = TEXT[lang]
    rows = tuple(
        (v.fy_text, v.scale, v.grade, v.meaning, v.note)
        for v in rating_views(plan, ratings, NO_TARGET, 0, lang)
    )
    header = (t["year"], t["scale"], t["grade"], t["meaning"], t["note"])
    keep = [n for n in range(len(header)) if n < 3 or any(row[n] for row in rows)]
    return Table(
        t["city_ratings"], tuple(header[n] for n in keep), tuple(tuple(r[n] for n in keep) for r in rows)
    )


def tally_tables(
    plan: Plan, tallies: tuple[Tally, ...], counts: dict[str, int] | None, evaluation_fy: int, lang: str
) -> tuple[Table, ...]:
    """The city's counts of its indicators per grade, one table per year and scale; beside each
    grade that names machiplan's statuses, machiplan's count of the same (``counts``: the
    statuses of the indicators in scope, None when there are none)."""
    t = TEXT[lang]
    groups: dict[tuple[int, str], list[Tally]] = {}
    for tally in tallies:
        groups.setdefault((tally.fy, tally.scale), []).append(tally)
    tables = []
    for (fy, key), group in sorted(groups.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
        scale = plan.rating_scale(key)
        name = ((scale.name_en or scale.name) if lang == "en" else scale.name) if scale else key
        compare = (
            counts is not None
            and fy == evaluation_fy
            and scale is not None
            and any(g.statuses for g in scale.grades)
        )
        rows = []
        for tally in group:
            grade = scale.grade(tally.grade) if scale else None
            meaning = ((grade.label_en or grade.label) if lang == "en" else grade.label) if grade else ""
            ours = ""
            if compare and grade is not None and grade.statuses:
                ours = str(sum(counts.get(s, 0) for s in grade.statuses))  # type: ignore[union-attr]
            rows.append((tally.grade, meaning, str(tally.count), ours, tally.note))
        rows.append((t["total"], "", str(sum(x.count for x in group)), "", ""))
        header = (t["grade"], t["meaning"], t["count"], t["machiplan_count"], t["note"])
        numeric = (False, False, True, True, False)
        keep = [n for n in range(len(header)) if n in (0, 2) or any(row[n] for row in rows)]
        caption = (
            f"{t['tallies']}：{name}（{fy_label(fy, lang)}）"
            if lang == "ja"
            else f"{t['tallies']}: {name} ({fy_label(fy, lang)})"
        )
        tables.append(
            Table(
                caption,
                tuple(header[n] for n in keep),
                tuple(tuple(r[n] for n in keep) for r in rows),
                tuple(numeric[n] for n in keep),
            )
        )
    return tuple(tables)


def _scale_table(plan: Plan, scale, lang: str, statuses: Statuses) -> Table:
    t = TEXT[lang]
    name = (scale.name_en or scale.name) if lang == "en" else scale.name
    rows = tuple(
        (
            g.code,
            (g.label_en or g.label) if lang == "en" else g.label,
            "、".join(status_label(s, lang, statuses) for s in g.statuses)
            if lang == "ja"
            else ", ".join(status_label(s, lang, statuses) for s in g.statuses),
        )
        for g in scale.grades
    )
    header = (t["grade"], t["meaning"], t["agreeing_statuses"])
    keep = [n for n in range(3) if n == 0 or any(r[n] for r in rows)]
    return Table(name, tuple(header[n] for n in keep), tuple(tuple(r[n] for n in keep) for r in rows))


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _revision(revision, lang: str) -> tuple[str, tuple[str, ...]]:
    head = (
        f"{revision.title}（{fy_label(revision.fy, lang)}〜）"
        if lang == "ja"
        else f"{revision.title} (from {fy_label(revision.fy, lang)})"
    )
    lines = []
    if revision.date:
        lines.append(format_date(revision.date) if lang == "ja" else revision.date.isoformat())
    if revision.reason:
        lines.append(revision.reason)
    lines += list(revision.changes)
    return head, tuple(lines)


def _plan_facts(plan: Plan, evaluation: PlanEvaluation, lang: str) -> PlanFacts:
    return PlanFacts(
        description=_lines(plan.description),
        costs=cost_table(plan.costs, lang),
        ratings=ratings_table(plan, plan.ratings, lang),
        comments=tuple(comment_views(plan.comments, lang)),
        tallies=tally_tables(
            plan,
            plan.tallies,
            evaluation.overall if plan.indicators else None,
            evaluation.evaluation_fy,
            lang,
        ),
    )


# --- sections -------------------------------------------------------------------------------


def _categories(indicators: tuple[Indicator, ...]) -> tuple[CategoryHeader, ...]:
    """Runs of equal category labels become one header cell spanning them, as in the sheet."""
    headers: list[CategoryHeader] = []
    for ind in indicators:
        if headers and headers[-1].label == ind.category and ind.category:
            headers[-1] = CategoryHeader(ind.category, headers[-1].span + 1)
        else:
            headers.append(CategoryHeader(ind.category, 1))
    return tuple(headers)


Children = dict[str | None, tuple[Node, ...]]


def children_index(plan: Plan) -> Children:
    """Each node's children in the plan's order, read once (Plan.children reads every node: for a
    plan of thousands of nodes, asking it of each would be quadratic)."""
    found: dict[str | None, list[Node]] = {}
    for node in plan.nodes:
        found.setdefault(node.parent, []).append(node)
    return {parent: tuple(nodes) for parent, nodes in found.items()}


def has_own_content(plan: Plan, node: Node, kids: Children | None = None) -> bool:
    """Whether a node gets a section of its own rather than a row in its parent's table."""
    return bool(
        plan.indicators_at(node.code)
        or (kids.get(node.code) if kids is not None else plan.children(node.code))
        or node.narratives
        or node.costs
        or node.ratings
        or node.comments
        or node.tallies
        or node.footnotes
        or node.statement
    )


def level_name(plan: Plan, depth: int, lang: str) -> str:
    level = plan.level(depth)
    return level.name if lang == "ja" else (level.name_en or level.name)


def node_label(plan: Plan, node: Node, lang: str) -> str:
    """基本目標1, 第1章 (a number that already names its level keeps it alone), (1) without a level."""
    depth = plan.depth(node.code)
    name = level_name(plan, depth, lang)
    label = node.label
    if not name or plan.level(depth).name in label:
        return label
    return f"{name}{label}" if lang == "ja" else f"{name} {label}"


def node_heading(plan: Plan, node: Node, lang: str) -> str:
    """基本目標1『参加』 / Basic goal 1: 参加 — the level's name, the node's number, its name."""
    label = node_label(plan, node, lang)
    if lang == "ja":
        return f"{label}『{node.name}』"
    return f"{label}: {node.name_en or node.name}"


def node_title(plan: Plan, node: Node, lang: str) -> str:
    """基本目標1 参加: the node in a list or a table's row."""
    if lang == "ja":
        return f"{node_label(plan, node, lang)} {node.name}"
    return node_heading(plan, node, lang)


def node_anchor(plan: Plan, code: str) -> str:
    return ("goal-" if plan.depth(code) == 0 else "node-") + code


def _node_info(plan: Plan, node: Node, lang: str) -> tuple[tuple[str, str], ...]:
    t = TEXT[lang]
    info = []
    if node.department:
        info.append((t["department"], department_name(plan, node.department)))
    if node.related_departments:
        info.append(
            (t["related_departments"], "、".join(department_name(plan, d) for d in node.related_departments))
        )
    if node.related_plans:
        info.append((t["related_plans"], "、".join(node.related_plans)))
    return tuple(info)


def _listed_heading(plan: Plan, label: str, initiatives: bool, lang: str) -> str:
    t = TEXT[lang]
    priority = any(n.priority for n in plan.nodes)
    if lang == "ja":
        return label + ("（◎重点施策）" if priority else "") + ("・実施した主な取組" if initiatives else "")
    return (
        label + (" (◎ priority)" if priority else "") + (" and main initiatives" if initiatives else "")
        or t["node"]
    )


def _section(
    plan: Plan,
    node: Node | None,
    evaluation: PlanEvaluation,
    lang: str,
    views: dict[str, IndicatorView],
    kids: Children,
) -> NodeSection:
    t = TEXT[lang]
    e_fy = evaluation.evaluation_fy
    if node is None:
        indicators = tuple(i for i in plan.indicators if not i.nodes)
        return NodeSection(
            node=None,
            depth=0,
            level_name="",
            heading=t["plan_indicators"],
            anchor="plan-indicators",
            indicators=tuple(views[i.code] for i in indicators),
            categories=_categories(indicators),
            plan=plan,
            evaluation_fy=e_fy,
            lang=lang,
            counts=status_counts(evaluation.indicators[i.code].status for i in indicators),
            listed=(),
            listed_label="",
            title=t["plan_indicators"],
        )
    indicators = plan.indicators_at(node.code)
    depth = plan.depth(node.code)
    listed = tuple(c for c in kids.get(node.code, ()) if not has_own_content(plan, c, kids))
    listed_label = (level_name(plan, depth + 1, lang) or t["node"]) if listed else ""
    listed_initiatives = any(c.initiatives for c in listed)
    ancestors = plan.ancestors(node.code)
    elsewhere = frozenset(i.code for i in indicators if i.node != node.code)
    homes = {}
    for ind in indicators:
        if ind.code in elsewhere and ind.node is not None:
            home_node = plan.node(ind.node)
            if home_node is not None:
                homes[ind.code] = t["see_home"].format(title=node_title(plan, home_node, lang))
    scoped = evaluation.by_node.get(node.code, {})
    subsections = tuple(
        (node_anchor(plan, c.code), node_title(plan, c, lang))
        for c in kids.get(node.code, ())
        if has_own_content(plan, c, kids)
    )
    return NodeSection(
        node=node,
        depth=depth,
        level_name=level_name(plan, depth, lang),
        heading=node_heading(plan, node, lang),
        anchor=node_anchor(plan, node.code),
        indicators=tuple(views[i.code] for i in indicators),
        categories=_categories(indicators),
        plan=plan,
        evaluation_fy=e_fy,
        lang=lang,
        counts=scoped,
        listed=listed,
        listed_label=listed_label,
        ancestors=ancestors,
        title=node_title(plan, node, lang),
        breadcrumb=tuple((node_anchor(plan, a.code), node_title(plan, a, lang)) for a in ancestors),
        listed_heading=_listed_heading(plan, listed_label, listed_initiatives, lang) if listed else "",
        listed_initiatives=listed_initiatives,
        info=_node_info(plan, node, lang),
        initiatives=node.initiatives,
        costs=cost_table(node.costs, lang),
        ratings=ratings_table(plan, node.ratings, lang),
        comments=tuple(comment_views(node.comments, lang)),
        tallies=tally_tables(plan, node.tallies, scoped if sum(scoped.values()) else None, e_fy, lang),
        elsewhere=elsewhere,
        home_titles=homes,
        subsections=subsections,
        counts_text=_counts_text(scoped, lang, evaluation.scale) if subsections else "",
    )


def _counts_text(counts: dict[str, int], lang: str, scale: Statuses) -> str:
    shown = [f"{status_label(s, lang, scale)} {n}" for s, n in counts.items() if n]
    if not shown:
        return ""
    return (
        TEXT[lang]["counts_below"]
        + ("：" if lang == "ja" else ": ")
        + ("、" if lang == "ja" else ", ").join(shown)
    )


def status_counts_of(indicators: tuple[Indicator, ...], evaluation: PlanEvaluation) -> dict[str, int]:
    return status_counts(evaluation.indicators[i.code].status for i in indicators)


def _tree(kids: Children, parent: str | None = None) -> Iterator[Node]:
    """Every node, each parent followed by its subtree, siblings in the plan's order."""
    for child in kids.get(parent, ()):
        yield child
        yield from _tree(kids, child.code)


def _sections(plan: Plan, evaluation: PlanEvaluation, lang: str, views: dict[str, IndicatorView]):
    kids = children_index(plan)
    if any(not i.nodes for i in plan.indicators):
        yield _section(plan, None, evaluation, lang, views, kids)
    for node in _tree(kids):
        if node.parent is None or has_own_content(plan, node, kids):
            yield _section(plan, node, evaluation, lang, views, kids)


# --- the indicator table of a section ---------------------------------------------------------


def _short_fy(fy: int, lang: str, plan: Plan | None = None) -> str:
    """H29; a Reiwa year of a plan written in Heisei also as the plan wrote it: R4（H34）."""
    if lang != "ja":
        return f"FY{fy}"
    text = format_fiscal_year(fy, style="short")
    if plan is not None and plan.start_fy < 2019 <= fy:
        text += f"（H{fy - 1988}）"
    return text


def _joined(parts: list[tuple[str, str]], lang: str) -> str:
    """Several series in one cell: '小学6年生 83.5%／中学3年生 64.2%'."""
    shown = [(label, text) for label, text in parts if text != "—"]
    if not shown:
        return "—"
    return ("／" if lang == "ja" else " / ").join(f"{label} {text}" for label, text in shown)


def _cell(
    ind: Indicator, headline: Cell | None, series_text: Callable[[str], str], lang: str, kind: str
) -> Cell:
    """The headline's cell; where the headline says nothing and the indicator is reported in
    series (学年別), each series' text in one cell."""
    if headline is not None and (headline.text != "—" or not ind.series):
        return headline
    if ind.series:
        text = _joined([(s, series_text(s)) for s in ind.series], lang)
        if text != "—":
            return Cell(text, kind)
    return headline or EMPTY


def _has_headline(ind: Indicator) -> bool:
    return "" in ind.all_series


def _year_rows(plan: Plan, indicators: tuple[Indicator, ...], evaluation_fy: int, lang: str) -> list[YearRow]:
    t = TEXT[lang]
    rows: list[YearRow] = []
    if not indicators:
        return rows

    def baseline_of(ind: Indicator, series: str) -> str:
        b = ind.baseline(series)
        return baseline_value_text(b, ind, lang) if b else "—"

    if any(i.baselines for i in indicators):  # the indicators' own baselines (初期値, 現状値)
        labels = {b.label for i in indicators for b in i.baselines if b.label}
        cells = []
        for ind in indicators:
            text = baseline_of(ind, "")
            head = _text_cell(text, "baseline") if _has_headline(ind) else None
            cells.append(_cell(ind, head, lambda s, ind=ind: baseline_of(ind, s), lang, "baseline"))
        label = labels.pop() if len(labels) == 1 else t["baseline"]
        rows.append(YearRow(label, "baseline", None, tuple(cells)))
    years = sorted({o.fy for i in indicators for o in i.observations if o.fy <= evaluation_fy})

    def observed(ind: Indicator, fy: int, series: str) -> str:
        o = ind.observation(fy, series)
        return observation_text(o, ind, lang) if o else "—"

    for fy in years:
        observations = [o for i in indicators for o in i.observations if o.fy == fy]
        all_actual = all(o.kind == ACTUAL for o in observations)
        kind = "actual" if fy < evaluation_fy or all_actual else "status"
        suffix = t["actual_suffix"] if kind == "actual" else t["status_suffix"]
        cells = []
        for ind in indicators:
            o = ind.observation(fy)
            head = (
                (Cell(observation_text(o, ind, lang), o.kind) if o else EMPTY) if _has_headline(ind) else None
            )
            cells.append(_cell(ind, head, lambda s, ind=ind, fy=fy: observed(ind, fy, s), lang, "actual"))
        calendar = bool(observations) and all(o.period == CALENDAR_YEAR for o in observations)
        year = (f"{fy}年" if lang == "ja" else f"{fy}") if calendar else _short_fy(fy, lang)
        rows.append(YearRow(f"{year}{suffix}", kind, fy, tuple(cells)))

    def aimed(ind: Indicator, horizon: str, series: str) -> str:
        return target_text(ind.target(horizon, series), ind, lang)

    horizons = [PLAN_HORIZON] + [h.horizon for h in plan.higher_plans]
    horizons += sorted({tg.horizon for i in indicators for tg in i.targets} - set(horizons))
    for horizon in horizons:
        finals = [tg for i in indicators for tg in i.targets if tg.horizon == horizon and tg.kind == FINAL]
        if horizon != PLAN_HORIZON and not finals and not any(i.targets for i in indicators):
            continue
        years_of = [tg.fy for tg in (i.target(horizon) for i in indicators) if tg is not None]
        years_of = years_of or [tg.fy for tg in finals]
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
        cells = []
        for ind in indicators:
            tg = ind.target(horizon)
            head = (
                (Cell(target_text(tg, ind, lang), "target") if tg else EMPTY) if _has_headline(ind) else None
            )
            cells.append(_cell(ind, head, lambda s, ind=ind, h=horizon: aimed(ind, h, s), lang, "target"))
        rows.append(YearRow(label, "target", fy, tuple(cells), horizon))
    # the waypoints: 中間目標 and each year's 年度目標, in the order of their years
    waypoints = sorted(
        {
            (tg.fy, horizons.index(tg.horizon) if tg.horizon in horizons else 99, tg.horizon, tg.kind)
            for i in indicators
            for tg in i.targets
            if tg.kind != FINAL
        }
    )

    def waypoint(ind: Indicator, fy: int, horizon: str, kind: str, series: str) -> str:
        found = [
            tg for tg in ind.targets if (tg.fy, tg.horizon, tg.kind, tg.series) == (fy, horizon, kind, series)
        ]
        return target_text(found[-1], ind, lang) if found else "—"

    for fy, _, horizon, kind in waypoints:
        name = horizon_name(plan, horizon, kind, lang)
        label = (
            f"{_short_fy(fy, lang, plan)}{name}"
            if kind == ANNUAL and horizon == PLAN_HORIZON and lang == "ja"
            else f"{name} {_short_fy(fy, lang, plan)}"
        )
        cells = []
        for ind in indicators:
            text = waypoint(ind, fy, horizon, kind, "")
            head = _text_cell(text, "target") if _has_headline(ind) else None
            cells.append(
                _cell(
                    ind, head, lambda s, ind=ind, a=(fy, horizon, kind): waypoint(ind, *a, s), lang, "target"
                )
            )
        rows.append(YearRow(label, "target", fy, tuple(cells), horizon, kind))
    return rows


def as_context(report: Report) -> dict[str, Any]:
    t = report.t
    count_rows = [{"label": t["all_goals"], "counts": list(report.evaluation.overall.values())}]
    count_rows += [{"label": s.title, "counts": list(s.counts.values())} for s in report.top_sections]
    return {
        "report": report,
        "plan": report.plan,
        "t": t,
        "count_rows": count_rows,
        "count_header": level_name(report.plan, 0, report.lang) or t["node"],
        "evaluation_year_text": report.fy(report.evaluation.evaluation_fy),
    }


def decimal_or_none(value: Decimal | None) -> str:
    return "" if value is None else format_number(value).replace(",", "")
