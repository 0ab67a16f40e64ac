"""The invariants every plan keeps, whatever it came from (package, sheet, web form).

Reading a package checks these as it goes, naming the file and line; this
checks a finished ``Plan`` once more, so that nothing that breaks them reaches
the database.
"""

from __future__ import annotations

import re

from .errors import MachiplanError
from .fiscal import fiscal_year_bounds
from .plan import ACTUAL, INTERIM, PLAN_HORIZON, Plan

_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def check_plan(plan: Plan) -> Plan:
    if not _CODE_RE.match(plan.code):
        raise MachiplanError(
            f"{plan.code!r} is not a valid plan code (letters, digits, '-', '_', '.')", where="code"
        )
    if not re.fullmatch(r"\d{6}", plan.municipality.code):
        raise MachiplanError(f"{plan.municipality.code!r} is not a six-digit code", where="municipality.code")
    if plan.end_fy < plan.start_fy:
        raise MachiplanError(
            f"the plan ends (FY{plan.end_fy}) before it starts (FY{plan.start_fy})", where="period"
        )
    goals = [g.number for g in plan.goals]
    if len(set(goals)) != len(goals):
        raise MachiplanError(f"goal numbers repeat: {goals}", where="goals")
    horizons = {PLAN_HORIZON} | {h.horizon for h in plan.higher_plans}
    departments = {d.code for d in plan.departments}
    codes: set[str] = set()
    for ind in plan.indicators:
        where = f"indicators[{ind.code}]"
        if not _CODE_RE.match(ind.code) or ind.code in codes:
            raise MachiplanError("indicator code is invalid or repeated", where=where)
        codes.add(ind.code)
        if ind.goal not in goals:
            raise MachiplanError(f"goal {ind.goal} does not exist", where=where)
        if ind.department is not None and ind.department not in departments:
            raise MachiplanError(f"department {ind.department!r} is not declared", where=where)
        years = [o.fy for o in ind.observations]
        if len(set(years)) != len(years):
            raise MachiplanError("two observations for one fiscal year", where=where)
        for obs in ind.observations:
            if (obs.kind in (ACTUAL, INTERIM)) != (obs.value is not None):
                raise MachiplanError(
                    f"FY{obs.fy}: a {obs.kind} observation {'needs' if obs.value is None else 'has no'} value",
                    where=where,
                )
            if obs.as_of is not None:
                start, end = fiscal_year_bounds(obs.fy)
                if not start <= obs.as_of <= end:
                    raise MachiplanError(
                        f"FY{obs.fy}: as-of date {obs.as_of} is outside the fiscal year", where=where
                    )
        seen: set[str] = set()
        for target in ind.targets:
            if target.horizon not in horizons or target.horizon in seen:
                raise MachiplanError(
                    f"target horizon {target.horizon!r} is undeclared or repeated", where=where
                )
            seen.add(target.horizon)
    return plan
