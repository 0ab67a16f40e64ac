"""Who may do what, and the states a figure goes through."""

import pytest

from machiplan.domain import roles, workflow

ADMIN = roles.Staff("a", roles.ADMIN)
OWNER = roles.Staff("o", roles.OWNER)
EDITOR = roles.Staff("e", roles.EDITOR, "chiiki-katsudo")
VIEWER = roles.Staff("v", roles.VIEWER)


def test_roles():
    assert [roles.can_enter(s, "chiiki-katsudo") for s in (ADMIN, OWNER, EDITOR, VIEWER)] == [
        True,
        True,
        True,
        False,
    ]
    assert [roles.can_enter(s, "shimin-jichi") for s in (ADMIN, OWNER, EDITOR, VIEWER)] == [
        True,
        True,
        False,
        False,
    ]
    assert roles.can_enter(EDITOR, None) is False  # an indicator without an owner is not any editor's
    assert [roles.can_review(s) for s in (ADMIN, OWNER, EDITOR, VIEWER)] == [True, True, False, False]
    assert [roles.can_edit_structure(s) for s in (ADMIN, OWNER, EDITOR, VIEWER)] == [True, True, False, False]
    assert roles.can_see(VIEWER, "shimin-jichi") and not roles.can_see(EDITOR, "shimin-jichi")
    with pytest.raises(ValueError, match="unknown role"):
        roles.Staff("x", "superuser")


def test_workflow():
    state = workflow.next_state(None, workflow.SAVE)
    assert state == workflow.DRAFT
    state = workflow.next_state(state, workflow.SUBMIT)
    assert state == workflow.SUBMITTED
    assert workflow.next_state(state, workflow.RETURN) == workflow.RETURNED
    assert workflow.next_state(workflow.RETURNED, workflow.SUBMIT) == workflow.SUBMITTED
    assert workflow.next_state(state, workflow.APPROVE) == workflow.APPROVED
    assert workflow.next_state(workflow.APPROVED, workflow.SAVE) == workflow.DRAFT  # a correction starts over
    for state, action in [
        (workflow.DRAFT, workflow.APPROVE),
        (None, workflow.SUBMIT),
        (workflow.APPROVED, workflow.APPROVE),
    ]:
        with pytest.raises(workflow.WorkflowError):
            workflow.next_state(state, action)
    assert workflow.allowed_actions(workflow.SUBMITTED) == (workflow.SAVE, workflow.APPROVE, workflow.RETURN)
