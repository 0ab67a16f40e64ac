"""The structure editor, for the plan's owner: the plan's levels, revisions and rating scales; its nodes
at any depth (add under any node, edit, move, renumber, delete); its indicators (every field, the nodes
they hang on, targets, baselines, ratings, comments).

A page is a main form and its lists (formsets), saved together through ``services.structure``: one
transaction, the plan checked whole, one group of rows in the trail. What the plan's rules refuse is
shown at its field.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from machiplan.domain.errors import MachiplanError
from machiplan.domain.quantities import format_number
from machiplan.plans.models import Indicator, Node
from machiplan.plans.selectors import stored_decimal
from machiplan.plans.services.structure import StructureError

from ..errors import NotFound
from ..services import structure
from ..structure_forms import (
    BaselineForm,
    CommentForm,
    CostForm,
    IndicatorForm,
    InitiativeForm,
    LevelForm,
    NarrativeForm,
    NodeForm,
    NodeLinkForm,
    PlanForm,
    RatingForm,
    RatingScaleForm,
    RevisionForm,
    TargetForm,
    formset,
    rows,
)
from ..text import TEXT
from .common import act, page, staff_page


def _plan(request: HttpRequest, code: str):
    _, plan, found = structure.require_structure(request.user, code)
    return plan, found


def _nodes(plan) -> list[tuple[str, str, int]]:
    """The plan's nodes in order, as (code, label, depth) for choosing one."""
    return [
        (code, f"{number or code} {name}"[:80], depth)
        for code, number, name, depth in Node.objects.filter(plan=plan)
        .order_by("order")
        .values_list("code", "number", "name", "depth")
    ]


def _base(plan) -> str:
    return f"/staff/plans/{plan.code}/structure/"


@staff_page
def structure_home(request: HttpRequest, code: str) -> HttpResponse:
    """The plan's tree: every node with the indicators hung on it, and the indicators on none."""
    plan, found = _plan(request, code)
    nodes = list(
        Node.objects.filter(plan=plan).order_by("order").prefetch_related("indicator_links__indicator")
    )
    children = {n.parent_id for n in nodes}
    levels = [
        lv.get("name_en") or lv["name"] if request.staff_lang == "en" else lv["name"] for lv in plan.levels
    ]
    tree = [
        (n, [link.indicator for link in n.indicator_links.all()], n.pk in children,
         levels[n.depth] if n.depth < len(levels) else "")
        for n in nodes
    ]  # fmt: skip
    unattached = Indicator.objects.filter(plan=plan, node_links__isnull=True).order_by("order")
    return page(request, "staff/structure.html", plan=plan, reach=found, tree=tree, unattached=unattached)


# --- saving a page -------------------------------------------------------------------------------


def _edit(request, plan, found, *, title: str, main, sections: list, save, back: str, delete: str = ""):
    """Show ``main`` and its ``sections`` [(legend, formset)]; on a valid POST call ``save()`` and go back.
    A refusal of the plan's rules is shown at the field it names (``_refused``)."""
    lang = request.staff_lang
    if request.method == "POST" and main.is_valid() and all(fs.is_valid() for _, fs in sections):
        try:
            save()
        except StructureError as exc:
            _refused(main, sections, exc, field=exc.field)
        except MachiplanError as exc:  # the plan as changed breaks a rule: nothing was saved
            _refused(main, sections, exc)
        else:
            messages.success(request, TEXT[lang]["structure_saved"])
            return redirect(back)
    return page(request, "staff/structure_edit.html", plan=plan, reach=found, main=main, sections=sections,
                heading=title, back=_base(plan), delete=delete, status=400 if request.method == "POST" else 200)  # fmt: skip


# check_plan names where a rule broke: 'nodes[Ⅰ-1].name', 'indicators[1b].unit', 'levels[0]', 'revisions[1].fy'
_WHERE = re.compile(
    r"^(?:nodes|indicators)\[[^\]]*\]\.(?P<field>\w+)|^(?P<list>levels|revisions|rating_scales)\["
)
# else the words of its message say which field or list it is about
_BY_WORD = (("series", "series"), ("department", "department"), ("added_in", "added_in"),
            ("dropped_in", "dropped_in"), ("revision", "revisions"), ("rating", "ratings"), ("target", "targets"),
            ("baseline", "baselines"), ("node", "nodes"))  # fmt: skip


def _refused(main, sections, exc: MachiplanError, *, field: str | None = None) -> None:
    """Put the refusal at its field: the one named, the one its place names, or the list it is about
    (and at the top of the page, with the other errors)."""
    message = exc.message
    match = _WHERE.match(exc.where or "")
    if field is None and match:
        field = match.group("field") or match.group("list")
    lists = {fs.prefix: fs for _, fs in sections}
    if field is None:
        field = next(
            (f for word, f in _BY_WORD if word in message.lower() and (f in main.fields or f in lists)), None
        )
    if field in main.fields:
        main.add_error(field, message)
        return
    if field in lists:
        fs = lists[field]
        fs._non_form_errors = fs.error_class([*fs.non_form_errors(), message], renderer=fs.renderer)
    main.add_error(None, message)


def _formsets(request, lang: str, specs: list[tuple[str, type, list, dict]]) -> list:
    """[(legend, formset)] for (prefix, form, initial, form_kwargs) each, bound on POST."""
    data = request.POST if request.method == "POST" else None
    t = TEXT[lang]
    return [
        (t.get(prefix, prefix), formset(form)(data, initial=initial, prefix=prefix, form_kwargs={"lang": lang, **kwargs}))
        for prefix, form, initial, kwargs in specs
    ]  # fmt: skip


# --- the plan: its department, levels, revisions, rating scales ---------------------------------


@staff_page
def plan_edit(request: HttpRequest, code: str) -> HttpResponse:
    plan, found = _plan(request, code)
    lang = request.staff_lang
    main = PlanForm(request.POST if request.method == "POST" else None, plan=plan, lang=lang, prefix="plan",
                    initial={"department": plan.department.code if plan.department_id else ""})  # fmt: skip
    sections = _formsets(request, lang, [
        ("levels", LevelForm, [{"name": lv["name"], "name_en": lv.get("name_en") or ""} for lv in plan.levels], {}),
        ("revisions", RevisionForm, [
            {"code": r.code, "fy": r.fy, "title": r.title, "date": r.date, "reason": r.reason, "changes": r.changes}
            for r in plan.revisions.order_by("order")], {}),
        ("rating_scales", RatingScaleForm, [RatingScaleForm.initial_of(s) for s in plan.rating_scales], {}),
    ])  # fmt: skip

    def save():
        levels, revisions, scales = (rows(fs) for _, fs in sections)
        structure.plan_save(
            user=request.user, plan_code=code, levels=levels, revisions=revisions, rating_scales=scales,
            department=main.value()["department"],
        )  # fmt: skip

    return _edit(request, plan, found, title=TEXT[lang]["plan_settings"], main=main, sections=sections, save=save,
                 back=_base(plan))  # fmt: skip


# --- nodes ---------------------------------------------------------------------------------------


def _node(plan, code: str) -> Node:
    node = Node.objects.filter(plan=plan, code=code).select_related("parent", "department").first()
    if node is None:
        raise NotFound(f"no node {code!r} in plan {plan.code!r}")
    return node


@staff_page
def node_edit(request: HttpRequest, code: str, node: str | None = None) -> HttpResponse:
    """Add a node (under ``?parent=``, or at the top) or edit one: fields, place, lists."""
    plan, found = _plan(request, code)
    lang = request.staff_lang
    row = _node(plan, node) if node is not None else None
    nodes = _nodes(plan)
    data = request.POST if request.method == "POST" else None
    if row is None:
        parent = request.GET.get("parent") or ""
        if parent and parent not in {c for c, _, _ in nodes}:
            raise NotFound(f"no node {parent!r} in plan {plan.code!r}")
        initial = {"parent": parent}
    else:
        initial = {
            "code": row.code, "number": row.number, "name": row.name, "name_en": row.name_en,
            "statement": row.statement, "priority": row.priority,
            "department": row.department.code if row.department_id else "",
            "related_departments": row.related_departments, "related_plans": row.related_plans,
            "footnotes": row.footnotes, "parent": row.parent.code if row.parent_id else "",
        }  # fmt: skip
    main = NodeForm(data, initial=initial, plan=plan, nodes=nodes, node=row.code if row else None, lang=lang,
                    prefix="node")  # fmt: skip
    scales = [s for s in plan.rating_scales if s.get("applies_to", "both") in ("both", "node")]
    sections = _formsets(request, lang, [
        ("initiatives", InitiativeForm, [{"text": i.text, "facts": i.facts} for i in row.initiatives.order_by("order")]
         if row else [], {}),
        ("narratives", NarrativeForm, [NarrativeForm.initial_of(x.kind, x.fy, x.items)
                                       for x in row.narratives.order_by("order")] if row else [], {}),
        ("costs", CostForm, [_fields(c, CostForm) for c in row.costs.order_by("order")] if row else [], {}),
        ("ratings", RatingForm, [_fields(r, RatingForm) for r in row.ratings.order_by("order")] if row else [],
         {"scales": scales}),
        ("comments", CommentForm, [_fields(c, CommentForm) for c in row.comments.order_by("order")] if row else [],
         {}),
    ])  # fmt: skip
    t = TEXT[lang]
    title = f"{row.number or row.code} {row.name}" if row else t["add_node"]

    def save():
        lists = {fs.prefix: rows(fs) for _, fs in sections}
        structure.node_save(user=request.user, plan_code=code, code=row.code if row else None, values=main.value(),
                            lists=lists, parent=main.parent_code(), position=main.sibling_position())  # fmt: skip

    delete = f"{_base(plan)}nodes/{row.code}/delete/" if row else ""
    return _edit(request, plan, found, title=title, main=main, sections=sections, save=save, back=_base(plan),
                 delete=delete)  # fmt: skip


@staff_page
def node_delete(request: HttpRequest, code: str, node: str) -> HttpResponse:
    plan, found = _plan(request, code)
    row = _node(plan, node)
    return _delete(request, plan, found, what=f"{row.number or row.code} {row.name}", count=0,
                   action=lambda: structure.node_delete(user=request.user, plan_code=code, code=node))  # fmt: skip


def _fields(obj, form: type) -> dict:
    return {name: getattr(obj, name) for name in form.base_fields if hasattr(obj, name)}


# --- indicators ----------------------------------------------------------------------------------


def _indicator(plan, code: str) -> Indicator:
    row = Indicator.objects.filter(plan=plan, code=code).select_related("department").first()
    if row is None:
        raise NotFound(f"no indicator {code!r} in plan {plan.code!r}")
    return row


@staff_page
def indicator_edit(request: HttpRequest, code: str, ind: str | None = None) -> HttpResponse:
    """Add an indicator (on ``?node=``, or on none) or edit one: every field, its nodes, its lists."""
    plan, found = _plan(request, code)
    lang = request.staff_lang
    row = _indicator(plan, ind) if ind is not None else None
    nodes = _nodes(plan)
    data = request.POST if request.method == "POST" else None
    revisions = list(plan.revisions.order_by("order").values_list("code", flat=True))
    if row is None:
        home = request.GET.get("node") or ""
        if home and home not in {c for c, _, _ in nodes}:
            raise NotFound(f"no node {home!r} in plan {plan.code!r}")
        initial = {"direction": "increase", "measure": "level", "value_type": "number"}
        links = [{"node": home}] if home else []
    else:
        initial = {name: getattr(row, name) for name in IndicatorForm.base_fields if hasattr(row, name)}
        initial["department"] = row.department.code if row.department_id else ""
        for name in ("type", "per", "added_in", "dropped_in"):
            initial[name] = initial[name] or ""
        links = [{"node": c} for c in row.node_links.order_by("order").values_list("node__code", flat=True)]
    main = IndicatorForm(data, initial=initial, plan=plan, revisions=revisions, lang=lang, prefix="indicator")
    unit = row.unit if row else None
    if data is not None and main.is_valid():
        unit = main.cleaned_data["unit"] or None  # targets are checked in the unit being saved
    horizons = ["plan", *plan.higher_plans.order_by("order").values_list("horizon", flat=True)]
    figure_kwargs = {"unit": unit, "horizons": horizons, "revisions": revisions}
    scales = [s for s in plan.rating_scales if s.get("applies_to", "both") in ("both", "indicator")]
    sections = _formsets(request, lang, [
        ("nodes", NodeLinkForm, links, {"nodes": nodes}),
        ("targets", TargetForm, [_figure_initial(t, TargetForm) for t in row.targets.order_by("order")] if row else [],
         figure_kwargs),
        ("baselines", BaselineForm, [_figure_initial(b, BaselineForm) for b in row.baselines.order_by("order")]
         if row else [], figure_kwargs),
        ("ratings", RatingForm, [_fields(r, RatingForm) for r in row.ratings.order_by("order")] if row else [],
         {"scales": scales}),
        ("comments", CommentForm, [_fields(c, CommentForm) for c in row.comments.order_by("order")] if row else [],
         {}),
    ])  # fmt: skip
    title = f"{row.code} {row.name}" if row else TEXT[lang]["add_indicator"]

    def save():
        (_, links_fs), *others = sections
        lists = {fs.prefix: rows(fs) for _, fs in others}
        structure.indicator_save(user=request.user, plan_code=code, code=row.code if row else None,
                                 values=main.value(), nodes=rows(links_fs), lists=lists)  # fmt: skip

    delete = f"{_base(plan)}indicators/{row.code}/delete/" if row else ""
    return _edit(request, plan, found, title=title, main=main, sections=sections, save=save, back=_base(plan),
                 delete=delete)  # fmt: skip


def _figure_initial(obj, form) -> dict:
    """A stored target or baseline as its form shows it: a value as it was written (75, not 75.000000)."""
    values = {}
    for name in form(lang="ja").fields:
        if hasattr(obj, name):
            value = getattr(obj, name)
            values[name] = (
                format_number(stored_decimal(value)) if name == "value" and value is not None else value
            )
    return values


@staff_page
def indicator_delete(request: HttpRequest, code: str, ind: str) -> HttpResponse:
    """A confirmation page (GET), then the deletion (POST)."""
    plan, found = _plan(request, code)
    row = _indicator(plan, ind)
    return _delete(request, plan, found, what=f"{row.code} {row.name}", count=row.observations.count(),
                   action=lambda: structure.indicator_delete(user=request.user, plan_code=code, code=ind))  # fmt: skip


def _delete(request, plan, found, *, what: str, count: int, action) -> HttpResponse:
    t = TEXT[request.staff_lang]
    if request.method == "POST":
        act(request, action, lambda _: t["deleted"].format(what=what))
        return redirect("staff:structure", code=plan.code)
    message = t["delete_confirm"].format(what=what)
    figures = t["delete_figures"].format(count=count) if count else ""
    return page(
        request, "staff/delete.html", plan=plan, reach=found, what=what, message=message, figures=figures
    )
