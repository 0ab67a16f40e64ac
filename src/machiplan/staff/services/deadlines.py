"""The day a plan's figures of a fiscal year are due (提出期限), set by its owner, in the trail."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from machiplan.domain.entry_checks import Findings, figure_years, fy_problem
from machiplan.plans.models import Plan

from .. import policy
from ..errors import NotFound, Refused
from ..models import Action, Deadline
from . import audit


def deadline_set(*, user, plan_code: str, fy: int, due: dt.date | None, via: str = "web") -> Deadline | None:
    """Set (or, with ``due`` None, clear) the day the plan's figures of ``fy`` are due."""
    staff = policy.staff_of(user)
    plan = Plan.objects.filter(code=plan_code).first()
    if plan is None:
        raise NotFound(f"no plan {plan_code!r}")
    policy.require(
        policy.reach(staff, plan).can_set_deadlines,
        f"{staff.username} may not set the deadlines of plan {plan_code!r}",
    )
    if problem := fy_problem(fy, figure_years(plan.start_fy, plan.end_fy)):
        raise Refused(Findings(errors=(problem,)))
    with transaction.atomic():
        current = Deadline.objects.select_for_update().filter(plan_code=plan.code, fy=fy).first()
        old = current.due if current else None
        if old == due:
            return current
        if due is None:
            current.delete()
            current = None
        elif current is None:
            current = Deadline.objects.create(plan_code=plan.code, fy=fy, due=due, set_by=user)
        else:
            current.due, current.set_by = due, user
            current.save()
        audit.record(
            audit.Event(
                Action.DEADLINE, actor=staff.username, plan_code=plan.code, fy=fy, via=via,
                subject=f"deadline FY{fy}", old={"due": audit.json_safe(old)} if old else None,
                new={"due": audit.json_safe(due)} if due else None,
            )
        )  # fmt: skip
        return current
