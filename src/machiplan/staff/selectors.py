"""Reads for the staff pages: a plan's indicators as a person may see them, a figure's years in each
series, the evaluation now and if approved, the queue, the trail. What a person may see is the
policy's (``policy.py``); these read what it allows."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import Count, Q

from machiplan.domain import roles, workflow
from machiplan.domain.entry_checks import fy_problem
from machiplan.domain.evaluation import Evaluation, evaluate_one
from machiplan.plans.models import Indicator, Observation, Plan, Target
from machiplan.plans.selectors import figure_observation, indicator_data
from machiplan.plans.services.publish import published_at

from . import policy
from .errors import NotFound
from .models import Action, AuditEvent, Entry


def visible_indicators(found: roles.Reach, plan: Plan):
    """The plan's indicators this person works with, with counts of figures awaiting action."""
    rows = Indicator.objects.filter(plan=plan).select_related("department").order_by("order")
    return policy.indicators(found, rows).annotate(
        drafts=Count("entries", filter=Q(entries__status__in=[workflow.DRAFT, workflow.RETURNED])),
        submitted=Count("entries", filter=Q(entries__status=workflow.SUBMITTED)),
    )


def returned_to(found: roles.Reach, plan: Plan):
    """Figures sent back by the plan's owner that this person may correct, with the owner's comment."""
    rows = Entry.objects.filter(indicator__plan=plan, status=workflow.RETURNED)
    rows = policy.entries(found, rows) if found.can_enter_any else rows.none()
    return rows.select_related("indicator", "reviewed_by").order_by("indicator__order", "series", "fy")[:100]


def latest_published(indicators) -> dict[int, Observation]:
    """Each indicator's latest published figure with a value or a state (its own series' if it has one)."""
    latest: dict[int, Observation] = {}
    rows = Observation.objects.filter(indicator__in=list(indicators)).filter(
        Q(value__isnull=False) | ~Q(text="")
    )
    fields = ("indicator_id", "series", "fy", "kind", "value", "text", "as_of", "approximate", "breakdown")
    for o in rows.order_by("indicator_id", "fy").only(*fields):
        known = latest.get(o.indicator_id)
        if known is None or o.series == "" or known.series != "":
            latest[o.indicator_id] = o
    return latest


def figure_series(indicators) -> dict[int, tuple[str, ...]]:
    """The series each indicator's figures are entered in: its own ('') and its named series; for one
    reported only in named series (no figure or target of its own), those alone."""
    indicators = list(indicators)
    named = [i.pk for i in indicators if i.series]
    headline = set()
    if named:
        for model in (Observation, Target, Entry):
            headline |= set(
                model.objects.filter(indicator_id__in=named, series="").values_list("indicator_id", flat=True)
            )
    return {i.pk: (("",) if not i.series or i.pk in headline else ()) + tuple(i.series) for i in indicators}


@dataclass
class Year:
    fy: int
    approved: Observation | None
    entry: Entry | None
    series: str = ""

    @property
    def revision(self) -> int:
        return self.entry.revision if self.entry else 0

    @property
    def pending(self) -> bool:
        return self.entry is not None and self.entry.status != workflow.APPROVED


@dataclass
class Series:
    name: str  # '' = the indicator's own figures
    years: list[Year]


def indicator_years(row: Indicator) -> list[Series]:
    """Every year a figure may be entered for, in each series: the plan's, the year after, and any
    earlier on record."""
    approved = {(o.series, o.fy): o for o in Observation.objects.filter(indicator=row)}
    entries = {
        (e.series, e.fy): e
        for e in Entry.objects.filter(indicator=row).select_related("entered_by", "reviewed_by")
    }
    found = []
    for series in figure_series([row])[row.pk]:
        years = [fy for s, fy in (*approved, *entries) if s == series]
        first = min([row.plan.start_fy, *years])
        found.append(Series(series, [
            Year(fy, approved.get((series, fy)), entries.get((series, fy)), series)
            for fy in range(first, row.plan.end_fy + 2)
        ]))  # fmt: skip
    return found


def year_of(row: Indicator, fy: int, series: str = "") -> Year:
    if problem := fy_problem(fy):  # a year no figure can be for: nothing to show or enter
        raise NotFound(problem.message("en"))
    if series not in ("", *row.series):
        raise NotFound(f"indicator {row.code} has no series {series!r}")
    return Year(
        fy,
        Observation.objects.filter(indicator=row, series=series, fy=fy).first(),
        Entry.objects.filter(indicator=row, series=series, fy=fy).select_related("entered_by").first(),
        series,
    )


@dataclass
class Outlook:
    """An indicator's evaluation on its published figures, and on the figures being entered."""

    plan: object  # domain.Plan (header)
    indicator: object  # domain.Indicator, published figures
    published: Evaluation
    working: Evaluation | None  # None when nothing is being entered (or the person may not see it)
    working_indicator: object
    evaluation_fy: int


def outlook(row: Indicator, series: list[Series], *, working: bool = True) -> Outlook:
    """What the public sees now, and (``working``) what it would see if the figures being entered were
    approved."""
    plan, ind = indicator_data(row.plan.code, row.code)
    published, fy = evaluate_one(plan, ind)
    pending = [y.entry for s in series for y in s.years if y.pending] if working else []
    if not pending:
        return Outlook(plan, ind, published, None, ind, fy)
    by_key = {(o.series, o.fy): o for o in ind.observations}
    for e in pending:
        by_key[e.series, e.fy] = figure_observation(e)
    working_ind = replace(ind, observations=tuple(by_key[k] for k in sorted(by_key)))
    working_evaluation, _ = evaluate_one(plan, working_ind)
    return Outlook(plan, ind, published, working_evaluation, working_ind, fy)


def review_queue(plan: Plan):
    return (
        Entry.objects.filter(indicator__plan=plan, status=workflow.SUBMITTED)
        .select_related("indicator", "indicator__department", "entered_by")
        .order_by("indicator__order", "series", "fy")
    )


def approved_values(entries) -> dict[tuple[int, str, int], Observation]:
    """The approved figure each entry would replace, keyed by (indicator id, series, fy)."""
    return published_at((e.indicator_id, e.series, e.fy) for e in entries)


def history(row: Indicator):
    """The indicator's trail, with the loads of its plan that brought figures in."""
    return AuditEvent.objects.filter(
        Q(plan_code=row.plan.code, indicator_code=row.code) | Q(plan_code=row.plan.code, action=Action.LOAD)
    ).order_by("-at", "-id")


def plan_history(found: roles.Reach, plan: Plan, *, actor: str = "", action: str = ""):
    """The whole plan's trail, newest first, as far as this person may read it."""
    events = policy.trail(found, plan, AuditEvent.objects.filter(plan_code=plan.code))
    if actor:
        events = events.filter(actor=actor)
    if action:
        events = events.filter(action=action)
    return events.order_by("-at", "-id")
