"""A plan's owner changes its structure: who may (``policy``), what it does (``plans.services.structure``,
which writes and checks the whole plan), and the trail (``audit.record``, one group per save).

Every save is one transaction: the plan's write, its check (``check_plan``) and its audit rows
happen together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from machiplan.domain import plan as domain
from machiplan.domain import roles, workflow
from machiplan.domain.errors import MachiplanError
from machiplan.plans.models import Indicator, Plan
from machiplan.plans.services import method as plan_method
from machiplan.plans.services import structure as plan_structure

from .. import policy
from ..models import Action, Entry
from . import audit


def require_structure(user, plan_code: str) -> tuple[roles.Staff, Plan, roles.Reach]:
    staff = policy.staff_of(user)
    plan, found = policy.plan_for(staff, plan_code)
    policy.require(
        found.can_edit_structure, f"{staff.username} may not change the structure of plan {plan_code!r}"
    )
    return staff, plan, found


def _save(
    user, plan_code: str, write: Callable[[Plan], list[plan_structure.Change]], action: str = Action.STRUCTURE
) -> list:
    """Run one structure write and record what it changed, as one action of the trail."""
    staff, plan, _ = require_structure(user, plan_code)
    with transaction.atomic():
        changes = write(plan)
        if changes:
            audit.record(*(
                audit.Event(
                    action, actor=staff.username, plan_code=plan.code, indicator_code=c.indicator_code,
                    via="web", subject=c.subject, old=audit.json_safe(c.old), new=audit.json_safe(c.new),
                )
                for c in changes
            ))  # fmt: skip
        return changes


def plan_save(*, user, plan_code: str, levels: list[dict] | None = None, revisions: list[dict] | None = None,
              rating_scales: list[dict] | None = None, department: str | None = plan_structure.KEEP) -> list:  # fmt: skip
    """The plan's department, levels, revisions and rating scales (those given), saved together."""
    return _save(user, plan_code, lambda plan: plan_structure.plan_save(
        plan, levels=levels, revisions=revisions, rating_scales=rating_scales, department=department))  # fmt: skip


def node_save(*, user, plan_code: str, code: str | None, values: dict, lists: dict, parent: str | None,
              position: int | None = None) -> list:  # fmt: skip
    return _save(user, plan_code, lambda plan: plan_structure.node_save(
        plan, code, values, lists, parent=parent, position=position))  # fmt: skip


def node_delete(*, user, plan_code: str, code: str) -> list:
    return _save(user, plan_code, lambda plan: plan_structure.node_delete(plan, code))


def indicator_save(
    *, user, plan_code: str, code: str | None, values: dict, nodes: list[str], lists: dict
) -> list:
    return _save(
        user, plan_code, lambda plan: plan_structure.indicator_save(plan, code, values, nodes, lists)
    )


def indicator_delete(*, user, plan_code: str, code: str) -> list:
    """Remove an indicator with its figures and targets; refused while app-entered figures await approval."""

    def write(plan: Plan) -> list:
        row = Indicator.objects.filter(plan=plan, code=code).first()
        if row is not None:
            pending = Entry.objects.filter(indicator=row).exclude(status=workflow.APPROVED).count()
            if pending:
                raise MachiplanError(
                    f"indicator {code} has {pending} figure(s) awaiting approval: approve or return them first"
                )
        return plan_structure.indicator_delete(plan, code)

    return _save(user, plan_code, write)


# --- the evaluation method -----------------------------------------------------------------------


def method_preview(*, user, plan_code: str, method: domain.Method) -> plan_method.MethodPreview:
    """What the plan's statuses would be under ``method`` (nothing is written)."""
    require_structure(user, plan_code)
    return plan_method.method_preview(plan_code, method)


def method_save(*, user, plan_code: str, method: domain.Method) -> list:
    """The plan's evaluation method, saved: one row in the trail (``method``) with the old and the new."""
    return _save(user, plan_code, lambda plan: plan_method.method_save(plan, method), Action.METHOD)
