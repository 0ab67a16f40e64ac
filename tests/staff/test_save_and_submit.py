"""Saving and submitting a figure in one request is one transaction: both happen, or neither."""

from decimal import Decimal

from machiplan.domain import workflow
from machiplan.staff.errors import Conflict
from machiplan.staff.models import AuditEvent, Entry
from machiplan.staff.services import entries
from machiplan.staff.services.people import token_create

from .conftest import PLAN

URL = f"/api/plans/{PLAN}/indicators/1b/observations/2017/"


def _post(client, body: dict):
    key = token_create(username="editor")
    return client.post(URL, body, content_type="application/json", headers={"Authorization": f"Token {key}"})


def test_an_api_save_whose_submit_fails_saves_nothing(client, people, monkeypatch):
    """The client told 409 'reload and enter again' must find nothing of its save committed."""
    real = workflow.next_state

    def submit_step_fails(state, action):
        if action == workflow.SUBMIT:
            raise Conflict("this figure was changed by someone else: reload it", current_revision=1)
        return real(state, action)

    monkeypatch.setattr(workflow, "next_state", submit_step_fails)
    response = _post(client, {"kind": "actual", "value": "70.9", "revision": 0, "submit": True})
    assert response.status_code == 409
    assert not Entry.objects.exists()
    assert not AuditEvent.objects.filter(indicator_code="1b").exists()


def test_save_and_submit_is_one_service_call(client, people):
    response = _post(client, {"kind": "actual", "value": "70.9", "revision": 0, "submit": True})
    assert response.status_code == 200 and response.json()["status"] == workflow.SUBMITTED
    entry = entries.entry_save(
        user=people["owner"], plan_code=PLAN, indicator_code="1b", fy=2017, revision=2, submit=True,
        figure=entries.Figure(kind="actual", value=Decimal(70), data_source="町内会調査"), reason="全戸調査",
    )  # fmt: skip
    assert (entry.status, entry.revision) == (workflow.SUBMITTED, 4)
    trail = AuditEvent.objects.filter(indicator_code="1b").order_by("id")
    assert [(e.actor, e.action, e.state, e.via) for e in trail] == [
        ("editor", "save", "draft", "api"), ("editor", "submit", "submitted", "api"),
        ("owner", "save", "draft", "web"), ("owner", "submit", "submitted", "web"),
    ]  # fmt: skip
