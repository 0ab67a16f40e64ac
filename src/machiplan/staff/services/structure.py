"""Plan owners change the plan's structure: every change is one transaction and one line of the trail."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from machiplan.domain import roles, workflow
from machiplan.domain.errors import MachiplanError
from machiplan.domain.validation import check_plan
from machiplan.plans.models import Goal, Indicator, Observation, Plan, Target
from machiplan.plans.selectors import plan_data

from ..errors import NotAllowed, NotFound
from ..models import AuditEvent, Entry
from .audit import plain_decimal, snapshot
from .people import staff_of


def require_structure_role(user) -> roles.Staff:
    staff = staff_of(user)
    if not roles.can_edit_structure(staff):
        raise NotAllowed(f"{staff.username} ({staff.role}) may not change the plan's structure")
    return staff


def structure_save(*, user, plan: Plan, subject: str, forms: list) -> None:
    """Save a main form and its formsets together, recording what changed in each.

    An indicator's changes are filed under its code, so they show in its history. The plan as
    changed must keep every rule a plan keeps (``check_plan``, as ``load`` does), or nothing is
    saved: so an export of it always loads again.
    """
    staff = require_structure_role(user)
    main = forms[0].instance
    indicator_code = main.code if isinstance(main, Indicator) else ""
    with transaction.atomic():
        changes = []
        for form in forms:
            changes.extend(_changes(form))
            form.save()
        check_plan(plan_data(plan.code))
        if changes:
            AuditEvent.objects.create(
                actor=staff.username, plan_code=plan.code, indicator_code=indicator_code, action=workflow.STRUCTURE,
                via="web", subject=subject[:200], old={c: o for c, o, _ in changes}, new={c: n for c, _, n in changes},
            )  # fmt: skip
            Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())


def indicator_delete(*, user, plan: Plan, code: str) -> None:
    """Remove an indicator with its figures and targets; refused while app-entered figures await approval."""
    staff = require_structure_role(user)
    with transaction.atomic():
        row = Indicator.objects.select_for_update().filter(plan=plan, code=code).first()
        if row is None:
            raise NotFound(f"no indicator {code!r} in plan {plan.code!r}")
        pending = Entry.objects.filter(indicator=row).exclude(status=workflow.APPROVED).count()
        if pending:
            raise MachiplanError(
                f"indicator {code} has {pending} figure(s) awaiting approval: approve or return them first"
            )
        old = {
            "name": row.name, "goal": row.goal.number, "unit": row.unit,
            "observations": [snapshot(o) | {"fy": o.fy} for o in Observation.objects.filter(indicator=row).order_by("fy")],
            "targets": [{"horizon": t.horizon, "fy": t.fy, "value": None if t.value is None else plain_decimal(t.value)}
                        for t in Target.objects.filter(indicator=row)],
        }  # fmt: skip
        row.delete()
        AuditEvent.objects.create(
            actor=staff.username, plan_code=plan.code, indicator_code=code, action=workflow.STRUCTURE, via="web",
            subject=f"delete indicator {code} {row.name}"[:200], old=old, new=None,
        )  # fmt: skip
        Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())


def goal_delete(*, user, plan: Plan, number: int) -> None:
    """Remove a goal with its policies and narratives; refused while it still has indicators."""
    staff = require_structure_role(user)
    with transaction.atomic():
        goal = Goal.objects.select_for_update().filter(plan=plan, number=number).first()
        if goal is None:
            raise NotFound(f"no goal {number} in plan {plan.code!r}")
        if goal.indicators.exists():
            codes = ", ".join(goal.indicators.values_list("code", flat=True))
            raise MachiplanError(f"goal {number} still has indicators ({codes}): move or delete them first")
        old = {
            "name": goal.name,
            "statement": goal.statement,
            "policies": [f"{p.code} {p.title}" for p in goal.policies.all()],
        }
        goal.delete()
        AuditEvent.objects.create(
            actor=staff.username, plan_code=plan.code, action=workflow.STRUCTURE, via="web",
            subject=f"delete goal {number} {old['name']}"[:200], old=old, new=None,
        )  # fmt: skip
        Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())


def _changes(form) -> list[tuple[str, object, object]]:
    """(what, before, after) for a form or each form of a formset."""
    if hasattr(form, "forms"):  # a formset
        found = []
        for sub in form.forms:
            if sub.cleaned_data.get("DELETE") and sub.instance.pk:
                found.append((_label(sub), _json_safe(sub.initial), None))
            elif sub.has_changed() and not sub.cleaned_data.get("DELETE"):
                found.extend(_changes(sub))
        return found
    if not form.has_changed():
        return []
    label = _label(form)
    return [
        (f"{label}.{name}", _json_safe(form.initial.get(name)), _json_safe(form.cleaned_data.get(name)))
        for name in form.changed_data
    ]


def _label(form) -> str:
    instance = form.instance
    name = type(instance).__name__.lower()
    return f"{name}:{instance.pk}" if instance.pk else f"{name}:new"


def _json_safe(value):
    """A form value as the trail stores it: figures as plain digits, related rows by name."""
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return plain_decimal(value)
    return str(value)  # a related row (its name), a date
