"""Reads for the staff pages: what a role may see of a plan, a figure's years, the queue, the trail."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import Count, Q

from machiplan.domain import plan as domain
from machiplan.domain import roles, workflow
from machiplan.domain.entry_checks import fy_problem
from machiplan.domain.evaluation import Evaluation, evaluate_one
from machiplan.plans.models import Indicator, Observation, Plan
from machiplan.plans.selectors import indicator_data, stored_decimal

from .errors import NotAllowed, NotFound
from .models import AuditEvent, Entry
from .services.audit import stored_breakdown


def staff_plan(code: str) -> Plan:
    plan = Plan.objects.filter(code=code).first()
    if plan is None:
        raise NotFound(f"no plan {code!r}")
    return plan


def visible_indicators(staff: roles.Staff, plan: Plan):
    """The plan's indicators this person works with, with counts of figures awaiting action."""
    rows = Indicator.objects.filter(plan=plan).select_related("goal", "department").order_by("order")
    if staff.role == roles.EDITOR:
        rows = rows.filter(department__code=staff.department)
    return rows.annotate(
        drafts=Count("entries", filter=Q(entries__status__in=[workflow.DRAFT, workflow.RETURNED])),
        submitted=Count("entries", filter=Q(entries__status=workflow.SUBMITTED)),
    )


def returned_to(staff: roles.Staff, plan: Plan):
    """Figures sent back by the plan's owner that this person may correct, with the owner's comment."""
    rows = Entry.objects.filter(indicator__plan=plan, status=workflow.RETURNED)
    if staff.role == roles.EDITOR:
        rows = rows.filter(indicator__department__code=staff.department)
    elif staff.role == roles.VIEWER:
        return rows.none()
    return rows.select_related("indicator", "reviewed_by").order_by("indicator__order", "fy")[:100]


def latest_published(indicators) -> dict[int, Observation]:
    """Each indicator's latest published figure with a value, for a page of indicators."""
    latest = {}
    rows = Observation.objects.filter(indicator__in=list(indicators), value__isnull=False).order_by(
        "indicator_id", "fy"
    )
    for o in rows.only("indicator_id", "fy", "kind", "value", "as_of", "approximate", "breakdown"):
        latest[o.indicator_id] = o
    return latest


def visible_indicator(staff: roles.Staff, plan_code: str, indicator_code: str) -> Indicator:
    """One indicator, or NotFound / NotAllowed: an editor may not open another department's."""
    row = (
        Indicator.objects.select_related("plan", "goal", "department")
        .filter(plan__code=plan_code, code=indicator_code)
        .first()
    )
    if row is None:
        raise NotFound(f"no indicator {indicator_code!r} in plan {plan_code!r}")
    if not roles.can_see(staff, row.department.code if row.department else None):
        raise NotAllowed(f"indicator {row.code} belongs to another department")
    return row


@dataclass
class Year:
    fy: int
    approved: Observation | None
    entry: Entry | None

    @property
    def revision(self) -> int:
        return self.entry.revision if self.entry else 0

    @property
    def pending(self) -> bool:
        return self.entry is not None and self.entry.status != workflow.APPROVED


def indicator_years(row: Indicator) -> list[Year]:
    """Every year a figure may be entered for: the plan's, the year after, and any earlier on record."""
    approved = {o.fy: o for o in Observation.objects.filter(indicator=row)}
    entries = {
        e.fy: e for e in Entry.objects.filter(indicator=row).select_related("entered_by", "reviewed_by")
    }
    first = min([row.plan.start_fy, *approved, *entries])
    return [Year(fy, approved.get(fy), entries.get(fy)) for fy in range(first, row.plan.end_fy + 2)]


def year_of(row: Indicator, fy: int) -> Year:
    if problem := fy_problem(fy):  # a year no figure can be for: nothing to show or enter
        raise NotFound(problem.message("en"))
    return Year(
        fy,
        Observation.objects.filter(indicator=row, fy=fy).first(),
        Entry.objects.filter(indicator=row, fy=fy).select_related("entered_by").first(),
    )


@dataclass
class Outlook:
    """An indicator's evaluation on its published figures, and on the figures being entered."""

    plan: object  # domain.Plan (header)
    indicator: object  # domain.Indicator, published figures
    published: Evaluation
    working: Evaluation | None  # None when nothing is being entered
    working_indicator: object
    evaluation_fy: int


def outlook(row: Indicator, years: list[Year]) -> Outlook:
    """What the public sees now, and what it would see if the figures being entered were approved."""
    plan, ind = indicator_data(row.plan.code, row.code)
    published, fy = evaluate_one(plan, ind)
    pending = [y.entry for y in years if y.pending]
    if not pending:
        return Outlook(plan, ind, published, None, ind, fy)
    by_fy = {o.fy: o for o in ind.observations}
    for e in pending:
        by_fy[e.fy] = domain.Observation(
            fy=e.fy, kind=e.kind, value=stored_decimal(e.value), as_of=e.as_of, approximate=e.approximate,
            breakdown=stored_breakdown(e.breakdown), note=e.note,
        )  # fmt: skip
    working_ind = replace(ind, observations=tuple(by_fy[k] for k in sorted(by_fy)))
    working, _ = evaluate_one(plan, working_ind)
    return Outlook(plan, ind, published, working, working_ind, fy)


def review_queue(plan: Plan):
    return (
        Entry.objects.filter(indicator__plan=plan, status=workflow.SUBMITTED)
        .select_related("indicator", "indicator__department", "entered_by")
        .order_by("indicator__order", "fy")
    )


def approved_values(entries) -> dict[tuple[int, int], Observation]:
    """The approved figure each entry would replace, keyed by (indicator id, fy)."""
    return {(o.indicator_id, o.fy): o for o in observations_at({(e.indicator_id, e.fy) for e in entries})}


def observations_at(keys: set[tuple[int, int]], chunk: int = 900) -> list[Observation]:
    """The approved observations at these (indicator id, fy) keys: a few queries, however many keys."""
    found = []
    ids = sorted({ind for ind, _ in keys})
    years = {fy for _, fy in keys}
    for start in range(0, len(ids), chunk):
        rows = Observation.objects.filter(indicator_id__in=ids[start : start + chunk], fy__in=years)
        found.extend(o for o in rows if (o.indicator_id, o.fy) in keys)
    return found


def history(row: Indicator):
    """The indicator's trail, with the loads of its plan that brought figures in."""
    return AuditEvent.objects.filter(
        Q(plan_code=row.plan.code, indicator_code=row.code) | Q(plan_code=row.plan.code, action="load")
    ).order_by("-at", "-id")


def plan_history(staff: roles.Staff, plan: Plan, *, actor: str = "", action: str = ""):
    """The whole plan's trail, newest first; an editor sees their department's indicators and the loads."""
    events = AuditEvent.objects.filter(plan_code=plan.code)
    if staff.role == roles.EDITOR:
        own = Indicator.objects.filter(plan=plan, department__code=staff.department).values_list(
            "code", flat=True
        )
        events = events.filter(Q(indicator_code__in=list(own)) | Q(action="load"))
    if actor:
        events = events.filter(actor=actor)
    if action:
        events = events.filter(action=action)
    return events.order_by("-at", "-id")


def require_role(allowed: bool, what: str) -> None:
    if not allowed:
        raise NotAllowed(what)
