"""The plan as plain data: what a package holds, what the database stores, what reports show.

Any municipality's plan has the same parts, whatever it calls them:

- a hierarchy of **nodes** of any depth (基本目標 → 基本施策 → 個別施策, 章 → 節,
  政策 → 施策 → 事務事業), whose levels the plan names itself (``Level``, by depth);
- **indicators** hung on one or more nodes, each with its definition, its own
  baseline, yearly figures (``Observation``) and targets (``Target``), possibly in
  several series (学年別, 男女別), and the city's own ratings and comments;
- per node, the initiatives, narratives, costs, ratings and comments the city writes;
- dated **revisions** (中間見直し) that add, drop or re-target indicators.

These are frozen dataclasses with no behaviour beyond small derived views, so
every layer (package reader, sheet reader, services, evaluation, renderers)
can pass them around without knowing about the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from .quantities import decimal_places

# observation kinds
ACTUAL = "actual"  # 実績: the year's full value
INTERIM = "interim"  # 状況 / …現在: a value so far, with an as-of date
FORECAST = "forecast"  # 見込: an official forecast of the year's value, not a measurement
PENDING = "pending"  # 今後調査: not measured yet
NONE = "none"  # —: nothing for this cell
OBSERVATION_KINDS = (ACTUAL, INTERIM, FORECAST, PENDING, NONE)
VALUE_KINDS = (ACTUAL, INTERIM, FORECAST)  # the kinds that carry a figure

# the year an observation's ``fy`` names
FISCAL_YEAR = "fy"  # 年度: April to March (the default)
CALENDAR_YEAR = "cy"  # 年: January to December
PERIODS = (FISCAL_YEAR, CALENDAR_YEAR)

# target horizons with a fixed meaning; any other slug names a further higher plan
PLAN_HORIZON = "plan"
KNOWN_HORIZONS = (PLAN_HORIZON, "action_plan", "vision")

# what a target row is within its horizon
FINAL = "final"  # the horizon's target (one per horizon and series)
MIDTERM = "midterm"  # 中間目標: a waypoint the plan names
ANNUAL = "annual"  # 年度別目標: the target set for one year
TARGET_KINDS = (FINAL, MIDTERM, ANNUAL)

# how a target's value is to be read
AT_LEAST = "at_least"  # 以上
AT_MOST = "at_most"  # 以下
MAINTAIN = "maintain"  # 維持: keep the baseline's level
OPERATORS = (AT_LEAST, AT_MOST, MAINTAIN)

# how an indicator's yearly values relate to each other
LEVEL = "level"  # a state at year end: a share, a count of registered groups
FLOW = "flow"  # what happened during the year: donations that year
CUMULATIVE = "cumulative"  # a running total: each value includes the years before
MEASURES = (LEVEL, FLOW, CUMULATIVE)

INCREASE, DECREASE = "increase", "decrease"
DIRECTIONS = (INCREASE, DECREASE)

# what an indicator's values are
NUMBER = "number"  # a figure in the unit
STATE = "state"  # a state in words: なし → 設置, 未策定 → 策定 (a milestone)
VALUE_TYPES = (NUMBER, STATE)

# what an indicator is, as the plan calls it
INDICATOR_TYPES = (
    "kgi",  # KGI / 数値目標 / 基本数値目標: a goal's headline figure
    "kpi",  # KPI / 重要業績評価指標
    "outcome",  # 成果指標
    "activity",  # 活動指標 / 事業量
    "context",  # 対象指標: the size of what a policy works on
)

# the period a per-period figure is counted over (1月当たり, /年)
PER = ("year", "month", "day")

NARRATIVE_KINDS = ("results", "plan", "future", "issues", "effects", "direction")
# 取組結果, 取組計画, 今後に向けて / 今後の取組, 課題, 効果発現要因 (所見), 施策の方向性 / 方針

# who wrote a comment on a node or indicator
COMMENT_BODIES = ("internal", "committee", "council", "public")
# 内部評価 / 担当課, 外部委員会 / 推進委員会, 議会, 市民 (パブリックコメント)

# what a cost row is
PLANNED, SPENT = "planned", "actual"
COST_BASES = (PLANNED, SPENT)
# the units costs are written in, and their size in yen
COST_UNITS = {"円": 1, "千円": 1_000, "百万円": 1_000_000, "億円": 100_000_000}


@dataclass(frozen=True, slots=True)
class Municipality:
    name: str
    code: str  # 全国地方公共団体コード, six digits with check digit


@dataclass(frozen=True, slots=True)
class HigherPlan:
    """A plan above this one whose targets an indicator also carries (アクションプラン, 戦略ビジョン)."""

    horizon: str  # the target horizon slug: action_plan, vision, …
    label: str  # how the sheet names it: アクションプラン
    title: str  # 札幌市まちづくり戦略ビジョン・アクションプラン2015
    start_fy: int | None = None
    end_fy: int | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Level:
    """The name a plan gives the nodes at one depth: 基本目標 / Basic goal."""

    name: str
    name_en: str | None = None


# The levels of a plan written as goals and policies: the Sapporo sheet and its family,
# and format 1 packages.
GOALS_AND_POLICIES = (Level("基本目標", "Basic goal"), Level("基本施策", "Basic policy"))


@dataclass(frozen=True, slots=True)
class Initiative:
    text: str  # 主な取組 / 事務事業, as in the source
    facts: tuple[str, ...] = ()  # figures given beside it: 'H28に新たに2社、計14協定21社と締結'


@dataclass(frozen=True, slots=True)
class NarrativeItem:
    """One ● block: a heading, its text, and its ・ bullets, in the order the sheet gives."""

    heading: str = ""
    text: str = ""
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Narrative:
    kind: str  # one of NARRATIVE_KINDS
    fy: int | None  # None for 今後に向けて, which has no year
    items: tuple[NarrativeItem, ...] = ()

    @property
    def text(self) -> str:
        lines: list[str] = []
        for item in self.items:
            if item.heading:
                lines.append(f"●{item.heading}")
            if item.text:
                lines.append(item.text)
            lines.extend(f"・{b}" for b in item.bullets)
        return "\n".join(lines)


def narrative_items(text: str) -> tuple[NarrativeItem, ...]:
    """The inverse of ``Narrative.text``: '●' starts an item with its heading, '・' adds a bullet."""
    items: list[list] = []  # [heading, text lines, bullets]
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("●"):
            items.append([line[1:].strip(), [], []])
            continue
        if not items:
            items.append(["", [], []])
        if line.startswith("・"):
            items[-1][2].append(line[1:].strip())
        else:
            items[-1][1].append(line)
    return tuple(NarrativeItem(heading=h, text="\n".join(t), bullets=tuple(b)) for h, t, b in items)


@dataclass(frozen=True, slots=True)
class Rating:
    """The city's own judgement of a node or indicator for a year, as it published it."""

    fy: int
    scale: str  # a RatingScale key: 総合評価, 進捗状況, 有効性 …
    grade: str  # one of the scale's grade codes: B, ◎, 概ね順調
    note: str = ""  # the words the city gave with it
    source: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Grade:
    code: str  # as the city writes it: A, ◎, 概ね順調
    label: str = ""  # its meaning: 目標値以上, 成果・費用対効果の向上に努めつつ継続実施
    label_en: str | None = None
    # machiplan's statuses that agree with this grade; a computed status outside them is flagged
    statuses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RatingScale:
    """A rating the city uses: its grades from best to worst."""

    key: str  # how ratings refer to it: overall, progress, effectiveness …
    name: str  # 総合評価
    grades: tuple[Grade, ...]
    name_en: str | None = None
    applies_to: str = "both"  # indicator | node | both

    def grade(self, code: str) -> Grade | None:
        return next((g for g in self.grades if g.code == code), None)

    def as_dict(self) -> dict:
        """As plain data: a plan's stored scales, the plan JSON."""
        return {
            "key": self.key,
            "name": self.name,
            "name_en": self.name_en,
            "applies_to": self.applies_to,
            "grades": [
                {"code": g.code, "label": g.label, "label_en": g.label_en, "statuses": list(g.statuses)}
                for g in self.grades
            ],
        }

    @classmethod
    def from_dict(cls, data: dict) -> RatingScale:
        return cls(
            key=data["key"],
            name=data["name"],
            name_en=data.get("name_en"),
            applies_to=data.get("applies_to", "both"),
            grades=tuple(
                Grade(
                    code=g["code"],
                    label=g.get("label", ""),
                    label_en=g.get("label_en"),
                    statuses=tuple(g.get("statuses", ())),
                )
                for g in data.get("grades", ())
            ),
        )


@dataclass(frozen=True, slots=True)
class Comment:
    """What a body said of a node or indicator in a year: the internal review, the committee, the council."""

    fy: int
    body: str  # one of COMMENT_BODIES
    text: str
    body_name: str = ""  # いの町まち・ひと・しごと創生総合戦略推進委員会
    date: dt.date | None = None
    source: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Cost:
    """Money a node planned or spent over one year or a span of years: 事業費, 一般財源, 事業数."""

    start_fy: int
    end_fy: int
    basis: str  # planned | actual
    amount: Decimal | None = None  # 事業費, in ``unit``
    general_revenue: Decimal | None = None  # 一般財源, in ``unit``
    projects: int | None = None  # 事業数
    unit: str = "円"  # one of COST_UNITS: the figures stay as the city wrote them
    account: str = ""  # 会計: 一般, 企業, 特別, 土地改良 ('' = all accounts / not stated)
    label: str = ""  # what it is: 投資的事業費, 事業費
    source_text: str = ""
    source: str = field(default="", compare=False)

    def yen(self, value: Decimal | None) -> Decimal | None:
        return None if value is None else value * COST_UNITS[self.unit]


@dataclass(frozen=True, slots=True)
class Tally:
    """A count the city published of its indicators in one grade or band of a scale, for a year:
    '30 KPI 目標値以上', '進捗率80%以上 57 指標'. Kept as the city wrote it, beside machiplan's counts."""

    fy: int
    scale: str  # a RatingScale key
    grade: str  # one of its grades
    count: int
    note: str = ""  # as of H31.3末, うち100%以上が32指標 …
    source: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Source:
    """A document the plan's data were taken from: its title, address and date."""

    title: str
    url: str = ""
    date: dt.date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Node:
    """One element of the plan's hierarchy: a goal, a policy, a 施策, a chapter, a section…"""

    code: str  # unique in the plan: 1, 1-1, Ⅰ-2-(3), 11102
    name: str  # 参加; 自然環境の保全と活用
    parent: str | None = None  # the parent node's code; None at the top
    number: str = ""  # as the plan numbers it among its siblings: Ⅰ, 1-1, (1), ①; '' = the code
    name_en: str | None = None
    statement: str = ""  # 目標の内容, 施策の方向性, 目指すべき姿: the node's longer text
    priority: bool = False  # ◎ 重点施策
    department: str | None = None  # the lead department (施策統括課): a department code
    related_departments: tuple[str, ...] = ()  # 関係課
    related_plans: tuple[str, ...] = ()  # 関係する計画, as written
    initiatives: tuple[Initiative, ...] = ()
    narratives: tuple[Narrative, ...] = ()
    footnotes: tuple[str, ...] = ()  # ※ lines under its indicator table
    ratings: tuple[Rating, ...] = ()
    comments: tuple[Comment, ...] = ()
    costs: tuple[Cost, ...] = ()
    tallies: tuple[Tally, ...] = ()

    @property
    def label(self) -> str:
        return self.number or self.code


@dataclass(frozen=True, slots=True)
class Observation:
    fy: int  # the year (fiscal, or calendar when ``period`` says so)
    kind: str  # one of OBSERVATION_KINDS
    value: Decimal | None = None
    as_of: dt.date | None = None  # the day the figure stands at: 3月末現在, H29.8.31時点
    approximate: bool = False  # 約, 推計
    breakdown: tuple[tuple[str, Decimal], ...] = ()  # parts that sum to the value
    source_text: str = ""
    note: str = ""
    source: str = field(default="", compare=False)  # provenance: 'observations.csv:12'
    series: str = ""  # '' = the indicator's headline series; else 小学6年生, 男性 …
    period: str = FISCAL_YEAR
    text: str = ""  # a state indicator's state (設置), or words given instead of a figure
    sample_size: int | None = None  # a survey's n
    margin: Decimal | None = None  # a survey's own 95 % margin of error, ± points
    design_effect: Decimal | None = None  # the sampling design's variance factor (1: simple random)


@dataclass(frozen=True, slots=True)
class Target:
    horizon: str  # plan | action_plan | vision | another higher plan
    fy: int
    value: Decimal | None
    period_start_fy: int | None = None  # set when the target is a sum over start..fy
    approximate: bool = False
    source_text: str = ""
    source: str = field(default="", compare=False)
    series: str = ""
    kind: str = FINAL  # final | midterm | annual
    operator: str | None = None  # at_least | at_most | maintain; None: as the direction says
    text: str = ""  # a state target (設置, 全員取得) or a target in words that no figure states
    year_stated: bool = True  # False: the document gives no year (5ヵ年目標 → the plan's end)
    revision: str | None = None  # the revision that set it; None: the plan as first adopted
    note: str = ""


@dataclass(frozen=True, slots=True)
class Baseline:
    """The indicator's own starting point (初期値, 基準値, 現状値, 従前値), or its stated absence."""

    fy: int | None  # None with no value: the document says there is none (−)
    value: Decimal | None
    label: str = ""  # 初期値 / 基準値 / 現状値 / 従前値
    series: str = ""
    approximate: bool = False
    period: str = FISCAL_YEAR
    as_of: dt.date | None = None
    text: str = ""  # a state indicator's starting state (なし)
    source_text: str = ""
    revision: str | None = None  # a revision that corrected it
    note: str = ""
    source: str = field(default="", compare=False)
    sample_size: int | None = None  # a survey's n, as on Observation
    margin: Decimal | None = None
    design_effect: Decimal | None = None


# What a plan documents of an indicator, in the order documents give it (the report's 指標の定義, the
# workbook's columns, the texts a table's next sheet may fill in)
DOCUMENTATION = (
    "definition",
    "calculation",
    "data_source",
    "confirmed_when",
    "target_rationale",
    "selection_rationale",
)


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str  # 1a
    name: str
    nodes: tuple[str, ...] = ()  # the nodes it hangs on, the first being its home
    category: str = ""  # 参加の実感; one category can cover several indicators
    type: str | None = None  # one of INDICATOR_TYPES
    unit: str | None = None
    per: str | None = None  # year | month | day: a figure per period (1月当たり, /年)
    direction: str = INCREASE
    measure: str = LEVEL
    value_type: str = NUMBER
    survey: bool = False  # a share from a questionnaire: small moves are noise
    reference: bool = False  # 参考: shown, never judged against a target
    note: str | None = None
    department: str | None = None  # the owning department's code (指標担当部課)
    related_departments: tuple[str, ...] = ()
    name_en: str | None = None
    # the definition, as the plan documents it
    definition: str = ""  # what is measured (指標の説明)
    calculation: str = ""  # how it is calculated (実績値の計算方法)
    data_source: str = ""  # 出典: 市民アンケート, 実態調査, 業務統計
    confirmed_when: str = ""  # 数値確定の時期
    target_rationale: str = ""  # 目標設定の考え方 / 設定根拠: why this target value
    selection_rationale: str = ""  # 成果指標設定の考え方: why this indicator measures the policy
    # its life across revisions and plans
    added_in: str | None = None  # the revision that added it (【新設】)
    dropped_in: str | None = None  # the revision that dropped it
    carried_from: str | None = None  # 'plan-code/indicator-code' in the plan before this one
    series: tuple[str, ...] = ()  # the series it is reported in, beside the headline ('')
    baselines: tuple[Baseline, ...] = ()
    observations: tuple[Observation, ...] = ()
    targets: tuple[Target, ...] = ()
    ratings: tuple[Rating, ...] = ()
    comments: tuple[Comment, ...] = ()
    # display_places, worked out on first use. A slot, not a cached_property: an instance dict of
    # over 30 keys is not shared between instances, and was 1.5 KB an indicator (150 MB at 100,000).
    _places: int | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def node(self) -> str | None:
        """Its home node."""
        return self.nodes[0] if self.nodes else None

    @property
    def cumulative(self) -> bool:
        return self.measure == CUMULATIVE

    @property
    def display_places(self) -> int:
        """The decimals its figures are written with (32.4% -> 1), so 70 shows as 70.0%."""
        places = self._places
        if places is None:
            values = [o.value for o in self.observations if o.value is not None]
            values += [t.value for t in self.targets if t.value is not None]
            values += [b.value for b in self.baselines if b.value is not None]
            places = max((decimal_places(v) for v in values), default=0)
            object.__setattr__(self, "_places", places)  # the instance stays frozen to its users
        return places

    def observation(self, fy: int, series: str = "") -> Observation | None:
        return next((o for o in self.observations if o.fy == fy and o.series == series), None)

    def target(self, horizon: str, series: str = "") -> Target | None:
        """The horizon's final target (the last one set, when revisions re-set it)."""
        found = [t for t in self.targets if t.horizon == horizon and t.series == series and t.kind == FINAL]
        return found[-1] if found else None

    def baseline(self, series: str = "") -> Baseline | None:
        """The baseline in force: the last one stated for the series."""
        found = [b for b in self.baselines if b.series == series]
        return found[-1] if found else None

    @property
    def all_series(self) -> tuple[str, ...]:
        """'' (the headline) when it has figures of its own, then the named series."""
        if not self.series:  # the headline alone: no need to look for its figures
            return ("",)
        headline = any(o.series == "" for o in self.observations) or any(t.series == "" for t in self.targets)
        return (("",) if headline else ()) + self.series


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class MethodOverride:
    """Another method for some indicators (trend only for 参考 indicators, say), with its own parameters."""

    indicators: tuple[str, ...]
    name: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Method:
    """The evaluation method and its parameters, as the plan configures them (docs/evaluation.md)."""

    name: str = "progress_vs_pace"
    params: dict[str, object] = field(default_factory=dict)
    description: str = ""  # the city's own words on how it judges (評価の方法), kept as written
    overrides: tuple[MethodOverride, ...] = ()


@dataclass(frozen=True, slots=True)
class Revision:
    """A dated change of the plan within its life: 中間見直し, 改訂."""

    code: str  # how targets and indicators refer to it: r2019
    fy: int  # the fiscal year from which it applies
    title: str  # 中間見直し
    date: dt.date | None = None
    reason: str = ""
    changes: tuple[str, ...] = ()  # what it changed, in the document's words


@dataclass(frozen=True)  # no slots: the lookups below are cached on the instance
class Plan:
    code: str
    title: str
    municipality: Municipality
    start_fy: int
    end_fy: int
    evaluation_fy: int | None = None  # the year the sheet reports in; None: the latest data
    title_en: str | None = None
    method: Method = field(default_factory=Method)
    higher_plans: tuple[HigherPlan, ...] = ()
    departments: tuple[Department, ...] = ()
    # the department that owns the plan and issues its report (所管課): one of ``departments``, by code
    department: str | None = None
    levels: tuple[Level, ...] = ()  # the names of the nodes at each depth, top first
    nodes: tuple[Node, ...] = ()  # parents before children, siblings in order
    indicators: tuple[Indicator, ...] = ()
    rating_scales: tuple[RatingScale, ...] = ()
    revisions: tuple[Revision, ...] = ()
    parent_plan: str | None = None  # the code of a plan above this one (its 総合計画)
    predecessor: str | None = None  # the code of the plan this one succeeds (第1期 → 第2期)
    description: str = ""  # what the plan is: its 将来像, its parts, its status (最終案)
    sources: tuple[Source, ...] = ()  # the documents its data come from
    # what the city said, spent and counted of the plan as a whole
    ratings: tuple[Rating, ...] = ()
    comments: tuple[Comment, ...] = ()
    costs: tuple[Cost, ...] = ()
    tallies: tuple[Tally, ...] = ()

    # --- the hierarchy ----------------------------------------------------------------

    def node(self, code: str) -> Node | None:
        return self._nodes_by_code.get(code)

    @property
    def top_nodes(self) -> tuple[Node, ...]:
        return self.children(None)

    def children(self, code: str | None) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.parent == code)

    def ancestors(self, code: str) -> tuple[Node, ...]:
        """The node's parents from the top down, without the node itself."""
        chain: list[Node] = []
        node = self.node(code)
        while node is not None and node.parent is not None:
            node = self.node(node.parent)
            if node is None:
                break
            chain.append(node)
        return tuple(reversed(chain))

    def depth(self, code: str) -> int:
        return len(self.ancestors(code))

    def level(self, depth: int) -> Level:
        if depth < len(self.levels):
            return self.levels[depth]
        return Level(name="", name_en=None)

    def descendants(self, code: str) -> Iterator[Node]:
        for child in self.children(code):
            yield child
            yield from self.descendants(child.code)

    def indicators_at(self, code: str) -> tuple[Indicator, ...]:
        """The indicators hung on this node itself."""
        return self._indicators_by_node.get(code, ())

    def indicators_under(self, code: str) -> tuple[Indicator, ...]:
        """The indicators of this node and every node below it, each once, in plan order."""
        codes = {code} | {n.code for n in self.descendants(code)}
        return tuple(i for i in self.indicators if codes.intersection(i.nodes))

    def home_node(self, indicator: Indicator) -> Node | None:
        return self.node(indicator.node) if indicator.node else None

    def top_node_of(self, code: str) -> Node | None:
        chain = self.ancestors(code)
        return chain[0] if chain else self.node(code)

    @property
    def issuing_department(self) -> Department | None:
        """Who issues the plan's report, for its cover: the plan's own department (``department``), else
        the one department the plan names. A plan naming several (its indicators' and nodes' owners)
        without saying which owns it names none."""
        if self.department is not None:
            return next((d for d in self.departments if d.code == self.department), None)
        return self.departments[0] if len(self.departments) == 1 else None

    def rating_scale(self, key: str) -> RatingScale | None:
        return self.rating_scales_by_key.get(key)

    @cached_property
    def rating_scales_by_key(self) -> dict[str, RatingScale]:
        """The city's own rating scales by key: the explanations name a scale (進捗状況), not its key."""
        return {s.key: s for s in self.rating_scales}

    def revision(self, code: str) -> Revision | None:
        return next((r for r in self.revisions if r.code == code), None)

    @cached_property
    def _nodes_by_code(self) -> dict[str, Node]:
        return {n.code: n for n in self.nodes}

    @cached_property
    def _indicators_by_node(self) -> dict[str, tuple[Indicator, ...]]:
        found: dict[str, list[Indicator]] = {}
        for ind in self.indicators:
            for code in dict.fromkeys(ind.nodes):
                found.setdefault(code, []).append(ind)
        return {code: tuple(v) for code, v in found.items()}

    # --- years ------------------------------------------------------------------------

    def default_evaluation_fy(self) -> int:
        if self.evaluation_fy is not None:
            return self.evaluation_fy
        years = [o.fy for i in self.indicators for o in i.observations]
        return max(years, default=self.start_fy)

    @property
    def evaluation_fy_range(self) -> tuple[int, int]:
        """Years an evaluation may be made in: the plan's period and the year after, when
        the last year's actuals come in."""
        return self.start_fy, self.end_fy + 1
