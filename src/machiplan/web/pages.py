"""What each public page shows: plain data built from the plan and its evaluation, which the
templates only lay out.

Names the plan gives (a node's, a level's, an indicator's) are shown in the page's language
where the plan has them; an English page that falls back to the Japanese name says so
(``Text`` renders ``<span lang="ja">``), and so does everything the city wrote only in
Japanese (statements, narratives, comments).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from machiplan.domain.evaluation import Evaluation, PlanEvaluation
from machiplan.domain.fiscal import format_date
from machiplan.domain.labels import EASY, fy_label, horizon_label, unit_en, unit_known_en, yen_en
from machiplan.domain.method_text import method_lines, method_lines_easy, method_title
from machiplan.domain.plan import (
    ACTUAL,
    CALENDAR_YEAR,
    NONE,
    PLAN_HORIZON,
    SPENT,
    Comment,
    Cost,
    Indicator,
    Narrative,
    Node,
    Plan,
    Rating,
    Tally,
)
from machiplan.domain.quantities import format_number
from machiplan.reports.charts import Chart
from machiplan.reports.model import IndicatorView, indicator_view, node_heading, rating_views

from . import status as statuses
from .status import Scale, StatusView
from .text import (
    COMMENT_BODIES,
    COST_BASES,
    INDICATOR_TYPES,
    MEASURES,
    NARRATIVE_KINDS,
    OBSERVATION_KINDS,
    TARGET_KINDS,
    WEB_TEXT,
    data_lang,
)
from .values import (
    Progress,
    baseline_text,
    change_text,
    in_english,
    observation_text,
    progress_of,
    target_text,
)

# Hiragana, katakana, CJK ideographs and the full-width forms: text a Japanese font should show.
_JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


# --- words in a language ------------------------------------------------------------------


class Text(str):
    """Words on a page; ``lang`` is set when they are not in the page's language.

    A ``str`` (Django's templates turn anything else into one before escaping it), whose
    ``__html__`` marks the language: ``<span lang="ja">参加</span>`` on an English page."""

    lang: str | None
    fallback: bool  # an English page's name the plan gives only in Japanese: marked [Japanese only]

    def __new__(cls, text: str, lang: str | None = None, fallback: bool = False) -> Text:
        self = super().__new__(cls, text)
        self.lang = lang
        self.fallback = fallback
        return self

    @property
    def text(self) -> str:
        return str.__str__(self)

    def __html__(self) -> str:
        if self.lang and self:
            marker = (
                format_html(' <small class="ja-only">{}</small>', WEB_TEXT["en"]["japanese_only"])
                if self.fallback
                else ""
            )
            return format_html('<span lang="{}">{}</span>{}', self.lang, self.text, marker)
        return escape(self.text)


def localized(ja: str, en: str | None, lang: str) -> Text:
    """The plan's English name on an English page where it gives one, else its Japanese name,
    marked lang="ja" and [Japanese only]."""
    if lang == "en":
        if en:
            return Text(en)
        shown = city_text(ja, lang)
        return Text(shown.text, shown.lang, fallback=bool(shown.lang))
    return Text(ja)


def city_text(text: str, lang: str) -> Text:
    """Words the city wrote, whatever their language: marked Japanese on an English page when they are."""
    return Text(text, "ja" if lang == "en" and _JAPANESE.search(text) else None)


class NodeTitle(str):
    """A node's heading: 基本目標1『参加』 / Basic goal 1: 参加 (the plain text is the string), and its
    short form 基本目標1 (breadcrumbs, neighbours)."""

    level: Text  # the plan's name for its level; empty when the number already says it (第1章)
    label: str  # its number among its siblings: 1, Ⅰ, (1), 第1章
    name: Text
    lang: str

    def __new__(cls, text: str, *, level: Text, label: str, name: Text, lang: str) -> NodeTitle:
        self = super().__new__(cls, text)
        self.level, self.label, self.name, self.lang = level, label, name, lang
        return self

    @property
    def text(self) -> str:
        return str.__str__(self)

    def __html__(self) -> str:
        if self.lang != "en":
            return escape(self.text)
        if self.level:
            return format_html("{} {}: {}", self.level, self.label, self.name)
        return format_html("{}: {}", self.label, self.name)

    @property
    def short(self) -> SafeString:
        if not self.level:
            return format_html("{}", self.label)
        return format_html("{}{}" if self.lang != "en" else "{} {}", self.level, self.label)

    @property
    def short_text(self) -> str:
        if not self.level:
            return self.label
        return f"{self.level}{self.label}" if self.lang != "en" else f"{self.level} {self.label}"


def node_title(plan: Plan, node: Node, lang: str) -> NodeTitle:
    level = plan.level(plan.depth(node.code))
    shown = localized(level.name, level.name_en, lang) if level.name else Text("")
    names_its_level = bool(level.name) and level.name in node.label and not (lang == "en" and level.name_en)
    name = localized(node.name, node.name_en, lang)
    if names_its_level:  # 第1章 on the level 章: not 章第1章
        shown = Text("")
        text = f"{node.label}『{node.name}』" if lang != "en" else f"{node.label}: {name}"
    else:
        text = node_heading(plan, node, data_lang(lang))
    return NodeTitle(text, level=shown, label=node.label, name=name, lang=lang)


def level_text(plan: Plan, depth: int, lang: str) -> Text:
    level = plan.level(depth)
    return localized(level.name, level.name_en, lang) if level.name else Text("")


def words(lang: str, key: str, **values: object) -> str:
    return WEB_TEXT[lang][key].format(**values)


def unit_words(unit: str | None, lang: str) -> Text:
    """An indicator's unit: in English on an English page where it has an English word."""
    if not unit:
        return Text("—")
    if lang == "en" and unit_known_en(unit):
        return Text(
            {"円": "yen", "千円": "thousand yen", "百万円": "million yen", "億円": "100 million yen"}.get(
                unit
            )
            or unit_en(unit)
        )
    return city_text(unit, lang)


def year_text(fy: int, lang: str, period: str = "fy") -> str:
    """平成29年度 (2017) / FY2017; a calendar year: 2025年 / 2025."""
    if period == CALENDAR_YEAR:
        return f"{fy}年" if lang != "en" else str(fy)
    return fy_label(fy, data_lang(lang), western=True)


def paragraphs(text: str, lang: str) -> tuple[Text, ...]:
    return tuple(city_text(line.strip(), lang) for line in text.splitlines() if line.strip())


# --- links ---------------------------------------------------------------------------------


def with_lang(url: str, lang: str) -> str:
    return f"{url}?lang={lang}"


def plan_url(plan: Plan, lang: str) -> str:
    return with_lang(reverse("web:plan", args=[plan.code]), lang)


def node_url(plan: Plan, code: str, lang: str) -> str:
    """The node's page; ``reverse`` percent-encodes the city's codes (Ⅰ-1-(1) → %E2%85%A0-1-(1))."""
    return with_lang(reverse("web:node", args=[plan.code, code]), lang)


def indicator_url(plan: Plan, code: str, lang: str) -> str:
    return with_lang(reverse("web:indicator", args=[plan.code, code]), lang)


@dataclass(frozen=True)
class Counts:
    """Status counts of the indicators at and below a node, in the order of the plan's scale."""

    values: dict[str, int]
    scale: Scale

    @property
    def total(self) -> int:
        return sum(self.values.values())

    @property
    def nonzero(self) -> list[tuple[StatusView, int]]:
        order = [s.code for s in self.scale] + [c for c in self.values if c not in self.scale.views]
        return [(self.scale(c), self.values[c]) for c in order if self.values.get(c)]

    @property
    def ordered(self) -> list[int]:
        return [self.values.get(s.code, 0) for s in self.scale]


@dataclass(frozen=True)
class NodeLink:
    node: Node
    title: NodeTitle
    url: str
    counts: Counts | None = None
    initiatives: tuple = ()


def node_link(
    plan: Plan, node: Node, lang: str, evaluation: PlanEvaluation | None = None, scale: Scale | None = None
) -> NodeLink:
    counts = None
    if evaluation is not None:
        counts = Counts(evaluation.by_node.get(node.code, {}), scale or Scale.of_evaluation(evaluation, lang))
    return NodeLink(
        node=node,
        title=node_title(plan, node, lang),
        url=node_url(plan, node.code, lang),
        counts=counts,
        initiatives=tuple(
            (city_text(i.text, lang), tuple(city_text(f, lang) for f in i.facts)) for i in node.initiatives
        ),
    )


@dataclass(frozen=True)
class Crumb:
    label: object  # Text, NodeTitle.short or str
    url: str | None  # None: this page


def crumbs(plan: Plan, lang: str, *trail: Crumb) -> tuple[Crumb, ...]:
    return (
        Crumb(words(lang, "plans"), with_lang(reverse("web:plans"), lang)),
        Crumb(localized(plan.title, plan.title_en, lang), plan_url(plan, lang)),
        *trail,
    )


def node_crumbs(plan: Plan, node: Node, lang: str) -> list[Crumb]:
    return [
        Crumb(node_title(plan, a, lang).short, node_url(plan, a.code, lang))
        for a in plan.ancestors(node.code)
    ]


# --- the facts the city published of a node or of the whole plan ------------------------


@dataclass(frozen=True)
class CostRow:
    period: str
    basis: str
    actual: bool
    label: Text
    account: Text
    amount: str
    general_revenue: str
    projects: str
    rate: str  # an actual row's amount as a share of the matching planned row's: '74.2%'


def _amount(value: Decimal | None, unit: str, lang: str = "ja") -> str:
    if value is None:
        return "—"
    return yen_en(value, unit) if lang == "en" else f"{format_number(value)}{unit}"


def _period(start: int, end: int, lang: str) -> str:
    if start == end:
        return fy_label(start, lang)
    if lang != "en":
        return f"{fy_label(start, lang)}〜{fy_label(end, lang)}"
    return f"FY{start}–{end}"


def cost_rows(costs: Iterable[Cost], lang: str) -> tuple[CostRow, ...]:
    """Each row as the city wrote it (amounts in its unit), an actual one with its share of the plan."""
    costs = tuple(costs)
    planned = {
        (c.start_fy, c.end_fy, c.account, c.unit): c
        for c in costs
        if c.basis != SPENT and c.amount is not None
    }
    rows = []
    for c in costs:
        rate = ""
        plan_row = planned.get((c.start_fy, c.end_fy, c.account, c.unit)) if c.basis == SPENT else None
        if plan_row is not None and c.amount is not None and plan_row.amount:
            rate = f"{c.amount / plan_row.amount * 100:.1f}%"
        rows.append(
            CostRow(
                period=_period(c.start_fy, c.end_fy, lang),
                basis=COST_BASES[lang].get(c.basis, c.basis),
                actual=c.basis == SPENT,
                label=city_text(c.label, lang),
                account=city_text(c.account, lang),
                amount=_amount(c.amount, c.unit, lang),
                general_revenue=_amount(c.general_revenue, c.unit, lang),
                projects="—" if c.projects is None else format_number(Decimal(c.projects)),
                rate=rate,
            )
        )
    return tuple(rows)


@dataclass(frozen=True)
class CommentView:
    year: str
    body: str
    body_name: Text
    date: str
    paragraphs: tuple[Text, ...]


def comment_views(comments: Iterable[Comment], lang: str) -> tuple[CommentView, ...]:
    return tuple(
        CommentView(
            year=fy_label(c.fy, lang),
            body=COMMENT_BODIES[lang].get(c.body, c.body),
            body_name=city_text(c.body_name, lang),
            date=(format_date(c.date) if lang != "en" else c.date.isoformat()) if c.date else "",
            paragraphs=paragraphs(c.text, lang),
        )
        for c in sorted(comments, key=lambda c: -c.fy)
    )


@dataclass(frozen=True)
class TallyView:
    year: str
    scale: Text
    grade: Text
    meaning: Text
    count: int
    note: Text


def tally_views(plan: Plan, tallies: Iterable[Tally], lang: str) -> tuple[TallyView, ...]:
    rows = []
    for t in tallies:
        scale = plan.rating_scale(t.scale)
        grade = scale.grade(t.grade) if scale else None
        rows.append(
            TallyView(
                year=fy_label(t.fy, lang),
                scale=localized(scale.name, scale.name_en, lang) if scale else Text(t.scale),
                grade=city_text(t.grade, lang),
                meaning=localized(grade.label, grade.label_en, lang) if grade and grade.label else Text(""),
                count=t.count,
                note=city_text(t.note, lang),
            )
        )
    return tuple(rows)


@dataclass(frozen=True)
class RatingRow:
    year: str
    scale: Text
    grade: Text
    meaning: Text
    agrees: bool | None  # None: not compared (another year, a grade naming no statuses)
    verdict: str
    note: Text  # the words the city gave with it


def rating_rows(
    plan: Plan, ratings: Iterable[Rating], status: str, fy: int, lang: str, status_name=str
) -> tuple[RatingRow, ...]:
    """The city's ratings beside machiplan's status (``reports.model.rating_views``, newest first),
    disagreement spelled out."""
    ratings = sorted(ratings, key=lambda r: -r.fy)  # as rating_views orders them
    rows = []
    for rating, r in zip(
        ratings, rating_views(plan, tuple(ratings), status, fy, data_lang(lang)), strict=True
    ):
        if r.agrees is None:
            verdict = words(lang, "rating_not_compared")
        elif r.agrees:
            verdict = words(lang, "rating_agrees")
        else:
            verdict = words(lang, "rating_disagrees", status=status_name(status))
        rows.append(
            RatingRow(
                r.fy_text,
                city_text(r.scale, lang),
                city_text(r.grade, lang),
                city_text(r.meaning, lang),
                r.agrees,
                verdict,
                city_text(rating.note, lang),
            )
        )
    return tuple(rows)


@dataclass(frozen=True)
class NarrativeView:
    heading: str
    items: tuple[tuple[Text, tuple[Text, ...], tuple[Text, ...]], ...]  # heading, paragraphs, bullets


def narrative_views(narratives: Iterable[Narrative], lang: str) -> tuple[NarrativeView, ...]:
    views = []
    for n in narratives:
        kind = NARRATIVE_KINDS[lang].get(n.kind, n.kind)
        heading = f"{kind}（{fy_label(n.fy, lang)}）" if n.fy and lang != "en" else (
            f"{kind} ({fy_label(n.fy, lang)})" if n.fy else kind
        )  # fmt: skip
        items = tuple(
            (
                city_text(i.heading, lang),
                paragraphs(i.text, lang),
                tuple(city_text(b, lang) for b in i.bullets),
            )
            for i in n.items
        )
        views.append(NarrativeView(heading, items))
    return tuple(views)


@dataclass(frozen=True)
class Facts:
    """What the city published of a node or of the plan: ratings, tallies, comments, costs."""

    ratings: tuple[RatingRow, ...]
    tallies: tuple[TallyView, ...]
    comments: tuple[CommentView, ...]
    costs: tuple[CostRow, ...]

    def __bool__(self) -> bool:
        return bool(self.ratings or self.tallies or self.comments or self.costs)


def facts(plan: Plan, subject: Node | Plan, evaluation: PlanEvaluation, lang: str) -> Facts:
    return Facts(
        ratings=rating_rows(plan, subject.ratings, "no_data", evaluation.evaluation_fy, lang),
        tallies=tally_views(plan, subject.tallies, lang),
        comments=comment_views(subject.comments, lang),
        costs=cost_rows(subject.costs, lang),
    )


# --- indicators in a list --------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    view: IndicatorView
    name: Text
    url: str
    elsewhere: tuple[NodeLink, ...]  # the other nodes it hangs on
    status: StatusView
    progress: Progress | None = None
    change: str = ""  # from the baseline: −0.6ポイント


def indicator_row(
    plan: Plan, ind: Indicator, evaluation: Evaluation, fy: int, scale: Scale, lang: str, here: str | None
) -> IndicatorRow:
    view = in_english(
        indicator_view(plan, ind, evaluation, fy, data_lang(lang), charts=False, scale=scale.defs), fy, lang
    )
    elsewhere = tuple(
        node_link(plan, n, lang) for c in ind.nodes if c != here and (n := plan.node(c)) is not None
    )
    h = evaluation.headline
    return IndicatorRow(
        view,
        localized(ind.name, ind.name_en, lang),
        indicator_url(plan, ind.code, lang),
        elsewhere,
        scale(h.status),
        progress_of(h, lang),
        change_text(ind, h, lang),
    )


def indicator_rows(
    plan: Plan,
    indicators: Iterable[Indicator],
    evaluation: PlanEvaluation,
    lang: str,
    here: str | None,
    scale: Scale | None = None,
) -> tuple[IndicatorRow, ...]:
    scale = scale or Scale.of_evaluation(evaluation, lang)
    return tuple(
        indicator_row(plan, ind, evaluation.indicators[ind.code], evaluation.evaluation_fy, scale, lang, here)
        for ind in indicators
    )


@dataclass(frozen=True)
class YearTable:
    """The node's indicators year by year, as the city's sheet lays them out."""

    headers: tuple[IndicatorRow, ...]
    rows: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]  # label, kind, cells (text, kind)


YEAR_TABLE_LIMIT = 12  # wider than this, a year table helps nobody: the list above says it all


def year_table(plan: Plan, rows: tuple[IndicatorRow, ...], evaluation_fy: int, lang: str) -> YearTable | None:
    if not rows or len(rows) > YEAR_TABLE_LIMIT:
        return None
    inds = [r.view.indicator for r in rows]
    years = sorted({o.fy for i in inds for o in i.observations if o.series == "" and o.fy <= evaluation_fy})
    suffix = ("実績", "状況") if lang != "en" else (" actual", " so far")
    table = []
    for fy in years:
        cells = []
        for ind in inds:
            o = ind.observation(fy)
            cells.append((observation_text(o, ind, lang), o.kind) if o else ("—", "empty"))
        final = fy < evaluation_fy or all(kind in (ACTUAL, "empty") for _, kind in cells)
        short = _short_fy(fy, lang)
        table.append((short + suffix[0 if final else 1], "actual" if final else "status", tuple(cells)))
    for horizon in (PLAN_HORIZON, *(h.horizon for h in plan.higher_plans)):
        targets = [i.target(horizon) for i in inds]
        if not any(targets):
            continue
        years_of = [t.fy for t in targets if t is not None]
        fy = max(set(years_of), key=years_of.count)
        higher = next((h for h in plan.higher_plans if h.horizon == horizon), None)
        if horizon == PLAN_HORIZON:
            label = _short_fy(fy, lang) + ("目標" if lang != "en" else " target")
        else:
            name = higher.label if higher and lang != "en" else horizon_label(horizon, data_lang(lang))
            label = f"{name} {_short_fy(fy, lang)}"
        cells = tuple(
            (target_text(t, i, lang), "target") if t else ("—", "empty")
            for t, i in zip(targets, inds, strict=True)
        )
        table.append((label, "target", cells))
    return YearTable(rows, tuple(table)) if table else None


def _short_fy(fy: int, lang: str) -> str:
    from machiplan.domain.fiscal import format_fiscal_year

    return format_fiscal_year(fy, style="short") if lang != "en" else f"FY{fy}"


# --- the headline, the legend, the indicator card ----------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The page's first words: one sentence of the status counts, and a stacked bar per top node
    (or per child on a node's page), each with its counts as text."""

    sentence: str
    bars_title: object
    bars: tuple[statuses.Bar, ...]


def headline(
    plan: Plan,
    evaluation: PlanEvaluation,
    node: Node | None,
    scale: Scale,
    lang: str,
    *,
    own_bar: object = None,
) -> Headline:
    counts = evaluation.by_node.get(node.code, {}) if node else evaluation.overall
    children = plan.children(node.code if node else None)
    depth = plan.depth(node.code) + 1 if node else 0
    level = level_text(plan, depth, lang)
    bars = [statuses.bar(own_bar or words(lang, "whole_plan"), None, counts, scale, lang)]
    for child in children:
        if not sum(evaluation.by_node.get(child.code, {}).values()):
            continue  # a child without indicators has no bar (Sapporo's 基本施策: the goal holds them)
        title = node_title(plan, child, lang)
        bars.append(
            statuses.bar(
                title, node_url(plan, child.code, lang), evaluation.by_node.get(child.code, {}), scale, lang
            )
        )
    title = (
        format_html(WEB_TEXT[lang]["bars_title"], level=level) if level else words(lang, "bars_title_plain")
    )
    return Headline(statuses.headline(counts, scale, lang), title, tuple(bars))


def data_licence() -> tuple[str, str]:
    """The licence of the public data (CC BY 4.0 unless MACHIPLAN_DATA_LICENCE names another, as
    'name' or 'name|url')."""
    import os

    value = os.environ.get("MACHIPLAN_DATA_LICENCE", "").strip()
    if not value:
        return "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"
    name, _, url = value.partition("|")
    return name.strip(), url.strip()


@dataclass(frozen=True)
class Card:
    """What an indicator is, under its chart (as Open SDG's): definition, calculation, source,
    department, the latest figure and the data's last update, the city's own rating, the licence."""

    items: tuple[tuple[str, object], ...]
    licence: tuple[str, str]


def indicator_card(
    plan: Plan, ind: Indicator, evaluation: Evaluation, fy: int, lang: str, departments: dict, updated: str
) -> Card:
    items: list[tuple[str, object]] = []
    for key, field_name in (("definition_text", "definition"), ("calculation", "calculation"),
                            ("data_source", "data_source")):  # fmt: skip
        value = getattr(ind, field_name)
        if value:
            items.append((words(lang, key), city_text(value, lang)))
    if ind.department:
        items.append(
            (
                words(lang, "owning_department"),
                city_text(departments.get(ind.department, ind.department), lang),
            )
        )
    latest = evaluation.headline.latest
    if latest is not None:
        items.append((words(lang, "latest_data"), year_text(latest.fy, lang)))
    if updated:
        items.append((words(lang, "last_updated"), updated))
    ratings = sorted(ind.ratings, key=lambda r: -r.fy)
    if ratings:
        r = ratings[0]
        scale = plan.rating_scale(r.scale)
        grade = scale.grade(r.grade) if scale else None
        name = localized(scale.name, scale.name_en, lang).text if scale else r.scale
        meaning = (
            (grade.label_en or grade.label) if grade and lang == "en" else (grade.label if grade else "")
        )
        text = f"{name} {r.grade}" + (
            f"（{meaning}）" if meaning and lang != "en" else (f" ({meaning})" if meaning else "")
        )
        items.append(
            (words(lang, "city_rating"), city_text(f"{text} {fy_label(r.fy, data_lang(lang))}", lang))
        )
    return Card(tuple(items), data_licence())


@dataclass(frozen=True)
class ChartPanel:
    row: IndicatorRow
    chart: Chart | None
    card: Card


NODE_CHART_LIMIT = 24  # a node page draws the charts of at most this many of its own indicators


def _has_figures(ind: Indicator) -> bool:
    return any(o.value is not None for o in ind.observations) or any(t.value is not None for t in ind.targets)


def chart_panels(
    plan: Plan,
    rows: tuple[IndicatorRow, ...],
    evaluation: PlanEvaluation,
    scale: Scale,
    lang: str,
    departments: dict,
    updated: str,
) -> tuple[ChartPanel, ...]:
    from machiplan.reports.charts import indicator_chart

    panels = []
    for row in rows[:NODE_CHART_LIMIT]:
        ind = row.view.indicator
        e = evaluation.indicators[ind.code]
        chart = (
            indicator_chart(plan, ind, e, evaluation.evaluation_fy, data_lang(lang), scale=evaluation.scale)
            if _has_figures(ind)
            else None
        )
        panels.append(
            ChartPanel(
                row, chart, indicator_card(plan, ind, e, evaluation.evaluation_fy, lang, departments, updated)
            )
        )
    return tuple(panels)


# --- the pages ------------------------------------------------------------------------------


def _level_summary(plan: Plan, lang: str) -> tuple[str, ...]:
    per_depth: dict[int, int] = {}
    for node in plan.nodes:
        depth = plan.depth(node.code)
        per_depth[depth] = per_depth.get(depth, 0) + 1
    depths = range(max(len(plan.levels), max(per_depth, default=-1) + 1))
    return tuple((level_text(plan, d, lang), per_depth.get(d, 0)) for d in depths if per_depth.get(d))


def method_url(plan: Plan, lang: str) -> str:
    return with_lang(reverse("web:method", args=[plan.code]), lang)


def plan_page(plan: Plan, evaluation: PlanEvaluation, lang: str, updated: str = "") -> dict:
    scale = Scale.of_evaluation(evaluation, lang)
    top = tuple(node_link(plan, n, lang, evaluation, scale) for n in plan.top_nodes)
    sections = tuple(
        (
            link,
            paragraphs(link.node.statement, lang),
            tuple(node_link(plan, c, lang, evaluation, scale) for c in plan.children(link.node.code)),
            indicator_rows(plan, plan.indicators_at(link.node.code), evaluation, lang, link.node.code, scale),
        )
        for link in top
    )
    from .downloads import plan_downloads

    return {
        "title": localized(plan.title, plan.title_en, lang),
        "crumbs": (
            Crumb(words(lang, "plans"), with_lang(reverse("web:plans"), lang)),
            Crumb(localized(plan.title, plan.title_en, lang), None),
        ),
        "headline": headline(plan, evaluation, None, scale, lang),
        "legend": statuses.legend_rows(scale),
        "method_url": method_url(plan, lang),
        "description": paragraphs(plan.description, lang),
        "sources": plan.sources,
        "levels": _level_summary(plan, lang),
        "method_words": paragraphs(plan.method.description, lang),
        "overall": Counts(evaluation.overall, scale),
        "top": top,
        "sections": sections,
        "plan_indicators": indicator_rows(
            plan, (i for i in plan.indicators if not i.nodes), evaluation, lang, None, scale
        ),
        "facts": facts(plan, plan, evaluation, lang),
        "revisions": plan.revisions,
        "status_order": tuple(scale),
        "evaluation_year": fy_label(evaluation.evaluation_fy, data_lang(lang), western=True),
        "period": f"{fy_label(plan.start_fy, data_lang(lang), western=True)} – {fy_label(plan.end_fy, data_lang(lang), western=True)}",
        "downloads": plan_downloads(plan, lang),
        "licence": data_licence(),
    }


def node_page(
    plan: Plan,
    evaluation: PlanEvaluation,
    node: Node,
    lang: str,
    updated: str = "",
    departments: dict | None = None,
) -> dict:
    scale = Scale.of_evaluation(evaluation, lang)
    depth = plan.depth(node.code)
    title = node_title(plan, node, lang)
    siblings = plan.children(node.parent)
    at = siblings.index(node)
    level = level_text(plan, depth, lang)
    child_level = level_text(plan, depth + 1, lang)
    own = indicator_rows(plan, plan.indicators_at(node.code), evaluation, lang, node.code, scale)
    under = len(plan.indicators_under(node.code))
    departments = departments if departments is not None else {d.code: d.name for d in plan.departments}
    parent = plan.node(node.parent) if node.parent else None
    return {
        "node": node,
        "title": title,
        "crumbs": crumbs(plan, lang, *node_crumbs(plan, node, lang), Crumb(title.short, None)),
        "headline": headline(plan, evaluation, node, scale, lang, own_bar=title.short),
        "legend": statuses.legend_rows(scale),
        "method_url": method_url(plan, lang),
        "level": level,
        "statement": paragraphs(node.statement, lang),
        "department": city_text(departments.get(node.department, node.department or ""), lang),
        "related_departments": tuple(
            city_text(departments.get(d, d), lang) for d in node.related_departments
        ),
        "related_plans": tuple(city_text(p, lang) for p in node.related_plans),
        "initiatives": node_link(plan, node, lang).initiatives,
        "children": tuple(node_link(plan, c, lang, evaluation, scale) for c in plan.children(node.code)),
        "child_level": child_level,
        "counts": Counts(evaluation.by_node.get(node.code, {}), scale),
        "indicators": own,
        "indicators_heading": format_html(WEB_TEXT[lang]["indicators_here"], level=level)
        if level
        else words(lang, "indicators_here_plain"),
        "under_count": under,
        "under_text": words(lang, "indicators_under", count=under),
        "under_url": with_lang(reverse("web:node-indicators", args=[plan.code, node.code]), lang),
        "years": year_table(plan, own, evaluation.evaluation_fy, lang),
        "panels": chart_panels(plan, own, evaluation, scale, lang, departments, updated),
        "more_charts_text": words(lang, "charts_more", count=len(own) - NODE_CHART_LIMIT)
        if len(own) > NODE_CHART_LIMIT
        else "",
        "narratives": narrative_views(node.narratives, lang),
        "footnotes": tuple(city_text(f, lang) for f in node.footnotes),
        "facts": facts(plan, node, evaluation, lang),
        "previous": node_link(plan, siblings[at - 1], lang) if at > 0 else None,
        "next": node_link(plan, siblings[at + 1], lang) if at + 1 < len(siblings) else None,
        "up": node_link(plan, parent, lang) if parent else None,
        "up_plan": plan_url(plan, lang),
        "status_order": tuple(scale),
        "evaluation_year": fy_label(evaluation.evaluation_fy, data_lang(lang), western=True),
    }


def node_indicators_page(plan: Plan, evaluation: PlanEvaluation, node: Node, lang: str) -> dict:
    """Every indicator at and below the node, under the node each hangs on."""
    scale = Scale.of_evaluation(evaluation, lang)
    title = node_title(plan, node, lang)
    groups = []
    depth = plan.depth(node.code)
    for n in (node, *plan.descendants(node.code)):
        rows = indicator_rows(plan, plan.indicators_at(n.code), evaluation, lang, n.code, scale)
        if rows:  # under its path from the page's node: 基本施策1 › 個別施策(1)『…』
            path = tuple(node_link(plan, a, lang) for a in plan.ancestors(n.code)[depth + 1 :])
            groups.append((path, node_link(plan, n, lang), rows))
    node_crumb = Crumb(title.short, node_url(plan, node.code, lang))
    return {
        "node": node,
        "title": title,
        "heading": words(lang, "indicators_under_title", title=title.text),
        "crumbs": crumbs(
            plan, lang, *node_crumbs(plan, node, lang), node_crumb, Crumb(words(lang, "indicator_list"), None)
        ),
        "groups": tuple(groups),
        "counts": Counts(evaluation.by_node.get(node.code, {}), scale),
        "legend": statuses.legend_rows(scale),
        "method_url": method_url(plan, lang),
        "status_order": tuple(scale),
        "evaluation_year": fy_label(evaluation.evaluation_fy, data_lang(lang), western=True),
    }


def method_page(plan: Plan, evaluation: PlanEvaluation, lang: str) -> dict:
    """評価の方法: the plan's method and parameters in words (domain/method_text.py), its statuses with
    what each means, the indicators judged otherwise, and the city's own words."""
    scale = Scale.of_evaluation(evaluation, lang)
    params = evaluation.params
    if lang == EASY:
        lines = method_lines_easy(params, evaluation.baseline_fy)
    else:
        lines = method_lines(params, data_lang(lang), evaluation.baseline_fy)
    overrides = []
    for override in plan.method.overrides:
        names = []
        for code in override.indicators:
            ind = next((i for i in plan.indicators if i.code == code), None)
            names.append(localized(ind.name, ind.name_en, lang) if ind else Text(code))
        overrides.append((tuple(names), method_title(override.name, data_lang(lang))))
    title = words(lang, "method_title")
    return {
        "title": title,
        "crumbs": crumbs(plan, lang, Crumb(title, None)),
        "method": method_title(params.method, data_lang(lang)),
        "lines": tuple(lines),
        "legend": statuses.legend_rows(scale),
        "overrides": tuple(overrides),
        "city_words": paragraphs(plan.method.description, lang),
        "reading": tuple(words(lang, "method_reading_lines").split("|")),
        "evaluation_year": fy_label(evaluation.evaluation_fy, data_lang(lang), western=True),
    }


@dataclass(frozen=True)
class TargetRow:
    horizon: str
    kind: str
    series: Text
    year: str
    value: Text
    revision: str
    note: Text


@dataclass(frozen=True)
class FigureRow:
    series: Text
    year: str
    kind: str
    value: Text
    note: Text


def _series(name: str, lang: str) -> Text:
    return city_text(name, lang) if name else Text(words(lang, "headline_series"))


def indicator_page(
    plan: Plan,
    ind: Indicator,
    evaluation: Evaluation,
    fy: int,
    view: IndicatorView,
    departments: dict,
    lang: str,
    updated: str = "",
) -> dict:
    """``plan`` carries the nodes' headers only (``indicator_data``); ``departments`` names the codes."""
    scale = Scale.of_plan(plan, lang)
    view = in_english(view, fy, lang)
    homes = [plan.node(c) for c in ind.nodes]
    places = tuple(
        (tuple(node_link(plan, a, lang) for a in plan.ancestors(n.code)), node_link(plan, n, lang))
        for n in homes
        if n is not None
    )
    home = homes[0] if homes and homes[0] is not None else None
    trail = (
        [
            *node_crumbs(plan, home, lang),
            Crumb(node_title(plan, home, lang).short, node_url(plan, home.code, lang)),
        ]
        if home
        else []
    )
    name = localized(ind.name, ind.name_en, lang)
    revisions = {r.code: r for r in plan.revisions}

    def revision(code: str | None) -> str:
        if not code:
            return ""
        r = revisions.get(code)
        return (
            f"{r.title}（{fy_label(r.fy, lang)}）"
            if r and lang != "en"
            else (f"{r.title} ({fy_label(r.fy, lang)})" if r else code)
        )

    definition = [
        (words(lang, key), city_text(getattr(ind, key if key != "definition_text" else "definition"), lang))
        for key in ("definition_text", "calculation", "data_source", "confirmed_when", "target_rationale",
                    "selection_rationale")
    ]  # fmt: skip
    if ind.department:
        definition.append(
            (
                words(lang, "owning_department"),
                city_text(departments.get(ind.department, ind.department), lang),
            )
        )
    if ind.related_departments:
        names = "、".join(departments.get(d, d) for d in ind.related_departments)
        definition.append((words(lang, "related_departments"), city_text(names, lang)))
    if ind.type:
        definition.append(
            (words(lang, "indicator_type"), Text(INDICATOR_TYPES[lang].get(ind.type, ind.type)))
        )
    unit = unit_words(ind.unit, lang)
    definition.append((words(lang, "unit"), unit))
    definition.append((words(lang, "direction"), Text(words(lang, ind.direction))))
    definition.append((words(lang, "measure"), Text(MEASURES[lang].get(ind.measure, ind.measure))))
    if ind.category:
        definition.append((words(lang, "category"), city_text(ind.category, lang)))

    named = {s.label for s in view.series}
    baselines = tuple(  # the indicator's own; a named series' stands in its row of the series table
        (_series(s, lang), city_text(text, lang))
        for s in dict.fromkeys(b.series for b in ind.baselines)
        if s not in named and (text := baseline_text(ind, lang, s))
    )
    targets = tuple(
        TargetRow(
            horizon=horizon_label(t.horizon, data_lang(lang), fallback=next((h.label for h in plan.higher_plans if h.horizon == t.horizon), None)),
            kind=TARGET_KINDS[lang].get(t.kind, t.kind),
            series=_series(t.series, lang),
            year=year_text(t.fy, lang) if t.year_stated else words(lang, "year_not_stated"),
            value=city_text(target_text(t, ind, lang), lang),
            revision=revision(t.revision),
            note=city_text(" ".join(x for x in (t.note, f"（{t.source_text}）" if t.source_text and lang != "en" else (f"({t.source_text})" if t.source_text else "")) if x), lang),
        )
        for t in ind.targets
    )  # fmt: skip
    figures = tuple(
        FigureRow(
            series=_series(o.series, lang),
            year=year_text(o.fy, lang, o.period),
            kind=OBSERVATION_KINDS[lang].get(o.kind, o.kind),
            value=city_text(observation_text(o, ind, lang), lang),
            note=city_text(o.note, lang),
        )
        for o in ind.observations
        if o.kind != NONE or o.note  # the sheet's empty cells say nothing here
    )
    history = []
    if ind.added_in:
        history.append((words(lang, "added_in"), revision(ind.added_in)))
    if ind.dropped_in:
        history.append((words(lang, "dropped_in"), revision(ind.dropped_in)))
    if ind.carried_from:
        history.append((words(lang, "carried_from"), ind.carried_from))
    return {
        "name": name,
        "crumbs": crumbs(plan, lang, *trail, Crumb(name, None)),
        "places": places,
        "definition": tuple((k, v) for k, v in definition if v),
        "baselines": baselines,
        "targets": targets,
        "figures": figures,
        "ratings": rating_rows(plan, ind.ratings, evaluation.status, fy, lang, lambda c: scale(c).label),
        "status": scale(evaluation.status),
        "progress": progress_of(evaluation.headline, lang),
        "change": change_text(ind, evaluation.headline, lang),
        "horizons": tuple(
            (h, scale(h.status), progress_of(j, lang))
            for h, j in zip(view.horizons, evaluation.by_horizon, strict=True)
        ),
        "series_status": tuple(scale(s.status) for s in view.series),
        "legend": statuses.legend_rows(scale),
        "method_url": method_url(plan, lang),
        "card": indicator_card(plan, ind, evaluation, fy, lang, departments, updated),
        "unit": unit,
        "view": view,
        "comments": comment_views(ind.comments, lang),
        "history": tuple(history),
        "series": tuple(
            (
                _series(s.label, lang),
                city_text(baseline_text(ind, lang, s.label) or "—", lang),
                s,
                scale(s.status),
            )
            for s in view.series
        ),
        # a chart with nothing to draw (no figure, no numeric target) is left out
        "chart": view.chart
        if any(o.value is not None for o in ind.observations) or any(t.value is not None for t in ind.targets)
        else None,
        "evaluation_year": fy_label(fy, lang, western=True),
        "note": city_text(ind.note or "", lang),
    }
