"""Every response names its request; an unhandled error is logged with its traceback under that name."""

import logging
import re

import pytest
from django.core.cache import cache
from django.test import Client

from machiplan.cli.bootstrap import ensure_default_plan

pytestmark = pytest.mark.django_db
MADE_HERE = re.compile(r"[0-9a-f]{16}")
PAGE = "/plans/sapporo-machizukuri-2/"


@pytest.fixture(autouse=True)
def plan():
    cache.clear()
    ensure_default_plan()


def test_every_response_has_its_own_request_id(client):
    first, again = client.get(PAGE), client.get(PAGE)  # the second from the page cache
    assert MADE_HERE.fullmatch(first["X-Request-ID"]) and MADE_HERE.fullmatch(again["X-Request-ID"])
    assert first["X-Request-ID"] != again["X-Request-ID"]
    assert client.get("/nowhere/")["X-Request-ID"] and client.get("/staff/")["X-Request-ID"]


@pytest.mark.parametrize(
    ("given", "kept"),
    [("proxy-id-0001", True), ("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", True), ("short", False),
     ("x" * 65, False), ("id with spaces", False), ("<script>alert(1)</script>", False), ("id\r\nX-Evil: 1", False),
     ("ｉｄ－全角の番号です", False)],
)  # fmt: skip
def test_a_proxys_request_id_is_kept_only_when_it_is_a_safe_token(client, given, kept):
    answered = client.get("/plans/", headers={"X-Request-ID": given})["X-Request-ID"]
    assert answered == given if kept else MADE_HERE.fullmatch(answered)


def test_an_unhandled_error_is_logged_with_its_traceback_and_the_page_shows_the_id(monkeypatch, caplog):
    def broken(code):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("machiplan.web.views.plan_version", broken)
    django_log = logging.getLogger("django")  # it logs to stderr only, not to the root logger caplog hears
    django_log.addHandler(caplog.handler)
    try:
        response = Client(raise_request_exception=False).get(PAGE)
    finally:
        django_log.removeHandler(caplog.handler)
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    page = re.sub(r"<[^>]+>", "", response.content.decode())
    assert f"エラー番号: {request_id}" in page and f"Error ID: {request_id}" in page
    assert "the database went away" not in page
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.request_id == request_id and record.exc_info[1].args == ("the database went away",)
    assert record.getMessage() == f"Internal Server Error: {PAGE}"
