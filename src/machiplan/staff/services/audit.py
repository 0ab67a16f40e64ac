"""The audit trail's one way in: ``record`` writes the rows of one action, sharing one group id.

Every change — a figure saved, submitted, approved or returned, a structure edit, a plan load, a
role given — is described as an ``Event`` (one of the closed list ``models.Action``) and written
here, never by building ``AuditEvent`` rows elsewhere. The rows of one action (a bulk upload's
saves and submits, an approve-many, a structure save, a load) share one ``group``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from machiplan.domain import figures

from ..models import Action, AuditEvent

# A figure in the trail: its fields (domain/figures.py), where it came from, and its state.
# The warnings a reason confirmed are kept when there are any.
SNAPSHOT_FIELDS = (
    *(f.name for f in figures.FIGURE_FIELDS if f is not figures.FY),
    "data_source",
    "status",
    "warnings",
)


@dataclass(frozen=True, slots=True)
class Event:
    """One row of the trail, before it is written."""

    action: str  # one of models.Action
    actor: str  # a user name, or the command that made the change
    plan_code: str
    indicator_code: str = ""
    series: str = ""
    fy: int | None = None
    state: str = ""  # the figure's workflow state afterwards
    via: str = "web"  # web, api, bulk, cli
    subject: str = ""  # what changed, in words (structure edits, loads, roles)
    old: object = None
    new: object = None
    reason: str = ""
    comment: str = ""

    def __post_init__(self) -> None:
        if self.action not in Action.values:
            raise ValueError(f"unknown audit action {self.action!r} (actions: {', '.join(Action.values)})")


def new_group() -> uuid.UUID:
    """An id for the rows of one action that are recorded in several calls (a save, then its submit)."""
    return uuid.uuid4()


def record(*events: Event, group: uuid.UUID | None = None) -> uuid.UUID:
    """Write ``events`` — the rows of one action — to the trail; they share ``group`` (a new one if
    none is given), which is returned. Call it inside the transaction that makes the change."""
    group = group or new_group()
    rows = [
        AuditEvent(
            actor=e.actor[:150], plan_code=e.plan_code, indicator_code=e.indicator_code, series=e.series, fy=e.fy,
            action=e.action, state=e.state, via=e.via, subject=e.subject[:200], old=e.old, new=e.new,
            reason=e.reason, comment=e.comment, group=group,
        )
        for e in events
    ]  # fmt: skip
    AuditEvent.objects.bulk_create(rows, batch_size=500)
    return group


_DECIMALS = {f.name for f in figures.FIGURE_FIELDS if f.type == "decimal"}


def snapshot(obj) -> dict:
    """A figure (an Entry or an Observation) as JSON-safe data for the trail."""
    data = {}
    for name in SNAPSHOT_FIELDS:
        if not hasattr(obj, name):
            continue
        value = getattr(obj, name)
        if name == "warnings" and not value:
            continue
        if name in _DECIMALS and value is not None:
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


def json_safe(value):
    """A value as the trail stores it: numbers as plain digits, dates as ISO text, rows by name."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return plain_decimal(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def record_load(
    sender,
    *,
    plan,
    source: str,
    replaced: bool,
    observations: int,
    targets: int,
    actor: str = "",
    via: str = "",
    **_,
) -> None:
    """A whole plan arrived (load, import-sheet --save, import-table --save, the staff app's table
    import, the embedded plan): its figures are approved."""
    record(
        Event(
            Action.LOAD, actor=actor or "machiplan load", plan_code=plan.code, state="approved", via=via or "cli",
            subject=source, new={"observations": observations, "targets": targets, "replaced": replaced},
        )
    )  # fmt: skip
