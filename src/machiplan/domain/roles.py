"""Who may do what, as plain rules: roles for the whole installation and roles per plan.

A person has at most one installation-wide role — ``admin`` (everything) or ``planner`` (the
city's planning section: reads every plan as its viewer does, changes nothing) — and a role in
each plan they work on: ``owner``, ``editor`` (for one department: that department's indicators
of the plan) or ``viewer``. An owner or viewer of one plan is a ``reader`` of the plans where
they hold no role: they see those plans' published figures, nothing being entered there.

``reach(staff, plan)`` says what one person may do in one plan; every view, API endpoint, bulk
row and selector asks it (through ``staff/policy.py``), none decides on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

ADMIN = "admin"  # the installation: everything, the Django admin included
PLANNER = "planner"  # the installation: reads every plan as its viewer does (企画・全計画の閲覧)
OWNER = "owner"  # a plan's owner: structure, targets, narratives, approval, deadlines, the report
EDITOR = "editor"  # a department of a plan: the figures and notes of its own indicators
VIEWER = "viewer"  # a plan: reads everything of it, changes nothing
READER = "reader"  # a plan where an owner or viewer of another holds no role: its published figures

INSTALLATION_ROLES = (ADMIN, PLANNER)
PLAN_ROLES = (OWNER, EDITOR, VIEWER)
ROLES = (ADMIN, PLANNER, OWNER, EDITOR, VIEWER)  # what a person can be given
_READS_ALL = (ADMIN, PLANNER, OWNER, VIEWER)  # figures being entered, the queue, the whole trail


@dataclass(frozen=True, slots=True)
class Grant:
    """A role in one plan."""

    plan: str  # the plan's code
    role: str  # one of PLAN_ROLES
    department: str | None = None  # a department's code: required for an editor, else None

    def __post_init__(self) -> None:
        if self.role not in PLAN_ROLES:
            raise ValueError(f"unknown role {self.role!r} in a plan (roles: {', '.join(PLAN_ROLES)})")
        if (self.role == EDITOR) != (self.department is not None):
            raise ValueError("an editor, and only an editor, has a department")


@dataclass(frozen=True, slots=True)
class Staff:
    """A signed-in person: their installation-wide role, if any, and their roles per plan."""

    username: str
    role: str = ""  # ADMIN, PLANNER, or '' (roles per plan only)
    grants: tuple[Grant, ...] = ()

    def __post_init__(self) -> None:
        if self.role not in ("", *INSTALLATION_ROLES):
            raise ValueError(f"unknown role {self.role!r} (roles: {', '.join(INSTALLATION_ROLES)})")

    def grant(self, plan: str) -> Grant | None:
        return next((g for g in self.grants if g.plan == plan), None)


@dataclass(frozen=True, slots=True)
class Reach:
    """What one person may do in one plan."""

    username: str
    plan: str
    role: str | None  # ADMIN, OWNER, EDITOR, VIEWER, PLANNER, READER; None: the plan is not theirs to open
    department: str | None = None  # an editor's department
    reads_all: bool = False  # the figures being entered, the review queue and the trail of every indicator

    # --- the plan ---------------------------------------------------------------------

    @property
    def can_open(self) -> bool:
        """The plan's staff pages: its indicator list and indicator pages."""
        return self.role is not None

    @property
    def can_read_queue(self) -> bool:
        """The figures awaiting approval."""
        return self.reads_all

    @property
    def can_read_trail(self) -> bool:
        """The plan's trail: all of it, or an editor's department's indicators and the loads."""
        return self.reads_all or self.role == EDITOR

    @property
    def can_enter_any(self) -> bool:
        """Some of the plan's figures: the bulk pages."""
        return self.role in (ADMIN, OWNER, EDITOR)

    @property
    def can_review(self) -> bool:
        """Approve or return submitted figures; approval is what publishes them."""
        return self.role in (ADMIN, OWNER)

    @property
    def can_edit_structure(self) -> bool:
        """Levels, nodes, indicators and their owners, targets, baselines, narratives, costs, ratings."""
        return self.role in (ADMIN, OWNER)

    @property
    def can_set_deadlines(self) -> bool:
        """The date each year's figures are due (提出期限), per fiscal year."""
        return self.role in (ADMIN, OWNER)

    @property
    def can_read_reports(self) -> bool:
        """The plan's report generations and their previews (the published reports are public)."""
        return self.reads_all

    @property
    def can_publish_report(self) -> bool:
        """Generate the year's report from the published figures, and publish it (報告書の作成・公開)."""
        return self.role in (ADMIN, OWNER)

    @property
    def published_only(self) -> bool:
        """Only the plan's published figures: a reader's."""
        return self.role == READER

    @property
    def department_only(self) -> str | None:
        """The department whose indicators alone this person works with (an editor's), else None."""
        return None if self.reads_all or self.role != EDITOR else self.department

    # --- one indicator, by its owning department ----------------------------------------

    def can_see(self, department: str | None) -> bool:
        """The indicator's staff page: its published figures (and more, see ``can_see_working``)."""
        if self.role == EDITOR and not self.reads_all:
            return self.owns(department)
        return self.can_open

    def can_see_working(self, department: str | None) -> bool:
        """The indicator's figures being entered, returned figures and its history."""
        return self.reads_all or (self.role == EDITOR and self.owns(department))

    def can_enter(self, department: str | None) -> bool:
        """Enter, change and submit the indicator's yearly figures."""
        return self.role in (ADMIN, OWNER) or (self.role == EDITOR and self.owns(department))

    def owns(self, department: str | None) -> bool:
        return self.department is not None and self.department == department


def reach(staff: Staff, plan: str) -> Reach:
    """What ``staff`` may do in the plan whose code is ``plan``."""
    if staff.role == ADMIN:
        return Reach(staff.username, plan, ADMIN, reads_all=True)
    planner = staff.role == PLANNER
    grant = staff.grant(plan)
    if grant is not None:
        return Reach(staff.username, plan, grant.role, grant.department,
                     reads_all=planner or grant.role in _READS_ALL)  # fmt: skip
    if planner:
        return Reach(staff.username, plan, PLANNER, reads_all=True)
    if any(g.role in (OWNER, VIEWER) for g in staff.grants):
        return Reach(staff.username, plan, READER)
    return Reach(staff.username, plan, None)
