"""Changing a stored plan's structure: its levels and revisions, its nodes (add, edit, move, renumber,
delete) and its indicators (edit, hang on nodes, targets, baselines, delete), each with the facts the
plan keeps of them (initiatives, narratives, footnotes, costs, ratings, comments).

The callers (the staff app's structure pages) check who may do it and read what was typed; the
functions here take that data, already read and checked field by field, and write it — in one
transaction, which also checks the plan as changed against every rule a plan keeps
(``check_plan``, as ``load`` does), so that nothing is saved that an export could not load again.
Each returns the ``Change``s it made, for the audit trail, and moves the plan's version on.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from machiplan.domain import figures
from machiplan.domain.errors import MachiplanError
from machiplan.domain.validation import check_plan

from .. import models
from ..selectors import plan_data
from .publish import touch

# A node's own facts, one list each, kept in their order.
NODE_LISTS = ("initiatives", "narratives", "costs", "ratings", "comments")
INDICATOR_LISTS = ("targets", "baselines", "ratings", "comments")


@dataclass(frozen=True, slots=True)
class Change:
    """What one write changed: in words, and the values before and after (only those that changed)."""

    subject: str  # 'node Ⅰ-1', 'move node Ⅰ-1', 'indicator 1b targets'
    old: dict | None
    new: dict | None
    indicator_code: str = ""


class StructureError(MachiplanError):
    """A change the plan's structure refuses; ``field`` names the form field it is about."""

    def __init__(self, message: str, *, field: str | None = None, where: str | None = None) -> None:
        super().__init__(message, where=where)
        self.field = field


# --- the plan ----------------------------------------------------------------------------------

KEEP: Any = object()  # a plan field left as it is


def plan_save(
    plan: models.Plan, *, levels: list[dict] | None = None, revisions: list[dict] | None = None,
    rating_scales: list[dict] | None = None, department: str | None = KEEP,
) -> list[Change]:  # fmt: skip
    """The plan's own lists, those given, each replaced whole: the names of its levels from the top
    ([{"name", "name_en"}]), its revisions in order ([{"code", "fy", "title", "date", "reason",
    "changes"}]) and its rating scales (``RatingScale.as_dict()``, best grade first); and, unless
    ``KEEP``, the department that owns it and issues its report (a code of its departments, or None)."""
    for name, items, key in (("revisions", revisions, "code"), ("rating_scales", rating_scales, "key")):
        codes = [item[key] for item in items or ()]
        if len(set(codes)) != len(codes):
            twice = next(c for c in codes if codes.count(c) > 1)
            raise StructureError(f"{twice} appears twice", field=name)
    with transaction.atomic():
        row = models.Plan.objects.select_for_update().get(pk=plan.pk)
        changes = []
        for name, value in (("levels", levels), ("rating_scales", rating_scales)):
            if value is None:
                continue
            if name == "levels":
                value = [{"name": lv["name"], "name_en": lv.get("name_en") or None} for lv in value]
            changes.append(_change(name.replace("_", " "), {name: getattr(row, name)}, {name: value}))
            setattr(row, name, value)
        if department is not KEEP:
            found = _department(row, department)
            before = row.department.code if row.department_id else None
            changes.append(_change("department", {"department": before}, {"department": department or None}))
            row.department = found
        row.save(update_fields=["levels", "rating_scales", "department"])
        if revisions is not None:
            changes.append(_revisions_save(row, revisions))
        return _finish(plan, [c for c in changes if c.old or c.new])


def _revisions_save(plan: models.Plan, revisions: list[dict]) -> Change:
    before = [_revision_state(r) for r in plan.revisions.order_by("order")]
    kept = {r.code: r for r in plan.revisions.all()}
    models.Revision.objects.filter(plan=plan).exclude(code__in=[r["code"] for r in revisions]).delete()
    for n, values in enumerate(revisions):
        row = kept.get(values["code"]) or models.Revision(plan=plan, code=values["code"])
        for name in ("fy", "title", "date", "reason", "changes"):
            setattr(row, name, values[name])
        row.order = n
        row.save()
    after = [_revision_state(r) for r in plan.revisions.order_by("order")]
    return _change("revisions", {"revisions": before}, {"revisions": after})


def _revision_state(r: models.Revision) -> dict:
    return {"code": r.code, "fy": r.fy, "title": r.title, "date": r.date, "reason": r.reason,
            "changes": list(r.changes)}  # fmt: skip


# --- nodes -------------------------------------------------------------------------------------

LAST = 10**9  # a position after every sibling
NODE_FIELDS = ("code", "number", "name", "name_en", "statement", "priority", "related_departments",
               "related_plans", "footnotes")  # fmt: skip


def node_save(
    plan: models.Plan, code: str | None, values: dict, lists: dict[str, list[dict]], *,
    parent: str | None, position: int | None = None,
) -> list[Change]:  # fmt: skip
    """Add a node (``code`` None) or change one: its fields (``NODE_FIELDS``, and ``department`` as a code
    or None), its lists (``NODE_LISTS``: each replaced whole, in order), its parent (a node's code, or
    None for the top) and its place among its siblings (``position``, from 0; None: where it is, or
    last). A new code renumbers it: its indicators, children and facts follow it."""
    with transaction.atomic():
        nodes = {n.code: n for n in models.Node.objects.select_for_update().filter(plan=plan)}
        node = nodes.get(code) if code is not None else None
        if code is not None and node is None:
            raise StructureError(f"no node {code!r} in plan {plan.code!r}")
        if values["code"] != code and values["code"] in nodes:
            raise StructureError(f"node code {values['code']} is already used", field="code")
        parent_row = None
        if parent is not None:
            parent_row = nodes.get(parent)
            if parent_row is None:
                raise StructureError(f"no node {parent!r} to put it under", field="parent")
            if node is not None and (parent_row.pk == node.pk or _is_below(parent_row, node, nodes)):
                raise StructureError(
                    f"node {code} cannot go under {parent}: {parent} is part of it", field="parent"
                )
        before = _node_state(node) if node else None
        moved = node is not None and node.parent_id != (parent_row.pk if parent_row else None)
        old_place = (_code_of(node.parent_id, nodes), _position(node)) if node else None
        node = node or models.Node(plan=plan, order=_next_order(plan))
        for name in NODE_FIELDS:
            setattr(node, name, values[name])
        node.name_en = values.get("name_en") or ""
        node.department = _department(plan, values.get("department"))
        node.parent = parent_row
        node.save()
        _replace_node_lists(plan, node, lists)
        if position is None and (moved or before is None):
            position = LAST  # a node added, or moved under another, goes after its new siblings
        _reorder(plan, node, position)
        node.refresh_from_db()
        after = _node_state(node)
        new_place = (parent_row.code if parent_row else None, _position(node))
        changes = []
        if before is None:
            changes.append(_change(f"add node {node.code}", None, {**after, "parent": new_place[0]}))
        else:
            if before["code"] != after["code"]:
                links = list(node.indicator_links.values_list("indicator__code", flat=True))
                changes.append(_change(f"renumber node {before['code']} → {after['code']}",
                                       {"code": before["code"]}, {"code": after["code"], "indicators": links}))  # fmt: skip
            if new_place != old_place:
                changes.append(_change(f"move node {node.code}", dict(zip(("parent", "position"), old_place, strict=True)),
                                       dict(zip(("parent", "position"), new_place, strict=True))))  # fmt: skip
            changes.append(_change(f"node {node.code}", _without(before, "code"), _without(after, "code")))
        return _finish(plan, [c for c in changes if c.old or c.new])


def node_delete(plan: models.Plan, code: str) -> list[Change]:
    """Remove a node with its facts; refused while it has children or indicators."""
    with transaction.atomic():
        node = models.Node.objects.select_for_update().filter(plan=plan, code=code).first()
        if node is None:
            raise StructureError(f"no node {code!r} in plan {plan.code!r}")
        children = list(node.children.values_list("code", flat=True))
        if children:
            raise StructureError(
                f"node {code} still has nodes under it ({', '.join(children)}): move or delete them first"
            )
        indicators = list(node.indicator_links.values_list("indicator__code", flat=True))
        if indicators:
            raise StructureError(
                f"node {code} still has indicators ({', '.join(indicators)}): move, detach or delete them first"
            )
        before = _node_state(node)
        node.delete()
        _reorder(plan)
        return _finish(plan, [_change(f"delete node {code} {before['name']}", before, None)])


def _is_below(candidate: models.Node, node: models.Node, nodes: dict[str, models.Node]) -> bool:
    """Whether ``candidate`` is in ``node``'s subtree (moving ``node`` under it would make a cycle)."""
    by_pk = {n.pk: n for n in nodes.values()}
    seen = set()
    current = candidate
    while current is not None and current.pk not in seen:
        if current.parent_id == node.pk:
            return True
        seen.add(current.pk)
        current = by_pk.get(current.parent_id)
    return False


def _next_order(plan: models.Plan) -> int:
    return (models.Node.objects.filter(plan=plan).aggregate(m=Max("order"))["m"] or 0) + 1


def _reorder(plan: models.Plan, placed: models.Node | None = None, position: int | None = None) -> None:
    """Number the nodes again, parents before children and siblings in order (``order``, ``depth``);
    ``placed`` goes at ``position`` among its siblings (None: keeps its place by its current order)."""
    rows = list(models.Node.objects.filter(plan=plan).order_by("order", "pk"))
    children: dict[int | None, list[models.Node]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    if placed is not None and position is not None:
        siblings = [r for r in children[placed.parent_id] if r.pk != placed.pk]
        siblings.insert(max(0, min(position, len(siblings))), next(r for r in rows if r.pk == placed.pk))
        children[placed.parent_id] = siblings
    changed = []
    counter = 0

    def walk(parent: int | None, depth: int) -> None:
        nonlocal counter
        for row in children.get(parent, []):
            if (row.order, row.depth) != (counter, depth):
                row.order, row.depth = counter, depth
                changed.append(row)
            counter += 1
            walk(row.pk, depth + 1)

    walk(None, 0)
    models.Node.objects.bulk_update(changed, ["order", "depth"], batch_size=500)


def _position(node: models.Node) -> int:
    return models.Node.objects.filter(
        plan_id=node.plan_id, parent_id=node.parent_id, order__lt=node.order
    ).count()


def _code_of(pk: int | None, nodes: dict[str, models.Node] | None) -> str | None:
    if pk is None:
        return None
    if nodes is not None:
        return next((n.code for n in nodes.values() if n.pk == pk), None)
    return models.Node.objects.filter(pk=pk).values_list("code", flat=True).first()


def _replace_node_lists(plan: models.Plan, node: models.Node, lists: dict[str, list[dict]]) -> None:
    if "initiatives" in lists:
        node.initiatives.all().delete()
        models.Initiative.objects.bulk_create(
            models.Initiative(node=node, order=k, text=i["text"], facts=list(i["facts"]))
            for k, i in enumerate(lists["initiatives"])
        )
    if "narratives" in lists:
        node.narratives.all().delete()
        models.Narrative.objects.bulk_create(
            models.Narrative(node=node, order=k, kind=x["kind"], fy=x["fy"], items=x["items"])
            for k, x in enumerate(lists["narratives"])
        )
    if "costs" in lists:
        node.costs.all().delete()
        models.Cost.objects.bulk_create(
            models.Cost(plan=plan, node=node, order=k, **c) for k, c in enumerate(lists["costs"])
        )
    _replace_ratings_and_comments(plan, lists, node=node)


def _replace_ratings_and_comments(plan: models.Plan, lists: dict[str, list[dict]], **subject) -> None:
    if "ratings" in lists:
        models.Rating.objects.filter(plan=plan, **subject).delete()
        models.Rating.objects.bulk_create(
            models.Rating(plan=plan, order=k, **subject, **r) for k, r in enumerate(lists["ratings"])
        )
    if "comments" in lists:
        models.Comment.objects.filter(plan=plan, **subject).delete()
        models.Comment.objects.bulk_create(
            models.Comment(plan=plan, order=k, **subject, **c) for k, c in enumerate(lists["comments"])
        )


def _node_state(node: models.Node) -> dict:
    """A node as the trail keeps it: its fields and its lists."""
    state = {name: getattr(node, name) for name in NODE_FIELDS}
    state["department"] = node.department.code if node.department_id else None
    state["initiatives"] = [
        {"text": i.text, "facts": list(i.facts)} for i in node.initiatives.order_by("order")
    ]
    state["narratives"] = [
        {"kind": x.kind, "fy": x.fy, "items": x.items} for x in node.narratives.order_by("order")
    ]
    state["costs"] = [_values(c, COST_FIELDS) for c in node.costs.order_by("order")]
    state["ratings"] = [_values(r, RATING_FIELDS) for r in node.ratings.order_by("order")]
    state["comments"] = [_values(c, COMMENT_FIELDS) for c in node.comments.order_by("order")]
    return state


COST_FIELDS = ("start_fy", "end_fy", "basis", "amount", "general_revenue", "projects", "unit", "account", "label",
               "source_text")  # fmt: skip
RATING_FIELDS = ("fy", "scale", "grade", "note")
COMMENT_FIELDS = ("fy", "body", "body_name", "date", "text")


# --- indicators --------------------------------------------------------------------------------

INDICATOR_FIELDS = ("code", "name", "name_en", "category", "type", "unit", "per", "direction", "measure",
                    "value_type", "survey", "reference", "note", "related_departments", "definition", "calculation",
                    "data_source", "confirmed_when", "target_rationale", "selection_rationale", "added_in",
                    "dropped_in", "carried_from", "series")  # fmt: skip
TARGET_FIELDS = tuple(f.name for f in figures.TARGET_FIELDS)
BASELINE_FIELDS = tuple(f.name for f in figures.BASELINE_FIELDS)


def indicator_save(
    plan: models.Plan, code: str | None, values: dict, nodes: list[str], lists: dict[str, list[dict]]
) -> list[Change]:
    """Add an indicator (``code`` None) or change one: its fields (``INDICATOR_FIELDS``, ``department``
    as a code or None), the nodes it hangs on (codes, its home first; none: the plan's own), and its
    lists (``INDICATOR_LISTS``, each replaced whole, in order)."""
    with transaction.atomic():
        row = None
        if code is not None:
            row = models.Indicator.objects.select_for_update().filter(plan=plan, code=code).first()
            if row is None:
                raise StructureError(f"no indicator {code!r} in plan {plan.code!r}")
        if (
            values["code"] != code
            and models.Indicator.objects.filter(plan=plan, code=values["code"]).exists()
        ):
            raise StructureError(f"{values['code']}: this code is already used", field="code")
        found = dict(models.Node.objects.filter(plan=plan, code__in=nodes).values_list("code", "pk"))
        missing = [c for c in nodes if c not in found]
        if missing:
            raise StructureError(f"no node {missing[0]!r} in plan {plan.code!r}", field="nodes")
        if len(set(nodes)) != len(nodes):
            raise StructureError("a node is named twice", field="nodes")
        before = _indicator_state(row) if row else None
        if row is None:
            last = models.Indicator.objects.filter(plan=plan).aggregate(m=Max("order"))["m"]
            row = models.Indicator(plan=plan, order=0 if last is None else last + 1)
        for name in INDICATOR_FIELDS:
            setattr(row, name, values[name])
        row.department = _department(plan, values.get("department"))
        row.save()
        models.IndicatorNode.objects.filter(indicator=row).delete()
        models.IndicatorNode.objects.bulk_create(
            models.IndicatorNode(indicator=row, node_id=found[c], order=k) for k, c in enumerate(nodes)
        )
        if "targets" in lists:
            row.targets.all().delete()
            models.Target.objects.bulk_create(
                models.Target(indicator=row, order=k, **t) for k, t in enumerate(lists["targets"])
            )
        if "baselines" in lists:
            row.baselines.all().delete()
            models.Baseline.objects.bulk_create(
                models.Baseline(indicator=row, order=k, **b) for k, b in enumerate(lists["baselines"])
            )
        _replace_ratings_and_comments(plan, lists, indicator=row)
        after = _indicator_state(row)
        if before is None:
            changes = [_change(f"add indicator {row.code}", None, after, row.code)]
        else:
            changes = [
                _change(
                    f"indicator {row.code} {part}".strip(), _part(before, part), _part(after, part), row.code
                )
                for part in ("", "nodes", *INDICATOR_LISTS)
            ]
        return _finish(plan, [c for c in changes if c.old or c.new])


def indicator_delete(plan: models.Plan, code: str) -> list[Change]:
    """Remove an indicator with its figures, targets, baselines and links (the caller decides whether
    figures being worked on elsewhere allow it)."""
    with transaction.atomic():
        row = models.Indicator.objects.select_for_update().filter(plan=plan, code=code).first()
        if row is None:
            raise StructureError(f"no indicator {code!r} in plan {plan.code!r}")
        before = _indicator_state(row)
        before["observations"] = [
            {"series": o.series, "fy": o.fy, "kind": o.kind, "value": o.value, "text": o.text, "as_of": o.as_of,
             "note": o.note}
            for o in row.observations.order_by("series", "fy")
        ]  # fmt: skip
        row.delete()
        return _finish(plan, [_change(f"delete indicator {code} {before['name']}", before, None, code)])


def _part(state: dict, part: str) -> dict:
    if part:
        return {part: state[part]}
    return {k: v for k, v in state.items() if k not in ("nodes", *INDICATOR_LISTS)}


def _indicator_state(row: models.Indicator) -> dict:
    state = {name: getattr(row, name) for name in INDICATOR_FIELDS}
    state["department"] = row.department.code if row.department_id else None
    state["nodes"] = list(row.node_links.order_by("order").values_list("node__code", flat=True))
    state["targets"] = [_values(t, TARGET_FIELDS) for t in row.targets.order_by("order")]
    state["baselines"] = [_values(b, BASELINE_FIELDS) for b in row.baselines.order_by("order")]
    state["ratings"] = [_values(r, RATING_FIELDS) for r in row.ratings.order_by("order")]
    state["comments"] = [_values(c, COMMENT_FIELDS) for c in row.comments.order_by("order")]
    return state


# --- common ------------------------------------------------------------------------------------


def _department(plan: models.Plan, code: str | None) -> models.Department | None:
    if not code:
        return None
    found = plan.departments.filter(code=code).first()
    if found is None:
        raise StructureError(f"department {code!r} is not one of the plan's", field="department")
    return found


def _values(obj, names: tuple[str, ...]) -> dict:
    return {name: _plain(getattr(obj, name)) for name in names}


def _plain(value):
    if isinstance(value, Decimal):
        return (
            format(value.normalize(), "f")
            if value == value.to_integral_value()
            else format(value, "f").rstrip("0")
        )
    return value


def _without(state: dict, *names: str) -> dict:
    return {k: v for k, v in state.items() if k not in names}


def _change(subject: str, old: dict | None, new: dict | None, indicator_code: str = "") -> Change:
    """Only what differs, on both sides (a new or deleted thing: all of it)."""
    if old is not None and new is not None:
        keys = [k for k in dict.fromkeys([*old, *new]) if _plain_all(old.get(k)) != _plain_all(new.get(k))]
        old, new = {k: old.get(k) for k in keys}, {k: new.get(k) for k in keys}
        if not keys:
            old = new = None
    return Change(subject[:200], old, new, indicator_code)


def _plain_all(value):
    if isinstance(value, dict):
        return {k: _plain_all(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_all(v) for v in value]
    return _plain(value)


def _finish(plan: models.Plan, changes: list[Change]) -> list[Change]:
    """Check the plan as changed (inside the caller's transaction: an error undoes it all), and move
    its version on when something changed."""
    check_plan(plan_data(plan.code))
    if changes:
        touch([plan.pk])
    return changes
