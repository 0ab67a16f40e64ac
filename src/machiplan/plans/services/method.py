"""Changing a stored plan's evaluation method: its name, parameters, the city's own description and the
per-indicator overrides (docs/evaluation.md, "Methods").

A method is checked here by the functions a plan package's load uses (``check_method``: each
parameter against its method's definition, with the field it is about named in the error —
``method.params.roughly_ratio: …``; then ``check_plan``, which also checks that an override names
indicators of the plan). ``method_preview`` evaluates the plan under the method in force and the one
proposed — ``evaluate_plan`` on ``plan_data``, the one evaluator — and compares them;
``method_save`` writes the method in one transaction and moves the plan's version on, so the public
pages and the reports judge by it from then on. The caller (the staff app) checks who may, and
keeps the trail.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db import transaction

from machiplan.domain import plan as domain
from machiplan.domain.evaluation import PlanEvaluation, evaluate_plan
from machiplan.domain.method_change import MethodComparison, compare
from machiplan.domain.validation import check_plan
from machiplan.interchange.package.document import check_method

from .. import models
from ..selectors import plan_data, plan_method
from .structure import Change, _finish

WHERE = "method"  # errors name their place from here: method.params.rate, method.overrides[0].indicators


@dataclass(frozen=True, slots=True)
class MethodPreview:
    plan: domain.Plan  # as stored (its method the one in force)
    proposed: domain.Method
    before: PlanEvaluation
    after: PlanEvaluation
    comparison: MethodComparison


def method_state(method: domain.Method) -> dict:
    """A method as plain data: as the plan package's ``method`` and the trail keep it."""
    return {
        "name": method.name,
        "params": dict(method.params),
        "description": method.description,
        "overrides": [
            {"indicators": list(o.indicators), "name": o.name, "params": dict(o.params)}
            for o in method.overrides
        ],
    }


def method_check(plan: domain.Plan, method: domain.Method) -> domain.Plan:
    """The plan with ``method`` in force, checked as a package's load checks it (a MachiplanError whose
    ``where`` names the field otherwise)."""
    check_method(method, WHERE)
    proposed = replace(plan, method=method)
    check_plan(proposed)
    return proposed


def method_preview(code: str, method: domain.Method) -> MethodPreview:
    """The plan judged by its method and by ``method``, and what differs; nothing is written."""
    plan = plan_data(code)
    proposed = method_check(plan, method)
    fy = plan.default_evaluation_fy()
    before = evaluate_plan(plan, evaluation_fy=fy)
    after = evaluate_plan(proposed, evaluation_fy=fy)
    return MethodPreview(plan, method, before, after, compare(plan, before, after))


def method_save(plan: models.Plan, method: domain.Method) -> list[Change]:
    """Make ``method`` the plan's (checked first; the plan as changed is checked whole inside the
    transaction). Returns the change, old and new method whole, for the caller's trail; none when the
    method is the one in force."""
    check_method(method, WHERE)
    new = method_state(method)
    with transaction.atomic():
        row = models.Plan.objects.select_for_update().get(pk=plan.pk)
        old = method_state(plan_method(row))
        if old == new:
            return []
        row.method_name = method.name
        row.method_params = new["params"]
        row.method_description = method.description
        row.method_overrides = new["overrides"]
        row.save(update_fields=["method_name", "method_params", "method_description", "method_overrides"])
        return _finish(row, [Change("evaluation method", old, new)])
