"""The invariants every plan keeps, whatever it came from (package, sheet, web form).

Reading a package checks these as it goes, naming the file and line; this
checks a finished ``Plan`` once more, so that nothing that breaks them reaches
the database.
"""

from __future__ import annotations

import re

from .errors import MachiplanError
from .fiscal import year_bounds
from .plan import (
    FINAL,
    PLAN_HORIZON,
    STATE,
    VALUE_KINDS,
    Indicator,
    Plan,
)

_CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_NODE_CODE_RE = re.compile(r"[^\s;/\\?#%=]{1,64}")


def check_plan(plan: Plan) -> Plan:
    if not _CODE_RE.fullmatch(plan.code):
        raise MachiplanError(
            f"{plan.code!r} is not a valid plan code (letters, digits, '-', '_', '.')", where="code"
        )
    if not re.fullmatch(r"[0-9]{6}", plan.municipality.code):
        raise MachiplanError(f"{plan.municipality.code!r} is not a six-digit code", where="municipality.code")
    if plan.end_fy < plan.start_fy:
        raise MachiplanError(
            f"the plan ends (FY{plan.end_fy}) before it starts (FY{plan.start_fy})", where="period"
        )
    departments = {d.code for d in plan.departments}
    _check_nodes(plan, departments)
    horizons = {PLAN_HORIZON} | {h.horizon for h in plan.higher_plans}
    revisions = {r.code for r in plan.revisions}
    scales = {s.key: s for s in plan.rating_scales}
    codes: set[str] = set()
    for ind in plan.indicators:
        where = f"indicators[{ind.code}]"
        if not _CODE_RE.fullmatch(ind.code) or ind.code in codes:
            raise MachiplanError("indicator code is invalid or repeated", where=where)
        codes.add(ind.code)
        _check_indicator(plan, ind, where, departments, horizons, revisions)
        _check_ratings(ind.ratings, scales, where)
    subjects = [(f"nodes[{n.code}]", n) for n in plan.nodes] + [("plan", plan)]
    for where, subject in subjects:
        _check_ratings(subject.ratings, scales, where)
        _check_ratings(subject.tallies, scales, where)
        for cost in subject.costs:
            if cost.end_fy < cost.start_fy:
                raise MachiplanError("a cost's end_fy is before its start_fy", where=cost.source or where)
    if plan.parent_plan == plan.code or plan.predecessor == plan.code:
        raise MachiplanError("a plan cannot be its own parent or predecessor", where="plan")
    return plan


def _check_nodes(plan: Plan, departments: set[str]) -> None:
    seen: set[str] = set()
    for node in plan.nodes:
        where = f"nodes[{node.code}]"
        if not _NODE_CODE_RE.fullmatch(node.code) or node.code in seen:
            raise MachiplanError("node code is invalid or repeated", where=where)
        if node.parent is not None and node.parent not in seen:
            raise MachiplanError(f"parent {node.parent!r} does not come before it", where=where)
        if not node.name.strip():
            raise MachiplanError("a node needs a name", where=where)
        for code in (node.department, *node.related_departments):
            if code is not None and code not in departments:
                raise MachiplanError(f"department {code!r} is not declared", where=where)
        seen.add(node.code)


def _check_indicator(
    plan: Plan, ind: Indicator, where: str, departments: set[str], horizons: set[str], revisions: set[str]
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
    years: set[tuple[str, int]] = set()
    for obs in ind.observations:
        place = obs.source or where
        in_series = f" in series {obs.series!r}" if obs.series else ""
        if obs.series not in series:
            raise MachiplanError(f"series {obs.series!r} is not one of the indicator's series", where=place)
        if (obs.series, obs.fy) in years:
            raise MachiplanError(
                f"indicator {ind.code} has a second row for FY{obs.fy}{in_series}", where=place
            )
        years.add((obs.series, obs.fy))
        has_figure = obs.value is not None or (ind.value_type == STATE and bool(obs.text))
        if obs.kind in VALUE_KINDS and not has_figure:
            needs = "'text' (a state)" if ind.value_type == STATE else "'value'"
            raise MachiplanError(f"an {obs.kind} value needs {needs}", where=place)
        if obs.kind not in VALUE_KINDS and obs.value is not None:
            raise MachiplanError(
                f"a {obs.kind} observation has no value, but 'value' is {obs.value}", where=place
            )
        if obs.as_of is not None:
            start, end = year_bounds(obs.fy, obs.period)
            if not start <= obs.as_of <= end:
                year = f"FY{obs.fy}" if obs.period == "fy" else f"{obs.fy}"
                raise MachiplanError(f"as_of {obs.as_of} is outside {year} ({start} – {end})", where=place)
    finals: set[tuple[str, str, str | None]] = set()
    for target in ind.targets:
        place = target.source or where
        if target.series not in series:
            raise MachiplanError(
                f"series {target.series!r} is not one of the indicator's series", where=place
            )
        if target.horizon not in horizons:
            raise MachiplanError(f"target horizon {target.horizon!r} is undeclared", where=place)
        if target.revision is not None and target.revision not in revisions:
            raise MachiplanError(f"revision {target.revision!r} is not declared", where=place)
        if target.period_start_fy is not None and target.period_start_fy > target.fy:
            raise MachiplanError("period_start_fy is after fy", where=place)
        if target.kind == FINAL:
            key = (target.series, target.horizon, target.revision)
            if key in finals:
                in_series = f" in series {target.series!r}" if target.series else ""
                raise MachiplanError(
                    f"indicator {ind.code} has a second '{target.horizon}' target{in_series}", where=place
                )
            finals.add(key)
    for baseline in ind.baselines:
        place = baseline.source or where
        if baseline.series not in series:
            raise MachiplanError(
                f"series {baseline.series!r} is not one of the indicator's series", where=place
            )
        if baseline.revision is not None and baseline.revision not in revisions:
            raise MachiplanError(f"revision {baseline.revision!r} is not declared", where=place)


def _check_ratings(ratings, scales, where: str) -> None:
    for rating in ratings:
        scale = scales.get(rating.scale)
        if scale is None or scale.grade(rating.grade) is None:
            raise MachiplanError(
                f"rating {rating.scale}={rating.grade} is not on a declared scale", where=where
            )
