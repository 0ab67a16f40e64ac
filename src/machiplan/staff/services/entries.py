"""A yearly figure's way from an editor to the public: save, submit, approve or return.

Every step is one transaction that locks the figure's row, checks the person's
role, checks the revision they saw (no lost update), moves the workflow on and
writes the audit trail. Approval copies the figure into ``plans.Observation``,
the table the public pages, reports and API read.

A save is prepared (every check, nothing written) and then persisted, so a bulk
upload previews and applies hundreds of rows through the very same checks with a
handful of queries (services/bulk.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from machiplan.domain import plan as domain
from machiplan.domain import roles, workflow
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

from ..errors import Conflict, NotAllowed, NotFound, Refused
from ..models import AuditEvent, Entry
from .audit import audit, snapshot
from .people import staff_of


@dataclass(frozen=True, slots=True)
class Figure:
    """What a person enters for one indicator and year."""

    kind: str
    value: object = None  # Decimal or None
    as_of: object = None  # date or None
    approximate: bool = False
    breakdown: tuple = ()
    note: str = ""
    data_source: str = ""

    def observation(self, fy: int) -> domain.Observation:
        return domain.Observation(
            fy=fy, kind=self.kind, value=self.value, as_of=self.as_of, approximate=self.approximate,
            breakdown=tuple(self.breakdown), note=self.note,
        )  # fmt: skip


@dataclass
class Context:
    """What the checks of some indicators' figures need, read once: rows locked for the transaction."""

    entries: dict[tuple[int, int], Entry] = field(default_factory=dict)  # (indicator id, fy)
    approved: dict[tuple[int, int], Observation] = field(default_factory=dict)
    figures: dict[int, dict[int, domain.Observation]] = field(default_factory=dict)  # as staff see them

    @classmethod
    def load(cls, indicator_ids: list[int], *, lock: bool = False) -> Context:
        context = cls()
        for ind_id in indicator_ids:
            context.figures[ind_id] = {}
        approved = Observation.objects.filter(indicator_id__in=indicator_ids)
        for o in approved.only(
            "indicator_id", "fy", "kind", "value", "as_of", "approximate", "breakdown", "note"
        ):
            context.approved[o.indicator_id, o.fy] = o
            context.figures[o.indicator_id][o.fy] = _figure_of(o)
        rows = Entry.objects.filter(indicator_id__in=indicator_ids).select_related("entered_by")
        for e in rows.select_for_update(of=("self",)) if lock else rows:
            context.entries[e.indicator_id, e.fy] = e
            if e.status != workflow.APPROVED:
                context.figures[e.indicator_id][e.fy] = _figure_of(e)
        return context


def _figure_of(obj) -> domain.Observation:
    return domain.Observation(fy=obj.fy, kind=obj.kind, value=obj.value, as_of=obj.as_of)


@dataclass
class Prepared:
    """A save, checked and ready to write."""

    entry: Entry
    event: AuditEvent
    warnings: tuple[Problem, ...] = ()


def indicator_row(plan_code: str, indicator_code: str) -> Indicator:
    row = (
        Indicator.objects.select_related("plan", "department", "goal")
        .filter(plan__code=plan_code, code=indicator_code)
        .first()
    )
    if row is None:
        raise NotFound(f"no indicator {indicator_code!r} in plan {plan_code!r}")
    return row


def _department(row: Indicator) -> str | None:
    return row.department.code if row.department else None


def check_figure(
    row: Indicator, fy: int, figure: Figure, figures: dict[int, domain.Observation] | None = None
) -> Findings:
    """The figure rules every way in shares (domain/entry_checks.py: the form, the bulk upload and
    the API here; load and import-sheet through check_plan), against the indicator's other years as
    staff currently see them; and what this table can hold of the figure's source (出典)."""
    plan = row.plan
    years = figure_years(plan.start_fy, plan.end_fy)
    if problem := fy_problem(fy, years):
        return Findings(errors=(problem,))
    indicator = domain.Indicator(
        code=row.code, goal=0, category=row.category, name=row.name, unit=row.unit or None,
        direction=row.direction, measure=row.measure, survey=row.survey,
    )  # fmt: skip
    if figures is None:
        figures = Context.load([row.pk]).figures[row.pk]
    findings = check_entry(indicator, figure.observation(fy), figures.values(), years=years)
    limit = Entry._meta.get_field("data_source").max_length
    source = [p for p in (text_problem(figure.data_source, "data_source"),
                          length_problem(figure.data_source, limit, "data_source")) if p]  # fmt: skip
    return Findings(findings.errors + tuple(source[:1]), findings.warnings)


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


def _require(allowed: bool, staff: roles.Staff, what: str) -> None:
    if not allowed:
        raise NotAllowed(f"{staff.username} ({staff.role}) may not {what}")


def prepare_save(
    *, staff: roles.Staff, user, row: Indicator, fy: int, figure: Figure, revision: int, reason: str,
    via: str, context: Context,
) -> Prepared:  # fmt: skip
    """Every check of a save, in order (role, revision, workflow, figure), without writing anything.

    ``context`` is updated as if the save happened, so the next figure prepared
    for the same indicator is checked against this one.
    """
    _require(roles.can_enter(staff, _department(row)), staff, f"enter figures of indicator {row.code}")
    key = (row.pk, fy)
    entry = context.entries.get(key)
    if conflict := _conflict(entry, revision):
        raise conflict
    workflow.next_state(entry.status if entry else None, workflow.SAVE)
    findings = check_figure(row, fy, figure, context.figures.get(row.pk, {}))
    if findings.errors or (findings.warnings and not reason.strip()):
        raise Refused(findings)
    approved = context.approved.get(key)
    old = snapshot(entry) if entry else (snapshot(approved) if approved else None)
    entry = entry or Entry(indicator=row, fy=fy, revision=0)
    for name in ("kind", "value", "as_of", "approximate", "note", "data_source"):
        setattr(entry, name, getattr(figure, name))
    entry.breakdown = [[label, str(v)] for label, v in figure.breakdown]
    entry.status, entry.revision = workflow.DRAFT, entry.revision + 1
    entry.reason = reason.strip() if findings.warnings else ""
    entry.comment, entry.entered_by, entry.reviewed_by = "", user, None
    context.entries[key] = entry
    context.figures.setdefault(row.pk, {})[fy] = _figure_of(entry)
    event = AuditEvent(
        actor=staff.username, plan_code=row.plan.code, indicator_code=row.code, fy=fy, action=workflow.SAVE,
        state=entry.status, via=via, old=old, new=snapshot(entry), reason=entry.reason,
    )  # fmt: skip
    return Prepared(entry, event, findings.warnings)


def persist(prepared: list[Prepared]) -> None:
    """Write prepared saves: new entries and changed ones in bulk, then their audit events."""
    try:
        with transaction.atomic():
            new = [p.entry for p in prepared if p.entry.pk is None]
            old = [p.entry for p in prepared if p.entry.pk is not None]
            now = timezone.now()
            for e in new + old:
                e.updated_at = now  # auto_now is not applied by bulk writes
            Entry.objects.bulk_create(new, batch_size=500)
            Entry.objects.bulk_update(old, [*_ENTRY_FIELDS, "updated_at"], batch_size=500)
            AuditEvent.objects.bulk_create([p.event for p in prepared], batch_size=500)
    except IntegrityError:  # two people created the same year's first draft at once
        raise Conflict(
            "this figure was just entered by someone else: reload it", current_revision=1
        ) from None


_ENTRY_FIELDS = ["status", "revision", "kind", "value", "as_of", "approximate", "breakdown", "note", "data_source",
                 "reason", "comment", "entered_by", "reviewed_by"]  # fmt: skip


def entry_save(
    *, user, plan_code: str, indicator_code: str, fy: int, figure: Figure, revision: int,
    reason: str = "", via: str = "web", submit: bool = False,
) -> Entry:  # fmt: skip
    """Save ``figure`` as a draft; with ``submit``, send it for approval too, in the same transaction:
    both happen, or neither. ``revision`` is the one the person saw (0: none yet)."""
    staff = staff_of(user)
    row = indicator_row(plan_code, indicator_code)
    _require(roles.can_enter(staff, _department(row)), staff, f"enter figures of indicator {row.code}")
    with transaction.atomic():
        context = Context.load([row.pk], lock=True)
        prepared = prepare_save(staff=staff, user=user, row=row, fy=fy, figure=figure, revision=revision,
                                reason=reason, via=via, context=context)  # fmt: skip
        persist([prepared])
        if submit:
            entries_submit(staff=staff, prepared=[prepared], via=via)
        return prepared.entry


def entry_submit(
    *, user, plan_code: str, indicator_code: str, fy: int, revision: int, via: str = "web"
) -> Entry:
    """Send a draft (or a returned figure) to the plan's owner for approval."""
    staff = staff_of(user)
    row = indicator_row(plan_code, indicator_code)
    _require(roles.can_enter(staff, _department(row)), staff, f"submit figures of indicator {row.code}")
    return _step(staff, row, fy, revision, workflow.SUBMIT, via=via)


def entry_approve(
    *, user, plan_code: str, indicator_code: str, fy: int, revision: int, via: str = "web"
) -> Entry:
    """Approve a submitted figure: it becomes the figure of record, and public."""
    staff = staff_of(user)
    row = indicator_row(plan_code, indicator_code)
    _require(roles.can_review(staff), staff, "approve figures")
    return _step(staff, row, fy, revision, workflow.APPROVE, via=via, reviewer=user)


def entry_return(
    *, user, plan_code: str, indicator_code: str, fy: int, revision: int, comment: str, via: str = "web"
) -> Entry:
    """Send a submitted figure back to its editor, saying why."""
    staff = staff_of(user)
    row = indicator_row(plan_code, indicator_code)
    _require(roles.can_review(staff), staff, "return figures")
    if not comment.strip():
        raise Refused(Findings(errors=(Problem("comment", "comment_required"),)))
    return _step(staff, row, fy, revision, workflow.RETURN, via=via, reviewer=user, comment=comment.strip())


def entries_submit(*, staff: roles.Staff, prepared: list[Prepared], via: str) -> None:
    """Submit entries just saved, in the transaction that saved them (a bulk upload's or an API call's
    "submit them too"): the save and the submit happen together, or neither does."""
    events = []
    for p in prepared:
        entry = p.entry
        entry.status = workflow.next_state(entry.status, workflow.SUBMIT)
        entry.revision += 1
        events.append(AuditEvent(
            actor=staff.username, plan_code=p.event.plan_code, indicator_code=p.event.indicator_code, fy=entry.fy,
            action=workflow.SUBMIT, state=entry.status, via=via, new=snapshot(entry), reason=entry.reason,
        ))  # fmt: skip
    Entry.objects.bulk_update([p.entry for p in prepared], ["status", "revision"], batch_size=500)
    AuditEvent.objects.bulk_create(events, batch_size=500)


def _step(staff, row, fy, revision, action, *, via, reviewer=None, comment="") -> Entry:
    with transaction.atomic():
        entry = (
            Entry.objects.select_for_update(of=("self",))
            .filter(indicator=row, fy=fy)
            .select_related("entered_by")
            .first()
        )
        if conflict := _conflict(entry, revision):
            raise conflict
        if entry is None:
            raise NotFound(f"no figure entered for {row.code} in FY{fy}")
        if action == workflow.APPROVE:
            _require_second_person(entry, reviewer, staff)
        entry.status = workflow.next_state(entry.status, action)
        entry.revision += 1
        old = snapshot(entry) if action != workflow.APPROVE else _approved_snapshot(row, fy)
        if reviewer is not None:
            entry.reviewed_by, entry.comment = reviewer, comment
        entry.save()
        if action == workflow.APPROVE:
            _publish_all([entry], via)
        audit(actor=staff.username, row=row, fy=fy, action=action, state=entry.status, via=via,
              old=old, new=snapshot(entry), comment=comment, reason=entry.reason if action == workflow.SUBMIT else "")  # fmt: skip
        return entry


def entries_approve(*, user, plan_code: str, items: list[tuple[str, int, int]], via: str = "web") -> int:
    """Approve many submitted figures at once: (indicator code, fy, revision seen) each, all or none."""
    staff = staff_of(user)
    _require(roles.can_review(staff), staff, "approve figures")
    codes = {code for code, _, _ in items}
    rows = {
        r.code: r
        for r in Indicator.objects.filter(plan__code=plan_code, code__in=codes).select_related("plan")
    }
    with transaction.atomic():
        locked = Entry.objects.select_for_update(of=("self",)).select_related("entered_by")
        found = {
            (e.indicator_id, e.fy): e
            for e in locked.filter(indicator__in=rows.values(), fy__in={fy for _, fy, _ in items})
        }
        approved, events = [], []
        for code, fy, revision in items:
            row = rows.get(code)
            if row is None:
                raise NotFound(f"no indicator {code!r} in plan {plan_code!r}")
            entry = found.get((row.pk, fy))
            if conflict := _conflict(entry, revision):
                raise conflict
            if entry is None:
                raise NotFound(f"no figure entered for {code} in FY{fy}")
            _require_second_person(entry, user, staff)
            entry.status = workflow.next_state(entry.status, workflow.APPROVE)
            entry.revision, entry.reviewed_by, entry.comment = entry.revision + 1, user, ""
            entry.indicator = row
            approved.append(entry)
        old = {(o.indicator_id, o.fy): snapshot(o) for o in _observations_of(approved)}
        for entry in approved:
            events.append(AuditEvent(
                actor=staff.username, plan_code=plan_code, indicator_code=entry.indicator.code, fy=entry.fy,
                action=workflow.APPROVE, state=entry.status, via=via, old=old.get((entry.indicator_id, entry.fy)),
                new=snapshot(entry),
            ))  # fmt: skip
        Entry.objects.bulk_update(approved, ["status", "revision", "reviewed_by", "comment"], batch_size=500)
        _publish_all(approved, via)
        AuditEvent.objects.bulk_create(events, batch_size=500)
        return len(approved)


def _observations_of(entries: list[Entry]) -> list[Observation]:
    from ..selectors import observations_at

    return observations_at({(e.indicator_id, e.fy) for e in entries})


def _require_second_person(entry: Entry, reviewer, staff: roles.Staff) -> None:
    """With MACHIPLAN_SEPARATE_APPROVAL=1, nobody approves a figure they entered themselves (起案者と決裁者を分ける)."""
    if settings.MACHIPLAN_SEPARATE_APPROVAL and entry.entered_by_id == reviewer.pk:
        raise NotAllowed(f"{staff.username} entered this figure: someone else must approve it")


def _publish_all(entries: list[Entry], via: str) -> None:
    """Copy approved entries into the observations the public reads, with their provenance.

    The public provenance names the source and the day of approval, not the people: who entered
    and who approved is in the audit trail, which only staff read.
    """
    today = timezone.localdate()
    rows = []
    for entry in entries:
        provenance = f"machiplan: approved {today:%Y-%m-%d} (entered via {via})"
        if entry.data_source:
            provenance = f"出典: {entry.data_source}; {provenance}"
        rows.append(Observation(
            indicator_id=entry.indicator_id, fy=entry.fy, kind=entry.kind, value=entry.value, as_of=entry.as_of,
            approximate=entry.approximate, breakdown=entry.breakdown, note=entry.note, source_text="",
            source=provenance[:500],
        ))  # fmt: skip
    replaced = [o.pk for o in _observations_of(entries)]  # replaced whole: the figure is the entry as entered
    for start in range(0, len(replaced), 900):
        Observation.objects.filter(pk__in=replaced[start : start + 900]).delete()
    Observation.objects.bulk_create(rows, batch_size=500)
    plans = {e.indicator.plan_id for e in entries}
    Plan.objects.filter(pk__in=plans).update(updated_at=timezone.now())  # public pages refresh


def _approved_snapshot(row: Indicator, fy: int) -> dict | None:
    obs = Observation.objects.filter(indicator=row, fy=fy).first()
    return snapshot(obs) if obs else None


def refuse_replacing_pending(sender, *, plan: Plan, **_) -> None:
    """Replacing a plan deletes its indicators: not while figures entered in the app await approval."""
    pending = Entry.objects.filter(indicator__plan=plan).exclude(status=workflow.APPROVED).count()
    if pending:
        raise MachiplanError(
            f"plan {plan.code!r} has {pending} figure(s) entered in the app and not approved "
            "(drafts, submitted or returned): approve or return them and have them resubmitted, "
            "or remove them in the admin, before replacing the plan"
        )
