"""Figures over the API with a token: the web form's permissions, checks, workflow and trail."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

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
        "value": ["数値を入力してください（例: 2,684 や 32.4）。"]
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


HUGE = "1" + "0" * 59  # a 60-digit number


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"kind": "actual", "value": NaN, "revision": 0}', "value"),
        ('{"kind": "actual", "value": Infinity, "revision": 0}', "value"),
        ('{"kind": "actual", "value": -Infinity, "revision": 0}', "value"),
        ('{"kind": "actual", "value": "NaN", "revision": 0}', "value"),
        ('{"kind": "actual", "value": 1e999999, "revision": 0}', "value"),
        ('{"kind": "actual", "value": "1e999999", "revision": 0}', "value"),
        (f'{{"kind": "actual", "value": {HUGE}, "revision": 0}}', "value"),
        ('{"kind": "actual", "value": "70.1234567", "revision": 0}', "value"),
        (
            f'{{"kind": "actual", "value": {HUGE}, "breakdown": [["a", {HUGE}]], "revision": 0}}',
            "value breakdown",
        ),
        (
            f'{{"kind": "actual", "value": 70, "breakdown": [["a", {HUGE}], ["b", -{HUGE}]], "revision": 0}}',
            "breakdown",
        ),
        ('{"kind": "actual", "value": 70, "breakdown": [["", 70]], "revision": 0}', "breakdown"),
        ('{"kind": "actual", "value": 70, "breakdown": [[1, 70]], "revision": 0}', "breakdown"),
        ('{"kind": "interim", "value": 70, "as_of": "0001-01-01", "revision": 0}', "as_of"),
        ('{"kind": "interim", "value": 70, "as_of": 20170915, "revision": 0}', "as_of"),
        ('{"kind": "actual", "value": 70, "note": "a\\u0000b", "revision": 0}', "note"),
        ('{"kind": "actual", "value": 70, "source": "\\ud800", "revision": 0}', "source"),
        ('{"kind": "actual", "value": 70, "source": "' + "出" * 301 + '", "revision": 0}', "source"),
        ('{"kind": "actual", "value": 70, "note": {"a": 1}, "revision": 0}', "note"),
        ('{"kind": "actual", "value": 70, "approximate": "yes", "revision": 0}', "approximate"),
        ('{"kind": "actual", "value": true, "revision": 0}', "value"),
        ('{"kind": ["actual"], "value": 70, "revision": 0}', "kind"),
        ('{"kind": "actual", "value": 70, "revision": true}', "revision"),
    ],
)
def test_values_no_column_can_hold_are_a_400_naming_the_field(api, client, raw, field):
    key = token_create(username="editor")
    response = client.post(
        URL, raw, content_type="application/json", headers={"Authorization": f"Token {key}"}
    )
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert list(errors) == field.split() and all("\n" not in m for ms in errors.values() for m in ms)
    assert not Entry.objects.exists()


@pytest.mark.parametrize("fy", [0, 1, 153, 9999, 2**64])
def test_a_year_machiplan_does_not_keep_is_a_400_naming_fy(api, fy):
    path = f"/api/plans/{PLAN}/indicators/1b/observations/{fy}/"
    for method in ("get", "post"):
        response = api(
            "editor", path=path, body={"kind": "actual", "value": 70, "revision": 0}, method=method
        )
        assert response.status_code == 400, response.content
        assert list(response.json()["errors"]) == ["fy"]
    assert not Entry.objects.exists()


def test_a_body_nested_5000_deep_is_a_400(api, client):
    key = token_create(username="editor")
    body = '{"kind": "actual", "note": ' + "[" * 5000 + "]" * 5000 + ', "revision": 0}'
    response = client.post(
        URL, body, content_type="application/json", headers={"Authorization": f"Token {key}"}
    )
    assert response.status_code == 400 and "nested too deeply" in response.json()["error"]
    assert not Entry.objects.exists()


@pytest.mark.parametrize("size", [64 * 1024 + 1, 3 * 1024 * 1024], ids=["over-64kb", "over-djangos-2.5mb"])
def test_a_body_too_large_is_a_400_in_json_saying_so(api, client, size):
    """Beyond Django's own 2.5 MB a body was refused by Django's HTML error page (and an ERROR with
    a traceback in the log), not the API's JSON: the API's limit is told first, from Content-Length."""
    key = token_create(username="editor")
    body = '{"kind": "actual", "value": 70, "revision": 0, "note": "' + "x" * size + '"}'
    response = client.post(
        URL, body, content_type="application/json", headers={"Authorization": f"Token {key}"}
    )
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()["error"] == "the request body is too large"
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        '{"kind": "actual", "value": 70.9, "value": 7090, "revision": 0}',
        '{"kind": "actual", "value": 70.9, "revision": 0, "breakdown": [["a", 1]], "note": {"x": 1, "x": 2}}',
    ],
    ids=["at-the-top", "inside"],
)
def test_a_key_given_twice_is_a_400_naming_it_not_the_last_one_taken(client, people, body):
    key = token_create(username="editor")
    response = client.post(
        URL, body, content_type="application/json", headers={"Authorization": f"Token {key}"}
    )
    name = "value" if "7090" in body else "x"
    assert response.status_code == 400 and response.json()["errors"] == {
        name: [f"key {name!r} appears twice"]
    }
    assert not Entry.objects.exists()


def test_an_undeclared_method_is_a_405_saying_what_is_allowed(api, client):
    key = token_create(username="editor")
    response = client.put(
        URL, "{}", content_type="application/json", headers={"Authorization": f"Token {key}"}
    )
    assert response.status_code == 405 and response["Allow"] == "GET, POST"
    assert client.get(URL + "approve/", headers={"Authorization": f"Token {key}"})["Allow"] == "POST"
    browser = Client(enforce_csrf_checks=True)  # as a real client meets it: CSRF checks on
    for path in ("/api/plans/", f"/api/plans/{PLAN}/", "/api/openapi.json"):
        response = browser.generic("QUERY", path)
        assert response.status_code == 405 and response["Allow"] == "GET", path


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"as_of": 0}, "as_of"),
        ({"as_of": False}, "as_of"),
        ({"breakdown": {}}, "breakdown"),
        ({"breakdown": 0}, "breakdown"),
    ],
)
def test_a_field_of_another_type_is_never_taken_for_empty(api, body, field):
    response = api("editor", body={"kind": "actual", "value": 70, "revision": 0, **body})
    assert response.status_code == 400 and list(response.json()["errors"]) == [field]


def test_approving_a_figure_gives_the_plan_document_a_new_etag(api, client):
    before = client.get(f"/api/plans/{PLAN}/")
    etag, page_etag = before["ETag"], client.get(f"/api/plans/{PLAN}/?page=1")["ETag"]
    assert client.get(f"/api/plans/{PLAN}/", headers={"If-None-Match": etag}).status_code == 304
    saved = api("editor", body={"kind": "actual", "value": "70.9", "source": "町内会調査", "revision": 0})
    assert client.get(f"/api/plans/{PLAN}/", headers={"If-None-Match": etag}).status_code == 304  # a draft
    api("editor", path=URL + "submit/", body={"revision": saved.json()["revision"]})
    approved = api("owner", path=URL + "approve/", body={"revision": saved.json()["revision"] + 1})
    assert approved.json()["status"] == "approved"
    after = client.get(f"/api/plans/{PLAN}/", headers={"If-None-Match": etag})
    assert after.status_code == 200 and after["ETag"] != etag
    observation = next(o for i in after.json()["indicators"] if i["code"] == "1b" for o in i["observations"]
                       if o["fy"] == 2017)  # fmt: skip
    assert observation["kind"] == "actual"
    cache.clear()  # the public pages' one-second cache
    page = client.get(f"/api/plans/{PLAN}/?page=1", headers={"If-None-Match": page_etag})
    assert page.status_code == 200 and page["ETag"] != page_etag


@pytest.mark.parametrize(
    "typed",
    ["70.9%", "７０．９", "1,000", "7_0", "7e1", "70.", ".5", "0x10", "70\u200b", "١٢", "七十", "70.9人"],
)
def test_a_value_typed_as_text_is_read_as_the_web_form_reads_it(api, as_, typed):
    """The API read a text value with Python's Decimal: '7_0', '7e1', '.5' were saved, '70.9%' and
    '1,000' refused, each the other way round from the web form and in other words. One reader now,
    the form's (a number as people write it, or followed by the indicator's unit), and its message."""
    from .test_workflow import save

    form = save(as_("editor"), "1b", 2017, value=typed, reason="確認済み")
    by_form = Entry.objects.filter(indicator__code="1b", fy=2017).first()
    form_value = None if by_form is None else by_form.value.normalize()
    form_error = re.search(r'id="id_value_error"[^>]*>\s*(?:<[^>]+>\s*)*([^<]+?)\s*<', form.content.decode())
    Entry.objects.all().delete()
    response = api("editor", body={"kind": "actual", "value": typed, "revision": 0, "reason": "確認済み"})
    if form_value is None:
        assert form_error, form.content.decode()
        assert response.status_code == 400 and response.json()["errors"] == {"value": [form_error.group(1)]}
        assert not Entry.objects.exists()
    else:
        assert response.status_code == 200, response.content
        assert Entry.objects.get(indicator__code="1b", fy=2017).value.normalize() == form_value
