"""The public API: read-only, approved figures only, the plan JSON contract."""

from __future__ import annotations

import json

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from machiplan import __version__
from machiplan.domain.errors import MachiplanError
from machiplan.domain.evaluation import evaluate_plan
from machiplan.interchange.plan_json import plan_json
from machiplan.plans.selectors import plan_data, plan_list, plan_version
from machiplan.web.middleware import mark_public

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


@csrf_exempt
@require_GET
def plan(request: HttpRequest, code: str) -> HttpResponse:
    try:
        version = plan_version(code)
    except MachiplanError:
        return JsonResponse({"error": f"no plan with code {code!r}"}, status=404)
    key = f"api:plan:{code}:{version}"
    body = cache.get(key)
    if body is None:
        data = plan_data(code)
        body = json.dumps(plan_json(data, evaluate_plan(data)), ensure_ascii=False)
        cache.set(key, body, timeout=None)
    return mark_public(HttpResponse(body, content_type="application/json"))


@csrf_exempt
@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {**OPENAPI, "info": {**OPENAPI["info"], "version": __version__}},
        json_dumps_params={"ensure_ascii": False},
    )
