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
from collections.abc import Iterator
from dataclasses import dataclass

from .entry_checks import (
    Problem,
    check_entry,
    figure_history,
    figure_years,
    fy_problem,
    text_problem,
    value_problems,
)
from .errors import MachiplanError
from .plan import PLAN_HORIZON, Indicator, Observation, Plan

# Codes appear in URLs (Django's <slug:…>): ASCII letters, digits, '-' and '_', at most 64.
CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", re.ASCII)
MUNICIPALITY_CODE_RE = re.compile(r"[0-9]{6}")  # 全国地方公共団体コード: six ASCII digits
GOAL_NUMBERS = (1, 999)  # 基本目標1 …: a plan has a handful


@dataclass(frozen=True, slots=True)
class PlanWarning:
    """Something a person should look at, which does not stop the plan: where, and what."""

    where: str  # 'observations.csv:12', 'sheet.txt:55', or a field path
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

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
    goals = [g.number for g in plan.goals]
    for n, number in enumerate(goals):
        if error := goal_number_error(number, f"goals[{n}].number"):
            raise error
    if len(set(goals)) != len(goals):
        raise MachiplanError(f"goal numbers repeat: {goals}", where="goals")
    for goal in plan.goals:
        for k, narrative in enumerate(goal.narratives):
            if narrative.fy is not None and (
                error := fy_error(narrative.fy, f"goals[{goal.number}].narratives[{k}].fy")
            ):
                raise error
    departments = {d.code for d in plan.departments}
    for d in plan.departments:
        if not is_code(d.code):
            raise code_error(d.code, "departments")
    for where, text in _texts(plan):
        if problem := text_problem(text, where):
            raise MachiplanError(problem.message("en"), where=where)
    horizons = {PLAN_HORIZON} | {h.horizon for h in plan.higher_plans}
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
        if ind.goal not in goals:
            raise MachiplanError(f"goal {ind.goal} does not exist", where=where)
        if ind.department is not None and ind.department not in departments:
            raise MachiplanError(f"department {ind.department!r} is not declared", where=where)
        warnings.extend(_check_observations(ind, years))
        _check_targets(ind, horizons)
    return tuple(warnings)


def _check_higher_plan(higher, where: str) -> None:
    if not is_code(higher.horizon) or higher.horizon == PLAN_HORIZON:
        raise code_error(higher.horizon, f"{where}.horizon")
    for fy, name in ((higher.start_fy, "start_fy"), (higher.end_fy, "end_fy")):
        if fy is not None and (error := fy_error(fy, f"{where}.{name}")):
            raise error
    if higher.start_fy is not None and higher.end_fy is not None and higher.end_fy < higher.start_fy:
        raise MachiplanError("end_fy is before start_fy", where=where)


def _place(ind: Indicator, obs: Observation) -> str:
    return obs.source or f"indicators[{ind.code}]"


def _check_observations(ind: Indicator, years: tuple[int, int]) -> Iterator[PlanWarning]:
    seen: set[int] = set()
    for obs in ind.observations:
        if obs.fy in seen:
            raise MachiplanError(f"{ind.code}: two observations for FY{obs.fy}", where=_place(ind, obs))
        seen.add(obs.fy)
    history = figure_history(ind.observations)  # once per indicator, not once per figure
    for obs in ind.observations:
        findings = check_entry(ind, obs, years=years, history=history)
        if findings.errors:
            raise _error(ind, obs.fy, findings.errors[0], _place(ind, obs))
        for problem in findings.warnings:
            yield PlanWarning(_place(ind, obs), _message(ind, obs.fy, problem))


def _check_targets(ind: Indicator, horizons: set[str]) -> None:
    seen: set[str] = set()
    for target in ind.targets:
        where = target.source or f"indicators[{ind.code}]"
        if target.horizon not in horizons or target.horizon in seen:
            raise MachiplanError(
                f"{ind.code}: target horizon {target.horizon!r} is undeclared or repeated", where=where
            )
        seen.add(target.horizon)
        for fy in (target.fy, target.period_start_fy):
            if fy is not None and (error := fy_error(fy, where)):
                raise error
        if target.period_start_fy is not None and target.period_start_fy > target.fy:
            raise MachiplanError("period_start_fy is after fy", where=where)
        if target.value is not None and (found := value_problems(target.value, ind.unit)):
            raise _error(ind, target.fy, found[0], where)
        if problem := text_problem(target.source_text, "source_text"):
            raise _error(ind, target.fy, problem, where)


def _message(ind: Indicator, fy: int, problem: Problem) -> str:
    return f"{ind.code} FY{fy}: {problem.message('en')}"


def _error(ind: Indicator, fy: int, problem: Problem, where: str) -> MachiplanError:
    return MachiplanError(_message(ind, fy, problem), where=where)


def _texts(plan: Plan) -> Iterator[tuple[str, str]]:
    """Every text of the plan outside its figures, with the field it is in."""
    yield "title", plan.title
    yield "title_en", plan.title_en or ""
    yield "municipality.name", plan.municipality.name
    for n, h in enumerate(plan.higher_plans):
        for name in ("label", "title", "description"):
            yield f"higher_plans[{n}].{name}", getattr(h, name)
    for n, d in enumerate(plan.departments):
        yield f"departments[{n}].name", d.name
    for goal in plan.goals:
        where = f"goals[{goal.number}]"
        yield f"{where}.name", goal.name
        yield f"{where}.statement", goal.statement
        for footnote in goal.footnotes:
            yield f"{where}.footnotes", footnote
        for policy in goal.policies:
            yield f"{where}.policies", policy.code + policy.title
            for initiative in policy.initiatives:
                yield (
                    f"{where}.policies[{policy.code}].initiatives",
                    "".join((initiative.text, *initiative.facts)),
                )
        for narrative in goal.narratives:
            yield f"{where}.narratives", narrative.text
    for ind in plan.indicators:
        where = f"indicators[{ind.code}]"
        for name in ("category", "name", "name_en", "unit", "note"):
            yield f"{where}.{name}", getattr(ind, name) or ""
        for obs in ind.observations:
            yield _place(ind, obs), obs.source_text
