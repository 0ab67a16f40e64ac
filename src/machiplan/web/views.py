"""Public pages: thin views over the selectors, the evaluation and the report model.

Only approved figures are public; every figure in machiplan is approved until
the staff workflow (issue #5) adds drafts. Pages are cached per plan version,
so a busy page costs a cache lookup and the cache empties itself when the plan
changes.
"""

from __future__ import annotations

import io

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from machiplan.domain.errors import MachiplanError
from machiplan.domain.evaluation import evaluate_one
from machiplan.interchange.plan_json import _indicator as indicator_json
from machiplan.plans.selectors import indicator_data, plan_data, plan_version
from machiplan.reports.model import build_report, indicator_view
from machiplan.reports.renderers.csv_files import OBSERVATION_HEADER, csv_text, observation_rows
from machiplan.reports.text import TEXT

from .middleware import mark_public

LANGS = ("ja", "en")


def _lang(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "ja")
    return lang if lang in LANGS else "ja"


VERSION_SECONDS = 1  # how long a page may lag behind a change of its plan


def _version(plan_code: str) -> str:
    """The plan's version, looked up at most once a second per process: a busy page skips the database."""
    key = f"version:{plan_code}"
    version = cache.get(key)
    if version is None:
        version = plan_version(plan_code)
        cache.set(key, version, timeout=VERSION_SECONDS)
    return version


def _cached(request: HttpRequest, plan_code: str, render) -> HttpResponse:
    try:
        version = _version(plan_code)
    except MachiplanError:
        raise Http404("no such plan") from None
    key = f"page:{request.path}:{_lang(request)}:{version}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, timeout=None)
    return mark_public(HttpResponse(html))


def _context(lang: str, **extra) -> dict:
    return {"t": TEXT[lang], "lang": lang, "other_lang": "en" if lang == "ja" else "ja", **extra}


def plan_page(request: HttpRequest, code: str) -> HttpResponse:
    lang = _lang(request)

    def render() -> str:
        report = build_report(plan_data(code), lang=lang, charts=False)
        return render_to_string(
            "web/plan.html", _context(lang, report=report, plan=report.plan), request=None
        )

    return _cached(request, code, render)


def goal_page(request: HttpRequest, code: str, number: int) -> HttpResponse:
    lang = _lang(request)

    def render() -> str:
        report = build_report(plan_data(code), lang=lang, charts=False)
        section = next((s for s in report.goals if s.goal.number == number), None)
        if section is None:
            raise Http404("no such goal")
        return render_to_string(
            "web/goal.html", _context(lang, report=report, plan=report.plan, section=section)
        )

    return _cached(request, code, render)


def _evaluated(code: str, indicator: str, lang: str, charts: bool):
    try:
        plan, ind = indicator_data(code, indicator)
    except MachiplanError:
        raise Http404("no such indicator") from None
    evaluation, fy = evaluate_one(plan, ind)
    return plan, ind, evaluation, fy, indicator_view(plan, ind, evaluation, fy, lang, charts)


def indicator_page(request: HttpRequest, code: str, indicator: str) -> HttpResponse:
    lang = _lang(request)

    def render() -> str:
        plan, ind, _, fy, view = _evaluated(code, indicator, lang, charts=True)
        goal = next((g for g in plan.goals if g.number == ind.goal), None)
        return render_to_string(
            "web/indicator.html",
            _context(lang, plan=plan, goal=goal, view=view, indicator=ind, evaluation_fy=fy),
        )

    return _cached(request, code, render)


def indicator_download(request: HttpRequest, code: str, indicator: str, fmt: str) -> HttpResponse:
    lang = _lang(request)
    plan, ind, evaluation, _, _ = _evaluated(code, indicator, lang, charts=False)
    filename = f"{plan.code}-{ind.code}.{fmt}"
    if fmt == "json":
        response = JsonResponse(
            indicator_json(ind, evaluation), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
    elif fmt == "csv":  # the rows of the report's observations.csv, for this indicator
        text = csv_text(OBSERVATION_HEADER, observation_rows(plan, [ind]))
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            _xlsx(plan, ind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404("no such format")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx(plan, ind) -> bytes:
    from openpyxl import Workbook

    from machiplan.interchange.spreadsheet_safety import xlsx_row
    from machiplan.reports.renderers.xlsx import number_format

    book = Workbook()
    sheet = book.active
    sheet.title = ind.code
    sheet.append(["年度", "種別", "値", "時点", "概数", "原文"])
    for o in ind.observations:
        row = [
            o.fy,
            o.kind,
            None if o.value is None else float(o.value),
            o.as_of,
            o.approximate,
            o.source_text,
        ]
        sheet.append(xlsx_row(sheet, row))  # a source text beginning '=' stays text
        sheet.cell(row=sheet.max_row, column=3).number_format = number_format(ind, o.approximate)
    sheet.append([])
    sheet.append(["目標区分", "目標年度", "目標値", "合計期間の開始年度", "原文"])
    for t in ind.targets:
        row = [t.horizon, t.fy, None if t.value is None else float(t.value), t.period_start_fy, t.source_text]
        sheet.append(xlsx_row(sheet, row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plans_index(request: HttpRequest) -> HttpResponse:
    from machiplan.plans.selectors import plan_list

    lang = _lang(request)
    return HttpResponse(render_to_string("web/index.html", _context(lang, plans=plan_list())))
