"""Who may do what, and the states a figure goes through."""

import pytest

from machiplan.domain import roles, workflow

A, B = "plan-a", "plan-b"
ADMIN = roles.Staff("a", roles.ADMIN)
PLANNER = roles.Staff("p", roles.PLANNER)
OWNER = roles.Staff("o", grants=(roles.Grant(A, roles.OWNER),))
EDITOR = roles.Staff("e", grants=(roles.Grant(A, roles.EDITOR, "chiiki-katsudo"),))
VIEWER = roles.Staff("v", grants=(roles.Grant(A, roles.VIEWER),))
NOBODY = roles.Staff("n")
PEOPLE = (ADMIN, OWNER, EDITOR, VIEWER)


def test_roles_in_a_plan():
    a = [roles.reach(s, A) for s in PEOPLE]
    assert [r.can_enter("chiiki-katsudo") for r in a] == [True, True, True, False]
    assert [r.can_enter("shimin-jichi") for r in a] == [True, True, False, False]
    assert (
        roles.reach(EDITOR, A).can_enter(None) is False
    )  # an indicator without an owner is not any editor's
    assert [r.can_review for r in a] == [True, True, False, False]
    assert [r.can_edit_structure for r in a] == [True, True, False, False]
    assert [r.can_read_queue for r in a] == [True, True, False, True]
    assert roles.reach(VIEWER, A).can_see("shimin-jichi") and not roles.reach(EDITOR, A).can_see(
        "shimin-jichi"
    )
    assert roles.reach(EDITOR, A).department_only == "chiiki-katsudo"
    with pytest.raises(ValueError, match="unknown role"):
        roles.Staff("x", "superuser")
    with pytest.raises(ValueError, match="unknown role"):
        roles.Staff("x", roles.OWNER)  # a role in a plan, not in the installation
    with pytest.raises(ValueError, match="has a department"):
        roles.Grant(A, roles.EDITOR)


def test_an_owner_of_one_plan_reads_the_others_published_figures_only():
    b = roles.reach(OWNER, B)
    assert b.role == roles.READER and b.can_open and b.can_see("shimin-jichi")
    assert not (b.can_see_working("shimin-jichi") or b.can_read_queue or b.can_read_trail or b.can_review
                or b.can_edit_structure or b.can_enter_any)  # fmt: skip
    assert roles.reach(VIEWER, B).role == roles.READER
    assert not roles.reach(EDITOR, B).can_open  # a department editor works in the plans they edit only
    assert not roles.reach(NOBODY, A).can_open


def test_the_planning_section_reads_every_plan_and_changes_nothing():
    for plan in (A, B):
        r = roles.reach(PLANNER, plan)
        assert r.reads_all and r.can_read_queue and r.can_read_trail and r.can_see_working("x")
        assert not (r.can_review or r.can_edit_structure or r.can_enter_any or r.can_enter("x"))
    both = roles.Staff("pe", roles.PLANNER, (roles.Grant(A, roles.EDITOR, "d"),))
    assert roles.reach(both, A).can_enter("d") and roles.reach(both, A).can_see_working("other")
    assert roles.reach(both, A).department_only is None  # reads all of it, enters its department's
    assert all(roles.reach(ADMIN, p).can_review for p in (A, B))


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
