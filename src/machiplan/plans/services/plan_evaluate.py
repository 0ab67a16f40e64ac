"""Evaluate a stored plan: the one place the CLI, the reports and the web app get judgements from."""

from __future__ import annotations

from machiplan.domain import plan as domain
from machiplan.domain.evaluation import PlanEvaluation, evaluate_plan

from ..selectors import plan_data


def plan_evaluate(*, code: str, evaluation_fy: int | None = None) -> tuple[domain.Plan, PlanEvaluation]:
    plan = plan_data(code)
    return plan, evaluate_plan(plan, evaluation_fy=evaluation_fy)
