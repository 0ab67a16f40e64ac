"""The public API: read-only, approved figures only, the plan JSON contract."""

from __future__ import annotations

from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    JsonResponse,
)
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from machiplan import __version__
from machiplan.domain.errors import MachiplanError
from machiplan.plans.selectors import plan_list
from machiplan.web.middleware import accepts_gzip, etag_matches, mark_public

from . import documents
from .documents import MAX_PAGE_SIZE, PAGE_SIZE
from .openapi import OPENAPI

# Read-only views that read no cookie: exempt from CSRF, so that any other method than
# GET is answered 405 with its Allow header (not a CSRF 403).


@csrf_exempt
@require_GET
def plans(request: HttpRequest) -> JsonResponse:
    items = [
        {
            "code": p.code,
            "title": p.title,
            "title_en": p.title_en or None,
            "municipality": {"name": p.municipality_name, "code": p.municipality_code},
            "start_fy": p.start_fy,
            "end_fy": p.end_fy,
            "url": request.build_absolute_uri(f"/api/plans/{p.code}/"),
        }
        for p in plan_list()
    ]
    return mark_public(JsonResponse({"plans": items}, json_dumps_params={"ensure_ascii": False}))


PLAIN_IN_MEMORY = 16 * 1024 * 1024  # a larger whole document is sent from its file as it is read
# Caches may keep the document but must ask again each time: an approved figure shows within a
# second or two (as on the public pages: web/fast.py), and the answer to the ETag they hold is a 304
# without a body.
CACHE_CONTROL = "public, no-cache"


@csrf_exempt
@require_GET
def plan(request: HttpRequest, code: str) -> HttpResponse:
    """The plan JSON contract: the whole document, or with ``?page=`` a page of its indicators."""
    try:
        return _plan(request, code)
    except FileNotFoundError:  # its files replaced by a newer version's as it was read: the newer one
        return _plan(request, code)


def _plan(request: HttpRequest, code: str) -> HttpResponse:
    try:
        built = documents.built(code)
    except MachiplanError:
        return JsonResponse({"error": f"no plan with code {code!r}"}, status=404)
    if "page" in request.GET or "page_size" in request.GET:
        return _page(request, code, built)
    if etag_matches(request, built.etag):
        return mark_public(_not_modified(built.etag))
    if accepts_gzip(request):
        compressed = open(built.compressed, "rb")  # noqa: SIM115 - FileResponse closes it
        response = FileResponse(compressed, content_type="application/json")
        response["Content-Encoding"] = "gzip"
        del response["Content-Disposition"]  # the file's own name is no concern of the reader
    else:
        response = _plain(built)
    response["ETag"] = built.etag
    response["Cache-Control"] = CACHE_CONTROL
    response["Vary"] = "Accept-Encoding"
    return mark_public(response)  # its ETag answers If-None-Match in front of Django for a second


def _plain(built: documents.Built) -> HttpResponse:
    if built.whole.stat().st_size <= PLAIN_IN_MEMORY:
        return HttpResponse(built.whole.read_bytes(), content_type="application/json")
    response = FileResponse(open(built.whole, "rb"), content_type="application/json")  # noqa: SIM115
    del response["Content-Disposition"]
    return response


def _not_modified(etag: str) -> HttpResponse:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    response["Vary"] = "Accept-Encoding"
    return response


def _whole_number(text: str, low: int, high: int | None = None) -> int | None:
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        return None
    number = int(text)
    return number if number >= low and (high is None or number <= high) else None


def _page(request: HttpRequest, code: str, built: documents.Built) -> HttpResponse:
    number = _whole_number(request.GET.get("page", "1"), 1)
    size = _whole_number(request.GET.get("page_size", str(PAGE_SIZE)), 1, MAX_PAGE_SIZE)
    if number is None or size is None:
        return JsonResponse(
            {"error": f"page is a whole number from 1, page_size from 1 to {MAX_PAGE_SIZE}"}, status=400
        )
    etag = f'{built.etag[:-1]}-{number}-{size}"'
    if etag_matches(request, etag):
        return mark_public(_not_modified(etag))
    head, lines, index = built.page(number, size)
    count = index["count"]
    pages = max(1, -(-count // size))
    if number > pages:
        return JsonResponse({"error": f"page {number} of {pages}", "pages": pages}, status=404)

    def url(n: int) -> str:
        query = f"?page={n}" + (f"&page_size={size}" if size != PAGE_SIZE else "")
        return request.build_absolute_uri(f"/api/plans/{code}/{query}")

    links = {
        "first": url(1),
        "last": url(pages),
        "previous": url(number - 1) if number > 1 else None,
        "next": url(number + 1) if number < pages else None,
    }
    about = {
        "number": number,
        "size": size,
        "count": count,
        "pages": pages,
        **links,
        "document": request.build_absolute_uri(f"/api/plans/{code}/"),
    }
    status_counts = index["status_counts"]
    body = b"".join(
        (
            head[:-1],
            b',"indicators":[',
            b",".join(lines),
            b"]",
            b',"status_counts":' + documents.dumps(status_counts) if status_counts is not None else b"",
            b',"page":',
            documents.dumps(about),
            b"}",
        )
    )
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    response["Link"] = ", ".join(
        f'<{href}>; rel="{rel.replace("previous", "prev")}"' for rel, href in links.items() if href
    )
    return mark_public(response)


@csrf_exempt
@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {**OPENAPI, "info": {**OPENAPI["info"], "version": __version__}},
        json_dumps_params={"ensure_ascii": False},
    )
