"""The one permission policy, for Django: who the signed-in person is, what they may do in a plan,
and the rows they may see.

The rules themselves are pure (``domain/roles.py``: ``reach``); this module reads a person's roles
from the database, asks the rules, refuses (``NotAllowed``, ``NotFound``), and filters querysets —
the indicators of a list, the entries of a queue, the events of a trail, the plans of the home
page. Every view, API endpoint, bulk row and selector goes through it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from machiplan.domain import roles
from machiplan.plans.models import Indicator, Plan

from .errors import NotAllowed, NotFound
from .models import Action, PlanRole, Profile


def staff_of(user) -> roles.Staff:
    """The person a signed-in user is, with their roles. A superuser without a profile is an admin."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise NotAllowed("sign in first")
    profile = Profile.objects.filter(user=user).first()
    role = profile.role if profile else (roles.ADMIN if user.is_superuser else "")
    grants = tuple(
        roles.Grant(plan=code, role=role_, department=department)
        for code, role_, department in PlanRole.objects.filter(user=user)
        .order_by("plan_code")
        .values_list("plan_code", "role", "department__code")
    )
    return roles.Staff(username=user.get_username(), role=role, grants=grants)


def reach(staff: roles.Staff, plan: Plan | str) -> roles.Reach:
    return roles.reach(staff, plan if isinstance(plan, str) else plan.code)


def require(allowed: bool, what: str) -> None:
    if not allowed:
        raise NotAllowed(what)


def plan_for(staff: roles.Staff, code: str) -> tuple[Plan, roles.Reach]:
    """The plan and what this person may do in it: NotFound for no such plan, NotAllowed for one they
    have no role in (and read nothing of)."""
    plan = Plan.objects.filter(code=code).first()
    if plan is None:
        raise NotFound(f"no plan {code!r}")
    found = reach(staff, plan)
    require(found.can_open, f"{staff.username} has no role in plan {code!r}")
    return plan, found


def department_of(row: Indicator) -> str | None:
    """An indicator's owning department's code (the rules' key for editors)."""
    return row.department.code if row.department_id else None


def indicator_for(staff: roles.Staff, plan_code: str, indicator_code: str) -> tuple[Indicator, roles.Reach]:
    """One indicator this person may open (NotFound / NotAllowed otherwise), and their reach in its plan."""
    row = (
        Indicator.objects.select_related("plan", "department")
        .filter(plan__code=plan_code, code=indicator_code)
        .first()
    )
    if row is None:
        raise NotFound(f"no indicator {indicator_code!r} in plan {plan_code!r}")
    found = reach(staff, row.plan)
    require(found.can_see(department_of(row)),
            f"{staff.username} may not open indicator {row.code} (another department's, or another plan's)")  # fmt: skip
    return row, found


def plans(staff: roles.Staff) -> list[tuple[Plan, roles.Reach]]:
    """The plans this person may open, each with their reach: those they hold a role in first."""
    found = [(p, reach(staff, p)) for p in Plan.objects.order_by("code")]
    found = [(p, r) for p, r in found if r.can_open]
    return sorted(found, key=lambda pr: pr[1].role in (roles.READER, roles.PLANNER))


# --- what a list shows ---------------------------------------------------------------------------


def indicators(found: roles.Reach, rows: QuerySet) -> QuerySet:
    """Indicators (of the reach's plan) this person works with: an editor's department's only."""
    if not found.can_open:
        return rows.none()
    department = found.department_only
    return rows if department is None else rows.filter(department__code=department)


def entries(found: roles.Reach, rows: QuerySet) -> QuerySet:
    """Entries (figures being entered) this person may see: all, their department's, or none."""
    department = found.department_only
    if found.reads_all:
        return rows
    if department is not None:
        return rows.filter(indicator__department__code=department)
    return rows.none()


def trail(found: roles.Reach, plan: Plan, events: QuerySet) -> QuerySet:
    """The plan's audit events this person may read: all, or an editor's department's indicators'
    and the loads of the plan."""
    require(found.can_read_trail, f"{found.username} may not read the trail of plan {plan.code!r}")
    department = found.department_only
    if department is None:
        return events
    own = Indicator.objects.filter(plan=plan, department__code=department).values_list("code", flat=True)
    return events.filter(Q(indicator_code__in=list(own)) | Q(action=Action.LOAD))
