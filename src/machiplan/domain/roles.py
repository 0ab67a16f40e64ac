"""Who may do what: the four staff roles and their reach, as plain rules.

Every view, API endpoint and command asks these functions; none decides on its
own. A department editor's reach is the indicators their department owns.
"""

from __future__ import annotations

from dataclasses import dataclass

ADMIN = "admin"  # everything, the Django admin included
OWNER = "owner"  # the plan's owner: structure, targets, narratives, approval, publishing
EDITOR = "editor"  # a department's figures: observations and notes of its own indicators
VIEWER = "viewer"  # reads everything, changes nothing
ROLES = (ADMIN, OWNER, EDITOR, VIEWER)


@dataclass(frozen=True, slots=True)
class Staff:
    username: str
    role: str
    department: str | None = None  # a department's code; required for an editor

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r} (roles: {', '.join(ROLES)})")


def can_see(staff: Staff, indicator_department: str | None) -> bool:
    """Drafts, history and forms of an indicator: an editor sees only their department's."""
    if staff.role == EDITOR:
        return owns(staff, indicator_department)
    return True


def can_enter(staff: Staff, indicator_department: str | None) -> bool:
    """Enter, change and submit an indicator's yearly figures."""
    if staff.role in (ADMIN, OWNER):
        return True
    return staff.role == EDITOR and owns(staff, indicator_department)


def can_review(staff: Staff) -> bool:
    """Approve or return submitted figures; approval is what publishes them."""
    return staff.role in (ADMIN, OWNER)


def can_edit_structure(staff: Staff) -> bool:
    """Goals, policies, initiatives, indicators and their owners, targets, narratives."""
    return staff.role in (ADMIN, OWNER)


def owns(staff: Staff, indicator_department: str | None) -> bool:
    return staff.department is not None and staff.department == indicator_department
