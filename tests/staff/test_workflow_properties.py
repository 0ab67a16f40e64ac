"""Any sequence of steps by any people keeps the workflow's promises (hypothesis explores the sequences).

- a step either happens whole (revision +1, one audit line) or changes nothing;
- the public figure is always the last approved one;
- the audit trail has exactly one line per step that happened.
"""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings, target
from hypothesis import strategies as st

from machiplan.domain.errors import MachiplanError
from machiplan.plans.models import Observation
from machiplan.staff.models import AuditEvent, Entry
from machiplan.staff.services import entries

from .conftest import PLAN

# (who, what): the workflow's own moves, and moves the roles forbid
MOVES = [("editor", "save"), ("editor", "submit"), ("owner", "approve"), ("owner", "return"), ("owner", "save"),
         ("other_editor", "save"), ("editor", "approve"), ("viewer", "submit")]  # fmt: skip
STEP = st.tuples(
    st.sampled_from(MOVES),
    st.sampled_from(
        ["70.9", "71.0", "71.0", "150", "60"]
    ),  # fine, fine, a % above 100, a change needing a reason
    st.booleans(),  # give a reason (or a comment)
    st.sampled_from(
        [0, 0, 0, 0, 0, -1, 1]
    ),  # the revision seen: mostly the current one, else one behind or ahead
)


HAPPY = [
    (("editor", "save"), "70.9", False, 0),
    (("editor", "submit"), "", False, 0),
    (("owner", "approve"), "", False, 0),
]
RETURNED = [
    *HAPPY[:2],
    (("owner", "return"), "", True, 0),
    (("editor", "save"), "71.0", False, 0),
    *HAPPY[1:],
]
CORRECTED = [*HAPPY, (("editor", "save"), "60", True, 0), *HAPPY[1:]]
STALE = [*HAPPY[:2], (("owner", "approve"), "", False, -1), (("owner", "return"), "", True, 1), *HAPPY[2:]]


@pytest.mark.django_db(transaction=False)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, max_size=12))
@example(steps=HAPPY)
@example(steps=RETURNED)
@example(steps=CORRECTED)
@example(steps=STALE)
def test_every_sequence_keeps_the_promises(people, steps):
    with transaction.atomic():
        public = _public()
        happened = approvals = 0
        for (who, action), value, with_reason, skew in steps:
            before, trail = _state(), AuditEvent.objects.count()
            revision = (before[1] if before else 0) + skew
            try:
                _act(people[who], action, value, with_reason, revision)
            except MachiplanError:  # refused: nothing changed
                assert (_state(), AuditEvent.objects.count()) == (before, trail)
                continue
            happened += 1
            after = _state()
            assert after[1] == (before[1] if before else 0) + 1
            if action == "approve":
                public, approvals = (after[2], after[3]), approvals + 1
            assert _public() == public
        assert AuditEvent.objects.exclude(action__in=["load", "role"]).count() == happened
        target(float(approvals))  # steer the search towards sequences that reach the public
        transaction.set_rollback(True)


def _act(user, action, value, with_reason, revision):
    where = {"user": user, "plan_code": PLAN, "indicator_code": "1b", "fy": 2017, "revision": revision}
    if action == "save":
        figure = entries.Figure(kind="actual", value=Decimal(value))
        entries.entry_save(figure=figure, reason="確認済み" if with_reason else "", **where)
    elif action == "submit":
        entries.entry_submit(**where)
    elif action == "approve":
        entries.entry_approve(**where)
    else:
        entries.entry_return(comment="確認してください" if with_reason else "", **where)


def _state():
    e = Entry.objects.filter(indicator__code="1b", fy=2017).first()
    return None if e is None else (e.status, e.revision, e.kind, e.value and e.value.normalize())


def _public():
    o = Observation.objects.get(indicator__code="1b", fy=2017)
    return (o.kind, o.value and o.value.normalize())
