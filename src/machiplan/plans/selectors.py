"""Reads of the plan model. ``plan_data`` turns a stored plan back into domain data
in a fixed number of queries, whatever the plan's size."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from django.db import connection
from django.db import models as django_models

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


def _value(raw: Decimal) -> Decimal:
    # PostgreSQL pads to six decimals; the figure as entered has no trailing zeros.
    return raw.normalize() if raw == raw.to_integral_value() else _trim(raw)


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
    departments = tuple(
        domain.Department(code=link.department.code, name=link.department.name)
        for link in models.Plan.departments.through.objects.filter(plan=plan)
        .select_related("department")
        .order_by("id")
    )
    return replace(
        _plan_header(plan),
        departments=departments,
        goals=tuple(goals),
        indicators=_indicators(plan, goals_by_id),
    )


def _observations(indicator_column: str, value: int) -> dict[int, list[domain.Observation]]:
    """Observations by indicator id, for the indicators whose ``indicator_column`` is ``value``."""
    columns = [
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
    ]
    result: dict[int, list[domain.Observation]] = defaultdict(list)
    for ind_id, fy, kind, raw, as_of, approx, breakdown, source_text, note, source in _rows(
        models.Observation, columns, indicator_column, value
    ):
        result[ind_id].append(
            domain.Observation(
                fy=fy, kind=kind, value=stored_decimal(raw), as_of=_date(as_of), approximate=bool(approx),
                breakdown=_breakdown(breakdown), source_text=source_text, note=note, source=source,
            )
        )  # fmt: skip
    return result


def _targets(indicator_column: str, value: int) -> dict[int, list[domain.Target]]:
    columns = [
        "indicator_id",
        "horizon",
        "fy",
        "value",
        "period_start_fy",
        "approximate",
        "source_text",
        "source",
    ]
    result: dict[int, list[domain.Target]] = defaultdict(list)
    for ind_id, horizon, fy, raw, start, approx, source_text, source in _rows(
        models.Target, columns, indicator_column, value
    ):
        result[ind_id].append(
            domain.Target(horizon=horizon, fy=fy, value=stored_decimal(raw), period_start_fy=start, approximate=bool(approx),
                          source_text=source_text, source=source)
        )  # fmt: skip
    return result


def _indicators(plan: models.Plan, goals_by_id: dict[int, int]) -> tuple[domain.Indicator, ...]:
    observations = _observations("plan_id", plan.pk)
    targets = _targets("plan_id", plan.pk)
    departments = dict(models.Department.objects.filter(plans=plan).values_list("id", "code"))
    indicator_rows = (
        models.Indicator.objects.filter(plan=plan)
        .order_by("order")
        .values_list("id", "goal_id", "code", "category", "name", "name_en", "unit", "direction", "measure", "survey",
                     "reference", "note", "department_id")
    )  # fmt: skip
    return tuple(
        domain.Indicator(
            code=code, goal=goals_by_id[goal_id], category=category, name=name, name_en=name_en or None,
            unit=unit or None, direction=direction, measure=measure, survey=survey, reference=reference,
            note=note or None, department=departments.get(dept_id) if dept_id else None,
            observations=tuple(observations.get(ind_id, ())), targets=tuple(targets.get(ind_id, ())),
        )
        for ind_id, goal_id, code, category, name, name_en, unit, direction, measure, survey, reference, note, dept_id in indicator_rows.iterator(chunk_size=20000)
    )  # fmt: skip


def _rows(model: type[django_models.Model], columns: list[str], indicator_column: str, value: int):
    """Rows of a large child table of Indicator (a plan's, or one indicator's), read with a plain cursor.

    The ORM's per-value converters (a JSON decode per empty breakdown, a Decimal
    quantize per value) cost more than the query for a million rows; the small
    converters below do the same job for the values these tables hold.
    """
    quote = connection.ops.quote_name
    table, indicators = quote(model._meta.db_table), quote(models.Indicator._meta.db_table)
    selected = ", ".join(f"t.{quote(c)}" for c in columns)
    sql = (
        f"SELECT {selected} FROM {table} t JOIN {indicators} i ON i.{quote('id')} = t.{quote('indicator_id')} "
        f"WHERE i.{quote(indicator_column)} = %s ORDER BY t.{quote('indicator_id')}, t.{quote('fy')}, t.{quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        while batch := cursor.fetchmany(20000):
            yield from batch


def stored_decimal(raw: object) -> Decimal | None:
    """A stored value as the Decimal that was entered: 32.4, not 32.400000 or 32.399999…"""
    if raw is None:
        return None
    if isinstance(raw, Decimal):
        return _value(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))  # SQLite keeps NUMERIC as a double; its shortest repr is the figure
    return _value(Decimal(raw))  # int, or text


def _date(raw: object) -> dt.date | None:
    if raw is None or isinstance(raw, dt.date):
        return raw
    return dt.date.fromisoformat(str(raw))


def _breakdown(raw: object) -> tuple[tuple[str, Decimal], ...]:
    if raw in (None, "[]", []):
        return ()
    parts = json.loads(raw) if isinstance(raw, str) else raw
    return tuple((label, Decimal(v)) for label, v in parts)


def plan_version(code: str) -> str:
    """A stamp that changes whenever the stored plan does: part of every cache key."""
    stamp = models.Plan.objects.filter(code=code).values_list("updated_at", flat=True).first()
    if stamp is None:
        plan_get(code)  # raises the clear error
    return stamp.isoformat()


def indicator_data(plan_code: str, indicator_code: str) -> tuple[domain.Plan, domain.Indicator]:
    """One indicator with its figures, and its plan's header (goals, higher plans, method)."""
    plan = plan_get(plan_code)
    try:
        row = models.Indicator.objects.select_related("goal", "department").get(
            plan=plan, code=indicator_code
        )
    except models.Indicator.DoesNotExist:
        raise MachiplanError(f"no indicator {indicator_code!r} in plan {plan_code!r}") from None
    observations = tuple(_observations("id", row.pk).get(row.pk, ()))
    targets = tuple(_targets("id", row.pk).get(row.pk, ()))
    indicator = domain.Indicator(
        code=row.code, goal=row.goal.number, category=row.category, name=row.name, name_en=row.name_en or None,
        unit=row.unit or None, direction=row.direction, measure=row.measure, survey=row.survey, reference=row.reference,
        note=row.note or None, department=row.department.code if row.department else None,
        observations=observations, targets=targets,
    )  # fmt: skip
    return _plan_header(plan), indicator


def _plan_header(plan: models.Plan) -> domain.Plan:
    goals = tuple(
        domain.Goal(number=g.number, name=g.name, statement=g.statement, footnotes=tuple(g.footnotes))
        for g in plan.goals.order_by("number")
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
        goals=goals,
    )
