"""A yearly figure's way from an editor to the public: save, submit, approve or return.

Every step is one transaction that locks the figure's row, checks the person's
role, checks the revision they saw (no lost update), moves the workflow on and
writes the audit trail. Approval copies the figure into ``plans.Observation``,
the table the public pages, reports and API read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from machiplan.domain import plan as domain
from machiplan.domain import roles, workflow
from machiplan.domain.entry_checks import Findings, Problem, check_entry
from machiplan.plans.models import Indicator, Observation, Plan

from ..errors import Conflict, NotAllowed, NotFound, Refused
from ..models import Entry
from .audit import audit, snapshot
from .people import staff_of

# Figures may be entered for the years before the plan (baselines) and the year after it.
YEARS_BEFORE_PLAN = 10


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


def check_figure(row: Indicator, fy: int, figure: Figure) -> Findings:
    """The domain checks, against the indicator's other years as staff currently see them."""
    plan = row.plan
    if not plan.start_fy - YEARS_BEFORE_PLAN <= fy <= plan.end_fy + 1:
        return Findings(errors=(Problem("fy", "fy_outside_plan", {"fy": ("fy", fy)}),))
    indicator = domain.Indicator(
        code=row.code, goal=0, category=row.category, name=row.name, unit=row.unit or None,
        direction=row.direction, measure=row.measure, survey=row.survey,
    )  # fmt: skip
    return check_entry(indicator, figure.observation(fy), working_figures(row).values())


def working_figures(row: Indicator) -> dict[int, domain.Observation]:
    """Each year's figure as staff see it: a pending entry over the approved value."""
    figures = {
        o.fy: domain.Observation(fy=o.fy, kind=o.kind, value=o.value, as_of=o.as_of)
        for o in Observation.objects.filter(indicator=row).only("fy", "kind", "value", "as_of")
    }
    for e in Entry.objects.filter(indicator=row).exclude(status=workflow.APPROVED):
        figures[e.fy] = domain.Observation(fy=e.fy, kind=e.kind, value=e.value, as_of=e.as_of)
    return figures


def _locked_entry(row: Indicator, fy: int, revision: int) -> Entry | None:
    entry = Entry.objects.select_for_update().filter(indicator=row, fy=fy).first()
    current = entry.revision if entry else 0
    if revision != current:
        who = entry.entered_by.get_username() if entry and entry.entered_by else "someone"
        raise Conflict(
            f"this figure was changed by {who} at {timezone.localtime(entry.updated_at):%Y-%m-%d %H:%M} "
            f"(revision {current}; you opened revision {revision}): reload it and enter your change again",
            current_revision=current,
        )
    return entry


def _require(allowed: bool, staff: roles.Staff, what: str) -> None:
    if not allowed:
        raise NotAllowed(f"{staff.username} ({staff.role}) may not {what}")


def entry_save(
    *, user, plan_code: str, indicator_code: str, fy: int, figure: Figure, revision: int,
    reason: str = "", via: str = "web",
) -> Entry:  # fmt: skip
    """Save ``figure`` as a draft. ``revision`` is the one the person saw (0: none yet)."""
    staff = staff_of(user)
    row = indicator_row(plan_code, indicator_code)
    _require(roles.can_enter(staff, _department(row)), staff, f"enter figures of indicator {row.code}")
    try:
        with transaction.atomic():
            entry = _locked_entry(row, fy, revision)
            workflow.next_state(entry.status if entry else None, workflow.SAVE)
            findings = check_figure(row, fy, figure)
            if findings.errors or (findings.warnings and not reason.strip()):
                raise Refused(findings)
            old = snapshot(entry) if entry else _approved_snapshot(row, fy)
            entry = entry or Entry(indicator=row, fy=fy, revision=0)
            for name in ("kind", "value", "as_of", "approximate", "note", "data_source"):
                setattr(entry, name, getattr(figure, name))
            entry.breakdown = [[label, str(v)] for label, v in figure.breakdown]
            entry.status, entry.revision = workflow.DRAFT, entry.revision + 1
            entry.reason = reason.strip() if findings.warnings else ""
            entry.comment, entry.entered_by, entry.reviewed_by = "", user, None
            entry.save()
            audit(actor=staff.username, row=row, fy=fy, action=workflow.SAVE, state=entry.status, via=via,
                  old=old, new=snapshot(entry), reason=entry.reason)  # fmt: skip
            return entry
    except IntegrityError:  # two people created the same year's first draft at once
        raise Conflict(
            "this figure was just entered by someone else: reload it", current_revision=1
        ) from None


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


def _step(staff, row, fy, revision, action, *, via, reviewer=None, comment="") -> Entry:
    with transaction.atomic():
        entry = _locked_entry(row, fy, revision)
        if entry is None:
            raise NotFound(f"no figure entered for {row.code} in FY{fy}")
        entry.status = workflow.next_state(entry.status, action)
        entry.revision += 1
        old = snapshot(entry) if action != workflow.APPROVE else _approved_snapshot(row, fy)
        if reviewer is not None:
            entry.reviewed_by, entry.comment = reviewer, comment
        entry.save()
        if action == workflow.APPROVE:
            _publish(entry, staff.username, via)
        audit(actor=staff.username, row=row, fy=fy, action=action, state=entry.status, via=via,
              old=old, new=snapshot(entry), comment=comment, reason=entry.reason if action == workflow.SUBMIT else "")  # fmt: skip
        return entry


def _publish(entry: Entry, approver: str, via: str) -> None:
    """Copy an approved entry into the observations the public reads, with its provenance."""
    editor = entry.entered_by.get_username() if entry.entered_by else "?"
    provenance = f"entered by {editor}, approved by {approver} on {timezone.localdate():%Y-%m-%d} ({via})"
    if entry.data_source:
        provenance = f"出典: {entry.data_source}; {provenance}"
    Observation.objects.update_or_create(
        indicator=entry.indicator,
        fy=entry.fy,
        defaults={
            "kind": entry.kind, "value": entry.value, "as_of": entry.as_of, "approximate": entry.approximate,
            "breakdown": entry.breakdown, "note": entry.note, "source_text": "", "source": provenance[:500],
        },
    )  # fmt: skip
    Plan.objects.filter(pk=entry.indicator.plan_id).update(updated_at=timezone.now())  # public pages refresh


def _approved_snapshot(row: Indicator, fy: int) -> dict | None:
    obs = Observation.objects.filter(indicator=row, fy=fy).first()
    return snapshot(obs) if obs else None
