"""Plan owners edit the structure: goals, policies, initiatives, narratives, indicators and targets."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from machiplan.domain.errors import MachiplanError
from machiplan.plans.models import Goal, Indicator, Policy

from .. import selectors
from ..errors import NotFound
from ..services import structure
from ..services.structure import require_structure_role, structure_save
from ..structure_forms import (
    GoalForm,
    IndicatorForm,
    InitiativeFormSet,
    NarrativeFormSet,
    PolicyForm,
    PolicyFormSet,
    TargetFormSet,
    label,
)
from ..text import TEXT
from .common import act, page, staff_page


@staff_page
def structure_home(request: HttpRequest, code: str) -> HttpResponse:
    require_structure_role(request.user)
    plan = selectors.staff_plan(code)
    goals = Goal.objects.filter(plan=plan).prefetch_related("policies", "indicators").order_by("number")
    return page(request, "staff/structure.html", plan=plan, goals=goals)


def _edit(request, plan, *, title: str, main, formsets: list) -> HttpResponse:
    """A main form and its formsets on one page, saved together (services.structure.structure_save)."""
    lang = request.staff_lang
    for f in [main, *formsets]:
        label(f, lang)
    back = f"/staff/plans/{plan.code}/structure/"
    if request.method == "POST" and main.is_valid() and all(fs.is_valid() for fs in formsets):
        obj = main.save(commit=False)
        for fs in formsets:
            fs.instance = obj
        try:
            structure_save(user=request.user, plan=plan, subject=title, forms=[main, *formsets])
        except MachiplanError as exc:  # the plan as changed breaks a rule: nothing was saved
            main.add_error(None, str(exc))
        else:
            messages.success(request, TEXT[lang]["structure_saved"])
            return redirect(back)
    legends = [TEXT[lang].get(fs.prefix, fs.prefix) for fs in formsets]  # policies -> 基本施策
    return page(request, "staff/structure_edit.html", plan=plan, main=main, formsets=formsets, sections=list(zip(formsets, legends, strict=True)),
                heading=title, back=back, status=400 if request.method == "POST" else 200)  # fmt: skip


def _goal(plan, number: int) -> Goal:
    goal = Goal.objects.filter(plan=plan, number=number).first()
    if goal is None:
        raise NotFound(f"no goal {number} in plan {plan.code!r}")
    return goal


def _indicator(plan, code: str) -> Indicator:
    indicator = Indicator.objects.filter(plan=plan, code=code).first()
    if indicator is None:
        raise NotFound(f"no indicator {code!r} in plan {plan.code!r}")
    return indicator


@staff_page
def goal_edit(request: HttpRequest, code: str, number: int | None = None) -> HttpResponse:
    require_structure_role(request.user)
    plan = selectors.staff_plan(code)
    goal = Goal(plan=plan) if number is None else _goal(plan, number)
    data = request.POST if request.method == "POST" else None
    main = GoalForm(data, instance=goal, prefix="goal")
    formsets = [
        PolicyFormSet(data, instance=goal, prefix="policies"),
        NarrativeFormSet(data, instance=goal, prefix="narratives"),
    ]
    lang = request.staff_lang
    t = TEXT[lang]
    title = (
        (f"{t['goal']}{goal.number}" if lang == "ja" else f"{t['goal']} {goal.number}")
        if goal.pk
        else t["add_goal"]
    )
    return _edit(request, plan, title=title, main=main, formsets=formsets)


@staff_page
def policy_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    require_structure_role(request.user)
    plan = selectors.staff_plan(code)
    policy = Policy.objects.filter(goal__plan=plan, pk=pk).select_related("goal").first()
    if policy is None:
        raise NotFound(f"no policy {pk} in plan {code!r}")
    data = request.POST if request.method == "POST" else None
    main = PolicyForm(data, instance=policy, prefix="policy")
    formsets = [InitiativeFormSet(data, instance=policy, prefix="initiatives")]
    return _edit(request, plan, title=f"{policy.code} {policy.title}", main=main, formsets=formsets)


@staff_page
def indicator_edit(
    request: HttpRequest, code: str, ind: str | None = None, number: int | None = None
) -> HttpResponse:
    require_structure_role(request.user)
    plan = selectors.staff_plan(code)
    if ind is None:
        indicator = Indicator(
            plan=plan, goal=_goal(plan, number), order=Indicator.objects.filter(plan=plan).count()
        )
    else:
        indicator = _indicator(plan, ind)
    data = request.POST if request.method == "POST" else None
    main = IndicatorForm(data, instance=indicator, plan=plan, prefix="indicator")
    formsets = [TargetFormSet(data, instance=indicator, prefix="targets")]
    title = (
        f"{indicator.code} {indicator.name}" if indicator.pk else TEXT[request.staff_lang]["add_indicator"]
    )
    return _edit(request, plan, title=title, main=main, formsets=formsets)


@staff_page
def indicator_delete(request: HttpRequest, code: str, ind: str) -> HttpResponse:
    """A confirmation page (GET), then the deletion (POST)."""
    require_structure_role(request.user)
    plan = selectors.staff_plan(code)
    row = _indicator(plan, ind)
    return _delete(request, plan, what=f"{row.code} {row.name}", count=row.observations.count(),
                   action=lambda: structure.indicator_delete(user=request.user, plan=plan, code=ind))  # fmt: skip


@staff_page
def goal_delete(request: HttpRequest, code: str, number: int) -> HttpResponse:
    require_structure_role(request.user)
    plan = selectors.staff_plan(code)
    goal = _goal(plan, number)
    t = TEXT[request.staff_lang]
    return _delete(request, plan, what=f"{t['goal']} {goal.number} {goal.name}", count=0,
                   action=lambda: structure.goal_delete(user=request.user, plan=plan, number=number))  # fmt: skip


def _delete(request, plan, *, what: str, count: int, action) -> HttpResponse:
    t = TEXT[request.staff_lang]
    if request.method == "POST":
        act(request, action, lambda _: t["deleted"].format(what=what))
        return redirect("staff:structure", code=plan.code)
    message = t["delete_confirm"].format(what=what)
    figures = t["delete_figures"].format(count=count) if count else ""
    return page(request, "staff/delete.html", plan=plan, what=what, message=message, figures=figures)
