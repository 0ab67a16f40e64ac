"""Writing figures over the API with a token: the same services, checks, workflow and trail as the web form.

``Authorization: Token <key>`` (from ``machiplan token NAME``). No cookies are
read here, so these endpoints need no CSRF token.

Every field is read as its type in the OpenAPI description (api/openapi.py) or
refused with a 400 naming it; the figure's rules are the web form's
(``entries.check_figure``). Input limits: a body of at most ``MAX_BODY`` bytes,
nested at most as deep as Python's JSON reader goes (deeper is a 400 too).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from machiplan.domain import workflow
from machiplan.domain.entry_checks import fy_problem, text_problem
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
    except RecursionError:
        raise BadRequest("the body is nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    return data


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRequest(f"{key} must be a text", where=key)
    return value


def _flag(data: dict, key: str) -> bool:
    value = data.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise BadRequest(f"{key} must be true or false", where=key)
    return value


def _number(value: object) -> Decimal:
    """A JSON number or a string of digits, exactly (the figure rules refuse what cannot be kept)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidOperation
    return Decimal(value.strip() if isinstance(value, str) else str(value))


def _figure(data: dict) -> entries.Figure:
    kind = data.get("kind", "actual")
    if not isinstance(kind, str) or kind not in OBSERVATION_KINDS:
        raise BadRequest(f"kind must be one of {', '.join(OBSERVATION_KINDS)}", where="kind")
    try:
        value = None if data.get("value") in (None, "") else _number(data["value"])
    except (InvalidOperation, ValueError):
        raise BadRequest("value must be a number", where="value") from None
    try:
        as_of = None if data.get("as_of") in (None, "") else dt.date.fromisoformat(data["as_of"])
    except (TypeError, ValueError):
        raise BadRequest("as_of must be a date (YYYY-MM-DD)", where="as_of") from None
    raw = data.get("breakdown")
    try:
        if raw is None or raw == "" or raw == []:
            breakdown = ()
        elif isinstance(raw, str):
            breakdown = parse_breakdown(raw)
        elif isinstance(raw, list) and all(
            isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in raw
        ):
            breakdown = tuple((label, _number(v)) for label, v in raw)
        else:
            raise TypeError
    except (MachiplanError, InvalidOperation, TypeError, ValueError):
        raise BadRequest(
            "breakdown must be [[label, number], …] or '認定9、仮認定5'", where="breakdown"
        ) from None
    return entries.Figure(
        kind=kind, value=value, as_of=as_of, approximate=_flag(data, "approximate"), breakdown=breakdown,
        note=_text(data, "note").strip(), data_source=_text(data, "source").strip(),  # as the form keeps them
    )  # fmt: skip


def _revision(data: dict) -> int:
    revision = data.get("revision")
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 0:
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


FIELDS = {"data_source": "source"}  # the staff form's field names that the API spells otherwise


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
    allowed = "GET, POST" if action == workflow.SAVE else "POST"
    if request.method not in allowed.split(", "):
        response = _error(405, f"use {' or '.join(allowed.split(', '))}")
        response["Allow"] = allowed
        return response
    try:
        user = _user(request)
    except PermissionError:
        response = _error(401, "a valid API token is required (Authorization: Token …)")
        response["WWW-Authenticate"] = "Token"
        return response
    if problem := fy_problem(fy):
        return _error(400, problem.message(lang), errors={"fy": [problem.message(lang)]})
    try:
        row = selectors.visible_indicator(staff_of(user), code, indicator)
        if request.method == "GET":
            return JsonResponse(_state(row, fy, lang), json_dumps_params={"ensure_ascii": False})
        data = _body(request)
        where = {"user": user, "plan_code": code, "indicator_code": indicator, "fy": fy, "via": "api"}
        warnings = ()
        if action == workflow.SAVE:
            figure = _figure(data)
            reason, submit, revision = _text(data, "reason"), _flag(data, "submit"), _revision(data)
            if problem := text_problem(reason, "reason"):
                raise BadRequest(problem.message(lang), where="reason")
            warnings = entries.check_figure(row, fy, figure).warnings
            entries.entry_save(figure=figure, revision=revision, reason=reason, submit=submit, **where)
        else:
            revision = _revision(data)
            extra = {}
            if action == workflow.RETURN:
                extra["comment"] = _text(data, "comment")
                if problem := text_problem(extra["comment"], "comment"):
                    raise BadRequest(problem.message(lang), where="comment")
            STEPS[action](revision=revision, **extra, **where)
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
            errors.setdefault(FIELDS.get(p.field, p.field), []).append(p.message(lang))
        return _error(400, "the figure was not saved", errors=errors, warnings=[p.message(lang) for p in exc.findings.warnings],
                      needs_reason=exc.needs_reason)  # fmt: skip
    except MachiplanError as exc:  # BadRequest, a workflow step the state does not allow
        return _error(400, exc.message, errors={exc.where: [exc.message]} if exc.where else {})
