"""The short cache in front of the public pages: fast for readers, never for staff, never stale for long."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from machiplan.cli.bootstrap import ensure_default_plan
from machiplan.web.middleware import PUBLIC_SECONDS
from machiplan.web.views import VERSION_SECONDS

pytestmark = pytest.mark.django_db
PAGE = "/plans/sapporo-machizukuri-2/indicators/1b/"


@pytest.fixture(autouse=True)
def plan():
    cache.clear()
    ensure_default_plan()


def queries(client, path, **extra) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    return len(captured), response


def test_a_public_page_is_served_again_without_touching_the_database(client):
    first = client.get(PAGE)
    count, again = queries(client, PAGE)
    assert count == 0 and again.content == first.content
    assert (
        again["Content-Security-Policy"] == first["Content-Security-Policy"]
        and again["X-Frame-Options"] == "DENY"
    )
    assert again["Content-Type"] == "text/html; charset=utf-8" and "Set-Cookie" not in again
    english = client.get(PAGE + "?lang=en").content.decode()
    assert '<html lang="en">' in english  # the query string is part of the key


def test_staff_pages_and_token_reads_are_never_served_from_it(client):
    from machiplan.staff.services.people import token_create, user_add

    user = user_add(username="v", role="viewer", password="a-long-test-password-9")
    client.force_login(user)
    client.get("/staff/plans/sapporo-machizukuri-2/")
    count, _ = queries(client, "/staff/plans/sapporo-machizukuri-2/")
    assert count > 0
    key = token_create(username="v")
    url = "/api/plans/sapporo-machizukuri-2/indicators/1b/observations/2017/"
    client.get(url, headers={"Authorization": f"Token {key}"})
    count, _ = queries(client, url, headers={"Authorization": f"Token {key}"})
    assert count > 0
    assert not [k for k in cache._cache if "staff" in str(k) or "observations" in str(k)]


def test_an_approved_figure_is_public_within_two_seconds(client):
    from decimal import Decimal

    from machiplan.staff.services import entries
    from machiplan.staff.services.people import user_add

    assert "70.9%" not in client.get(PAGE).content.decode()
    editor = user_add(
        username="e", role="editor", password="a-long-test-password-9", department="chiiki-katsudo"
    )
    owner = user_add(username="o", role="owner", password="a-long-test-password-9")
    where = {"plan_code": "sapporo-machizukuri-2", "indicator_code": "1b", "fy": 2017}
    entries.entry_save(user=editor, figure=entries.Figure("actual", Decimal("70.9")), revision=0, **where)
    entries.entry_submit(user=editor, revision=1, **where)
    entries.entry_approve(user=owner, revision=2, **where)
    time.sleep(PUBLIC_SECONDS + VERSION_SECONDS + 0.1)  # the most a reader can lag behind
    assert "70.9%" in client.get(PAGE).content.decode()
