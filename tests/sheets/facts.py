"""The facts of a plan that an import must get right, comparable whatever codes each side chose.

A fact is a tuple naming things by name, not by code (codes are the importer's or the
package author's choice): a node under its parent, an indicator on its home node, its unit,
each baseline, target (kind, year, value or words, operator), observation, rating, tally and
cost. ``share(imported, expected)`` is the part of the expected facts the import holds.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from decimal import Decimal

from machiplan.domain.plan import Plan


def norm(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def facts(plan: Plan) -> Counter:
    names = {n.code: norm(n.name) for n in plan.nodes}
    scales = {s.key: norm(s.name) for s in plan.rating_scales}
    out: Counter = Counter()
    for n in plan.nodes:
        out[("node", names[n.code], names.get(n.parent or "", ""))] += 1
        for t in n.tallies:
            out[("tally", names[n.code], t.fy, norm(t.grade), t.count)] += 1
        for r in n.ratings:
            out[("rating", names[n.code], r.fy, scales.get(r.scale), norm(r.grade))] += 1
        for c in n.costs:
            out[("cost", names[n.code], c.basis, c.account, c.start_fy, c.end_fy, _num(c.amount),
                 _num(c.general_revenue), c.projects, c.unit)] += 1  # fmt: skip
    for t in plan.tallies:
        out[("tally", "", t.fy, norm(t.grade), t.count)] += 1
    for r in plan.ratings:
        out[("rating", "", r.fy, scales.get(r.scale), norm(r.grade))] += 1
    for c in plan.costs:
        out[("cost", "", c.basis, c.account, c.start_fy, c.end_fy, _num(c.amount), _num(c.general_revenue),
             c.projects, c.unit)] += 1  # fmt: skip
    for ind in plan.indicators:
        name = norm(ind.name)
        out[("indicator", name, names.get(ind.node or "", ""))] += 1
        for extra in ind.nodes[1:]:
            out[("indicator-node", name, names.get(extra, ""))] += 1
        out[("unit", name, norm(ind.unit))] += 1
        for b in ind.baselines:
            out[("baseline", name, norm(b.series), b.fy, _num(b.value), norm(b.text))] += 1
        for t in ind.targets:
            out[
                (
                    "target",
                    name,
                    norm(t.series),
                    t.horizon,
                    t.kind,
                    t.fy,
                    _num(t.value),
                    norm(t.text),
                    t.operator,
                )
            ] += 1
        for o in ind.observations:
            out[("observation", name, norm(o.series), o.fy, o.kind, _num(o.value))] += 1
        for r in ind.ratings:
            out[("rating", name, r.fy, scales.get(r.scale), norm(r.grade))] += 1
    return out


def share(imported: Plan, expected: Plan) -> tuple[float, Counter, Counter]:
    """The share of the expected facts the import holds, the ones it missed, the ones it made up."""
    got, want = facts(imported), facts(expected)
    missed = want - got
    extra = got - want
    total = sum(want.values())
    return (1.0 if total == 0 else (total - sum(missed.values())) / total), missed, extra
