"""Reads of the plan model. ``plan_data`` turns a stored plan back into domain data
in a fixed number of queries, whatever the plan's size."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from django.db import connection
from django.db import models as django_models

from machiplan.domain import figures
from machiplan.domain import plan as domain
from machiplan.domain.collection import long_lived_objects_made
from machiplan.domain.errors import MachiplanError
from machiplan.domain.fiscal import FIRST_FY, LAST_FY
from machiplan.domain.frozen import frozen_builder

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
    with long_lived_objects_made():  # a million figures, none in a cycle (domain/collection.py)
        return _plan_data(code)


def _plan_data(code: str) -> domain.Plan:
    plan = plan_get(code)
    costs, tallies = _costs_and_tallies(plan)
    ratings, comments = _ratings_and_comments(plan, "plan_id", plan_level=True)
    return replace(
        _plan_header(plan),
        departments=_plan_departments(plan),
        nodes=_nodes(plan, costs, tallies),
        indicators=_indicators(plan),
        ratings=tuple(ratings[plan.pk]),
        comments=tuple(comments[plan.pk]),
        costs=tuple(costs[None]),
        tallies=tuple(tallies[None]),
    )


def _costs_and_tallies(plan: models.Plan):
    """Costs and tallies by node id (None: the plan's own)."""
    costs: dict[int | None, list[domain.Cost]] = defaultdict(list)
    for c in models.Cost.objects.filter(plan=plan).order_by("order"):
        costs[c.node_id].append(
            domain.Cost(
                start_fy=c.start_fy, end_fy=c.end_fy, basis=c.basis, amount=stored_decimal(c.amount),
                general_revenue=stored_decimal(c.general_revenue), projects=c.projects, unit=c.unit,
                account=c.account, label=c.label, source_text=c.source_text, source=c.source,
            )
        )  # fmt: skip
    tallies: dict[int | None, list[domain.Tally]] = defaultdict(list)
    for node_id, fy, scale, grade, count, note, source in (
        models.Tally.objects.filter(plan=plan).order_by("order").values_list("node_id", "fy", "scale", "grade", "count", "note", "source")
    ):  # fmt: skip
        tallies[node_id].append(
            domain.Tally(fy=fy, scale=scale, grade=grade, count=count, note=note, source=source)
        )
    return costs, tallies


def _plan_departments(plan: models.Plan) -> tuple[domain.Department, ...]:
    return tuple(
        domain.Department(code=link.department.code, name=link.department.name)
        for link in models.Plan.departments.through.objects.filter(plan=plan)
        .select_related("department")
        .order_by("id")
    )


def _narrative(kind: str, fy: int | None, items: list[dict]) -> domain.Narrative:
    return domain.Narrative(
        kind=kind,
        fy=fy,
        items=tuple(
            domain.NarrativeItem(
                heading=i.get("heading", ""), text=i.get("text", ""), bullets=tuple(i.get("bullets", ()))
            )
            for i in items
        ),
    )


def _nodes(plan: models.Plan, costs, tallies) -> tuple[domain.Node, ...]:
    """Every node with its initiatives, narratives, costs, ratings and comments: a fixed number of
    queries, whatever the depth."""
    initiatives: dict[int, list[domain.Initiative]] = defaultdict(list)
    for node_id, text, facts in (
        models.Initiative.objects.filter(node__plan=plan).order_by("node_id", "order").values_list("node_id", "text", "facts")
    ):  # fmt: skip
        initiatives[node_id].append(domain.Initiative(text=text, facts=tuple(facts)))
    narratives: dict[int, list[domain.Narrative]] = defaultdict(list)
    for node_id, kind, fy, items in (
        models.Narrative.objects.filter(node__plan=plan).order_by("node_id", "order").values_list("node_id", "kind", "fy", "items")
    ):  # fmt: skip
        narratives[node_id].append(_narrative(kind, fy, items))
    ratings, comments = _ratings_and_comments(plan, "node_id")
    departments = dict(models.Department.objects.values_list("id", "code"))
    rows = list(models.Node.objects.filter(plan=plan).order_by("order"))
    codes = {n.pk: n.code for n in rows}
    return tuple(
        domain.Node(
            code=n.code,
            name=n.name,
            parent=codes.get(n.parent_id),
            number=n.number,
            name_en=n.name_en or None,
            statement=n.statement,
            priority=n.priority,
            department=departments.get(n.department_id),
            related_departments=tuple(n.related_departments),
            related_plans=tuple(n.related_plans),
            initiatives=tuple(initiatives[n.pk]),
            narratives=tuple(narratives[n.pk]),
            footnotes=tuple(n.footnotes),
            ratings=tuple(ratings[n.pk]),
            comments=tuple(comments[n.pk]),
            costs=tuple(costs[n.pk]),
            tallies=tuple(tallies[n.pk]),
        )
        for n in rows
    )


def _ratings_and_comments(
    plan: models.Plan | int, subject: str, only: int | None = None, plan_level: bool = False
) -> tuple[dict[int, list[domain.Rating]], dict[int, list[domain.Comment]]]:
    """The city's ratings and comments by node id (``subject='node_id'``), indicator id, or with
    ``plan_level`` the plan's own (by plan id)."""
    ratings: dict[int, list[domain.Rating]] = defaultdict(list)
    comments: dict[int, list[domain.Comment]] = defaultdict(list)
    if plan_level:
        filters: dict = {"node__isnull": True, "indicator__isnull": True}
    else:
        filters = {f"{subject}__isnull": False} if only is None else {subject: only}
    for key, fy, scale, grade, note, source in (
        models.Rating.objects.filter(plan=plan, **filters).order_by("order")
        .values_list(subject, "fy", "scale", "grade", "note", "source")
    ):  # fmt: skip
        ratings[key].append(domain.Rating(fy=fy, scale=scale, grade=grade, note=note, source=source))
    for key, fy, body, body_name, date, text, source in (
        models.Comment.objects.filter(plan=plan, **filters).order_by("order")
        .values_list(subject, "fy", "body", "body_name", "date", "text", "source")
    ):  # fmt: skip
        comments[key].append(
            domain.Comment(fy=fy, body=body, text=text, body_name=body_name, date=date, source=source)
        )
    return ratings, comments


def _reader(spec: figures.Field):
    """The converter of a figure field's stored value back to the domain's (None: as stored)."""
    if spec.type == "decimal":
        return stored_decimal
    if spec.type == "date":
        return _date
    if spec.type == "bool":
        return bool
    if spec.type == "breakdown":
        return _breakdown
    if spec.type == "choice":
        return _one_of(spec.choices, nullable=spec.nullable)
    if spec.nullable:
        return _or_none
    return None


def _one_of(choices: tuple[str, ...], *, nullable: bool):
    """A choice's stored text as the one string of its choice: the database hands out a new string
    per row, and a plan's million figures each kept their own 'actual' and 'fy'."""
    canonical = _canonical(choices)
    if nullable:
        return lambda raw: canonical.get(raw, raw) or None
    return lambda raw: canonical.get(raw, raw)


def _canonical(choices: tuple[str, ...]) -> dict[str, str]:
    return {c: c for c in choices}


def figure_observation(obj) -> domain.Observation:
    """A stored figure (a published Observation or a staff Entry) as the domain's, every field of
    ``figures.FIGURE_FIELDS`` read back as its type says."""
    values = {}
    for spec in figures.FIGURE_FIELDS:
        read, raw = _reader(spec), getattr(obj, spec.name)
        values[spec.name] = raw if read is None else read(raw)
    return domain.Observation(**values, source_text=getattr(obj, "source_text", ""))


# A year as one int object for every figure of that year: the database hands out a new one per row
# (Python shares only the ints up to 256), 28 bytes each of a plan's million figures.
_YEARS = {fy: fy for fy in range(FIRST_FY, LAST_FY + 1)}
_YEAR_FIELDS = ("fy", "period_start_fy")


def _or_none(raw: object) -> object:
    return raw or None


@functools.cache
def _figure_reader(cls, specs: tuple[figures.Field, ...], extra: tuple[str, ...]):
    """The columns to select for a figure table (``specs`` and ``extra``), and a function that
    reads its rows (indicator id first) into lists of figures by indicator id, each column
    converted as its field's type says (``_reader``).

    The function is compiled once from the column list, as ``dataclasses`` compiles an
    ``__init__``: one call per row, with no loop over the columns and no converter called for an
    empty value, and each figure is made by ``frozen_builder`` (domain/frozen.py), not its
    ``__init__``. A plan has a million figures; reading them column by column was a third of
    reading the plan back, and their ``__init__`` another sixth."""
    names = [*(s.name for s in specs), *extra]  # every field of ``cls``, or frozen_builder refuses
    readers = {s.name: _reader(s) for s in specs}
    specs_by_name = {s.name: s for s in specs}
    namespace: dict = {"_build": frozen_builder(cls, names)}  # the source holds field names only
    arguments = []
    for name in names:
        read, value, spec = readers.get(name), f"_{name}", specs_by_name.get(name)
        if spec is not None and spec.type == "choice":  # as ``_one_of`` reads it, without a call
            namespace[f"_choices_{name}"] = _canonical(spec.choices)
            value = f"_choices_{name}.get({value}, {value})" + (" or None" if spec.nullable else "")
        elif spec is not None and spec.type == "int" and name in _YEAR_FIELDS:  # one int per year
            namespace["_years"] = _YEARS
            value = f"_years.get({value}, {value})"
        elif read is not None:
            namespace[f"_read_{name}"] = read
            value = f"_read_{name}({value})"
            if read in (stored_decimal, _date):  # an empty value is None, as stored
                value = f"(None if _{name} is None else {value})"
            elif read is _breakdown:  # most figures have none: SQLite's empty list, without a call
                value = f"(() if _{name} == '[]' else {value})"
        arguments.append(value)
    exec(
        f"def read(rows, into):\n"
        f"    for _indicator_id, {', '.join(f'_{name}' for name in names)} in rows:\n"
        f"        into[_indicator_id].append(_build({', '.join(arguments)}))\n",
        namespace,
    )
    return tuple(names), namespace["read"]


def _figures(cls, model, specs, extra: tuple[str, ...], indicator_column: str, value: int, order):
    """The figures of a figure table by indicator id, for the indicators whose ``indicator_column``
    is ``value``: the columns are ``specs`` (domain/figures.py) and ``extra``."""
    names, read = _figure_reader(cls, specs, extra)
    result: dict[int, list] = defaultdict(list)
    read(_rows(model, ["indicator_id", *names], indicator_column, value, order=order), result)
    return result


def _observations(indicator_column: str, value: int) -> dict[int, list[domain.Observation]]:
    """Observations by indicator id, for the indicators whose ``indicator_column`` is ``value``."""
    return _figures(domain.Observation, models.Observation, figures.FIGURE_FIELDS, ("source_text", "source"),
                    indicator_column, value, ("series", "fy"))  # fmt: skip


def _targets(indicator_column: str, value: int) -> dict[int, list[domain.Target]]:
    return _figures(
        domain.Target, models.Target, figures.TARGET_FIELDS, ("source",), indicator_column, value, ("order",)
    )


def _baselines(indicator_column: str, value: int) -> dict[int, list[domain.Baseline]]:
    return _figures(
        domain.Baseline,
        models.Baseline,
        figures.BASELINE_FIELDS,
        ("source",),
        indicator_column,
        value,
        ("order",),
    )


_INDICATOR_COLUMNS = ("id", "code", "category", "name", "name_en", "type", "unit", "per", "direction", "measure",
                      "value_type", "survey", "reference", "note", "department_id", "related_departments",
                      "definition", "calculation", "data_source", "confirmed_when", "target_rationale",
                      "selection_rationale", "added_in", "dropped_in", "carried_from", "series")  # fmt: skip


# The texts indicators share, one string each (the database hands out a new one per row): their
# choices here, and their units and categories as a plan's read meets them (``shared``).
_DIRECTIONS, _MEASURES, _VALUE_TYPES = (
    _canonical(c) for c in (domain.DIRECTIONS, domain.MEASURES, domain.VALUE_TYPES)
)


def _indicator(
    row: tuple,
    nodes: tuple[str, ...],
    departments: dict[int, str],
    figures: dict[str, dict],
    ratings,
    comments,
    shared: dict[str, str],
) -> domain.Indicator:
    (ind_id, code, category, name, name_en, type_, unit, per, direction, measure, value_type, survey, reference,
     note, dept_id, related, definition, calculation, data_source, confirmed_when, rationale, selection, added_in,
     dropped_in, carried_from, series) = row  # fmt: skip
    return domain.Indicator(
        code=code, name=name, nodes=nodes, category=shared.setdefault(category, category), type=type_ or None,
        unit=shared.setdefault(unit, unit) or None, per=per or None, direction=_DIRECTIONS.get(direction, direction),
        measure=_MEASURES.get(measure, measure), value_type=_VALUE_TYPES.get(value_type, value_type), survey=bool(survey), reference=bool(reference),
        note=note or None, department=departments.get(dept_id) if dept_id else None,
        related_departments=tuple(_json(related)), name_en=name_en or None, definition=definition,
        calculation=calculation, data_source=data_source, confirmed_when=confirmed_when, target_rationale=rationale, selection_rationale=selection,
        added_in=added_in or None, dropped_in=dropped_in or None, carried_from=carried_from or None,
        series=tuple(_json(series)), baselines=tuple(figures["baselines"].get(ind_id, ())),
        observations=tuple(figures["observations"].get(ind_id, ())), targets=tuple(figures["targets"].get(ind_id, ())),
        ratings=tuple(ratings.get(ind_id, ())), comments=tuple(comments.get(ind_id, ())),
    )  # fmt: skip


def _json(raw: object) -> list:
    """A JSON list column as stored: text (SQLite), or already a list (PostgreSQL, the ORM)."""
    if not isinstance(raw, str):
        return list(raw or ())
    return [] if raw == "[]" else json.loads(raw)


def _indicator_nodes(plan: models.Plan | int, only: int | None = None) -> dict[int, tuple[str, ...]]:
    links = models.IndicatorNode.objects.filter(indicator__plan=plan)
    if only is not None:
        links = links.filter(indicator_id=only)
    found: dict[int, list[str]] = defaultdict(list)
    for ind_id, code in links.order_by("indicator_id", "order").values_list("indicator_id", "node__code"):
        found[ind_id].append(code)
    return {k: tuple(v) for k, v in found.items()}


def _indicators(plan: models.Plan) -> tuple[domain.Indicator, ...]:
    figures = {
        "observations": _observations("plan_id", plan.pk),
        "targets": _targets("plan_id", plan.pk),
        "baselines": _baselines("plan_id", plan.pk),
    }
    ratings, comments = _ratings_and_comments(plan, "indicator_id")
    departments = dict(models.Department.objects.filter(plans=plan).values_list("id", "code"))
    nodes, shared = _indicator_nodes(plan), {}
    return tuple(
        _indicator(row, nodes.get(row[0], ()), departments, figures, ratings, comments, shared)
        for row in _indicator_rows(plan.pk)
    )


def _indicator_rows(plan_id: int):
    """A plan's indicators as rows of ``_INDICATOR_COLUMNS``, in order, read with a plain cursor:
    the ORM decodes each row's two JSON lists through its converters, which at 100,000 indicators
    cost more than the query (``_json`` reads them as they come)."""
    quote, meta = connection.ops.quote_name, models.Indicator._meta
    selected = ", ".join(quote(meta.get_field(name).column) for name in _INDICATOR_COLUMNS)
    sql = f"SELECT {selected} FROM {quote(meta.db_table)} WHERE {quote('plan_id')} = %s ORDER BY {quote('order')}"
    return _fetched(sql, [plan_id])


def _rows(
    model: type[django_models.Model],
    columns: list[str],
    indicator_column: str,
    value: int,
    *,
    order: tuple[str, ...],
):
    """Rows of a large child table of Indicator (a plan's, or one indicator's), read with a plain cursor.

    The ORM's per-value converters (a JSON decode per empty breakdown, a Decimal
    quantize per value) cost more than the query for a million rows; the small
    converters below do the same job for the values these tables hold.
    """
    quote = connection.ops.quote_name
    table, indicators = quote(model._meta.db_table), quote(models.Indicator._meta.db_table)
    selected = ", ".join(f"t.{quote(c)}" for c in columns)
    # the indicators as a subquery, not a join: SQLite then reads the figures in the order of their
    # (indicator, series, fy) index instead of sorting a million rows in a temporary tree
    sql = (
        f"SELECT {selected} FROM {table} t WHERE t.{quote('indicator_id')} IN "
        f"(SELECT i.{quote('id')} FROM {indicators} i WHERE i.{quote(indicator_column)} = %s) "
        f"ORDER BY t.{quote('indicator_id')}, "
        + "".join(f"t.{quote(c)}, " for c in order)
        + f"t.{quote('id')}"
    )
    return _fetched(sql, [value])


def _fetched(sql: str, params: list):
    """The rows of a query, fetched a batch at a time: a plan's million figures never stand in
    memory as the driver's rows all at once."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(20000):
            yield from batch


def stored_decimal(raw: object) -> Decimal | None:
    """A stored value as the Decimal that was entered: 32.4, not 32.400000 or 32.399999…"""
    kind = raw.__class__  # SQLite's two kinds first, without isinstance: a plan has a million values
    if kind is int:  # SQLite keeps an integral NUMERIC as an integer
        return Decimal(raw).normalize()
    if kind is float:
        return Decimal(repr(raw))  # SQLite keeps NUMERIC as a double; its shortest repr is the figure
    if raw is None:
        return None
    if isinstance(raw, Decimal):
        return _value(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    return _value(Decimal(raw))  # text, or an int of another kind


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


def plan_header(code: str) -> domain.Plan:
    """A plan's header: its own fields, departments and nodes (without their content), no indicators.
    What an indicator's page needs of its plan; the same for all its indicators at one version."""
    plan = plan_get(code)
    return replace(_plan_header(plan), departments=_plan_departments(plan), nodes=_node_headers(plan))


def indicator_data(
    plan_code: str, indicator_code: str, header: domain.Plan | None = None
) -> tuple[domain.Plan, domain.Indicator]:
    """One indicator with its figures, and its plan's header (``plan_header``; pass it when the
    caller already holds it for the plan's current version: the indicator is then a few queries)."""
    try:
        plan_id, *row = (
            models.Indicator.objects.filter(plan__code=plan_code, code=indicator_code)
            .values_list("plan_id", *_INDICATOR_COLUMNS)
            .get()
        )
    except models.Indicator.DoesNotExist:
        plan_get(plan_code)  # an unknown plan says so
        raise MachiplanError(f"no indicator {indicator_code!r} in plan {plan_code!r}") from None
    pk = row[0]
    figures = {
        "observations": _observations("id", pk),
        "targets": _targets("id", pk),
        "baselines": _baselines("id", pk),
    }
    ratings, comments = _ratings_and_comments(plan_id, "indicator_id", only=pk)
    departments = dict(models.Department.objects.values_list("id", "code"))
    indicator = _indicator(
        tuple(row), _indicator_nodes(plan_id, pk).get(pk, ()), departments, figures, ratings, comments, {}
    )
    return (header if header is not None else plan_header(plan_code)), indicator


def _node_headers(plan: models.Plan) -> tuple[domain.Node, ...]:
    rows = list(
        models.Node.objects.filter(plan=plan)
        .order_by("order")
        .values_list("id", "parent_id", "code", "number", "name", "name_en", "statement", "priority")
    )
    codes = {r[0]: r[2] for r in rows}
    return tuple(
        domain.Node(code=code, name=name, parent=codes.get(parent), number=number, name_en=name_en or None,
                    statement=statement, priority=priority)
        for _, parent, code, number, name, name_en, statement, priority in rows
    )  # fmt: skip


def plan_method(plan: models.Plan) -> domain.Method:
    """The plan's evaluation method as stored (name, parameters, description, overrides)."""
    return domain.Method(
        name=plan.method_name,
        params=dict(plan.method_params),
        description=plan.method_description,
        overrides=tuple(
            domain.MethodOverride(indicators=tuple(o["indicators"]), name=o["name"], params=dict(o["params"]))
            for o in plan.method_overrides
        ),
    )


def _plan_header(plan: models.Plan) -> domain.Plan:
    return domain.Plan(
        code=plan.code,
        title=plan.title,
        title_en=plan.title_en or None,
        municipality=domain.Municipality(name=plan.municipality_name, code=plan.municipality_code),
        start_fy=plan.start_fy,
        end_fy=plan.end_fy,
        evaluation_fy=plan.evaluation_fy,
        method=plan_method(plan),
        description=plan.description,
        sources=tuple(
            domain.Source(
                title=x["title"], url=x.get("url", ""), date=_date(x.get("date")), note=x.get("note", "")
            )
            for x in plan.sources
        ),
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
        levels=tuple(domain.Level(name=lv["name"], name_en=lv.get("name_en")) for lv in plan.levels),
        rating_scales=tuple(domain.RatingScale.from_dict(s) for s in plan.rating_scales),
        revisions=tuple(
            domain.Revision(
                code=r.code, fy=r.fy, title=r.title, date=r.date, reason=r.reason, changes=tuple(r.changes)
            )
            for r in plan.revisions.order_by("order")
        ),
        parent_plan=plan.parent_plan.code if plan.parent_plan_id else None,
        predecessor=plan.predecessor.code if plan.predecessor_id else None,
        department=plan.department.code if plan.department_id else None,
    )
