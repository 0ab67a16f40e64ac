"""A request id per request: in the X-Request-ID response header, in every log line, on the 500 page.

A reverse proxy's X-Request-ID is kept when it is a safe token (8 to 64 letters, digits, ``-``
or ``_``), so its log and ours name the same request; anything else is replaced by a new id.
"""

from __future__ import annotations

import contextvars
import logging
import re
import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

SAFE_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")
_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current() -> str:
    """The id of the request being handled in this thread, or ``-`` outside a request."""
    return _current.get()


def new_or_given(given: str) -> str:
    """The id of a request: the proxy's X-Request-ID when it is a safe token, else a new one."""
    return given if SAFE_TOKEN.fullmatch(given) else secrets.token_hex(8)


def request_id(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        request.request_id = new_or_given(request.headers.get("X-Request-ID", ""))
        token = _current.set(request.request_id)
        try:
            response = get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request.request_id
        return response

    return middleware


class RequestIdFilter(logging.Filter):
    """Gives every log record the request id (``%(request_id)s`` in the format)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current()
        return True
