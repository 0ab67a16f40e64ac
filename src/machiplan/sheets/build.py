"""A plan put together piece by piece, as the readers of published documents find it.

``Builder`` keeps the nodes (by code, parents first), the indicators, the city's scales,
ratings, tallies and costs, and every warning and guess on the way; ``plan()`` makes the
``Plan``, taking the period and the evaluation year from what the document says of them,
or from its figures, and saying which.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from machiplan.domain.fiscal import _ERA_TOKEN, parse_fiscal_year
from machiplan.domain.guesses import Guess, guess_indicator
from machiplan.domain.plan import (
    Baseline,
    Cost,
    Department,
    Grade,
    Indicator,
    Level,
    Municipality,
    Node,
    Observation,
    Plan,
    Rating,
    RatingScale,
    Tally,
    Target,
)

from .common import SheetOptions, SheetResult, SheetWarning, StructureGuess, code_from, key

_FY = rf"(?:(?:{_ERA_TOKEN})\s*(?:\d{{1,2}}|元)|(?:19|20)\d\d)"
# 計画期間 平成27年度～平成31年度, 平成27年度から平成31年度, H23-27, 2017-2026, (H29-H30年度), 2017年度-2018年度
_SPAN_RE = re.compile(
    rf"(?P<a>{_FY})\s*(?:年度|年)?\s*(?:[-~〜～―−‐]|から)\s*(?P<b>(?:(?:{_ERA_TOKEN})\s*)?(?:\d{{1,4}}|元))\s*(?:年度|年)?",
    re.IGNORECASE,
)
_END_RE = re.compile(rf"(?P<a>{_FY})\s*年度?末?を?\s*(?:目標年次|目標年度|最終年度)", re.IGNORECASE)
_REPORT_FY_RE = re.compile(
    rf"(?P<a>{_FY})\s*年度\s*(?:分|実績|末|の(?:達成度|実績|評価|進捗)|事後評価|に実施)", re.IGNORECASE
)
_MUNICIPALITY_RE = re.compile(r"([一-龥ぁ-んァ-ヶー]{1,5}?[都道府県市区町村])")


def fy_of(text: str) -> int | None:
    try:
        return parse_fiscal_year(re.sub(r"\s+", "", text))
    except Exception:
        return None


def span_of(match: re.Match[str]) -> tuple[int, int] | None:
    start = fy_of(match["a"])
    end_text = match["b"].strip()
    era = re.match(rf"({_ERA_TOKEN})", match["a"].strip(), re.IGNORECASE)
    if era and not re.match(rf"({_ERA_TOKEN})", end_text, re.IGNORECASE) and len(end_text) <= 2:
        end_text = era.group(1) + end_text
    end = fy_of(end_text)
    if start is None or end is None or not 0 <= end - start <= 30:
        return None
    return start, end


# How the plan's period was found, in Japanese (the period's warning).
_HOW_JA = {
    "the document's period": "文書の計画期間から",
    "the years of its figures": "数値の年度から",
    "no year in the document: this fiscal year": "文書に年度がないため今年度",
}


@dataclass
class Builder:
    source: str
    options: SheetOptions
    layout: str
    nodes: dict[str, Node] = field(default_factory=dict)
    levels: list[Level] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    scales: dict[str, RatingScale] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    ratings: list[Rating] = field(default_factory=list)  # of the plan
    tallies: list[Tally] = field(default_factory=list)
    costs: list[Cost] = field(default_factory=list)
    warnings: list[SheetWarning] = field(default_factory=list)
    guesses: list[tuple[str, Guess]] = field(default_factory=list)
    structure: list[StructureGuess] = field(default_factory=list)
    title: str = ""
    description: list[str] = field(default_factory=list)
    period: tuple[int, int] | None = None
    period_line: int | None = None
    evaluation_fy: int | None = None
    municipality: str | None = None
    taken: dict[str, int] = field(default_factory=dict)  # indicator codes given out
    by_name: dict[str, list[int]] = field(default_factory=dict)  # indicators by their name's key
    per_node: dict[str | None, int] = field(default_factory=dict)  # indicators made on each home node
    # targets summed over the plan's period (累計 20人): (indicator name, source, kind), given its first year
    # once the period is known
    summed: set[tuple[str, str, str]] = field(default_factory=set)

    # --- what was seen ----------------------------------------------------------------

    def warn(self, line: int | None, message: str, message_ja: str) -> None:
        """A warning in English and Japanese (the staff pages'), at a line or the whole document."""
        self.warnings.append(SheetWarning(line, message, message_ja))

    def saw(self, what: str, value: str, ja: str, en: str, line: int | None = None) -> None:
        self.structure.append(StructureGuess(what, value, ja, en, line))

    def noise(self, lines) -> None:
        """Say which lines were taken for the site's or mirror's own text, not the document's."""
        noise = [ln for ln in lines if ln.noise]
        if noise:
            numbers = ", ".join(str(ln.number) for ln in noise[:20]) + (" …" if len(noise) > 20 else "")
            self.saw("noise", numbers, "サイトの案内・ミラーの見出し・ページ番号として除外",
                     f"{len(noise)} line(s) of the site's navigation, a mirror's header or page numbers left out")  # fmt: skip

    def where(self, line: int | None) -> str:
        return f"{self.source}:{line}" if line else ""

    # --- the hierarchy ------------------------------------------------------------------

    def level(self, depth: int, name: str) -> None:
        while len(self.levels) <= depth:
            self.levels.append(Level(""))
        if not self.levels[depth].name and name:
            self.levels[depth] = Level(name)

    def add_node(self, node: Node) -> Node:
        """A node, or the one of that code already there with what this one adds."""
        old = self.nodes.get(node.code)
        if old is None:
            self.nodes[node.code] = node
            return node
        merged = replace(
            old,
            name=old.name if old.name and not _placeholder(old) else node.name or old.name,
            statement=old.statement or node.statement,
            number=old.number or node.number,
        )
        self.nodes[node.code] = merged
        return merged

    def update_node(self, code: str, **changes) -> None:
        self.nodes[code] = replace(self.nodes[code], **changes)

    def department(self, name: str) -> str:
        name = name.strip()
        for dept in self.departments.values():
            if dept.name == name:
                return dept.code
        code = f"dept-{len(self.departments) + 1}"
        self.departments[code] = Department(code, name)
        return code

    # --- indicators ---------------------------------------------------------------------

    def indicator(self, ind: Indicator, *, line: int | None = None) -> Indicator:
        """An indicator with its guessed measure, survey and direction (unless the document said them)."""
        said = {
            "measure": ind.measure != "level",
            "direction": ind.direction != "increase",
            "survey": ind.survey,
        }
        changes = {}
        for guess in guess_indicator(ind.name, ind.unit, (t.operator for t in ind.targets)):
            if said.get(guess.field):
                continue
            if (
                guess.field == "measure"
                and ind.per
                and guess.value == "level"
                and ind.unit not in ("%", "％")
            ):
                guess = Guess("measure", "flow", "「/年」など期間当たりの値", "a figure per period: a flow")
            changes[guess.field] = guess.value
            self.guesses.append((ind.code, guess))
        ind = replace(ind, **changes)
        self.by_name.setdefault(key(ind.name), []).append(len(self.indicators))
        self.per_node[ind.node] = self.per_node.get(ind.node, 0) + 1
        self.indicators.append(ind)
        return ind

    def unique_code(self, wanted: str) -> str:
        """A code no indicator has yet (and none will: it is kept as taken)."""
        code, n = wanted, self.taken.get(wanted, 1)
        while code in self.taken:
            n += 1
            code = f"{wanted}-{n}"
        self.taken[wanted] = n
        self.taken[code] = 1
        return code

    def scale(self, key_: str, name: str, grades: list[Grade], applies_to: str = "indicator") -> RatingScale:
        old = self.scales.get(key_)
        if old is not None:
            known = {g.code for g in old.grades}
            grades = [*old.grades, *(g for g in grades if g.code not in known)]
        scale = RatingScale(key=key_, name=name or (old.name if old else key_), grades=tuple(grades),
                            applies_to=applies_to)  # fmt: skip
        self.scales[key_] = scale
        return scale

    # --- the plan -----------------------------------------------------------------------

    def years_from_text(self, lines) -> None:
        """The period and the report's year, where the document states them."""
        for ln in lines:
            text = ln.text
            if self.period is None and (
                "計画期間" in text or "年間" in text or "基本計画" in text or "戦略" in text
            ):
                for m in _SPAN_RE.finditer(text):
                    span = span_of(m)
                    if span:
                        self.period, self.period_line = span, ln.number
                        break
            if self.evaluation_fy is None:
                m = _REPORT_FY_RE.search(text)
                if m:
                    self.evaluation_fy = fy_of(m["a"])
        if self.period is None:
            for ln in lines:
                m = _END_RE.search(ln.text)
                if m and fy_of(m["a"]):
                    self.period = (None, fy_of(m["a"]))  # type: ignore[assignment]
                    self.period_line = ln.number
                    break
        if self.period is None:
            self._period_from_date_and_length(lines)
        if self.period is None:
            for ln in lines:
                for m in _SPAN_RE.finditer(ln.text):
                    span = span_of(m)
                    if span and span[1] > span[0]:
                        self.period, self.period_line = span, ln.number
                        break
                if self.period:
                    break

    def _period_from_date_and_length(self, lines) -> None:
        """'2016年2月2日' and '5年後の目標': a plan of five years from the fiscal year of the date."""
        length = date = None
        for ln in lines:
            m = re.search(r"(?P<n>\d{1,2})\s*(?:年後|年間|か年|ヵ年|ヶ年|カ年)", ln.text)
            if m and length is None:
                length, line = int(m["n"]), ln.number
            d = re.search(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日", ln.text)
            if d and date is None:
                date = (int(d["y"]), int(d["m"]))
        if length and date and 1 <= length <= 30:
            start = date[0] if date[1] >= 4 else date[0] - 1
            self.period, self.period_line = (start, start + length - 1), line
            self.saw("year", f"FY{start}-FY{start + length - 1}", f"文書の日付の年度から{length}年間とみなす",
                     f"{length} years from the fiscal year of the document's date", line)  # fmt: skip

    def plan(self) -> SheetResult:
        opts = self.options
        inds = self.indicators
        figure_years = [o.fy for i in inds for o in i.observations]
        figure_years += [b.fy for i in inds for b in i.baselines if b.fy is not None]
        target_years = [t.fy for i in inds for t in i.targets if t.year_stated]
        counted = [t.fy for t in self.tallies] + [r.fy for r in self.ratings]
        counted += [c.end_fy for c in self.costs]
        start, end = self.period if self.period else (None, None)
        how = "the document's period" if self.period else ""
        if end is None:
            end = max(target_years, default=None) or max([*figure_years, *counted], default=None)
            how = how or "the years of its figures"
        if start is None:
            candidates = [y for y in figure_years if end is None or y <= end]
            start = (min(candidates) + 1 if candidates and min(candidates) < (end or 0) else None) or (
                min(counted, default=None)
            )
            if start is None and end is not None:
                start = end - 4
            how = how or "the years of its figures"
        if start is None or end is None:
            today = dt.date.today()
            fy = today.year if today.month >= 4 else today.year - 1
            start, end = start or end or fy, end or start or fy
            how = "no year in the document: this fiscal year"
        start, end = opts.start_fy or start, opts.end_fy or end
        if start > end and opts.start_fy is None:
            start = end
        if opts.start_fy is None or opts.end_fy is None:
            self.warn(
                self.period_line,
                f"the plan's period is taken as FY{start}-FY{end} ({how}): give --start-fy and --end-fy",
                f"計画期間を{start}年度～{end}年度とみなしました（{_HOW_JA.get(how, how)}）："
                "--start-fy と --end-fy で指定してください",
            )
        # a year-less target of the list (5年後の目標) is the plan's end
        indicators = []
        for ind in inds:
            targets = tuple(replace(t, fy=end) if not t.year_stated else t for t in ind.targets)
            from machiplan.tables.cells import summed_since  # the tables' rule (a lazy import: no cycle)

            targets = tuple(
                replace(t, period_start_fy=summed_since(None, True, ind.name, start, t.fy))
                if (ind.name, t.source, t.kind) in self.summed
                else t
                for t in targets
            )
            indicators.append(replace(ind, targets=targets))
        evaluation_fy = self.evaluation_fy
        if evaluation_fy is None:
            seen = [o.fy for i in inds for o in i.observations if o.kind != "none"] + counted
            evaluation_fy = max(seen, default=None)
        if evaluation_fy is not None:
            evaluation_fy = min(max(evaluation_fy, start), end + 1)
        name = opts.municipality_name or self.municipality or self._municipality()
        code = opts.municipality_code or "000000"
        if opts.municipality_code is None:
            self.warn(
                None,
                "the municipality's code (全国地方公共団体コード) is not in the document: 000000 until given (--municipality-code)",
                "文書に団体コード（全国地方公共団体コード）がありません：指定されるまで000000とします（--municipality-code）",
            )
        levels = list(self.levels)
        while levels and not levels[-1].name and len(levels) > self._depth():
            levels.pop()
        levels = [lv if lv.name else Level(f"第{n + 1}階層", f"Level {n + 1}") for n, lv in enumerate(levels)]
        plan = Plan(
            code=opts.code or code_from(self.source),
            title=self.title or "（表題なし）",
            municipality=Municipality(name=name, code=code),
            start_fy=start,
            end_fy=end,
            evaluation_fy=evaluation_fy,
            levels=tuple(levels),
            nodes=tuple(self._ordered_nodes()),
            indicators=tuple(indicators),
            rating_scales=tuple(self.scales.values()),
            departments=tuple(self.departments.values()),
            description="\n".join(self.description),
            ratings=tuple(self.ratings),
            tallies=tuple(self.tallies),
            costs=tuple(self.costs),
        )
        return SheetResult(
            plan=plan,
            warnings=tuple(self.warnings),
            guesses=tuple(self.guesses),
            layout=self.layout,
            structure=tuple(self.structure),
        )

    def _depth(self) -> int:
        depths = {}
        for node in self.nodes.values():
            depths[node.code] = 0 if node.parent is None else depths.get(node.parent, 0) + 1
        return max(depths.values(), default=-1) + 1

    def _ordered_nodes(self) -> list[Node]:
        out: list[Node] = []
        done: set[str] = set()

        def visit(parent: str | None) -> None:
            for node in self.nodes.values():
                if node.parent == parent and node.code not in done:
                    done.add(node.code)
                    out.append(node)
                    visit(node.code)

        visit(None)
        return out

    def _municipality(self) -> str:
        for text in [self.title, *self.description]:
            m = _MUNICIPALITY_RE.search(text or "")
            if m:
                return m.group(1)
        self.warn(
            None,
            "the municipality is not named in the document (give --municipality)",
            "文書に団体名がありません（--municipality で指定してください）",
        )
        return "不明"


def _placeholder(node: Node) -> bool:
    """A name made up from the heading alone ('基本目標2'), which a later, fuller heading replaces."""
    return bool(re.fullmatch(r"[^\s]{0,6}\d+|[^\s]{0,6}[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+", node.name)) or node.name == ""


def indicator_facts(ind: Indicator) -> int:
    return 1 + len(ind.observations) + len(ind.targets) + len(ind.baselines) + len(ind.ratings)


def facts(result: SheetResult) -> int:
    """How much a reader placed: the dispatcher's score."""
    plan = result.plan
    count = len(plan.nodes) + sum(indicator_facts(i) for i in plan.indicators)
    count += len(plan.tallies) + len(plan.costs) + len(plan.ratings)
    count += sum(len(n.tallies) + len(n.costs) + len(n.ratings) for n in plan.nodes)
    return count


def dec(value: object) -> Decimal:
    return Decimal(str(value))


__all__ = [
    "Baseline", "Builder", "Cost", "Grade", "Indicator", "Node", "Observation", "Rating", "Tally",
    "Target", "dec", "facts", "fy_of", "key",
]  # fmt: skip
