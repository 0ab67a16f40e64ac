"""Reads for the staff pages: a plan's indicators as a person may see them, a figure's years in each
series, the evaluation now and if approved, the queue, the trail. What a person may see is the
policy's (``policy.py``); these read what it allows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Count, Q

from machiplan.domain import plan as domain
from machiplan.domain import roles, workflow
from machiplan.domain.deadlines import collecting_year, days_left, is_overdue
from machiplan.domain.entry_checks import (
    UsualRange,
    change_from,
    figure_history,
    fy_problem,
    neighbours,
    usual_range,
)
from machiplan.domain.evaluation import Evaluation, evaluate_one, plan_scale
from machiplan.plans.models import Indicator, Observation, Plan, Revision, Target
from machiplan.plans.selectors import figure_observation, indicator_data, plan_data, stored_decimal
from machiplan.plans.services.publish import published_at
from machiplan.reports.models import PublishedReport, ReportRun

from . import policy
from .errors import NotFound
from .models import Action, AuditEvent, Deadline, Entry


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
    scale: tuple = ()  # the statuses of the plan's evaluation (domain.evaluation.plan_scale): their words


def outlook(row: Indicator, series: list[Series], *, working: bool = True) -> Outlook:
    """What the public sees now, and (``working``) what it would see if the figures being entered were
    approved."""
    plan, ind = indicator_data(row.plan.code, row.code)
    pending = [y.entry for s in series for y in s.years if y.pending] if working else []
    return _outlook(plan, ind, pending)


def _outlook(plan: domain.Plan, ind: domain.Indicator, pending: list[Entry]) -> Outlook:
    """The indicator judged on its published figures, and with ``pending`` in place of theirs."""
    published, fy = evaluate_one(plan, ind)
    if not pending:
        return Outlook(plan, ind, published, None, ind, fy, plan_scale(plan))
    by_key = {(o.series, o.fy): o for o in ind.observations}
    for e in pending:
        by_key[e.series, e.fy] = figure_observation(e)
    working_ind = replace(ind, observations=tuple(by_key[k] for k in sorted(by_key)))
    working_evaluation, _ = evaluate_one(plan, working_ind)
    return Outlook(plan, ind, published, working_evaluation, working_ind, fy, plan_scale(plan))


def review_queue(plan: Plan):
    return (
        Entry.objects.filter(indicator__plan=plan, status=workflow.SUBMITTED)
        .select_related("indicator", "indicator__department", "entered_by")
        .order_by("indicator__order", "series", "fy")
    )


@dataclass
class Reviewed:
    """A submitted figure with what the reviewer weighs it against: the year before's figure of its
    series (the one ``check_entry`` compared it with), the change from it, the published figure it
    replaces, the warnings the editor confirmed, and the indicator's status now and if approved."""

    entry: Entry
    published: Observation | None  # this year's published figure, which approval replaces
    previous: domain.Observation | None  # the year before's figure (the nearest earlier, same series)
    previous_pending: bool  # that figure is itself still being entered, not yet published
    change: Decimal | None  # this figure minus the year before's
    outlook: Outlook | None  # the indicator now, and if every figure of it listed here is approved


def review_context(plan: Plan, queue: list[Entry]) -> list[Reviewed]:
    """The review queue with its context, read in a fixed number of queries: the figures as staff see
    them (services/entries.py's Context, as the checks read them) and the plan once for the statuses."""
    from .services.entries import Context

    if not queue:
        return []
    ids = sorted({e.indicator_id for e in queue})
    context = Context.load(ids)
    published = approved_values(queue)
    data = plan_data(plan.code)
    by_code = {i.code: i for i in data.indicators}
    outlooks: dict[int, Outlook | None] = {}
    for indicator_id in ids:
        mine = [e for e in queue if e.indicator_id == indicator_id]
        ind = by_code.get(mine[0].indicator.code)
        outlooks[indicator_id] = _outlook(data, ind, mine) if ind is not None else None
    found = []
    for e in queue:
        history = figure_history(context.same_series(e.indicator, e.series).values())
        previous, _ = neighbours(history, e.fy)
        working = context.entries.get((e.indicator_id, e.series, previous.fy)) if previous else None
        pending = working is not None and working.status != workflow.APPROVED
        value = stored_decimal(e.value) if e.kind in domain.VALUE_KINDS else None
        found.append(Reviewed(
            e, published.get((e.indicator_id, e.series, e.fy)), previous, pending, change_from(previous, value),
            outlooks[e.indicator_id],
        ))  # fmt: skip
    return found


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


# --- the entry form: the year before and the usual range -------------------------------------------


def usual_for(row: Indicator, fy: int, series: str = "") -> UsualRange | None:
    """The year before's figure of the series and the range of actual values the checks take as
    usual (domain/entry_checks.py: ``usual_range``, the very rule that asks for a reason)."""
    from .services.entries import Context, domain_indicator

    figures = Context.load([row.pk]).same_series(row, series)
    return usual_range(domain_indicator(row), fy, figures.values())


# --- what is due ---------------------------------------------------------------------------------


@dataclass
class Due:
    """An indicator's figure of the year being collected, not yet entered (or not yet submitted)."""

    indicator: Indicator
    series: str
    entry: Entry | None  # a draft or a returned figure being worked on, if any


@dataclass
class DueList:
    plan: Plan
    fy: int  # the fiscal year whose figures are being collected
    deadline: Deadline | None
    items: list[Due]
    today: dt.date
    shown: int = 100  # a page lists this many, and counts the rest

    @property
    def listed(self) -> list[Due]:
        return self.items[: self.shown]

    @property
    def more(self) -> int:
        return max(0, len(self.items) - self.shown)

    @property
    def overdue(self) -> bool:
        return bool(self.items) and is_overdue(self.deadline.due if self.deadline else None, self.today)

    @property
    def days_left(self) -> int | None:
        return days_left(self.deadline.due, self.today) if self.deadline else None


def due_figures(found: roles.Reach, plan: Plan, today: dt.date) -> DueList | None:
    """The figures of the year being collected (``domain/deadlines.py``) still to enter, as far as this
    person enters them (an editor: their department's indicators; the owner: all of the plan's), with
    the deadline the owner set; None for a person who enters none, or a plan collecting no year.

    A figure is entered once it is submitted or approved as the year's actual (実績), or as none (—):
    今後調査, a value so far (状況) or a forecast (見込) still await the year's actual. An indicator
    dropped by a revision before that year, or added by one after it, is not asked for."""
    if not found.can_enter_any:
        return None
    deadlines = {d.fy: d for d in Deadline.objects.filter(plan_code=plan.code)}
    fy = collecting_year(plan.start_fy, plan.end_fy, today, deadlines)
    if fy is None:
        return None
    revision_fy = dict(Revision.objects.filter(plan=plan).values_list("code", "fy"))
    rows = [
        r
        for r in policy.indicators(found, Indicator.objects.filter(plan=plan).order_by("order"))
        if not (r.dropped_in and revision_fy.get(r.dropped_in, fy + 1) <= fy)
        and not (r.added_in and revision_fy.get(r.added_in, fy) > fy)
    ]
    final = (domain.ACTUAL, domain.NONE)
    done = set(
        Observation.objects.filter(indicator__in=rows, fy=fy, kind__in=final).values_list(
            "indicator_id", "series"
        )
    )
    working = {}
    for e in Entry.objects.filter(indicator__in=rows, fy=fy):
        if e.status in (workflow.SUBMITTED, workflow.APPROVED) and e.kind in final:
            done.add((e.indicator_id, e.series))
        elif e.status in (workflow.DRAFT, workflow.RETURNED):
            working[e.indicator_id, e.series] = e
    series = figure_series(rows)
    items = [Due(r, s, working.get((r.pk, s))) for r in rows for s in series[r.pk] if (r.pk, s) not in done]
    return DueList(plan, fy, deadlines.get(fy), items, today)


def deadlines(plan: Plan):
    return Deadline.objects.filter(plan_code=plan.code).select_related("set_by").order_by("-fy")


# --- the year's report ------------------------------------------------------------------------------


def report_runs(plan: Plan, limit: int = 20) -> list[ReportRun]:
    """The plan's latest generations of its report, newest first, with their publication if any."""
    rows = ReportRun.objects.filter(plan_code=plan.code).select_related("requested_by", "publication")
    return list(rows.order_by("-requested_at")[:limit])


def approved_since(plan_code: str, fy: int, since: dt.datetime | None) -> int:
    """Figures of ``fy`` or before approved (or loaded with a whole plan) after ``since``: what a
    report made from the figures read then does not have."""
    if since is None:
        return 0
    return (
        AuditEvent.objects.filter(plan_code=plan_code, action__in=[Action.APPROVE, Action.LOAD], at__gt=since)
        .filter(Q(fy__lte=fy) | Q(fy__isnull=True))
        .count()
    )


@dataclass
class PublishedYear:
    """A fiscal year's published report: its latest version and the earlier ones."""

    fy: int
    latest: PublishedReport
    earlier: list[PublishedReport]
    approved_since: int  # figures approved after the latest version's figures were read


def published_reports(plan_code: str) -> list[PublishedYear]:
    """The plan's published reports, the latest year first, each year's versions newest first; for
    the latest version of each year, how many figures were approved since it was made (a later
    approval never changes a published report: the page says a newer one may follow)."""
    years: dict[int, list[PublishedReport]] = {}
    for r in PublishedReport.objects.filter(plan_code=plan_code).order_by("-fy", "-version"):
        years.setdefault(r.fy, []).append(r)
    return [
        PublishedYear(
            fy, versions[0], versions[1:], approved_since(plan_code, fy, versions[0].figures_read_at)
        )
        for fy, versions in years.items()
    ]
