"""Figures over the API with a token: the web form's permissions, checks, workflow and trail."""

import pytest

from machiplan.staff.models import AuditEvent, Entry
from machiplan.staff.services.people import token_create

from .conftest import PLAN

URL = f"/api/plans/{PLAN}/indicators/1b/observations/2017/"


@pytest.fixture
def api(client, people):
    def call(user, path=URL, body=None, method="post", token=None):
        key = token or token_create(username=user)
        headers = {"Authorization": f"Token {key}"}
        if method == "get":
            return client.get(path, headers=headers)
        return client.post(path, body or {}, content_type="application/json", headers=headers)

    return call


def test_save_submit_approve_over_the_api(api, client):
    state = api("editor", method="get").json()
    assert state["status"] == "approved" and state["revision"] == 0 and state["approved"]["kind"] == "pending"
    saved = api(
        "editor",
        body={"kind": "actual", "value": "70.9", "source": "町内会調査", "revision": 0, "submit": True},
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["status"] == "submitted" and saved.json()["revision"] == 2
    approved = api("owner", path=URL + "approve/", body={"revision": 2})
    assert approved.json()["status"] == "approved"
    assert [(e.actor, e.action, e.via) for e in AuditEvent.objects.filter(indicator_code="1b")] == [
        ("editor", "save", "api"), ("editor", "submit", "api"), ("owner", "approve", "api"),
    ]  # fmt: skip
    plan = client.get(f"/api/plans/{PLAN}/").json()
    obs = next(
        o for i in plan["indicators"] if i["code"] == "1b" for o in i["observations"] if o["fy"] == 2017
    )
    assert obs["kind"] == "actual"


def test_errors_come_back_by_field_and_nothing_is_saved(api):
    response = api("editor", body={"kind": "actual", "value": 120, "revision": 0}, token=None)
    assert response.status_code == 400
    assert response.json()["errors"] == {"value": ["％の値は0〜100の範囲で入力してください（入力: 120）。"]}
    english = api("editor", path=URL + "?lang=en", body={"kind": "interim", "value": 70, "revision": 0})
    assert english.status_code == 400 and english.json()["needs_reason"] is True  # a warning: give a reason
    assert english.json()["warnings"] == [
        "This interim value has no as-of date: enter the date it was counted on if known "
        "(without one, no year-end projection is made)."
    ]
    assert api("editor", body={"kind": "actual", "value": "abc", "revision": 0}).json()["errors"] == {
        "value": ["value must be a number"]
    }
    assert api("editor", body={"kind": "actual", "value": 70}).status_code == 400  # revision is required
    assert not Entry.objects.exists()


def test_warnings_need_a_reason(api):
    response = api("editor", body={"kind": "actual", "value": "60", "revision": 0})
    assert response.status_code == 400 and response.json()["needs_reason"] is True
    ok = api("editor", body={"kind": "actual", "value": "60", "revision": 0, "reason": "全戸調査に変更"})
    assert ok.status_code == 200 and ok.json()["warnings"]


def test_a_stale_revision_is_a_conflict(api):
    api("editor", body={"kind": "actual", "value": "70.9", "revision": 0})
    response = api("owner", body={"kind": "actual", "value": "71.0", "revision": 0})
    assert response.status_code == 409 and response.json()["current_revision"] == 1


def test_tokens(api, client, people):
    assert client.post(URL, {}, content_type="application/json").status_code == 401
    assert api("editor", token="mp_not-a-token").status_code == 401
    people["editor"].is_active = False
    people["editor"].save()
    key = token_create(username="owner")
    people["owner"].is_active = False
    people["owner"].save()
    assert api("owner", token=key).status_code == 401  # a deactivated person's token stops working
    from machiplan.staff.models import ApiToken

    assert all(
        len(t.digest) == 64 and key not in t.digest for t in ApiToken.objects.all()
    )  # only digests kept
