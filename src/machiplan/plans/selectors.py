"""Reads of the plan model. ``plan_data`` turns a stored plan back into domain data
in a fixed number of queries, whatever the plan's size."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from machiplan.domain import plan as domain
from machiplan.domain.errors import MachiplanError

from . import models


def plan_list() -> list[models.Plan]:
    return list(models.Plan.objects.order_by("code"))


def plan_get(code: str) -> models.Plan:
    try:
        return models.Plan.objects.get(code=code)
    except models.Plan.DoesNotExist:
        known = ", ".join(models.Plan.objects.order_by("code").values_list("code", flat=True)) or "none"
        raise MachiplanError(f"no plan with code {code!r} (plans here: {known})") from None


def _value(raw: Decimal | None) -> Decimal | None:
    # The database pads to six decimals; the figure as entered has no trailing zeros.
    return None if raw is None else raw.normalize() if raw == raw.to_integral_value() else _trim(raw)


def _trim(value: Decimal) -> Decimal:
    text = format(value, "f").rstrip("0")
    return Decimal(text[:-1] if text.endswith(".") else text)


def plan_data(code: str) -> domain.Plan:
    plan = plan_get(code)
    goals_by_id: dict[int, int] = {}
    policies: dict[int, list[tuple[int, domain.Policy]]] = defaultdict(list)
    initiatives: dict[int, list[domain.Initiative]] = defaultdict(list)
    for policy_id, text, facts in (
        models.Initiative.objects.filter(policy__goal__plan=plan)
        .order_by("policy_id", "order")
        .values_list("policy_id", "text", "facts")
    ):
        initiatives[policy_id].append(domain.Initiative(text=text, facts=tuple(facts)))
    for pid, goal_id, pcode, title, priority in (
        models.Policy.objects.filter(goal__plan=plan)
        .order_by("goal_id", "order")
        .values_list("id", "goal_id", "code", "title", "priority")
    ):
        policies[goal_id].append(
            (
                pid,
                domain.Policy(
                    code=pcode, title=title, priority=priority, initiatives=tuple(initiatives[pid])
                ),
            )
        )
    narratives: dict[int, list[domain.Narrative]] = defaultdict(list)
    for goal_id, kind, fy, items in (
        models.Narrative.objects.filter(goal__plan=plan)
        .order_by("goal_id", "order")
        .values_list("goal_id", "kind", "fy", "items")
    ):
        narratives[goal_id].append(
            domain.Narrative(
                kind=kind,
                fy=fy,
                items=tuple(
                    domain.NarrativeItem(
                        heading=i.get("heading", ""),
                        text=i.get("text", ""),
                        bullets=tuple(i.get("bullets", ())),
                    )
                    for i in items
                ),
            )
        )
    goals = []
    for goal in plan.goals.order_by("number"):
        goals_by_id[goal.id] = goal.number
        goals.append(
            domain.Goal(
                number=goal.number,
                name=goal.name,
                statement=goal.statement,
                policies=tuple(p for _, p in policies[goal.id]),
                narratives=tuple(narratives[goal.id]),
                footnotes=tuple(goal.footnotes),
            )
        )
    return domain.Plan(
        code=plan.code,
        title=plan.title,
        title_en=plan.title_en or None,
        municipality=domain.Municipality(name=plan.municipality_name, code=plan.municipality_code),
        start_fy=plan.start_fy,
        end_fy=plan.end_fy,
        evaluation_fy=plan.evaluation_fy,
        method=domain.Method(name=plan.method_name, params=dict(plan.method_params)),
        higher_plans=tuple(
            domain.HigherPlan(
                horizon=h.horizon,
                label=h.label,
                title=h.title,
                start_fy=h.start_fy,
                end_fy=h.end_fy,
                description=h.description,
            )
            for h in plan.higher_plans.order_by("order")
        ),
        departments=tuple(
            domain.Department(code=link.department.code, name=link.department.name)
            for link in models.Plan.departments.through.objects.filter(plan=plan)
            .select_related("department")
            .order_by("id")
        ),
        goals=tuple(goals),
        indicators=_indicators(plan, goals_by_id),
    )


def _indicators(plan: models.Plan, goals_by_id: dict[int, int]) -> tuple[domain.Indicator, ...]:
    observations: dict[int, list[domain.Observation]] = defaultdict(list)
    rows = (
        models.Observation.objects.filter(indicator__plan=plan)
        .order_by("indicator_id", "fy")
        .values_list(
            "indicator_id",
            "fy",
            "kind",
            "value",
            "as_of",
            "approximate",
            "breakdown",
            "source_text",
            "note",
            "source",
        )
    )
    for ind_id, fy, kind, value, as_of, approx, breakdown, source_text, note, source in rows.iterator(
        chunk_size=20000
    ):
        observations[ind_id].append(
            domain.Observation(
                fy=fy,
                kind=kind,
                value=_value(value),
                as_of=as_of,
                approximate=approx,
                breakdown=tuple((label, Decimal(v)) for label, v in breakdown),
                source_text=source_text,
                note=note,
                source=source,
            )
        )
    targets: dict[int, list[domain.Target]] = defaultdict(list)
    target_rows = (
        models.Target.objects.filter(indicator__plan=plan)
        .order_by("indicator_id", "id")
        .values_list(
            "indicator_id",
            "horizon",
            "fy",
            "value",
            "period_start_fy",
            "approximate",
            "source_text",
            "source",
        )
    )
    for ind_id, horizon, fy, value, start, approx, source_text, source in target_rows.iterator(
        chunk_size=20000
    ):
        targets[ind_id].append(
            domain.Target(
                horizon=horizon,
                fy=fy,
                value=_value(value),
                period_start_fy=start,
                approximate=approx,
                source_text=source_text,
                source=source,
            )
        )
    departments = dict(models.Department.objects.filter(plans=plan).values_list("id", "code"))
    indicator_rows = (
        models.Indicator.objects.filter(plan=plan)
        .order_by("order")
        .values_list(
            "id",
            "goal_id",
            "code",
            "category",
            "name",
            "name_en",
            "unit",
            "direction",
            "measure",
            "survey",
            "reference",
            "note",
            "department_id",
        )
    )
    return tuple(
        domain.Indicator(
            code=code,
            goal=goals_by_id[goal_id],
            category=category,
            name=name,
            name_en=name_en or None,
            unit=unit or None,
            direction=direction,
            measure=measure,
            survey=survey,
            reference=reference,
            note=note or None,
            department=departments.get(dept_id) if dept_id else None,
            observations=tuple(observations.get(ind_id, ())),
            targets=tuple(targets.get(ind_id, ())),
        )
        for ind_id, goal_id, code, category, name, name_en, unit, direction, measure, survey, reference, note, dept_id in indicator_rows.iterator(
            chunk_size=20000
        )
    )
