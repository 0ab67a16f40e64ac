"""Writing the audit trail: one row per change, with the figure before and after."""

from __future__ import annotations

from decimal import Decimal

from machiplan.plans.models import Indicator

from ..models import AuditEvent

FIGURE_FIELDS = ("kind", "value", "as_of", "approximate", "breakdown", "note", "data_source", "status")


def snapshot(obj) -> dict:
    """A figure (an Entry or an Observation) as JSON-safe data for the trail."""
    data = {}
    for name in FIGURE_FIELDS:
        if not hasattr(obj, name):
            continue
        value = getattr(obj, name)
        if name == "value" and value is not None:
            value = plain_decimal(value)
        elif name == "as_of" and value is not None:
            value = value.isoformat()
        elif name == "breakdown":
            value = [[label, plain_decimal(v)] for label, v in value]
        data[name] = value
    if not hasattr(obj, "status"):
        data["status"] = "approved"
    return data


def stored_breakdown(parts) -> tuple[tuple[str, Decimal], ...]:
    """A breakdown as the JSON column keeps it ([["認定", "9"], …]) back as Decimals."""
    return tuple((label, Decimal(str(v))) for label, v in parts or ())


def plain_decimal(value) -> str:
    """A figure as plain digits, whatever it was stored as: 100, not 1E+2 or 100.000000."""
    return format(Decimal(str(value)).normalize(), "f")


def audit(*, actor: str, row: Indicator, fy: int | None, action: str, state: str = "", via: str = "web",
          old=None, new=None, reason: str = "", comment: str = "", subject: str = "") -> AuditEvent:  # fmt: skip
    return AuditEvent.objects.create(
        actor=actor, plan_code=row.plan.code, indicator_code=row.code, fy=fy, action=action, state=state,
        via=via, old=old, new=new, reason=reason, comment=comment, subject=subject,
    )  # fmt: skip


def record_load(sender, *, plan, source: str, replaced: bool, observations: int, targets: int, **_) -> None:
    """A whole plan arrived (load, import-sheet --save, the embedded plan): its figures are approved."""
    AuditEvent.objects.create(
        actor="machiplan load", plan_code=plan.code, action="load", state="approved", via="cli",
        subject=source[:200], new={"observations": observations, "targets": targets, "replaced": replaced},
    )  # fmt: skip
