"""One audit entry point and one permission policy: nothing else writes the trail or decides a role."""

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "machiplan"
AUDIT = SRC / "staff" / "services" / "audit.py"
RULES = (SRC / "domain" / "roles.py", SRC / "staff" / "policy.py")


def _python(*folders: str):
    for folder in folders:
        for path in (SRC / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_the_trail_is_written_only_by_audit_record():
    for path in _python("staff", "api", "plans", "cli", "ops", "web"):
        if path == AUDIT:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(
            r"(?<!class )AuditEvent\(|AuditEvent\.objects\.(create|bulk_create|get_or_create)", text
        ), path


def test_every_action_recorded_is_one_of_the_closed_list():
    from machiplan.staff.models import Action, AuditEvent
    from machiplan.staff.services import audit

    assert AuditEvent._meta.get_field("action").choices == Action.choices
    try:
        audit.Event("delete everything", actor="x", plan_code="p")
    except ValueError as exc:
        assert "unknown audit action" in str(exc)
    else:
        raise AssertionError("an action outside the list was accepted")


def test_no_page_service_or_endpoint_decides_a_role_itself():
    """Role names are compared only in domain/roles.py and staff/policy.py (and people.py, which reads
    the role a person is given)."""
    allowed = {*RULES, SRC / "staff" / "services" / "people.py", SRC / "staff" / "models.py"}
    for path in _python("staff", "api"):
        if path in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "roles"
            ):
                assert node.attr[0].isupper() and node.attr not in ("ADMIN", "OWNER", "EDITOR", "VIEWER", "PLANNER",
                                                                   "READER"), f"{path}: roles.{node.attr}"  # fmt: skip
            if isinstance(node, ast.Compare):
                names = [c.value for c in [node.left, *node.comparators] if isinstance(c, ast.Constant)]
                assert not {"admin", "owner", "editor", "viewer", "planner"} & set(names), path
    templates = (SRC / "staff" / "templates").rglob("*.html")
    for path in templates:
        assert not re.search(r"\.role\s*[!=]=", path.read_text(encoding="utf-8")), path
