"""Public pages: thin views over the selectors, the evaluation and the page builders (pages.py).

Only approved figures are public: they are the only ones in ``plans.Observation``. Pages
are cached per plan version, so a busy page costs a cache lookup and the cache empties
itself when the plan changes.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace

from django.core.cache import cache
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.safestring import mark_safe

from machiplan.domain.errors import MachiplanError
from machiplan.domain.evaluation import evaluate_one, evaluate_plan, plan_scale
from machiplan.interchange.folders import write_file
from machiplan.interchange.plan_json import _indicator as indicator_json
from machiplan.plans import models
from machiplan.plans.selectors import indicator_data, plan_data, plan_header, plan_version
from machiplan.reports.charts import indicator_chart
from machiplan.reports.model import indicator_view
from machiplan.reports.text import TEXT

from . import pages
from .downloads import PLAN_FILES, indicator_csv, indicator_xlsx, plan_file
from .middleware import mark_public
from .text import HTML_LANG, LANGS, WEB_TEXT, data_lang

logger = logging.getLogger(__name__)


def _lang(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "ja")
    return lang if lang in LANGS else "ja"


def _updated(version: str) -> str:
    """The day the plan's data last changed, from its version stamp (an ISO date-time)."""
    return version[:10]


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
    """The page as rendered for this plan version: the key holds the path (so the plan's code and
    the node's), percent-encoded, so that any node code makes a plain ASCII key."""
    try:
        version = _version(plan_code)
    except MachiplanError:
        raise Http404("no such plan") from None
    key = f"page:{escape_uri_path(request.path)}:{_lang(request)}:{version}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, timeout=None)
    return mark_public(HttpResponse(html))


def _context(lang: str, **extra) -> dict:
    return {
        "t": TEXT[data_lang(lang)],
        "w": WEB_TEXT[lang],
        "lang": lang,
        "html_lang": HTML_LANG[lang],
        "languages": tuple((code, WEB_TEXT[lang][f"lang_{code}"], HTML_LANG[code]) for code in LANGS),
        "other_lang": "en" if lang != "en" else "ja",
        # on an English page, what the city wrote only in Japanese says so
        "ja": mark_safe(' lang="ja"') if lang == "en" else "",
        **extra,
    }


KEEP_SECONDS = 10  # how long a process keeps the last plan it read, for the next page of it
_kept: dict[str, tuple[str, float, object, object]] = {}  # plan code -> (version, when, plan, evaluation)
_reading = threading.Lock()


def _evaluated_plan(code: str):
    """The plan and its evaluation at its current version. A plan's pages (its node pages, one per
    node and language) are each rendered once per version; they share one read of the plan: the
    process keeps the last plan it read for a few seconds, and threads wanting it wait for that
    read rather than repeat it. One plan at a time: a large plan is not kept beside another."""
    version = _version(code)
    with _reading:
        kept = _kept.get(code)
        now = time.monotonic()
        if kept is not None and kept[0] == version and now - kept[1] < KEEP_SECONDS:
            return kept[2], kept[3]
        _kept.clear()
        plan = plan_data(code)
        evaluation = evaluate_plan(plan)
        _kept[code] = (version, now, plan, evaluation)
        return plan, evaluation


def plan_page(request: HttpRequest, code: str) -> HttpResponse:
    lang = _lang(request)

    def render() -> str:
        plan, evaluation = _evaluated_plan(code)
        page = pages.plan_page(plan, evaluation, lang, _updated(_version(code)))
        return render_to_string("web/plan.html", _context(lang, plan=plan, page=page))

    return _cached(request, code, render)


def _node_exists(code: str, node: str) -> bool:
    """Checked before the plan is read: an unknown node code costs one query, not the whole plan."""
    return models.Node.objects.filter(plan__code=code, code=node).exists()


def node_page(request: HttpRequest, code: str, node: str) -> HttpResponse:
    lang = _lang(request)

    def render() -> str:
        if not _node_exists(code, node):
            raise Http404("no such node")
        plan, evaluation = _evaluated_plan(code)
        page = pages.node_page(plan, evaluation, plan.node(node), lang, _updated(_version(code)))
        return render_to_string("web/node.html", _context(lang, plan=plan, page=page))

    return _cached(request, code, render)


def node_indicators_page(request: HttpRequest, code: str, node: str) -> HttpResponse:
    lang = _lang(request)

    def render() -> str:
        if not _node_exists(code, node):
            raise Http404("no such node")
        plan, evaluation = _evaluated_plan(code)
        page = pages.node_indicators_page(plan, evaluation, plan.node(node), lang)
        return render_to_string("web/node_indicators.html", _context(lang, plan=plan, page=page))

    return _cached(request, code, render)


def goal_page(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """The first public pages had /goals/<n>/: each now answers with the page of the top node of
    that code (format 1's goals became top nodes whose code is their number), for good."""
    top = models.Node.objects.filter(plan__code=code, parent__isnull=True)
    found = top.filter(code=str(number)).values_list("code", flat=True).first()
    if found is None:
        found = top.filter(number=str(number)).values_list("code", flat=True).first()
    if found is None:
        raise Http404("no such goal")
    url = reverse("web:node", args=[code, found])
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


_headers: dict[str, tuple[str, object]] = {}  # plan code -> (version, the plan's header)


def _plan_header(code: str):
    """The plan's header at its current version, read once per version per process: an indicator's
    page then reads only its indicator (about half the queries and the time of an uncached page)."""
    version = _version(code)
    kept = _headers.get(code)
    if kept is None or kept[0] != version:
        if len(_headers) > 32:  # a few plans' headers (nodes and departments: small) at most
            _headers.clear()
        kept = _headers[code] = (version, plan_header(code))
    return kept[1]


def _evaluated(code: str, indicator: str, lang: str, charts: bool):
    try:
        plan, ind = indicator_data(code, indicator, header=_plan_header(code))
    except MachiplanError:
        raise Http404("no such indicator") from None
    evaluation, fy = evaluate_one(plan, ind)
    scale = plan_scale(plan)
    view = indicator_view(plan, ind, evaluation, fy, data_lang(lang), charts=False, scale=scale)
    if charts:
        view = replace(view, chart=_chart(plan, ind, evaluation, fy, lang, scale))
    return plan, ind, evaluation, fy, view


def _chart(plan, ind, evaluation, fy: int, lang: str, scale):
    """The indicator's chart; should drawing it fail, the page goes without it (its figures are all in
    the page's tables) and the log says why, under the request's id."""
    try:
        return indicator_chart(plan, ind, evaluation, fy, data_lang(lang), scale=scale)
    except Exception:
        logger.exception(
            "the chart of %s/%s could not be drawn; the page shows without it", plan.code, ind.code
        )
        return None


def _department_names(ind) -> dict[str, str]:
    codes = [c for c in (ind.department, *ind.related_departments) if c]
    if not codes:
        return {}
    return dict(models.Department.objects.filter(code__in=codes).values_list("code", "name"))


def indicator_page(request: HttpRequest, code: str, indicator: str) -> HttpResponse:
    lang = _lang(request)

    def render() -> str:
        plan, ind, evaluation, fy, view = _evaluated(code, indicator, lang, charts=True)
        page = pages.indicator_page(
            plan, ind, evaluation, fy, view, _department_names(ind), lang, _updated(_version(code))
        )
        return render_to_string(
            "web/indicator.html", _context(lang, plan=plan, view=page["view"], indicator=ind, page=page)
        )

    return _cached(request, code, render)


def indicator_download(request: HttpRequest, code: str, indicator: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "json", "xlsx"):
        raise Http404("no such format")
    plan, ind, evaluation, _, _ = _evaluated(code, indicator, _lang(request), charts=False)
    filename = f"{plan.code}-{ind.code}.{fmt}"
    if fmt == "json":
        response = JsonResponse(
            indicator_json(ind, evaluation, plan), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
    elif fmt == "csv":  # the rows of the report's observations.csv for this indicator, with its series
        response = HttpResponse(indicator_csv(plan, ind), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            indicator_xlsx(ind),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def plans_index(request: HttpRequest) -> HttpResponse:
    from machiplan.plans.selectors import plan_list

    lang = _lang(request)
    return HttpResponse(render_to_string("web/index.html", _context(lang, plans=plan_list())))


def method_page(request: HttpRequest, code: str) -> HttpResponse:
    """評価の方法: the plan's method and parameters in words."""
    lang = _lang(request)

    def render() -> str:
        plan, evaluation = _evaluated_plan(code)
        page = pages.method_page(plan, evaluation, lang)
        return render_to_string("web/method.html", _context(lang, plan=plan, page=page))

    return _cached(request, code, render)


DOWNLOADS_KEPT = 3  # versions of a plan's downloads kept on disk (older ones are removed)
_making = threading.Lock()


def _download_path(code: str, version: str, name: str):
    from django.conf import settings

    stamp = "".join(ch if ch.isalnum() else "-" for ch in version)
    return settings.DATA_DIR / "downloads" / code / stamp / name


def plan_download(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """The whole plan's PDF, workbook or open-data ZIP, made from the approved figures the first time
    it is asked for at this plan version and kept in the data folder (downloads/<plan>/<version>/);
    a change of the plan makes them anew. Generated one at a time in a process: a second request
    waits for the first rather than making the same file again; another worker making it at the same
    time writes a whole file of its own (``write_file``)."""
    if name not in PLAN_FILES:
        raise Http404("no such download")
    try:
        version = plan_version(code)
    except MachiplanError:
        raise Http404("no such plan") from None
    path = _download_path(code, version, name)
    if not path.exists():
        with _making:
            if not path.exists():
                plan = plan_data(code)
                data = plan_file(plan, name, version)
                path.parent.mkdir(parents=True, exist_ok=True)
                write_file(path, data)  # (the lock holds within a process; a file of its own across them)
                _prune(path.parent.parent)
    response = HttpResponse(path.read_bytes(), content_type=PLAN_FILES[name][0])
    response["Content-Disposition"] = f'attachment; filename="{code}-{name}"'
    return response


def _prune(folder) -> None:
    """Keep the newest DOWNLOADS_KEPT versions' files of a plan."""
    import shutil

    versions = sorted(
        (p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in versions[DOWNLOADS_KEPT:]:
        shutil.rmtree(old, ignore_errors=True)
