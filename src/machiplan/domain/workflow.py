"""The life of a figure entered by staff: draft → submitted → approved, or returned.

Only approved figures are public. A returned figure goes back to its editor
with the reviewer's comment; saving it again makes it a draft.
"""

from __future__ import annotations

from .errors import MachiplanError

DRAFT = "draft"  # saved by an editor, seen by staff only
SUBMITTED = "submitted"  # sent to the plan's owner for approval
APPROVED = "approved"  # public: the figure of record
RETURNED = "returned"  # sent back with a comment
STATES = (DRAFT, SUBMITTED, APPROVED, RETURNED)

SAVE, SUBMIT, APPROVE, RETURN = "save", "submit", "approve", "return"
LOAD = "load"  # arrived through `machiplan load` or `import-sheet --save`: approved at once
STRUCTURE = "structure"  # a change to the plan's structure, for the audit trail
ACTIONS = (SAVE, SUBMIT, APPROVE, RETURN)

# action -> (states it may start from, state it leads to); None: no entry yet
_TRANSITIONS: dict[str, tuple[tuple[str | None, ...], str]] = {
    SAVE: ((None, DRAFT, RETURNED, APPROVED, SUBMITTED), DRAFT),
    SUBMIT: ((DRAFT, RETURNED), SUBMITTED),
    APPROVE: ((SUBMITTED,), APPROVED),
    RETURN: ((SUBMITTED,), RETURNED),
}


class WorkflowError(MachiplanError):
    """An action that the figure's current state does not allow."""


def next_state(state: str | None, action: str) -> str:
    """The state ``action`` leads to from ``state``, or a WorkflowError saying why not."""
    try:
        sources, target = _TRANSITIONS[action]
    except KeyError:
        raise WorkflowError(f"unknown action {action!r}") from None
    if state not in sources:
        raise WorkflowError(f"cannot {action} a figure that is {state or 'not entered'}")
    return target


def allowed_actions(state: str | None) -> tuple[str, ...]:
    return tuple(action for action, (sources, _) in _TRANSITIONS.items() if state in sources)
