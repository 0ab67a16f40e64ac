"""Store a whole plan (from a package, a sheet, or the embedded default) in one transaction."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from machiplan.domain import figures, limits
from machiplan.domain import plan as domain
from machiplan.domain.collection import cycle_collection_paused
from machiplan.domain.errors import MachiplanError

from .. import models
from ..signals import plan_loaded, plan_replacing
from .bulk import bulk_insert, delete_rows


def plan_load(
    *,
    plan: domain.Plan,
    replace: bool = False,
    source: str = "",
    actor: str = "",
    via: str = "",
    checked: Callable[[], object] | None = None,
) -> models.Plan:
    """Store ``plan``. An existing plan with the same code is an error unless ``replace``.
    ``actor`` and ``via`` say who loaded it, for the trail (default: the command line).

    Its figures are approved as they arrive: they are the city's published figures,
    each with its provenance (file and line).

    The large tables go in through ``bulk_insert``: a 100,000-indicator plan loads in seconds.

    ``checked``: the plan's check by the rules every way in keeps (``check_plan``), begun
    elsewhere while this stores it (``load`` begins it in a second process: domain/apart.py);
    waited for before the plan is committed, so that what it refuses is never kept. Its error is
    the one raised even when storing failed first, as if the plan had been checked before: a plan
    the check refuses may fail to store in a less telling way.
    """
    try:
        return _stored(plan, replace, source, actor, via, checked)
    except Exception:
        if checked is not None:
            checked()  # its error, if it has one, in place of the store's
        raise


def _stored(
    plan: domain.Plan, replace: bool, source: str, actor: str, via: str, checked: Callable[[], object] | None
) -> models.Plan:
    with cycle_collection_paused(), transaction.atomic():  # domain/collection.py
        existing = models.Plan.objects.filter(code=plan.code).first()
        alike = models.Plan.objects.filter(code__iexact=plan.code).exclude(code=plan.code).first()
        if alike is not None:  # its folders (reports/<code>/ …) would be this one's where case is ignored
            raise MachiplanError(
                f"plan {alike.code!r} exists: a code that differs from it only in case ({plan.code!r}) "
                "would share its files on a file system that ignores case; choose another code"
            )
        if existing is not None:
            if not replace:
                raise MachiplanError(f"plan {plan.code!r} already exists (use --replace to overwrite it)")
            plan_replacing.send(sender=models.Plan, plan=existing)
            successors = list(existing.successors.values_list("pk", flat=True))
            children = list(existing.child_plans.values_list("pk", flat=True))
            _delete(existing)
        else:
            successors, children = [], []
        departments = _departments(plan.departments)
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
            method_description=plan.method.description,
            method_overrides=[
                {"indicators": list(o.indicators), "name": o.name, "params": dict(o.params)}
                for o in plan.method.overrides
            ],
            description=plan.description,
            sources=[
                {
                    "title": x.title,
                    "url": x.url,
                    "date": x.date.isoformat() if x.date else None,
                    "note": x.note,
                }
                for x in plan.sources
            ],
            levels=[{"name": lv.name, "name_en": lv.name_en} for lv in plan.levels],
            rating_scales=[s.as_dict() for s in plan.rating_scales],
            parent_plan=_linked_plan(plan.parent_plan, "parent_plan"),
            predecessor=_linked_plan(plan.predecessor, "predecessor"),
            department=departments[plan.department] if plan.department else None,
            source=_fitted(source, limits.PLAN["source"]),
        )
        # plans that named the replaced plan keep naming it
        models.Plan.objects.filter(pk__in=successors).update(predecessor=row)
        models.Plan.objects.filter(pk__in=children).update(parent_plan=row)
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
        models.Revision.objects.bulk_create(
            models.Revision(
                plan=row, code=r.code, fy=r.fy, title=r.title, date=r.date, reason=r.reason,
                changes=list(r.changes), order=n,
            )
            for n, r in enumerate(plan.revisions)
        )  # fmt: skip
        nodes = _nodes(plan, row, departments)
        _node_facts(plan, row, nodes)
        indicator_ids = _indicators(plan, row, nodes, departments)
        _ratings_and_comments(plan, row, nodes, indicator_ids)
        if checked is not None:
            checked()  # what it refuses is rolled back with the rest
        plan_loaded.send(
            sender=models.Plan, plan=row, source=source, replaced=existing is not None,
            observations=sum(len(i.observations) for i in plan.indicators),
            targets=sum(len(i.targets) for i in plan.indicators), actor=actor, via=via,
        )  # fmt: skip
    return row


def _fitted(source: str, limit: int) -> str:
    """Where a plan was loaded from, as its column keeps it: the end of a path too long for it."""
    return source if len(source) <= limit else "…" + source[-(limit - 1) :]


def _linked_plan(code: str | None, what: str) -> models.Plan | None:
    if code is None:
        return None
    found = models.Plan.objects.filter(code=code).first()
    if found is None:
        raise MachiplanError(f"{what} {code!r} is not a plan here: load it first", where=what)
    return found


def _delete(plan: models.Plan) -> None:
    # Leaf tables first, so each delete is one statement rather than a cascade walk.
    models.Rating.objects.filter(plan=plan).delete()
    models.Comment.objects.filter(plan=plan).delete()
    _delete_indicators(plan)
    models.Initiative.objects.filter(node__plan=plan).delete()
    models.Narrative.objects.filter(node__plan=plan).delete()
    models.Cost.objects.filter(plan=plan).delete()
    models.Tally.objects.filter(plan=plan).delete()
    models.Node.objects.filter(plan=plan).update(parent=None)
    models.Node.objects.filter(plan=plan).delete()
    plan.delete()


def _delete_indicators(plan: models.Plan) -> None:
    """The plan's indicators, after whatever points to them (their figures, a staff entry …: each
    table's rows through Django's delete, with their own cascades). Nothing points to the indicators
    then, and they go in one statement: Django's delete would walk each one's relations again, seconds
    for 100,000 indicators."""
    for relation in models.Indicator._meta.related_objects:
        relation.related_model._base_manager.filter(**{f"{relation.field.name}__plan": plan}).delete()
    delete_rows(models.Indicator, "plan", plan.pk)


def _departments(departments: tuple[domain.Department, ...]) -> dict[str, models.Department]:
    result = {}
    for d in departments:
        row, created = models.Department.objects.get_or_create(code=d.code, defaults={"name": d.name})
        if not created and row.name != d.name:
            row.name = d.name
            row.save(update_fields=["name"])
        result[d.code] = row
    return result


def _nodes(
    plan: domain.Plan, row: models.Plan, departments: dict[str, models.Department]
) -> dict[str, models.Node]:
    """Nodes level by level (a parent's id is known before its children go in)."""
    stored: dict[str, models.Node] = {}
    order = {n.code: k for k, n in enumerate(plan.nodes)}
    depth = {n.code: plan.depth(n.code) for n in plan.nodes}
    for level in sorted(set(depth.values())):
        batch = [
            models.Node(
                plan=row,
                parent=stored[n.parent] if n.parent else None,
                code=n.code,
                number=n.number,
                depth=level,
                order=order[n.code],
                name=n.name,
                name_en=n.name_en or "",
                statement=n.statement,
                priority=n.priority,
                department=departments[n.department] if n.department else None,
                related_departments=list(n.related_departments),
                related_plans=list(n.related_plans),
                footnotes=list(n.footnotes),
            )
            for n in plan.nodes
            if depth[n.code] == level
        ]
        for node in models.Node.objects.bulk_create(batch):
            stored[node.code] = node
    models.Initiative.objects.bulk_create(
        models.Initiative(node=stored[n.code], order=k, text=i.text, facts=list(i.facts))
        for n in plan.nodes
        for k, i in enumerate(n.initiatives)
    )
    models.Narrative.objects.bulk_create(
        models.Narrative(
            node=stored[n.code],
            kind=x.kind,
            fy=x.fy,
            order=k,
            items=[{"heading": i.heading, "text": i.text, "bullets": list(i.bullets)} for i in x.items],
        )
        for n in plan.nodes
        for k, x in enumerate(n.narratives)
    )
    return stored


def _node_facts(plan: domain.Plan, row: models.Plan, nodes: dict[str, models.Node]) -> None:
    """Costs and tallies of the nodes and, with no node, of the plan as a whole."""
    subjects = [(None, plan), *((nodes[n.code], n) for n in plan.nodes)]
    models.Cost.objects.bulk_create(
        models.Cost(
            plan=row,
            node=node,
            start_fy=c.start_fy,
            end_fy=c.end_fy,
            basis=c.basis,
            amount=c.amount,
            general_revenue=c.general_revenue,
            projects=c.projects,
            unit=c.unit,
            account=c.account,
            label=c.label,
            source_text=c.source_text,
            source=c.source,
            order=k,
        )
        for k, (node, c) in enumerate((node, c) for node, s in subjects for c in s.costs)
    )
    models.Tally.objects.bulk_create(
        models.Tally(
            plan=row,
            node=node,
            fy=t.fy,
            scale=t.scale,
            grade=t.grade,
            count=t.count,
            note=t.note,
            source=t.source,
            order=k,
        )
        for k, (node, t) in enumerate((node, t) for node, s in subjects for t in s.tallies)
    )


def _indicators(
    plan: domain.Plan,
    row: models.Plan,
    nodes: dict[str, models.Node],
    departments: dict[str, models.Department],
) -> dict[str, int]:
    bulk_insert(
        models.Indicator,
        ["plan", "code", "order", "category", "name", "name_en", "type", "unit", "per", "direction", "measure",
         "value_type", "survey", "reference", "note", "department", "related_departments", "definition",
         "calculation", "data_source", "confirmed_when", "target_rationale", "selection_rationale", "added_in",
         "dropped_in", "carried_from", "series"],
        (
            (row.pk, i.code, n, i.category, i.name, i.name_en or "", i.type or "", i.unit or "", i.per or "",
             i.direction, i.measure, i.value_type, i.survey, i.reference, i.note or "",
             departments[i.department].pk if i.department else None, list(i.related_departments), i.definition,
             i.calculation, i.data_source, i.confirmed_when, i.target_rationale, i.selection_rationale, i.added_in or "",
             i.dropped_in or "", i.carried_from or "", list(i.series))
            for n, i in enumerate(plan.indicators)
        ),
    )  # fmt: skip
    ids = dict(models.Indicator.objects.filter(plan=row).values_list("code", "id"))
    bulk_insert(
        models.IndicatorNode,
        ["indicator", "node", "order"],
        ((ids[i.code], nodes[code].pk, k) for i in plan.indicators for k, code in enumerate(i.nodes)),
    )
    for model, specs, extra, items in (
        (models.Observation, figures.FIGURE_FIELDS, ("source_text", "source"), "observations"),
        (models.Target, figures.TARGET_FIELDS, ("source",), "targets"),
        (models.Baseline, figures.BASELINE_FIELDS, ("source",), "baselines"),
    ):
        columns = [*((s.name, _column(s)) for s in specs), *((name, AS_IS) for name in extra)]
        ordered = model is not models.Observation
        bulk_insert(
            model,
            ["indicator", *(name for name, _ in columns), *(["order"] if ordered else [])],
            _figure_rows(plan, ids, items, columns, ordered=ordered),
        )
    return ids


def _figure_rows(plan: domain.Plan, ids: dict[str, int], items: str, columns, *, ordered: bool):
    """Each figure's row: its indicator's id, its fields as ``columns`` write them, its order.

    Made by a function compiled once from the field list, as reading a plan back does
    (``selectors._figure_reader``): one list display a figure, with no loop over its fields and no
    call for a field kept as it is or an empty one. A plan has a million figures."""
    # field names only, never input, go into the source
    values = [column.format(f"item.{name}") for name, column in columns] + (["k"] if ordered else [])
    namespace: dict = {}
    exec(
        "def rows(indicators, ids):\n"
        "    for i in indicators:\n"
        "        indicator = ids[i.code]\n"
        f"        for k, item in enumerate(i.{items}):\n"
        f"            yield [indicator, {', '.join(values)}]\n",
        namespace,
    )
    return namespace["rows"](plan.indicators, ids)


AS_IS = "{0}"


def _column(spec: figures.Field) -> str:
    """How a figure field's domain value ``{0}`` is written to its column (plans.models.model_field):
    a breakdown as [label, value] pairs (most figures have none: the empty list without a loop), a
    nullable field's None as ''."""
    if spec.type == "breakdown":
        return "([[label, str(v)] for label, v in {0}] if {0} else [])"
    if spec.nullable:
        return "({0} or '')"
    return AS_IS


def _ratings_and_comments(
    plan: domain.Plan, row: models.Plan, nodes: dict[str, models.Node], ids: dict[str, int]
) -> None:
    subjects = (
        [(None, None, plan)]
        + [(None, nodes[n.code].pk, n) for n in plan.nodes]
        + [(ids[i.code], None, i) for i in plan.indicators]
    )
    bulk_insert(
        models.Rating,
        ["plan", "indicator", "node", "fy", "scale", "grade", "note", "source", "order"],
        (
            (row.pk, ind, node, r.fy, r.scale, r.grade, r.note, r.source, k)
            for k, (ind, node, r) in enumerate((ind, node, r) for ind, node, s in subjects for r in s.ratings)
        ),
    )
    bulk_insert(
        models.Comment,
        ["plan", "indicator", "node", "fy", "body", "body_name", "date", "text", "source", "order"],
        (
            (row.pk, ind, node, c.fy, c.body, c.body_name, c.date, c.text, c.source, k)
            for k, (ind, node, c) in enumerate(
                (ind, node, c) for ind, node, s in subjects for c in s.comments
            )
        ),
    )
