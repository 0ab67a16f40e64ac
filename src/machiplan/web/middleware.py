"""Headers every response carries, and the short cache in front of the public pages."""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

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


PUBLIC_SECONDS = 1  # how long a public page is served as it was: a change shows within a second or two


def mark_public(response: HttpResponse) -> HttpResponse:
    """Views call this on responses that are the same for everyone (no login, no cookie)."""
    response.public = True
    return response


def etag_matches(request: HttpRequest, etag: str) -> bool:
    """If-None-Match names the ETag (weak comparison, as RFC 9110 asks for a GET), or is ``*``."""
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    if header.strip() == "*":
        return True
    ours = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == ours for tag in header.split(","))


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


def public_page_cache(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Serve a public page that was rendered less than a second ago without the rest of the stack.

    Under many readers a page is mostly the same bytes; skipping sessions, CSRF, auth,
    URL resolution and the view makes each request cheaper, and the tail shorter. Only
    responses a view marked public (``mark_public``) are kept: staff pages, API writes
    and anything with a cookie never are.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method != "GET":
            return get_response(request)
        key = "public:" + request.get_full_path()
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            etag = dict(headers).get("ETag")
            response = (
                HttpResponseNotModified() if etag and etag_matches(request, etag) else HttpResponse(content)
            )
            for name, value in headers:
                if not (response.status_code == 304 and name in ("Content-Type", "Content-Length")):
                    response[name] = value
            return response
        response = get_response(request)
        if getattr(response, "public", False) and response.status_code == 200 and not response.cookies:
            cache.set(key, (response.content, list(response.items())), PUBLIC_SECONDS)
        return response

    return middleware
