"""Writing figures over the API with a token: the same services, checks, workflow and trail as the web form.

``Authorization: Token <key>`` (from ``machiplan token NAME``). No cookies are
read here, so these endpoints need no CSRF token.

Every field is read as its type in domain/figures.py (which the OpenAPI
description, api/openapi.py, is made from) or refused with a 400 naming it; the
figure's rules are the web form's (``entries.check_figure``). A figure is named by
the path (indicator, year) and the query's ``series`` ('' = the indicator's own). Input limits: a body of at most ``MAX_BODY`` bytes,
nested at most as deep as Python's JSON reader goes (deeper is a 400 too).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from machiplan.domain import figures, workflow
from machiplan.domain.entry_checks import fy_problem
from machiplan.domain.errors import MachiplanError
from machiplan.domain.quantities import parse_breakdown, parse_number, parse_value, parse_whole_number
from machiplan.staff import policy, selectors
from machiplan.staff.errors import Conflict, NotAllowed, NotFound, Refused
from machiplan.staff.forms import FORM_TEXT
from machiplan.staff.services import entries
from machiplan.staff.services.audit import snapshot
from machiplan.staff.services.people import token_user

MAX_BODY = 64 * 1024
# The figure's fields the API spells otherwise than the staff form (api/openapi.py follows).
API_NAMES = {"data_source": "source"}
QUERY = ("series", "lang")  # the figure's series ('' = the indicator's own); the messages' language
LANGUAGES = ("ja", "en")
# What a missing choice means: a figure entered is an actual one, for a fiscal year.
DEFAULTS = {"kind": "actual", "period": figures.PERIOD.default()}


class BadRequest(MachiplanError):
    pass


def _user(request: HttpRequest):
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    user = token_user(key.strip()) if scheme.lower() in ("token", "bearer") and key.strip() else None
    if user is None:
        raise PermissionError
    return user


def _body(request: HttpRequest) -> dict:
    """The JSON object sent, read only if its declared size is within ``MAX_BODY``: a body beyond
    Django's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE) is refused in the same words, as JSON."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    try:
        if declared > MAX_BODY or len(request.body) > MAX_BODY:
            raise BadRequest("the request body is too large")
    except RequestDataTooBig:
        raise BadRequest("the request body is too large") from None
    try:
        data = json.loads(request.body or b"{}", object_pairs_hook=_once_each)
    except RecursionError:
        raise BadRequest("the body is nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    return data


def _once_each(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object naming each key once, as plan.yaml must: of ``{"value": 1, "value": 2}`` the
    reader would keep the last without a word, and the sender may have meant the first."""
    data = {}
    for key, value in pairs:
        if key in data:
            raise BadRequest(f"key {key!r} appears twice", where=key)
        data[key] = value
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


def _decimal(raw: object, name: str, unit: str | None) -> Decimal:
    """A JSON number exactly; a text as the web form reads it (staff/forms.py): a number as people
    write it ('2,684', '７０．９'), the value also followed by its indicator's unit ('70.9%')."""
    if isinstance(raw, str):
        text = raw.strip()
        return parse_value(text, unit) if name == "value" else parse_number(text)
    return _number(raw)


def _field(data: dict, spec: figures.Field, unit: str | None = None, lang: str = "ja"):
    """One figure field of the body, as its type in domain/figures.py, or a BadRequest naming it
    (a number's in the web form's words)."""
    name = spec.name
    raw = data.get(name)
    if spec.type == "choice":
        value = data.get(name, DEFAULTS.get(name))
        if not isinstance(value, str) or value not in spec.choices:
            raise BadRequest(f"{name} must be one of {', '.join(c for c in spec.choices if c)}", where=name)
        return value
    if spec.type == "decimal":
        try:
            return None if raw in (None, "") else _decimal(raw, name, unit)
        except (InvalidOperation, ValueError, MachiplanError):
            raise BadRequest(FORM_TEXT[lang]["not_a_number"], where=name) from None
    if spec.type == "int":
        if raw in (None, ""):
            return None
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        try:
            if isinstance(raw, str):
                return parse_whole_number(raw)
        except MachiplanError:
            pass
        raise BadRequest(f"{name} must be a whole number", where=name)
    if spec.type == "date":
        try:
            return None if raw in (None, "") else dt.date.fromisoformat(raw)
        except (TypeError, ValueError):
            raise BadRequest(f"{name} must be a date (YYYY-MM-DD)", where=name) from None
    if spec.type == "bool":
        return _flag(data, name)
    if spec.type == "breakdown":
        return _breakdown(raw)
    return _text(data, name).strip()  # text, as the form keeps it


def _breakdown(raw: object) -> tuple:
    try:
        if raw is None or raw == "" or raw == []:
            return ()
        if isinstance(raw, str):
            return parse_breakdown(raw)
        if isinstance(raw, list) and all(
            isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in raw
        ):
            return tuple((label, _number(v)) for label, v in raw)
        raise TypeError
    except (MachiplanError, InvalidOperation, TypeError, ValueError):
        raise BadRequest(
            "breakdown must be [[label, number], …] or '認定9、仮認定5'", where="breakdown"
        ) from None


def _figure(data: dict, unit: str | None, lang: str):
    values = {spec.name: _field(data, spec, unit, lang) for spec in entries.ENTERED}
    return entries.Figure(**values, data_source=_text(data, API_NAMES["data_source"]).strip())


def _revision(data: dict) -> int:
    revision = data.get("revision")
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 0:
        raise BadRequest(
            "revision (an integer: 0 for a first entry, else the one you read) is required", where="revision"
        )
    return revision


def _state(row, series: str, fy: int, lang: str, warnings=()) -> dict:
    year = selectors.year_of(row, fy, series)
    return {
        "plan": row.plan.code, "indicator": row.code, "series": series, "fy": fy,
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
    lang = request.GET.get("lang", "ja") if request.GET.get("lang") in LANGUAGES else "ja"
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
    for name in request.GET:
        if name not in QUERY or (name == "lang" and request.GET[name] not in LANGUAGES):
            message = f"{name}: not a query parameter of this URL (series, lang: ja or en)"
            return _error(400, message, errors={name: [message]})
    if problem := fy_problem(fy):
        return _error(400, problem.message(lang), errors={"fy": [problem.message(lang)]})
    series = request.GET.get("series", "")
    try:
        row, found = policy.indicator_for(policy.staff_of(user), code, indicator)
        policy.require(found.can_see_working(policy.department_of(row)),
                       f"{user.get_username()} may not see the figures being entered of indicator {row.code}")  # fmt: skip
        entries.require_series(row, series)
        if request.method == "GET":
            return JsonResponse(_state(row, series, fy, lang), json_dumps_params={"ensure_ascii": False})
        data = _body(request)
        where = {"user": user, "plan_code": code, "indicator_code": indicator, "series": series, "fy": fy,
                 "via": "api"}  # fmt: skip
        warnings = ()
        if action == workflow.SAVE:
            figure = _figure(data, row.unit, lang)
            reason, submit, revision = _text(data, "reason"), _flag(data, "submit"), _revision(data)
            warnings = entries.check_figure(row, fy, figure, series=series).warnings
            entries.entry_save(figure=figure, revision=revision, reason=reason, submit=submit, **where)
        else:
            revision = _revision(data)
            extra = {}
            if action == workflow.RETURN:
                extra["comment"] = _text(data, "comment")  # checked by the service, as the form's
            STEPS[action](revision=revision, **extra, **where)
        return JsonResponse(
            _state(row, series, fy, lang, warnings), json_dumps_params={"ensure_ascii": False}
        )
    except NotAllowed as exc:
        return _error(403, exc.message)
    except NotFound as exc:
        return _error(404, exc.message)
    except Conflict as exc:
        return _error(409, exc.message, current_revision=exc.current_revision)
    except Refused as exc:
        errors: dict[str, list[str]] = {}
        for p in exc.findings.errors:
            errors.setdefault(API_NAMES.get(p.field, p.field), []).append(p.message(lang))
        return _error(400, "the figure was not saved", errors=errors, warnings=[p.message(lang) for p in exc.findings.warnings],
                      needs_reason=exc.needs_reason)  # fmt: skip
    except MachiplanError as exc:  # BadRequest, a workflow step the state does not allow
        return _error(400, exc.message, errors={exc.where: [exc.message]} if exc.where else {})
