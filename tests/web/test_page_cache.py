"""The public pages' fast path (web/fast.py): a page rendered less than a second ago is answered
by the WSGI application without Django; never a staff page, a token read, or another host's page.

These tests go through ``machiplan.wsgi.application``, the application ``machiplan serve`` runs
(Django's test client would skip the fast path)."""

import io
import sys
import time

import pytest
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from machiplan.cli.bootstrap import ensure_default_plan
from machiplan.web.fast import PUBLIC_SECONDS, RECENT, RecentPages
from machiplan.web.views import VERSION_SECONDS

pytestmark = pytest.mark.django_db
PAGE = "/plans/sapporo-machizukuri-2/indicators/1b/"


@pytest.fixture(autouse=True)
def plan():
    cache.clear()
    RECENT.clear()
    ensure_default_plan()


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes, django: bool, queries: int):
        self.status, self.code = status, int(status.split()[0])
        self.headers, self.body = dict(headers), body
        self.django, self.queries = django, queries  # whether Django's handler ran; its queries


@pytest.fixture
def get():
    """GET through the WSGI application, as a server calls it."""
    from machiplan.wsgi import application

    signals.request_started.disconnect(close_old_connections)  # the test's transaction stays open,
    signals.request_finished.disconnect(close_old_connections)  # as Django's test client keeps it
    started: list = []

    def count(**_):
        started.append(1)

    signals.request_started.connect(count)

    def call(path: str, *, method: str = "GET", scheme: str = "http", host: str = "testserver", **headers):
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SCRIPT_NAME": "",
            "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": host, "wsgi.url_scheme": scheme, "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
            **{"HTTP_" + name.upper(): value for name, value in headers.items()},
        }  # fmt: skip
        answered: list = []
        before = len(started)
        with CaptureQueriesContext(connection) as captured:
            result = application(
                environ, lambda status, headers, exc_info=None: answered.extend((status, headers))
            )
            body = b"".join(result)
            getattr(result, "close", lambda: None)()
        return Answer(answered[0], answered[1], body, len(started) > before, len(captured))

    yield call
    signals.request_started.disconnect(count)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_a_public_page_is_served_again_without_django(get):
    first = get(PAGE)
    again = get(PAGE)
    assert first.django and not again.django and again.queries == 0
    assert again.code == 200 and again.body == first.body
    for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
                 "Content-Type", "Content-Length"):  # fmt: skip
        assert again.headers[name] == first.headers[name], name
    assert "Set-Cookie" not in again.headers
    assert first.headers["X-Request-ID"] != again.headers["X-Request-ID"]  # each answer its own id
    assert get(PAGE, x_request_id="proxy-id-1234").headers["X-Request-ID"] == "proxy-id-1234"
    assert get(PAGE, x_request_id="bad id!").headers["X-Request-ID"] != "bad id!"
    english = get(PAGE + "?lang=en")
    assert english.django and '<html lang="en">' in english.body.decode()  # the query is part of the key


def test_another_scheme_or_host_is_answered_by_django(get, settings):
    get(PAGE)
    assert get(PAGE, scheme="https").django  # an http page is not reused over https
    settings.ALLOWED_HOSTS = ["testserver"]
    refused = get(PAGE, host="evil.example")
    assert refused.django and refused.code == 400  # never another host's kept page
    assert not get(PAGE).django


def test_it_keeps_a_page_one_second(get):
    get(PAGE)
    assert not get(PAGE).django
    time.sleep(PUBLIC_SECONDS + 0.05)
    assert get(PAGE).django


def test_only_a_get_is_answered_from_it(get):
    get(PAGE)
    assert get(PAGE, method="HEAD").django
    assert get(PAGE, method="POST").django


def test_a_kept_api_page_answers_if_none_match_with_304(get):
    url = "/api/plans/sapporo-machizukuri-2/?page=1"
    first = get(url)
    assert first.code == 200 and first.headers["ETag"]
    again = get(url, if_none_match=first.headers["ETag"])
    assert not again.django and again.code == 304 and again.body == b""
    assert "Content-Type" not in again.headers and again.headers["ETag"] == first.headers["ETag"]
    assert not get(url, if_none_match='"other"').django


def test_the_whole_plan_document_keeps_only_its_etag(get):
    url = "/api/plans/sapporo-machizukuri-2/"
    first = get(url, accept_encoding="gzip")
    assert first.code == 200 and first.headers["Content-Encoding"] == "gzip" and first.django
    etag = first.headers["ETag"]
    again = get(url, accept_encoding="gzip", if_none_match=etag)
    assert not again.django and again.code == 304 and again.body == b""
    assert {k: again.headers[k] for k in ("ETag", "Cache-Control", "Vary")} == {
        k: first.headers[k] for k in ("ETag", "Cache-Control", "Vary")
    }
    assert "Content-Encoding" not in again.headers and "Content-Type" not in again.headers
    plain = get(url)  # the body is not kept (sent from its file): Django answers, uncompressed
    assert plain.django and plain.code == 200 and "Content-Encoding" not in plain.headers
    assert b'"indicators"' in plain.body
    again = get(url, accept_encoding="gzip")  # a small plain body is not kept for a client of gzip
    assert again.django and again.headers["Content-Encoding"] == "gzip"


def test_a_304_from_django_is_kept_too(get):
    url = "/api/plans/sapporo-machizukuri-2/"
    etag = get(url, accept_encoding="gzip").headers["ETag"]
    RECENT.clear()
    first = get(url, if_none_match=etag)
    assert first.django and first.code == 304
    again = get(url, if_none_match=etag)
    assert not again.django and again.code == 304 and again.headers["ETag"] == etag


def test_staff_pages_and_token_reads_are_never_kept(get, client):
    from machiplan.staff.services.people import token_create, user_add

    user = user_add(username="v", role="viewer", password="a-long-test-password-9")
    client.force_login(user)
    session = f"sessionid={client.cookies['sessionid'].value}"
    for _ in range(2):
        answer = get("/staff/plans/sapporo-machizukuri-2/", cookie=session)
        assert answer.code == 200 and answer.django and answer.queries > 0
    key = token_create(username="v")
    url = "/api/plans/sapporo-machizukuri-2/indicators/1b/observations/2017/"
    for _ in range(2):
        answer = get(url, authorization=f"Token {key}")
        assert answer.code == 200 and answer.django
    assert len(RECENT) == 0


def test_recent_pages_forget_old_pages_and_stay_bounded():
    pages = RecentPages(seconds=0.05, most=3)
    pages.put("a", "200 OK", [], b"a")
    assert pages.get("a") == ("200 OK", [], b"a") and pages.get("b") is None
    time.sleep(0.06)
    assert pages.get("a") is None
    for key in "bcdef":
        pages.put(key, "200 OK", [], key.encode())
    assert len(pages) <= 3 and pages.get("f") == ("200 OK", [], b"f")


def test_an_approved_figure_is_public_within_two_seconds(get):
    from decimal import Decimal

    from machiplan.staff.services import entries
    from machiplan.staff.services.people import user_add

    assert "70.9%" not in get(PAGE).body.decode()
    editor = user_add(
        username="e", role="editor", password="a-long-test-password-9", department="chiiki-katsudo"
    )
    owner = user_add(username="o", role="owner", password="a-long-test-password-9")
    where = {"plan_code": "sapporo-machizukuri-2", "indicator_code": "1b", "fy": 2017}
    entries.entry_save(user=editor, figure=entries.Figure("actual", Decimal("70.9")), revision=0, **where)
    entries.entry_submit(user=editor, revision=1, **where)
    entries.entry_approve(user=owner, revision=2, **where)
    time.sleep(PUBLIC_SECONDS + VERSION_SECONDS + 0.1)  # the most a reader can lag behind
    assert "70.9%" in get(PAGE).body.decode()
