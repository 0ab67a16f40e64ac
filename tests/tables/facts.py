"""Facts of a table, listed, and checked one by one in the plan it imports as."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from machiplan.domain import plan as domain


def indicator(plan: domain.Plan, name: str, node: str | None = None) -> domain.Indicator:
    found = [i for i in plan.indicators if i.name == name and (node is None or i.node == node)]
    assert len(found) == 1, f"{name!r}: {len(found)} indicators ({[i.name for i in plan.indicators]})"
    return found[0]


def _matches(item: object, expected: dict, what: str) -> None:
    for key, want in expected.items():
        got = getattr(item, key)
        if isinstance(got, Decimal) and want is not None:
            want = Decimal(str(want))
        if isinstance(want, str) and key == "as_of":
            want = dt.date.fromisoformat(want)
        assert got == want, f"{what}: {key} is {got!r}, not {want!r}"


def check(plan: domain.Plan, facts: list[tuple]) -> int:
    """Each fact: ('plan', {field: value}), ('node', code, {...}), ('indicator', name, {...}),
    ('obs', name, fy, {...}), ('target', name, kind, fy or None, {...}), ('baseline', name, label,
    {...}); a series is given as name@series. Returns how many facts were checked."""
    for fact in facts:
        kind = fact[0]
        if kind == "plan":
            _matches(plan, fact[1], "plan")
            continue
        if kind == "node":
            node = plan.node(fact[1])
            assert node is not None, f"no node {fact[1]!r}: {[n.code for n in plan.nodes]}"
            _matches(node, fact[2], f"node {fact[1]}")
            continue
        name, _, series = fact[1].partition("@")
        ind = indicator(plan, name)
        if kind == "indicator":
            _matches(ind, fact[2], name)
        elif kind == "obs":
            found = [o for o in ind.observations if o.fy == fact[2] and o.series == series]
            assert len(found) == 1, f"{fact[1]} FY{fact[2]}: {ind.observations}"
            _matches(found[0], fact[3], f"{fact[1]} FY{fact[2]}")
        elif kind == "target":
            found = [
                t for t in ind.targets
                if t.kind == fact[2] and (fact[3] is None or t.fy == fact[3]) and t.series == series
            ]  # fmt: skip
            assert len(found) == 1, f"{fact[1]} {fact[2]} target FY{fact[3]}: {ind.targets}"
            _matches(found[0], fact[4], f"{fact[1]} target")
        elif kind == "baseline":
            found = [b for b in ind.baselines if b.label == fact[2] and b.series == series]
            assert len(found) == 1, f"{fact[1]} {fact[2]}: {ind.baselines}"
            _matches(found[0], fact[3], f"{fact[1]} {fact[2]}")
        elif kind == "no obs":
            assert not [o for o in ind.observations if o.fy == fact[2] and o.series == series], fact
        else:  # pragma: no cover - a typo in a test
            raise AssertionError(f"unknown fact {kind!r}")
    return len(facts)
