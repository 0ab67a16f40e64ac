"""Writing figures over the API with a token: the same services, checks, workflow and trail as the web form.

``Authorization: Token <key>`` (from ``machiplan token NAME``). No cookies are
read here, so these endpoints need no CSRF token.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from machiplan.domain import workflow
from machiplan.domain.errors import MachiplanError
from machiplan.domain.plan import OBSERVATION_KINDS
from machiplan.domain.quantities import parse_breakdown
from machiplan.staff import selectors
from machiplan.staff.errors import Conflict, NotAllowed, NotFound, Refused
from machiplan.staff.services import entries
from machiplan.staff.services.audit import snapshot
from machiplan.staff.services.people import staff_of, token_user

MAX_BODY = 64 * 1024


class BadRequest(MachiplanError):
    pass


def _user(request: HttpRequest):
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    user = token_user(key.strip()) if scheme.lower() in ("token", "bearer") and key.strip() else None
    if user is None:
        raise PermissionError
    return user


def _body(request: HttpRequest) -> dict:
    if len(request.body) > MAX_BODY:
        raise BadRequest("the request body is too large")
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    return data


def _figure(data: dict) -> entries.Figure:
    kind = data.get("kind", "actual")
    if kind not in OBSERVATION_KINDS:
        raise BadRequest(f"kind must be one of {', '.join(OBSERVATION_KINDS)}", where="kind")
    try:
        value = None if data.get("value") in (None, "") else Decimal(str(data["value"]))
    except InvalidOperation:
        raise BadRequest("value must be a number", where="value") from None
    try:
        as_of = dt.date.fromisoformat(data["as_of"]) if data.get("as_of") else None
    except (TypeError, ValueError):
        raise BadRequest("as_of must be a date (YYYY-MM-DD)", where="as_of") from None
    raw = data.get("breakdown") or ()
    try:
        breakdown = (
            parse_breakdown(raw) if isinstance(raw, str) else tuple((str(k), Decimal(str(v))) for k, v in raw)
        )
    except (MachiplanError, InvalidOperation, TypeError, ValueError):
        raise BadRequest(
            "breakdown must be [[label, number], …] or '認定9、仮認定5'", where="breakdown"
        ) from None
    return entries.Figure(
        kind=kind, value=value, as_of=as_of, approximate=bool(data.get("approximate")), breakdown=breakdown,
        note=str(data.get("note") or ""), data_source=str(data.get("source") or ""),
    )  # fmt: skip


def _revision(data: dict) -> int:
    revision = data.get("revision")
    if not isinstance(revision, int) or revision < 0:
        raise BadRequest(
            "revision (an integer: 0 for a first entry, else the one you read) is required", where="revision"
        )
    return revision


def _state(row, fy: int, lang: str, warnings=()) -> dict:
    year = selectors.year_of(row, fy)
    return {
        "plan": row.plan.code, "indicator": row.code, "fy": fy,
        "status": year.entry.status if year.entry else ("approved" if year.approved else None),
        "revision": year.revision,
        "figure": snapshot(year.entry) if year.entry else None,
        "approved": snapshot(year.approved) if year.approved else None,
        "comment": year.entry.comment if year.entry else "",
        "warnings": [w.message(lang) for w in warnings],
    }  # fmt: skip


def _error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status, json_dumps_params={"ensure_ascii": False})


STEPS = {
    workflow.SUBMIT: entries.entry_submit,
    workflow.APPROVE: entries.entry_approve,
    workflow.RETURN: entries.entry_return,
}


@csrf_exempt
def observation(
    request: HttpRequest, code: str, indicator: str, fy: int, action: str = workflow.SAVE
) -> JsonResponse:
    """GET: the figure as staff see it. POST: save it (as a draft; ``"submit": true`` submits it too),
    or, on …/submit/, …/approve/, …/return/, take that workflow step."""
    lang = request.GET.get("lang", "ja") if request.GET.get("lang") in ("ja", "en") else "ja"
    try:
        user = _user(request)
    except PermissionError:
        response = _error(401, "a valid API token is required (Authorization: Token …)")
        response["WWW-Authenticate"] = "Token"
        return response
    try:
        row = selectors.visible_indicator(staff_of(user), code, indicator)
        if request.method == "GET" and action == workflow.SAVE:
            return JsonResponse(_state(row, fy, lang), json_dumps_params={"ensure_ascii": False})
        if request.method != "POST":
            return _error(405, "use GET or POST")
        data = _body(request)
        where = {"user": user, "plan_code": code, "indicator_code": indicator, "fy": fy, "via": "api"}
        warnings = ()
        if action == workflow.SAVE:
            figure = _figure(data)
            warnings = entries.check_figure(row, fy, figure).warnings
            entries.entry_save(
                figure=figure, revision=_revision(data), reason=str(data.get("reason") or ""),
                submit=bool(data.get("submit")), **where,
            )  # fmt: skip
        else:
            extra = {"comment": str(data.get("comment") or "")} if action == workflow.RETURN else {}
            STEPS[action](revision=_revision(data), **extra, **where)
        return JsonResponse(_state(row, fy, lang, warnings), json_dumps_params={"ensure_ascii": False})
    except NotAllowed as exc:
        return _error(403, exc.message)
    except NotFound as exc:
        return _error(404, exc.message)
    except Conflict as exc:
        return _error(409, exc.message, current_revision=exc.current_revision)
    except Refused as exc:
        errors: dict[str, list[str]] = {}
        for p in exc.findings.errors:
            errors.setdefault(p.field, []).append(p.message(lang))
        return _error(400, "the figure was not saved", errors=errors, warnings=[p.message(lang) for p in exc.findings.warnings],
                      needs_reason=exc.needs_reason)  # fmt: skip
    except MachiplanError as exc:  # BadRequest, a workflow step the state does not allow
        return _error(400, exc.message, errors={exc.where: [exc.message]} if exc.where else {})
