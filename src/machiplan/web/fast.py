"""The public pages' fast path: a page rendered less than a second ago, answered by the WSGI
application itself, before Django builds a request for it.

Under many readers a public page is mostly the same bytes again. Django's handler costs about
0.14 ms of CPU a request before any view runs (the request object, the signals, eleven
middlewares, the response's headers checked one by one); a page kept here costs a dictionary
look-up. What is kept, and for how long, is decided on the Django side (``keep_public_pages`` in
web/middleware.py): only what a view marked public (``mark_public``), answered 200 and setting no
cookie — never a staff page, a token read or an API write. The headers are kept as the client got
them (security headers included) but for the request id, which every answer gets anew.

A page is kept under the scheme, the host and the full path as the client sent them, so an
answer over http is never reused over https (nor a redirect skipped), a page is never served for a
host Django refused, and a path with a query is its own page. Of a public answer too large to keep,
or sent from its file (the API's whole plan document), or a 304, only the ETag is kept: a client
that already holds that version gets its 304 here; any other request goes on to Django.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from django.conf import settings

from .request_id import new_or_given

PUBLIC_SECONDS = 1  # how long a public page is served as it was: a change shows within a second or two
MOST_PAGES = 500  # pages kept per process (a page is tens of kilobytes)
MOST_BYTES = 1024 * 1024  # a larger body (the API's whole documents) is not kept: only its ETag, for 304s
KEEP = "machiplan.keep"  # the environ key by which the Django side hands over a page's body to keep
KEEP_ETAG = "machiplan.keep_etag"  # ... or a public answer's ETag only (a file sent as it is read, a 304)
VALIDATORS = ("ETag", "Cache-Control", "Vary")  # what a 304 repeats of the answer it stands for

StartResponse = Callable[..., object]
WSGIApp = Callable[[dict, StartResponse], Iterable[bytes]]


def page_key(environ: dict) -> str:
    secure = settings.SECURE_PROXY_SSL_HEADER
    return "\n".join(
        (
            environ.get("wsgi.url_scheme", ""),
            environ.get(secure[0], "") if secure else "",
            environ.get("HTTP_HOST", ""),
            environ.get("HTTP_X_FORWARDED_HOST", ""),
            environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
        )
    )


def etag_matches(if_none_match: str, etag: str) -> bool:
    """If-None-Match names the ETag (weak comparison, as RFC 9110 asks for a GET), or is ``*``."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    ours = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == ours for tag in if_none_match.split(","))


class RecentPages:
    """Pages by key, each until its time is up; at most ``most`` of them. Safe across threads: each
    step is one dictionary operation, and a page is replaced whole."""

    def __init__(self, seconds: float = PUBLIC_SECONDS, most: int = MOST_PAGES) -> None:
        self.seconds, self.most = seconds, most
        self._pages: dict[str, tuple[float, str, list[tuple[str, str]], bytes | None]] = {}
        self._tidying = threading.Lock()

    def get(self, key: str) -> tuple[str, list[tuple[str, str]], bytes | None] | None:
        page = self._pages.get(key)
        if page is None or page[0] < time.monotonic():
            return None
        return page[1], page[2], page[3]

    def put(self, key: str, status: str, headers: list[tuple[str, str]], body: bytes | None) -> None:
        """``body`` None: only the validators are kept, to answer a matching If-None-Match."""
        if len(self._pages) >= self.most:
            with self._tidying:
                now = time.monotonic()
                for old in [k for k, page in list(self._pages.items()) if page[0] < now]:
                    self._pages.pop(old, None)
                if len(self._pages) >= self.most:
                    self._pages.clear()
        self._pages[key] = (time.monotonic() + self.seconds, status, headers, body)

    def clear(self) -> None:
        self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)


RECENT = RecentPages()


def _answer(environ: dict, start_response: StartResponse, page) -> list[bytes] | None:
    status, headers, body = page
    etag = next((value for name, value in headers if name == "ETag"), None)
    if etag and etag_matches(environ.get("HTTP_IF_NONE_MATCH", ""), etag):
        status, body = "304 Not Modified", b""
        headers = [(n, v) for n, v in headers if n in VALIDATORS]
    elif body is None:  # only the ETag is kept: the answer itself is Django's
        return None
    start_response(status, [*headers, ("X-Request-ID", new_or_given(environ.get("HTTP_X_REQUEST_ID", "")))])
    return [body]


def public_pages(app: WSGIApp, pages: RecentPages = RECENT) -> WSGIApp:
    """``app`` with the fast path in front of it."""

    def application(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET":
            return app(environ, start_response)
        key = page_key(environ)
        page = pages.get(key)
        if page is not None and (answer := _answer(environ, start_response, page)) is not None:
            return answer
        answered: list = []

        def keep_status(status: str, headers: list[tuple[str, str]], exc_info=None):
            answered[:] = [status, headers]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        result = app(environ, keep_status)
        body, etag_only = environ.pop(KEEP, None), environ.pop(KEEP_ETAG, None)
        if (body is not None or etag_only) and answered and answered[0][:4] in ("200 ", "304 "):
            headers = [(n, v) for n, v in answered[1] if n not in ("X-Request-ID", "Set-Cookie")]
            if len(headers) == len(answered[1]) - 1:  # a request id and no cookie
                if body is None:  # its ETag only (keep_public_pages hands over no large, encoded or 304 body)
                    status, headers = "200 OK", [(n, v) for n, v in headers if n in VALIDATORS]
                else:
                    status = answered[0]
                pages.put(key, status, headers, body)
        return result

    return application
