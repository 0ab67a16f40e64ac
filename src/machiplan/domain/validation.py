"""The invariants every plan keeps, whatever it came from (package, sheet, the staff pages).

``check_plan`` is what a plan must pass before it is stored or written: ``load``
(through ``read_package``), ``import-sheet`` and the structure pages all call it.
Every observation goes through ``entry_checks.check_entry``, the very rules the web
form, the bulk upload and the API apply, so a figure one way refuses is refused
by every way with the same message, and what one way warns about, every way
warns about. The first error raises ``MachiplanError`` naming its place (the
file and line a figure came from, or the field); the warnings are returned.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

from . import limits
from .entry_checks import (
    Problem,
    check_entry,
    figure_history,
    figure_years,
    fy_problem,
    length_problem,
    sample_problems,
    text_problem,
    value_problems,
)
from .errors import MachiplanError
from .figures import BASELINE_FIELDS, FIGURE_FIELDS, SERIES, SOURCE_TEXT, TARGET_FIELDS
from .fiscal import fy_in_range
from .labels import fy_label
from .plan import (
    AT_LEAST,
    AT_MOST,
    DOCUMENTATION,
    FINAL,
    INCREASE,
    PLAN_HORIZON,
    Indicator,
    Observation,
    Plan,
)

# Codes appear in URLs (Django's <slug:…>): ASCII letters, digits, '-' and '_', at most 64.
CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", re.ASCII)
# A node's code is the city's own (Ⅰ-2-(3), 11102, 政策1-施策1): any text of up to 64 characters
# without spaces or the characters a list cell or a web address would take for its own.
# not "." or ".." (dots alone): a browser resolves /nodes/../ to the page above, never the node's
NODE_CODE_RE = re.compile(r"(?!\.+\Z)[^\s;/\\?#%=]{1,64}")
# A source's address is a link on the pages, the report's HTML and PDF: http or https only (a
# javascript: or data: address would run when clicked), nothing a browser would take out (tab, line break).
WEB_ADDRESS_RE = re.compile(r"https?://[^\s\x00-\x1f\x7f/?#]+[^\s\x00-\x1f\x7f]*", re.IGNORECASE)
MUNICIPALITY_CODE_RE = re.compile(r"[0-9]{6}")  # 全国地方公共団体コード: six ASCII digits
GOAL_NUMBERS = (1, 999)  # format 1's 基本目標1 …: a plan has a handful


class Worded:
    """A warning's words in both languages: ``message`` in English (the command line's, and the
    fallback), ``message_ja`` in Japanese (the staff pages'). ``text(lang)`` picks one."""

    __slots__ = ()
    message: str
    message_ja: str

    def text(self, lang: str = "ja") -> str:
        """The wording in ``lang``: Japanese when asked for and written, else English."""
        return self.message_ja if lang == "ja" and self.message_ja else self.message


@dataclass(frozen=True, slots=True)
class PlanWarning(Worded):
    """Something a person should look at, which does not stop the plan: where, and what (in
    English, and in Japanese)."""

    where: str  # 'observations.csv:12', 'sheet.txt:55', or a field path
    message: str
    message_ja: str = ""

    def __str__(self) -> str:
        return self.said("en")

    def said(self, lang: str = "en") -> str:
        """Where, then what, in ``lang``: 'observations.csv:12: …' (``str``: in English)."""
        return f"{self.where}: {self.text(lang)}" if self.where else self.text(lang)

    @property
    def line(self) -> int | None:
        """The line number in ``where`` ('sheet.txt:55' -> 55), when it names one."""
        number = self.where.rpartition(":")[2]
        return int(number) if number.isdigit() else None


def is_code(text: str) -> bool:
    return isinstance(text, str) and CODE_RE.fullmatch(text) is not None


def code_error(text: str, where: str) -> MachiplanError:
    return MachiplanError(
        f"{text!r} is not a valid code (ASCII letters, digits, '-' and '_'; at most 64)", where=where
    )


def is_node_code(text: str) -> bool:
    """The pattern, and no control, invisible (format), surrogate, private or unassigned character
    (Unicode's categories C*): NUL, an escape sequence, a zero-width space or a right-to-left override
    would go into URLs, file rows and a terminal, or show another code than the one it is."""
    return (
        isinstance(text, str)
        and NODE_CODE_RE.fullmatch(text) is not None
        and not any(unicodedata.category(ch)[0] == "C" for ch in text)
    )


def code_key(code: str) -> str:
    """A code whatever the encoding of its characters: two codes of one key (が, and か + ゛ as NFD)
    look the same on every page and file. Canonical equivalence only (NFC): １ and 1, ① and 1 look
    apart, and plans number one level 1, 2 … and the next ①, ② …."""
    return unicodedata.normalize("NFC", code)


def node_code_error(text: str, where: str) -> MachiplanError:
    return MachiplanError(
        f"{text!r} is not a valid node code (up to 64 characters, no spaces or ; / \\ ? # % =, not dots alone)",
        where=where,
    )


def fy_error(fy: int, where: str) -> MachiplanError | None:
    """A plan's year (its period, a target's, a narrative's …) is one machiplan keeps: the figures' rule."""
    problem = fy_problem(fy)
    return MachiplanError(problem.message("en"), where=where) if problem else None


def goal_number_error(number: object, where: str) -> MachiplanError | None:
    low, high = GOAL_NUMBERS
    if isinstance(number, int) and not isinstance(number, bool) and low <= number <= high:
        return None
    return MachiplanError(
        f"a goal number is a whole number from {low} to {high}, not {number!r}", where=where
    )


def check_plan(plan: Plan) -> tuple[PlanWarning, ...]:
    """Raise ``MachiplanError`` for the first broken rule; return the warnings."""
    if not is_code(plan.code):
        raise code_error(plan.code, "code")
    if not MUNICIPALITY_CODE_RE.fullmatch(plan.municipality.code):
        raise MachiplanError(
            f"{plan.municipality.code!r} is not a six-digit code (ASCII digits)", where="municipality.code"
        )
    for fy, where in ((plan.start_fy, "period.start_fy"), (plan.end_fy, "period.end_fy")):
        if error := fy_error(fy, where):
            raise error
    if plan.end_fy < plan.start_fy:
        raise MachiplanError(
            f"the plan ends (FY{plan.end_fy}) before it starts (FY{plan.start_fy})", where="period"
        )
    if plan.evaluation_fy is not None:
        low, high = plan.evaluation_fy_range
        if not isinstance(plan.evaluation_fy, int) or not low <= plan.evaluation_fy <= high:
            raise MachiplanError(
                f"FY{plan.evaluation_fy} is not a year of the plan (FY{low} to FY{high})",
                where="evaluation_fy",
            )
    for n, higher in enumerate(plan.higher_plans):
        _check_higher_plan(higher, f"higher_plans[{n}]")
    departments = {d.code for d in plan.departments}
    for d in plan.departments:
        if not is_code(d.code):
            raise code_error(d.code, "departments")
    if plan.department is not None and plan.department not in departments:
        raise MachiplanError(f"department {plan.department!r} is not declared", where="department")
    for code, where in ((plan.parent_plan, "parent_plan"), (plan.predecessor, "predecessor")):
        if code is not None and (not is_code(code) or code == plan.code):
            raise MachiplanError(f"{code!r} is not another plan's code", where=where)
    for n, source in enumerate(plan.sources):
        if source.url and not WEB_ADDRESS_RE.fullmatch(source.url):
            raise MachiplanError(
                f"{source.url!r} is not a web address (http:// or https://, no spaces or control characters)",
                where=f"sources[{n}].url",
            )
    _check_nodes(plan, departments)
    _check_method(plan)
    for where, text in _texts(plan):
        if problem := text_problem(text, where):
            raise MachiplanError(problem.message("en"), where=where)
    _check_lengths(plan)
    horizons = {PLAN_HORIZON} | {h.horizon for h in plan.higher_plans}
    revisions = {r.code for r in plan.revisions}
    for n, revision in enumerate(plan.revisions):
        if not is_code(revision.code):
            raise code_error(revision.code, f"revisions[{n}].code")
        if error := fy_error(revision.fy, f"revisions[{n}].fy"):
            raise error
    scales = plan.rating_scales_by_key
    years = figure_years(plan.start_fy, plan.end_fy)
    warnings: list[PlanWarning] = []
    codes: set[str] = set()
    for ind in plan.indicators:
        where = f"indicators[{ind.code}]"
        if not is_code(ind.code):
            raise code_error(ind.code, where)
        if ind.code in codes:
            raise MachiplanError(f"indicator code {ind.code} appears twice", where=where)
        codes.add(ind.code)
        _check_indicator(plan, ind, where, departments, revisions)
        warnings.extend(_check_observations(ind, years))
        _check_targets(ind, horizons, revisions)
        warnings.extend(_operators_against_direction(ind))
        warnings.extend(_check_baselines(ind, revisions))
        _check_ratings(ind.ratings, scales, where)
    subjects = [(f"nodes[{n.code}]", n) for n in plan.nodes] + [("plan", plan)]
    for where, subject in subjects:
        _check_ratings(subject.ratings, scales, where)
        _check_ratings(subject.tallies, scales, where)
        for cost in subject.costs:
            place = cost.source or where
            for fy in (cost.start_fy, cost.end_fy):
                if error := fy_error(fy, place):
                    raise error
            if cost.end_fy < cost.start_fy:
                raise MachiplanError("a cost's end_fy is before its start_fy", where=place)
            for value in (cost.amount, cost.general_revenue):
                if value is not None and (found := value_problems(value, None)):
                    raise MachiplanError(found[0].message("en"), where=place)
        for item in (*subject.ratings, *subject.comments, *subject.tallies):
            if error := fy_error(item.fy, item.source or where):
                raise error
    return tuple(warnings)


def _check_method(plan: Plan) -> None:
    """The method, its parameters and each override's are ones machiplan knows; an override names
    indicators of the plan."""
    from .evaluation import override_params, plan_params  # evaluation imports this module's neighbours

    params = plan_params(plan)
    override_params(plan, params)
    codes = {i.code for i in plan.indicators}
    for n, override in enumerate(plan.method.overrides):
        for code in override.indicators:
            if code not in codes:
                raise MachiplanError(f"indicator {code!r} is not in the plan", where=f"method.overrides[{n}]")


def _check_higher_plan(higher, where: str) -> None:
    if not is_code(higher.horizon) or higher.horizon == PLAN_HORIZON:
        raise code_error(higher.horizon, f"{where}.horizon")
    for fy, name in ((higher.start_fy, "start_fy"), (higher.end_fy, "end_fy")):
        if fy is not None and (error := fy_error(fy, f"{where}.{name}")):
            raise error
    if higher.start_fy is not None and higher.end_fy is not None and higher.end_fy < higher.start_fy:
        raise MachiplanError("end_fy is before start_fy", where=where)


def _check_nodes(plan: Plan, departments: set[str]) -> None:
    seen: set[str] = set()
    keys: dict[str, str] = {}
    for node in plan.nodes:
        where = f"nodes[{node.code}]"
        if not is_node_code(node.code):
            raise node_code_error(node.code, where)
        if node.code in seen:
            raise MachiplanError(f"node code {node.code} appears twice", where=where)
        if (alike := keys.setdefault(code_key(node.code), node.code)) != node.code:
            raise MachiplanError(
                f"node code {node.code} appears twice (as {alike!r} and {node.code!r}: the same code "
                "in other characters)",
                where=where,
            )
        if node.parent is not None and node.parent not in seen:
            raise MachiplanError(f"parent {node.parent!r} does not come before it", where=where)
        if not node.name.strip():
            raise MachiplanError("a node needs a name", where=where)
        for code in (node.department, *node.related_departments):
            if code is not None and code not in departments:
                raise MachiplanError(f"department {code!r} is not declared", where=where)
        for k, narrative in enumerate(node.narratives):
            if narrative.fy is not None and (error := fy_error(narrative.fy, f"{where}.narratives[{k}].fy")):
                raise error
        seen.add(node.code)


def _check_indicator(
    plan: Plan, ind: Indicator, where: str, departments: set[str], revisions: set[str]
) -> None:
    if len(set(ind.nodes)) != len(ind.nodes):
        raise MachiplanError("a node is named twice", where=where)
    for code in ind.nodes:
        if plan.node(code) is None:
            raise MachiplanError(f"node {code!r} does not exist", where=where)
    for code in (ind.department, *ind.related_departments):
        if code is not None and code not in departments:
            raise MachiplanError(f"department {code!r} is not declared", where=where)
    for key in ("added_in", "dropped_in"):
        value = getattr(ind, key)
        if value is not None and value not in revisions:
            raise MachiplanError(f"{key}: revision {value!r} is not declared", where=where)
    if len(set(ind.series)) != len(ind.series) or any(not s.strip() for s in ind.series):
        raise MachiplanError("series names must be non-empty and different", where=where)
    series = {"", *ind.series}
    for item in (*ind.observations, *ind.targets, *ind.baselines):
        if item.series not in series:
            raise MachiplanError(
                f"series {item.series!r} is not one of the indicator's series", where=item.source or where
            )


def _place(ind: Indicator, obs: Observation) -> str:
    return obs.source or f"indicators[{ind.code}]"


def _check_observations(ind: Indicator, years: tuple[int, int]) -> Iterator[PlanWarning]:
    seen: set[tuple[str, int]] = set()
    for obs in ind.observations:
        if (obs.series, obs.fy) in seen:
            in_series = f" in series {obs.series!r}" if obs.series else ""
            raise MachiplanError(
                f"{ind.code}: two observations for FY{obs.fy}{in_series}", where=_place(ind, obs)
            )
        seen.add((obs.series, obs.fy))
    # each series in the order its first figure comes (a set's order changed with the hash seed:
    # which of two series' errors was reported, and the order of their warnings)
    for series in dict.fromkeys(o.series for o in ind.observations):
        figures = [o for o in ind.observations if o.series == series]
        history = figure_history(figures)  # once per series, not once per figure
        for obs in figures:
            findings = check_entry(ind, obs, years=years, history=history)
            if findings.errors:
                raise _error(ind, obs.fy, findings.errors[0], _place(ind, obs))
            for problem in findings.warnings:
                yield PlanWarning(_place(ind, obs), *_messages(ind, obs.fy, problem))


def _check_targets(ind: Indicator, horizons: set[str], revisions: set[str]) -> None:
    finals: set[tuple[str, str, str | None]] = set()
    for target in ind.targets:
        where = target.source or f"indicators[{ind.code}]"
        if target.horizon not in horizons:
            raise MachiplanError(f"{ind.code}: target horizon {target.horizon!r} is undeclared", where=where)
        if target.revision is not None and target.revision not in revisions:
            raise MachiplanError(f"revision {target.revision!r} is not declared", where=where)
        if target.kind == FINAL:
            key = (target.series, target.horizon, target.revision)
            if key in finals:
                in_series = f" in series {target.series!r}" if target.series else ""
                raise MachiplanError(
                    f"indicator {ind.code} has a second '{target.horizon}' target{in_series}", where=where
                )
            finals.add(key)
        for fy in (target.fy, target.period_start_fy):
            if fy is not None and (error := fy_error(fy, where)):
                raise error
        if target.period_start_fy is not None and target.period_start_fy > target.fy:
            raise MachiplanError("period_start_fy is after fy", where=where)
        if target.value is not None and (found := value_problems(target.value, ind.unit)):
            raise _error(ind, target.fy, found[0], where)
        for name in ("source_text", "text", "note"):
            if problem := text_problem(getattr(target, name), name):
                raise _error(ind, target.fy, problem, where)


def _operators_against_direction(ind: Indicator) -> Iterator[PlanWarning]:
    """A target of 以上 on an indicator where lower is better (or 以下 where higher is): whether it is
    met follows the target's word, its trend the indicator's direction (docs/evaluation.md), so one
    of the two is likely a slip; said once per indicator, at its first such target."""
    wrong = AT_MOST if ind.direction == INCREASE else AT_LEAST
    target = next((t for t in ind.targets if t.operator == wrong), None)
    if target is None:
        return
    word, said = ("以下", "higher") if wrong == AT_MOST else ("以上", "lower")
    yield PlanWarning(
        target.source or f"indicators[{ind.code}]",
        f"{ind.code}: its target says '{word}' but the indicator's direction says {said} is better: "
        "whether the target is met follows the target, the trend follows the direction; check the direction",
        f"{ind.code}: 目標は「{word}」ですが、指標の方向は{'多い' if said == 'higher' else '少ない'}ほど良いとしています。"
        "達成は目標の語に、傾向は方向に従って判定します。方向を確認してください",
    )


def _check_baselines(ind: Indicator, revisions: set[str]) -> Iterator[PlanWarning]:
    for baseline in ind.baselines:
        where = baseline.source or f"indicators[{ind.code}]"
        if baseline.revision is not None and baseline.revision not in revisions:
            raise MachiplanError(f"revision {baseline.revision!r} is not declared", where=where)
        if baseline.fy is not None and (error := fy_error(baseline.fy, where)):
            raise error
        if baseline.value is not None and (found := value_problems(baseline.value, ind.unit)):
            raise _error(ind, baseline.fy or 0, found[0], where)
        errors, warnings = sample_problems(ind, baseline, has_value=baseline.value is not None)
        if errors:
            raise _error(ind, baseline.fy or 0, errors[0], where)
        for problem in warnings:
            yield PlanWarning(where, *_messages(ind, baseline.fy or 0, problem))


def _check_ratings(ratings, scales, where: str) -> None:
    for rating in ratings:
        scale = scales.get(rating.scale)
        if scale is None or scale.grade(rating.grade) is None:
            raise MachiplanError(
                f"rating {rating.scale}={rating.grade} is not on a declared scale",
                where=rating.source or where,
            )


def _message(ind: Indicator, fy: int, problem: Problem) -> str:
    return f"{ind.code} FY{fy}: {problem.message('en')}"


def _messages(ind: Indicator, fy: int, problem: Problem) -> tuple[str, str]:
    """A figure's warning in English and in Japanese: the indicator and year, then the rule's words."""
    year = fy_label(fy, "ja") if fy_in_range(fy) else f"FY{fy}"
    return _message(ind, fy, problem), f"{ind.code} {year}：{problem.message('ja')}"


def _error(ind: Indicator, fy: int, problem: Problem, where: str) -> MachiplanError:
    return MachiplanError(_message(ind, fy, problem), where=where)


def _texts(plan: Plan) -> Iterator[tuple[str, str]]:
    """Every text of the plan outside its figures, with the field it is in."""
    yield "title", plan.title
    yield "title_en", plan.title_en or ""
    yield "municipality.name", plan.municipality.name
    yield "description", plan.description
    yield "method.description", plan.method.description
    for n, h in enumerate(plan.higher_plans):
        for name in ("label", "title", "description"):
            yield f"higher_plans[{n}].{name}", getattr(h, name)
    for n, d in enumerate(plan.departments):
        yield f"departments[{n}].name", d.name
    for n, level in enumerate(plan.levels):
        yield f"levels[{n}]", level.name + (level.name_en or "")
    for n, source in enumerate(plan.sources):
        yield f"sources[{n}]", source.title + source.url + source.note
    for node in plan.nodes:
        where = f"nodes[{node.code}]"
        for name in ("name", "name_en", "statement", "number"):
            yield f"{where}.{name}", getattr(node, name) or ""
        for footnote in node.footnotes:
            yield f"{where}.footnotes", footnote
        for initiative in node.initiatives:
            yield f"{where}.initiatives", "".join((initiative.text, *initiative.facts))
        for narrative in node.narratives:
            yield f"{where}.narratives", narrative.text
        for comment in node.comments:
            yield comment.source or f"{where}.comments", comment.text + comment.body_name
    for comment in plan.comments:
        yield comment.source or "comments", comment.text + comment.body_name
    for ind in plan.indicators:
        where = f"indicators[{ind.code}]"
        for name in ("category", "name", "name_en", "unit", "note", *DOCUMENTATION):
            yield f"{where}.{name}", getattr(ind, name) or ""
        for obs in ind.observations:
            yield _place(ind, obs), obs.source_text
        for comment in ind.comments:
            yield comment.source or f"{where}.comments", comment.text + comment.body_name


def _text_sizes(fields) -> dict[str, int]:
    return {f.name: f.max_length for f in fields if f.type == "text" and f.max_length is not None}


# an indicator's figures, targets and baselines, and the sizes of their texts (figures.py)
_FIGURE_SIZES = (
    ("observations", {**_text_sizes(FIGURE_FIELDS), "source_text": SOURCE_TEXT.max_length}),
    ("targets", _text_sizes(TARGET_FIELDS)),
    ("baselines", _text_sizes(BASELINE_FIELDS)),
)
_SOURCED = {"source": limits.SOURCE}


def _check_lengths(plan: Plan) -> None:
    """Every text of the plan that has a size fits it (domain/limits.py, figures.py), or the
    first that does not is refused at its place: 'nodes[1].name', 'observations.csv:12: note'.

    A plan's million figures are first measured field by field, all at once (``_figures_fit``):
    when none is too long, as almost always, they are not walked one by one."""
    for where, items, table in _sized(plan, figures=not _figures_fit(plan)):
        for item in items:
            for name, limit in table.items():
                text = getattr(item, name)
                if text and len(text) > limit:
                    problem = length_problem(text, limit, name)
                    source = getattr(item, "source", "")
                    place = f"{source}: {name}" if source else f"{_where(where)}.{name}".lstrip(".")
                    raise MachiplanError(problem.message("en"), where=place)  # type: ignore[union-attr]


def _figures_fit(plan: Plan) -> bool:
    """Whether every figure's, target's and baseline's texts fit their sizes."""
    for attr, table in _FIGURE_SIZES:
        items = list(chain.from_iterable(map(attrgetter(attr), plan.indicators)))
        for name, limit in (*table.items(), *_SOURCED.items()):
            if max(map(len, filter(None, map(attrgetter(name), items))), default=0) > limit:
                return False
    return True


def _where(where: str | tuple[str, str]) -> str:
    """A place as ``_sized`` names it: a text, or (list, code) made into 'indicators[1a]' when needed."""
    return where if isinstance(where, str) else f"{where[0]}[{where[1]}]"


_TITLES = {"title": limits.PLAN["title"], "title_en": limits.PLAN["title_en"]}
_MUNICIPALITY = {"name": limits.PLAN["municipality_name"]}


def _sized(
    plan: Plan, *, figures: bool = True
) -> Iterator[tuple[str | tuple[str, str], Iterable[object], dict[str, int]]]:
    """The plan's items that have texts with a size, in the plan's order: where they are, the
    items, their sizes; without its figures (``figures`` false) when they are known to fit."""
    yield "", [plan], _TITLES
    yield "municipality", [plan.municipality], _MUNICIPALITY
    for name, items, table in (
        ("higher_plans", plan.higher_plans, limits.HIGHER_PLAN),
        ("departments", plan.departments, limits.DEPARTMENT),
        ("revisions", plan.revisions, limits.REVISION),
        ("levels", plan.levels, limits.LEVEL),
        ("rating_scales", plan.rating_scales, limits.RATING_SCALE),
    ):
        for n, item in enumerate(items):
            yield f"{name}[{n}]", [item], table
    for n, scale in enumerate(plan.rating_scales):
        yield f"rating_scales[{n}].grades", scale.grades, limits.GRADE
    for node in plan.nodes:
        yield ("nodes", node.code), [node], limits.NODE
    for ind in plan.indicators:
        where = ("indicators", ind.code)
        yield where, [ind], limits.INDICATOR
        yield where, [_Series(s) for s in ind.series], _SERIES
        if figures:
            for attr, table in _FIGURE_SIZES:
                yield where, getattr(ind, attr), table
            yield where, (*ind.observations, *ind.targets, *ind.baselines), _SOURCED
    subjects = [("plan", plan), *((("nodes", n.code), n) for n in plan.nodes)]
    subjects += [(("indicators", i.code), i) for i in plan.indicators if i.ratings or i.comments]
    for where, subject in subjects:
        yield where, getattr(subject, "costs", ()), limits.COST
        yield where, subject.ratings, limits.RATING  # type: ignore[attr-defined]
        yield where, getattr(subject, "tallies", ()), limits.TALLY
        yield where, subject.comments, limits.COMMENT  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class _Series:
    """One of an indicator's series names, as an item with a sized text."""

    series: str


_SERIES = {"series": SERIES.max_length}
