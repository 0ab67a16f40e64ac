"""A yearly figure's way from an editor to the public: save, submit, approve or return.

Every step is one transaction that locks the figure's row, checks the person's
reach in the plan (``policy``), checks the revision they saw (no lost update),
moves the workflow on and writes the audit trail (``audit.record``). Approval
hands the figure to ``plans.services.publish``, which writes ``plans.Observation``,
the table the public pages, reports and API read.

A figure is one indicator's, for one series ('' = the indicator's own) and one
year; its fields are ``domain/figures.py``'s. A save is prepared (every check,
nothing written) and then persisted, so a bulk upload previews and applies
hundreds of rows through the very same checks with a handful of queries
(services/bulk.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass
from dataclasses import field as dataclass_field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from machiplan.domain import figures as figure_fields
from machiplan.domain import limits, roles, workflow
from machiplan.domain import plan as domain
from machiplan.domain.entry_checks import (
    Findings,
    Problem,
    check_entry,
    figure_years,
    fy_problem,
    length_problem,
    text_problem,
)
from machiplan.domain.errors import MachiplanError
from machiplan.plans.models import Indicator, Observation, Plan
from machiplan.plans.services.publish import Publication, publish

from .. import policy
from ..errors import Conflict, NotAllowed, NotFound, Refused
from ..models import Action, Entry
from . import audit
from .audit import stored_breakdown

# Which figure: the URL, the template's row and the API's path and query say it. The rest is entered.
IDENTITY = (figure_fields.SERIES, figure_fields.FY)
ENTERED = tuple(f for f in figure_fields.FIGURE_FIELDS if f not in IDENTITY)
_FIRST = (figure_fields.KIND, figure_fields.VALUE)  # Figure("actual", Decimal("70.9"))


def _observation(self, fy: int, series: str = "") -> domain.Observation:
    values = {f.name: getattr(self, f.name) for f in ENTERED}
    values["breakdown"] = tuple(values["breakdown"])
    return domain.Observation(fy=fy, series=series, **values)


# What a person enters for one indicator, series and year: the fields of domain/figures.py (less those
# that say which figure it is), and where it comes from (出典).
Figure = make_dataclass(
    "Figure",
    [
        (figure_fields.KIND.name, str),
        *(
            (f.name, object, dataclass_field(default=f.default()))
            for f in (*_FIRST[1:], *(f for f in ENTERED if f not in _FIRST))
        ),
        ("data_source", str, dataclass_field(default="")),
    ],
    frozen=True,
    slots=True,
    namespace={"observation": _observation, "__module__": __name__},
)

Key = tuple[int, str, int]  # (indicator id, series, fy)


@dataclass
class Context:
    """What the checks of some indicators' figures need, read once: rows locked for the transaction."""

    entries: dict[Key, Entry] = field(default_factory=dict)
    approved: dict[Key, Observation] = field(default_factory=dict)
    # (indicator id, series) -> fy -> the figure as staff see it (an entry being worked on, or the approved one)
    figures: dict[tuple[int, str], dict[int, domain.Observation]] = field(default_factory=dict)

    @classmethod
    def load(cls, indicator_ids: list[int], *, lock: bool = False) -> Context:
        context = cls()
        approved = Observation.objects.filter(indicator_id__in=indicator_ids)
        for o in approved.only("indicator_id", "series", "fy", "kind", "value", "as_of", "period"):
            context.approved[o.indicator_id, o.series, o.fy] = o
            context.figures.setdefault((o.indicator_id, o.series), {})[o.fy] = _figure_of(o)
        rows = Entry.objects.filter(indicator_id__in=indicator_ids).select_related("entered_by")
        for e in rows.select_for_update(of=("self",)) if lock else rows:
            context.entries[e.indicator_id, e.series, e.fy] = e
            if e.status != workflow.APPROVED:
                context.figures.setdefault((e.indicator_id, e.series), {})[e.fy] = _figure_of(e)
        return context

    def same_series(self, row: Indicator, series: str) -> dict[int, domain.Observation]:
        return self.figures.get((row.pk, series), {})


def _figure_of(obj) -> domain.Observation:
    return domain.Observation(fy=obj.fy, kind=obj.kind, value=obj.value, as_of=obj.as_of, series=obj.series,
                              period=obj.period)  # fmt: skip


@dataclass
class Prepared:
    """A save, checked and ready to write."""

    entry: Entry
    event: audit.Event
    warnings: tuple[Problem, ...] = ()


def indicator_row(plan_code: str, indicator_code: str) -> Indicator:
    row = (
        Indicator.objects.select_related("plan", "department")
        .filter(plan__code=plan_code, code=indicator_code)
        .first()
    )
    if row is None:
        raise NotFound(f"no indicator {indicator_code!r} in plan {plan_code!r}")
    return row


def series_of(row: Indicator) -> tuple[str, ...]:
    """The series a figure of this indicator may be in: '' (its own) and its named series."""
    return ("", *row.series)


def require_series(row: Indicator, series: str) -> None:
    if series not in series_of(row):
        named = ", ".join(row.series) or "none"
        raise NotFound(f"indicator {row.code} has no series {series!r} (its series: {named})")


def domain_indicator(row: Indicator) -> domain.Indicator:
    """What the figure rules need to know of an indicator (no figures)."""
    return domain.Indicator(
        code=row.code, name=row.name, category=row.category, unit=row.unit or None, direction=row.direction,
        measure=row.measure, value_type=row.value_type, survey=row.survey, series=tuple(row.series),
    )  # fmt: skip


def check_figure(
    row: Indicator, fy: int, figure, figures: dict[int, domain.Observation] | None = None, *, series: str = ""
) -> Findings:
    """The figure rules every way in shares (domain/entry_checks.py: the form, the bulk upload and
    the API here; load and import-sheet through check_plan), against the indicator's other years of
    the same series as staff currently see them; and what this table can hold of the figure's
    source (出典)."""
    plan = row.plan
    years = figure_years(plan.start_fy, plan.end_fy)
    if problem := fy_problem(fy, years):
        return Findings(errors=(problem,))
    if figures is None:
        figures = Context.load([row.pk]).same_series(row, series)
    findings = check_entry(
        domain_indicator(row), figure.observation(fy, series), figures.values(), years=years
    )
    lengths = [
        p
        for f in ENTERED
        if f.type == "text" and (p := length_problem(getattr(figure, f.name), f.max_length, f.name))
    ]
    source = said_problem(figure.data_source, "data_source", limits.ENTRY["data_source"])
    return Findings(findings.errors + tuple(lengths) + source, findings.warnings)


def said_problem(text: str, field: str, limit: int | None = None) -> tuple[Problem, ...]:
    """What is wrong with a text a person wrote beside a figure (its source, the reason for an unusual
    change, a reviewer's comment), whichever way it came in: a control character, or more than
    ``limit`` characters (``domain/limits.py``); the first of those, or nothing."""
    found = text_problem(text, field) or length_problem(text, limit, field)
    return (found,) if found else ()


def _conflict(entry: Entry | None, revision: int) -> Conflict | None:
    current = entry.revision if entry else 0
    if revision == current:
        return None
    if entry is None:
        return Conflict(
            "this figure is no longer there (its plan was reloaded?): reload the page", current_revision=0
        )
    who = entry.entered_by.get_username() if entry and entry.entered_by else "someone"
    return Conflict(
        f"this figure was changed by {who} at {timezone.localtime(entry.updated_at):%Y-%m-%d %H:%M} "
        f"(revision {current}; you opened revision {revision}): reload it and enter your change again",
        current_revision=current,
    )


def _require_entry(staff: roles.Staff, row: Indicator, what: str = "enter") -> None:
    found = policy.reach(staff, row.plan)
    policy.require(found.can_enter(policy.department_of(row)),
                   f"{staff.username} may not {what} figures of indicator {row.code}")  # fmt: skip


def _require_review(staff: roles.Staff, plan: Plan, what: str) -> None:
    policy.require(
        policy.reach(staff, plan).can_review, f"{staff.username} may not {what} figures of plan {plan.code!r}"
    )


def prepare_save(
    *, staff: roles.Staff, user, row: Indicator, fy: int, figure, revision: int, reason: str, via: str,
    context: Context, series: str = "",
) -> Prepared:  # fmt: skip
    """Every check of a save, in order (role, series, revision, workflow, figure), without writing anything.

    ``context`` is updated as if the save happened, so the next figure prepared
    for the same indicator and series is checked against this one.
    """
    _require_entry(staff, row)
    require_series(row, series)
    key = (row.pk, series, fy)
    entry = context.entries.get(key)
    if conflict := _conflict(entry, revision):
        raise conflict
    workflow.next_state(entry.status if entry else None, workflow.SAVE)
    findings = check_figure(row, fy, figure, context.same_series(row, series), series=series)
    if wrong := said_problem(reason, "reason"):
        findings = Findings(findings.errors + wrong, findings.warnings)
    if findings.errors or (findings.warnings and not reason.strip()):
        raise Refused(findings)
    approved = context.approved.get(key)
    old = audit.snapshot(entry) if entry else (audit.snapshot(approved) if approved else None)
    entry = entry or Entry(indicator=row, series=series, fy=fy, revision=0)
    for f in ENTERED:
        setattr(entry, f.name, getattr(figure, f.name))
    entry.data_source = figure.data_source
    entry.breakdown = [[label, str(v)] for label, v in figure.breakdown]
    entry.status, entry.revision = workflow.DRAFT, entry.revision + 1
    entry.reason = reason.strip() if findings.warnings else ""
    entry.warnings = confirmed(findings.warnings)
    entry.comment, entry.entered_by, entry.reviewed_by = "", user, None
    context.entries[key] = entry
    context.figures.setdefault((row.pk, series), {})[fy] = _figure_of(entry)
    event = audit.Event(
        Action.SAVE, actor=staff.username, plan_code=row.plan.code, indicator_code=row.code, series=series,
        fy=fy, state=entry.status, via=via, old=old, new=audit.snapshot(entry), reason=entry.reason,
    )  # fmt: skip
    return Prepared(entry, event, findings.warnings)


def confirmed(warnings: tuple[Problem, ...]) -> list[dict]:
    """The warnings a reason confirmed, as the figure keeps them: each in both languages, as it was
    shown, so the reviewer reads what the editor read (domain/entry_checks.py's messages)."""
    return [
        {"code": p.code, "field": p.field, "ja": p.message("ja"), "en": p.message("en")} for p in warnings
    ]


_ENTRY_FIELDS = [*(f.name for f in ENTERED), "status", "revision", "data_source", "reason", "warnings", "comment",
                 "entered_by", "reviewed_by"]  # fmt: skip


def persist(prepared: list[Prepared], *, group=None):
    """Write prepared saves: new entries and changed ones in bulk, then their audit events (one group)."""
    try:
        with transaction.atomic():
            new = [p.entry for p in prepared if p.entry.pk is None]
            old = [p.entry for p in prepared if p.entry.pk is not None]
            now = timezone.now()
            for e in new + old:
                e.updated_at = now  # auto_now is not applied by bulk writes
            Entry.objects.bulk_create(new, batch_size=500)
            Entry.objects.bulk_update(old, [*_ENTRY_FIELDS, "updated_at"], batch_size=500)
            return audit.record(*(p.event for p in prepared), group=group)
    except IntegrityError:  # two people created the same year's first draft at once
        raise Conflict(
            "this figure was just entered by someone else: reload it", current_revision=1
        ) from None


def entry_save(
    *, user, plan_code: str, indicator_code: str, fy: int, figure, revision: int,
    reason: str = "", via: str = "web", submit: bool = False, series: str = "",
) -> Entry:  # fmt: skip
    """Save ``figure`` as a draft; with ``submit``, send it for approval too, in the same transaction:
    both happen, or neither. ``revision`` is the one the person saw (0: none yet)."""
    staff = policy.staff_of(user)
    row = indicator_row(plan_code, indicator_code)
    _require_entry(staff, row)
    with transaction.atomic():
        context = Context.load([row.pk], lock=True)
        prepared = prepare_save(staff=staff, user=user, row=row, fy=fy, figure=figure, revision=revision,
                                reason=reason, via=via, context=context, series=series)  # fmt: skip
        group = persist([prepared])
        if submit:
            entries_submit(staff=staff, prepared=[prepared], via=via, group=group)
        return prepared.entry


def entry_submit(
    *, user, plan_code: str, indicator_code: str, fy: int, revision: int, via: str = "web", series: str = ""
) -> Entry:
    """Send a draft (or a returned figure) to the plan's owner for approval."""
    staff = policy.staff_of(user)
    row = indicator_row(plan_code, indicator_code)
    _require_entry(staff, row, "submit")
    return _step(staff, row, series, fy, revision, workflow.SUBMIT, via=via)


def entry_approve(
    *, user, plan_code: str, indicator_code: str, fy: int, revision: int, via: str = "web", series: str = ""
) -> Entry:
    """Approve a submitted figure: it becomes the figure of record, and public."""
    staff = policy.staff_of(user)
    row = indicator_row(plan_code, indicator_code)
    _require_review(staff, row.plan, "approve")
    return _step(staff, row, series, fy, revision, workflow.APPROVE, via=via, reviewer=user)


def entry_return(
    *, user, plan_code: str, indicator_code: str, fy: int, revision: int, comment: str, via: str = "web",
    series: str = "",
) -> Entry:  # fmt: skip
    """Send a submitted figure back to its editor, saying why."""
    staff = policy.staff_of(user)
    row = indicator_row(plan_code, indicator_code)
    _require_review(staff, row.plan, "return")
    if not comment.strip():
        raise Refused(Findings(errors=(Problem("comment", "comment_required"),)))
    if wrong := said_problem(comment, "comment", limits.ENTRY["comment"]):
        raise Refused(Findings(errors=wrong))
    return _step(staff, row, series, fy, revision, workflow.RETURN, via=via, reviewer=user,
                 comment=comment.strip())  # fmt: skip


def entries_submit(*, staff: roles.Staff, prepared: list[Prepared], via: str, group) -> None:
    """Submit entries just saved, in the transaction that saved them (a bulk upload's or an API call's
    "submit them too"): the save and the submit happen together, or neither does; one group in the trail."""
    events = []
    for p in prepared:
        entry = p.entry
        entry.status = workflow.next_state(entry.status, workflow.SUBMIT)
        entry.revision += 1
        events.append(audit.Event(
            Action.SUBMIT, actor=staff.username, plan_code=p.event.plan_code, indicator_code=p.event.indicator_code,
            series=entry.series, fy=entry.fy, state=entry.status, via=via, new=audit.snapshot(entry),
            reason=entry.reason,
        ))  # fmt: skip
    Entry.objects.bulk_update([p.entry for p in prepared], ["status", "revision"], batch_size=500)
    audit.record(*events, group=group)


def _step(staff, row, series, fy, revision, action, *, via, reviewer=None, comment="") -> Entry:
    require_series(row, series)  # a series dropped from the indicator meanwhile takes no step
    with transaction.atomic():
        entry = (
            Entry.objects.select_for_update(of=("self",))
            .filter(indicator=row, series=series, fy=fy)
            .select_related("entered_by")
            .first()
        )
        if conflict := _conflict(entry, revision):
            raise conflict
        if entry is None:
            raise NotFound(f"no figure entered for {row.code} in FY{fy}")
        if action == workflow.APPROVE:
            _require_second_person(entry, reviewer, staff)
            entry.indicator = row
            _require_publishable([entry])
        entry.status = workflow.next_state(entry.status, action)
        entry.revision += 1
        old = audit.snapshot(entry) if action != workflow.APPROVE else None
        if reviewer is not None:
            entry.reviewed_by, entry.comment = reviewer, comment
        entry.save()
        if action == workflow.APPROVE:
            entry.indicator = row
            replaced = _publish([entry], via)
            old = _old_published(replaced, entry)
        audit.record(audit.Event(
            action, actor=staff.username, plan_code=row.plan.code, indicator_code=row.code, series=series, fy=fy,
            state=entry.status, via=via, old=old, new=audit.snapshot(entry), comment=comment,
            reason=entry.reason if action == workflow.SUBMIT else "",
        ))  # fmt: skip
        return entry


def entries_approve(*, user, plan_code: str, items: list[tuple[str, str, int, int]], via: str = "web") -> int:
    """Approve many submitted figures at once — (indicator code, series, fy, revision seen) each — all or
    none; the trail's rows of it share one group."""
    staff = policy.staff_of(user)
    plan = Plan.objects.filter(code=plan_code).first()
    if plan is None:
        raise NotFound(f"no plan {plan_code!r}")
    _require_review(staff, plan, "approve")
    codes = {code for code, _, _, _ in items}
    rows = {r.code: r for r in Indicator.objects.filter(plan=plan, code__in=codes).select_related("plan")}
    with transaction.atomic():
        locked = Entry.objects.select_for_update(of=("self",)).select_related("entered_by")
        found = {
            (e.indicator_id, e.series, e.fy): e
            for e in locked.filter(indicator__in=rows.values(), fy__in={fy for _, _, fy, _ in items})
        }
        approved = []
        for code, series, fy, revision in items:
            row = rows.get(code)
            if row is None:
                raise NotFound(f"no indicator {code!r} in plan {plan_code!r}")
            require_series(row, series)
            entry = found.get((row.pk, series, fy))
            if conflict := _conflict(entry, revision):
                raise conflict
            if entry is None:
                raise NotFound(f"no figure entered for {code} in FY{fy}")
            _require_second_person(entry, user, staff)
            entry.status = workflow.next_state(entry.status, workflow.APPROVE)
            entry.revision, entry.reviewed_by, entry.comment = entry.revision + 1, user, ""
            entry.indicator = row
            approved.append(entry)
        _require_publishable(approved)
        Entry.objects.bulk_update(approved, ["status", "revision", "reviewed_by", "comment"], batch_size=500)
        replaced = _publish(approved, via)
        audit.record(*(
            audit.Event(
                Action.APPROVE, actor=staff.username, plan_code=plan_code, indicator_code=e.indicator.code,
                series=e.series, fy=e.fy, state=e.status, via=via, old=_old_published(replaced, e),
                new=audit.snapshot(e),
            )
            for e in approved
        ))  # fmt: skip
        return len(approved)


def _require_publishable(approved: list[Entry]) -> None:
    """Approval publishes: each figure keeps the figure rules as they stand now, beside the published
    figures it joins (and the others approved with it). It was checked when saved, but its indicator
    may have changed since (made a running total, given the unit %) or other years been approved;
    nothing is published that ``check_plan``, and so a load of the plan's own export, refuses."""
    published: dict[tuple[int, str], dict[int, domain.Observation]] = {}
    rows = Observation.objects.filter(indicator_id__in={e.indicator_id for e in approved})
    for o in rows.only("indicator_id", "series", "fy", "kind", "value", "as_of", "period"):
        published.setdefault((o.indicator_id, o.series), {})[o.fy] = _figure_of(o)
    for e in approved:
        published.setdefault((e.indicator_id, e.series), {})[e.fy] = _figure_of(e)
    for e in approved:
        figure = Figure(**{f.name: getattr(e, f.name) for f in ENTERED if f.name != "breakdown"},
                        breakdown=stored_breakdown(e.breakdown), data_source=e.data_source)  # fmt: skip
        findings = check_figure(
            e.indicator, e.fy, figure, published[e.indicator_id, e.series], series=e.series
        )
        if findings.errors:
            raise Refused(Findings(findings.errors))


def _require_second_person(entry: Entry, reviewer, staff: roles.Staff) -> None:
    """With MACHIPLAN_SEPARATE_APPROVAL=1, nobody approves a figure they entered themselves (起案者と決裁者を分ける)."""
    if settings.MACHIPLAN_SEPARATE_APPROVAL and entry.entered_by_id == reviewer.pk:
        raise NotAllowed(f"{staff.username} entered this figure: someone else must approve it")


def _publish(entries: list[Entry], via: str) -> dict:
    """Hand approved entries to the plans app to publish, with their provenance.

    The public provenance names the source and the day of approval, not the people: who entered
    and who approved is in the audit trail, which only staff read.
    """
    today = timezone.localdate()
    publications = []
    for entry in entries:
        provenance = f"machiplan: approved {today:%Y-%m-%d} (entered via {via})"
        if entry.data_source:
            provenance = f"出典: {entry.data_source}; {provenance}"
        values = {name: getattr(entry, name) for name in (f.name for f in figure_fields.FIGURE_FIELDS)}
        publications.append(Publication(entry.indicator_id, values, provenance))
    return publish(publications)


def _old_published(replaced: dict, entry: Entry) -> dict | None:
    obs = replaced.get((entry.indicator_id, entry.series, entry.fy))
    return audit.snapshot(obs) if obs else None


def refuse_replacing_pending(sender, *, plan: Plan, **_) -> None:
    """Replacing a plan deletes its indicators: not while figures entered in the app await approval."""
    pending = Entry.objects.filter(indicator__plan=plan).exclude(status=workflow.APPROVED).count()
    if pending:
        raise MachiplanError(
            f"plan {plan.code!r} has {pending} figure(s) entered in the app and not approved "
            "(drafts, submitted or returned): approve or return them and have them resubmitted, "
            "or remove them in the admin, before replacing the plan"
        )
