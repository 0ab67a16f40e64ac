"""The plan as plain data: what a package holds, what the database stores, what reports show.

These are frozen dataclasses with no behaviour beyond small derived views, so
every layer (package reader, sheet reader, services, evaluation, renderers)
can pass them around without knowing about the others.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .quantities import decimal_places

# observation kinds
ACTUAL = "actual"  # 実績: the fiscal year's full value
INTERIM = "interim"  # 状況: a value so far, with an as-of date
PENDING = "pending"  # 今後調査: not measured yet
NONE = "none"  # —: nothing for this cell
OBSERVATION_KINDS = (ACTUAL, INTERIM, PENDING, NONE)

# target horizons with a fixed meaning; any other slug names a further higher plan
PLAN_HORIZON = "plan"
KNOWN_HORIZONS = (PLAN_HORIZON, "action_plan", "vision")

# how an indicator's yearly values relate to each other
LEVEL = "level"  # a state at year end: a share, a count of registered groups
FLOW = "flow"  # what happened during the year: donations that year
CUMULATIVE = "cumulative"  # a running total: each value includes the years before
MEASURES = (LEVEL, FLOW, CUMULATIVE)

INCREASE, DECREASE = "increase", "decrease"
DIRECTIONS = (INCREASE, DECREASE)

NARRATIVE_KINDS = ("results", "plan", "future")  # 取組結果, 取組計画, 今後に向けて


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
class Initiative:
    text: str  # 主な取組, as in the source
    facts: tuple[str, ...] = ()  # figures given beside it: 'H28に新たに2社、計14協定21社と締結'


@dataclass(frozen=True, slots=True)
class Policy:
    code: str  # 1-1
    title: str
    priority: bool = False  # ◎ 重点施策
    initiatives: tuple[Initiative, ...] = ()


@dataclass(frozen=True, slots=True)
class NarrativeItem:
    """One ● block: a heading, its text, and its ・ bullets, in the order the sheet gives."""

    heading: str = ""
    text: str = ""
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Narrative:
    kind: str  # results | plan | future
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
class Goal:
    number: int
    name: str  # 参加
    statement: str
    policies: tuple[Policy, ...] = ()
    narratives: tuple[Narrative, ...] = ()
    footnotes: tuple[str, ...] = ()  # ※ lines under the indicator table


@dataclass(frozen=True, slots=True)
class Observation:
    fy: int
    kind: str  # actual | interim | pending | none
    value: Decimal | None = None
    as_of: dt.date | None = None
    approximate: bool = False
    breakdown: tuple[tuple[str, Decimal], ...] = ()
    source_text: str = ""
    note: str = ""
    source: str = field(default="", compare=False)  # provenance: 'observations.csv:12'


@dataclass(frozen=True, slots=True)
class Target:
    horizon: str  # plan | action_plan | vision | another higher plan
    fy: int
    value: Decimal | None
    period_start_fy: int | None = None  # set when the target is a sum over start..fy
    approximate: bool = False
    source_text: str = ""
    source: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str  # 1a
    goal: int
    category: str  # 参加の実感; one category can cover several indicators
    name: str
    unit: str | None = None
    direction: str = INCREASE
    measure: str = LEVEL
    survey: bool = False  # a share from a questionnaire: small moves are noise
    reference: bool = False  # 参考: shown, never judged against a target
    note: str | None = None
    department: str | None = None  # the owning department's code
    name_en: str | None = None
    observations: tuple[Observation, ...] = ()
    targets: tuple[Target, ...] = ()

    @property
    def cumulative(self) -> bool:
        return self.measure == CUMULATIVE

    @property
    def display_places(self) -> int:
        """The decimals its figures are written with (32.4% -> 1), so 70 shows as 70.0%."""
        values = [o.value for o in self.observations if o.value is not None]
        values += [t.value for t in self.targets if t.value is not None]
        return max((decimal_places(v) for v in values), default=0)

    def observation(self, fy: int) -> Observation | None:
        return next((o for o in self.observations if o.fy == fy), None)

    def target(self, horizon: str) -> Target | None:
        return next((t for t in self.targets if t.horizon == horizon), None)


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Method:
    """The evaluation method and its parameters, as the plan configures them."""

    name: str = "progress_vs_pace"
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
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
    goals: tuple[Goal, ...] = ()
    indicators: tuple[Indicator, ...] = ()

    def goal(self, number: int) -> Goal | None:
        return next((g for g in self.goals if g.number == number), None)

    def indicators_of(self, goal_number: int) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.goal == goal_number)

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
