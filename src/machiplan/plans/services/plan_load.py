"""Store a whole plan (from a package, a sheet, or the embedded default) in one transaction."""

from __future__ import annotations

from django.db import transaction

from machiplan.domain import plan as domain
from machiplan.domain.errors import MachiplanError

from .. import models

BATCH = 5000


def plan_load(*, plan: domain.Plan, replace: bool = False, source: str = "") -> models.Plan:
    """Store ``plan``. An existing plan with the same code is an error unless ``replace``.

    Bulk inserts keep a 100,000-indicator plan to a few hundred statements.
    """
    with transaction.atomic():
        existing = models.Plan.objects.filter(code=plan.code).first()
        if existing is not None:
            if not replace:
                raise MachiplanError(f"plan {plan.code!r} already exists (use --replace to overwrite it)")
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
    indicator_rows = [
        models.Indicator(
            plan=row,
            goal=goals[i.goal],
            code=i.code,
            order=n,
            category=i.category,
            name=i.name,
            name_en=i.name_en or "",
            unit=i.unit or "",
            direction=i.direction,
            measure=i.measure,
            survey=i.survey,
            reference=i.reference,
            note=i.note or "",
            department=departments[i.department] if i.department else None,
        )
        for n, i in enumerate(plan.indicators)
    ]
    models.Indicator.objects.bulk_create(indicator_rows, batch_size=BATCH)
    models.Observation.objects.bulk_create(
        (
            models.Observation(
                indicator=ind_row,
                fy=o.fy,
                kind=o.kind,
                value=o.value,
                as_of=o.as_of,
                approximate=o.approximate,
                breakdown=[[label, str(v)] for label, v in o.breakdown],
                source_text=o.source_text,
                note=o.note,
                source=o.source,
            )
            for ind_row, ind in zip(indicator_rows, plan.indicators, strict=True)
            for o in ind.observations
        ),
        batch_size=BATCH,
    )
    models.Target.objects.bulk_create(
        (
            models.Target(
                indicator=ind_row,
                horizon=t.horizon,
                fy=t.fy,
                value=t.value,
                period_start_fy=t.period_start_fy,
                approximate=t.approximate,
                source_text=t.source_text,
                source=t.source,
            )
            for ind_row, ind in zip(indicator_rows, plan.indicators, strict=True)
            for t in ind.targets
        ),
        batch_size=BATCH,
    )
