"""The plan's evaluation method, for the plan's owner: choose a method, set its parameters (fields made
from the method's definition, tables as rows), the city's own description and per-indicator
overrides; preview which statuses would change; then save.

Every check is the package load's (``plans.services.method``): a refusal is one line naming the field
in words and in the package's terms (``method.params.roughly_ratio``), shown at the field, with a 400.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from machiplan.domain import methods
from machiplan.domain import plan as domain
from machiplan.domain.errors import MachiplanError
from machiplan.domain.method_text import method_lines, method_title, param_label
from machiplan.plans.selectors import plan_method
from machiplan.reports.charts import TONES

from ..errors import NotFound
from ..method_forms import (
    ROW_FORMS,
    SHARED,
    MethodForm,
    OverrideForm,
    horizon_choices,
    in_force,
    param_specs,
    row_initial,
    table,
)
from ..services import structure
from ..structure_forms import formset, rows
from ..text import TEXT
from .common import page, staff_page

# where a method's check names its place: method.params.bands[1], method.overrides[0].params.rate
_WHERE = re.compile(
    r"^method\.(?:params(?:\.(?P<param>\w+)(?:\[(?P<row>\d+)\])?)?"
    r"|overrides\[(?P<override>\d+)\](?:\.(?P<part>\w+))?(?:\.(?P<oparam>\w+))?|name|description)"
)


def _status(s: methods.StatusDef | None, lang: str) -> dict | None:
    if s is None:
        return None
    label = s.label(lang)
    if len(s.code) <= 2 and s.code != label:  # a city's grade: its letter or mark, then its words (A 達成)
        label = f"{s.code} {label}"
    return {"code": s.code, "label": label, "tone": s.tone, "icon": TONES[s.tone].icon}


def _words(where: str, lang: str) -> tuple[str, str | None, int | None, int | None]:
    """The place a check names, in words; and the form field, table row or override it is about."""
    ja = lang != "en"
    match = _WHERE.match(where or "")
    if not match:
        return "", None, None, None
    if match.group("override") is not None:
        n = int(match.group("override"))
        words = f"指標ごとの方法 {n + 1}" if ja else f"Method for some indicators, {n + 1}"
        if match.group("oparam"):
            words += (
                f"：{param_label(match.group('oparam'), lang)}"
                if ja
                else f": {param_label(match.group('oparam'), lang)}"
            )
        return words, match.group("part") or "indicators", None, n
    param = match.group("param")
    if param is None:
        return ("評価の方法の設定" if ja else "The method's settings"), None, None, None
    row = match.group("row")
    words = param_label(param, lang)
    if row is not None:
        words += f" {int(row) + 1}行目" if ja else f", row {int(row) + 1}"
    return words, param, int(row) if row is not None else None, None


@staff_page
def method_edit(request: HttpRequest, code: str) -> HttpResponse:
    _, plan, found = structure.require_structure(request.user, code)
    lang = request.staff_lang
    t = TEXT[lang]
    current = plan_method(plan)
    posted = request.method == "POST"
    chosen = (request.POST.get("method-name") if posted else request.GET.get("method")) or current.name
    if chosen not in methods.METHODS:
        raise NotFound(f"no evaluation method {chosen!r} (known: {', '.join(methods.METHODS)})")
    if chosen == current.name:
        values, description, overrides = in_force(current), current.description, current.overrides
    else:  # another method: its defaults, with the shared settings kept
        shared = {k: v for k, v in current.params.items() if k in SHARED}
        values = in_force(domain.Method(name=chosen, params=shared))
        description, overrides = current.description, current.overrides
    data = request.POST if posted else None
    main = MethodForm(data, method=chosen, horizons=horizon_choices(plan, lang), lang=lang, prefix="method",
                      initial=MethodForm.initial_of(chosen, values, description))  # fmt: skip
    own, _ = param_specs(chosen)
    tables = [
        (spec, formset(ROW_FORMS[spec.name])(
            data, prefix=spec.name, form_kwargs={"lang": lang},
            initial=[row_initial(spec.name, dict(r)) for r in values.get(spec.name, ())]))
        for spec in own if spec.kind == "list"
    ]  # fmt: skip
    override_fs = formset(OverrideForm)(
        data,
        prefix="overrides",
        form_kwargs={"lang": lang},
        initial=[OverrideForm.initial_of(o) for o in overrides],
    )
    context = {"plan": plan, "reach": found, "main": main, "tables": [(param_label(s.name, lang), fs) for s, fs in tables],
               "overrides": override_fs, "chosen": chosen, "choices": [(n, method_title(n, lang)) for n in methods.METHODS],
               "current_title": method_title(current.name, lang), "chosen_title": method_title(chosen, lang),
               "back": f"/staff/plans/{plan.code}/structure/"}  # fmt: skip
    if not posted:
        return page(request, "staff/method.html", **context)
    if not (main.is_valid() and override_fs.is_valid() and all(fs.is_valid() for _, fs in tables)):
        return page(request, "staff/method.html", status=400, **context)
    params = main.params()
    for spec, fs in tables:
        value = table(fs)
        if value != [dict(r) for r in spec.default]:
            params[spec.name] = value
    method = domain.Method(name=chosen, params=params, description=main.cleaned_data["description"],
                           overrides=tuple(rows(override_fs)))  # fmt: skip
    try:
        if request.POST.get("action") == "save":
            changes = structure.method_save(user=request.user, plan_code=code, method=method)
            messages.success(request, t["method_saved"] if changes else t["method_unchanged"])
            return redirect("staff:method", code=plan.code)
        preview = structure.method_preview(user=request.user, plan_code=code, method=method)
    except MachiplanError as exc:
        context["refusal"] = _refuse(exc, main, dict((s.name, fs) for s, fs in tables), override_fs, lang)
        return page(request, "staff/method.html", status=400, **context)
    comparison = preview.comparison
    context["preview"] = {
        "indicators": [(c.code, c.name, _status(c.before, lang), _status(c.after, lang)) for c in comparison.indicators],
        "nodes": [(c.code, c.name, _status(c.before, lang), _status(c.after, lang)) for c in comparison.nodes],
        "before": [(_status(s, lang), n) for s, n in comparison.counts_before],
        "after": [(_status(s, lang), n) for s, n in comparison.counts_after],
        "unchanged": comparison.unchanged,
        "fy": preview.after.evaluation_fy,
        "lines": method_lines(preview.after.params, lang),
    }  # fmt: skip
    return page(request, "staff/method.html", **context)


def _refuse(exc: MachiplanError, main, tables: dict, overrides, lang: str) -> str:
    """The refusal as one line naming the field (in words, then as the plan package names it), also put
    at that field, table or override."""
    words, field, row, override = _words(exc.where or "", lang)
    line = f"{words}（{exc.where}）: {exc.message}" if words else str(exc)
    if lang == "en" and words:
        line = f"{words} ({exc.where}): {exc.message}"
    if override is not None and override < len(overrides.forms):
        form = overrides.forms[override]
        form.add_error(field if field in form.fields else "params", exc.message)
    elif field in main.fields:
        main.add_error(field, exc.message)
    elif field in tables:
        fs = tables[field]
        if row is not None and row < len(fs.forms):
            fs.forms[row].add_error(None, exc.message)
        fs._non_form_errors = fs.error_class([*fs.non_form_errors(), exc.message], renderer=fs.renderer)
    return line
