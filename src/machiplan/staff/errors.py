"""What the staff services refuse, so views, the API and the CLI can each say it their way."""

from __future__ import annotations

from machiplan.domain.entry_checks import Findings
from machiplan.domain.errors import MachiplanError


class NotAllowed(MachiplanError):
    """The person's role does not reach this indicator or action (HTTP 403)."""


class NotFound(MachiplanError):
    """No such plan, indicator or figure (HTTP 404)."""


class Conflict(MachiplanError):
    """Someone else changed the figure since it was opened: nothing was saved (HTTP 409)."""

    def __init__(self, message: str, *, current_revision: int) -> None:
        super().__init__(message)
        self.current_revision = current_revision


class Refused(MachiplanError):
    """The figure has errors, or warnings that need a confirming reason: nothing was saved."""

    def __init__(self, findings: Findings, *, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(
            "the figure was not saved: "
            + "; ".join(p.message("en") for p in findings.errors + findings.warnings)
        )
        self.findings = findings
        self.field_errors = field_errors or {}

    @property
    def needs_reason(self) -> bool:
        return not self.findings.errors and bool(self.findings.warnings)


class Busy(MachiplanError):
    """The plan's report is being generated already: a second generation at once is refused (HTTP 409)."""
