"""What changing a plan's evaluation method would change: the same plan evaluated twice (by
``evaluate_plan``, under the method in force and under the one proposed), compared.

Nothing here judges anything: the two ``PlanEvaluation``s are the evaluator's, and this module only
lists the indicators whose status differs (from → to), the nodes whose roll-up differs, and the
counts per status of each side in its own scale (the staff app's method page shows them before the
owner saves).
"""

from __future__ import annotations

from dataclasses import dataclass

from .evaluation import PlanEvaluation
from .methods import StatusDef
from .plan import Plan


@dataclass(frozen=True, slots=True)
class StatusChange:
    code: str  # the indicator's (or the node's) code
    name: str
    before: StatusDef | None  # None: a node without a roll-up under that method
    after: StatusDef | None


@dataclass(frozen=True, slots=True)
class MethodComparison:
    indicators: tuple[StatusChange, ...]  # the indicators whose headline status changes, in plan order
    nodes: tuple[StatusChange, ...]  # the nodes whose roll-up (grade) changes, in plan order
    counts_before: tuple[tuple[StatusDef, int], ...]  # every status of the scale in force, best first
    counts_after: tuple[tuple[StatusDef, int], ...]
    unchanged: int  # indicators whose status stays

    @property
    def changed(self) -> bool:
        return bool(self.indicators or self.nodes)


def _counts(evaluation: PlanEvaluation) -> tuple[tuple[StatusDef, int], ...]:
    return tuple((s, evaluation.overall.get(s.code, 0)) for s in evaluation.scale)


def _grade(evaluation: PlanEvaluation, code: str | None) -> StatusDef | None:
    if code is None:
        return None
    rollup = evaluation.params.definition.rollup(evaluation.params.own)
    found = next((g for g in rollup.grades if g.code == code), None)
    return found or evaluation.status(code)


def compare(plan: Plan, before: PlanEvaluation, after: PlanEvaluation) -> MethodComparison:
    """The indicators and nodes of ``plan`` judged differently by ``after`` than by ``before``."""
    indicators = []
    unchanged = 0
    for ind in plan.indicators:
        old, new = before.indicators[ind.code].status, after.indicators[ind.code].status
        if old == new:
            unchanged += 1
            continue
        indicators.append(StatusChange(ind.code, ind.name, before.status(old), after.status(new)))
    nodes = []
    for node in plan.nodes:
        old_grade, new_grade = before.node_grades.get(node.code), after.node_grades.get(node.code)
        if old_grade != new_grade:
            nodes.append(
                StatusChange(node.code, node.name, _grade(before, old_grade), _grade(after, new_grade))
            )
    return MethodComparison(tuple(indicators), tuple(nodes), _counts(before), _counts(after), unchanged)
