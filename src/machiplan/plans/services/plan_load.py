"""Store a whole plan (from a package, a sheet, or the embedded default) in one transaction."""

from __future__ import annotations

from django.db import transaction

from machiplan.domain import plan as domain
from machiplan.domain.errors import MachiplanError

from .. import models
from ..signals import plan_loaded, plan_replacing
from .bulk import bulk_insert


def plan_load(*, plan: domain.Plan, replace: bool = False, source: str = "") -> models.Plan:
    """Store ``plan``. An existing plan with the same code is an error unless ``replace``.

    Its figures are approved as they arrive: they are the city's published figures,
    each with its provenance (file and line).

    The large tables go in through ``bulk_insert``: a 100,000-indicator plan loads in seconds.
    """
    with transaction.atomic():
        existing = models.Plan.objects.filter(code=plan.code).first()
        if existing is not None:
            if not replace:
                raise MachiplanError(f"plan {plan.code!r} already exists (use --replace to overwrite it)")
            plan_replacing.send(sender=models.Plan, plan=existing)
            _delete(existing)
        row = models.Plan.objects.create(
            code=plan.code,
            title=plan.title,
            title_en=plan.title_en or "",
            municipality_name=plan.municipality.name,
            municipality_code=plan.municipality.code,
            start_fy=plan.start_fy,
            end_fy=plan.end_fy,
            evaluation_fy=plan.evaluation_fy,
            method_name=plan.method.name,
            method_params=dict(plan.method.params),
            source=source,
        )
        departments = _departments(plan.departments)
        through = models.Plan.departments.through
        through.objects.bulk_create(through(plan=row, department=d) for d in departments.values())  # in order
        models.HigherPlan.objects.bulk_create(
            models.HigherPlan(
                plan=row,
                horizon=h.horizon,
                label=h.label,
                title=h.title,
                start_fy=h.start_fy,
                end_fy=h.end_fy,
                description=h.description,
                order=n,
            )
            for n, h in enumerate(plan.higher_plans)
        )
        goals = {
            g.number: models.Goal(
                plan=row, number=g.number, name=g.name, statement=g.statement, footnotes=list(g.footnotes)
            )
            for g in plan.goals
        }
        models.Goal.objects.bulk_create(goals.values())
        _policies(plan, goals)
        models.Narrative.objects.bulk_create(
            models.Narrative(
                goal=goals[g.number],
                kind=n.kind,
                fy=n.fy,
                order=k,
                items=[{"heading": i.heading, "text": i.text, "bullets": list(i.bullets)} for i in n.items],
            )
            for g in plan.goals
            for k, n in enumerate(g.narratives)
        )
        _indicators(plan, row, goals, departments)
        plan_loaded.send(
            sender=models.Plan, plan=row, source=source, replaced=existing is not None,
            observations=sum(len(i.observations) for i in plan.indicators),
            targets=sum(len(i.targets) for i in plan.indicators),
        )  # fmt: skip
    return row


def _delete(plan: models.Plan) -> None:
    # Leaf tables first, so each delete is one statement rather than a cascade walk.
    models.Observation.objects.filter(indicator__plan=plan).delete()
    models.Target.objects.filter(indicator__plan=plan).delete()
    models.Indicator.objects.filter(plan=plan).delete()
    models.Initiative.objects.filter(policy__goal__plan=plan).delete()
    plan.delete()


def _departments(departments: tuple[domain.Department, ...]) -> dict[str, models.Department]:
    result = {}
    for d in departments:
        row, created = models.Department.objects.get_or_create(code=d.code, defaults={"name": d.name})
        if not created and row.name != d.name:
            row.name = d.name
            row.save(update_fields=["name"])
        result[d.code] = row
    return result


def _policies(plan: domain.Plan, goals: dict[int, models.Goal]) -> None:
    pairs = [
        (models.Policy(goal=goals[g.number], code=p.code, title=p.title, priority=p.priority, order=k), p)
        for g in plan.goals
        for k, p in enumerate(g.policies)
    ]
    models.Policy.objects.bulk_create(row for row, _ in pairs)
    models.Initiative.objects.bulk_create(
        models.Initiative(policy=row, order=k, text=i.text, facts=list(i.facts))
        for row, p in pairs
        for k, i in enumerate(p.initiatives)
    )


def _indicators(
    plan: domain.Plan,
    row: models.Plan,
    goals: dict[int, models.Goal],
    departments: dict[str, models.Department],
) -> None:
    bulk_insert(
        models.Indicator,
        ["plan", "goal", "code", "order", "category", "name", "name_en", "unit", "direction", "measure",
         "survey", "reference", "note", "department"],
        (
            (row.pk, goals[i.goal].pk, i.code, n, i.category, i.name, i.name_en or "", i.unit or "", i.direction,
             i.measure, i.survey, i.reference, i.note or "", departments[i.department].pk if i.department else None)
            for n, i in enumerate(plan.indicators)
        ),
    )  # fmt: skip
    ids = dict(models.Indicator.objects.filter(plan=row).values_list("code", "id"))
    bulk_insert(
        models.Observation,
        ["indicator", "fy", "kind", "value", "as_of", "approximate", "breakdown", "source_text", "note", "source"],
        (
            (ids[i.code], o.fy, o.kind, o.value, o.as_of, o.approximate,
             [[label, str(v)] for label, v in o.breakdown], o.source_text, o.note, o.source)
            for i in plan.indicators
            for o in i.observations
        ),
    )  # fmt: skip
    bulk_insert(
        models.Target,
        ["indicator", "horizon", "fy", "value", "period_start_fy", "approximate", "source_text", "source"],
        (
            (ids[i.code], t.horizon, t.fy, t.value, t.period_start_fy, t.approximate, t.source_text, t.source)
            for i in plan.indicators
            for t in i.targets
        ),
    )  # fmt: skip
