"""Headers every response carries, and the public pages handed to the fast path (web/fast.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import fast
from .fast import KEEP, KEEP_ETAG, MOST_BYTES

# Inline styles are ours (the report's CSS, the charts' SVG); no script runs on public pages.
CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"


def security_headers(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response

    return middleware


def mark_public(response: HttpResponse) -> HttpResponse:
    """Views call this on responses that are the same for everyone (no login, no cookie)."""
    response.public = True
    return response


def etag_matches(request: HttpRequest, etag: str) -> bool:
    """If-None-Match names the ETag (weak comparison, as RFC 9110 asks for a GET), or is ``*``."""
    return fast.etag_matches(request.headers.get("If-None-Match", ""), etag)


def accepts_gzip(request: HttpRequest) -> bool:
    """Accept-Encoding lists gzip (or ``*``) without q=0."""
    for item in request.headers.get("Accept-Encoding", "").split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            quality = params.strip().lower().removeprefix("q=")
            try:
                return not params.strip() or float(quality) > 0
            except ValueError:
                return False
    return False


def keep_public_pages(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Hand a public page to the fast path in front of Django (web/fast.py), which answers the same
    request again for a second without Django. Only responses a view marked public
    (``mark_public``), answered 200 without a cookie, are handed over: staff pages, API writes and
    anything with a cookie never are. Of a file sent as it is read, a body chosen by the client's
    Accept-Encoding (gzip or plain) or a 304 only the ETag is handed over."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.method == "GET" and getattr(response, "public", False) and not response.cookies:
            small = not response.streaming and (
                int(response.get("Content-Length") or len(response.content)) <= MOST_BYTES
            )
            # a body chosen by Accept-Encoding is not kept: the key does not hold the client's encodings
            encoded = "accept-encoding" in response.get("Vary", "").lower()
            if response.status_code == 200 and small and not encoded:
                request.META[KEEP] = response.content
            elif response.status_code in (200, 304) and response.has_header("ETag"):
                request.META[KEEP_ETAG] = response["ETag"]
        return response

    return middleware
