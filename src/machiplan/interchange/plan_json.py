"""The plan JSON: a public contract (DESIGN.md). Fields may be added, never renamed.

``evaluate --json``, ``import-sheet --json`` and the report's ``plan.json``
all print this shape.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from typing import IO, Any

from ..domain.evaluation import Evaluation, Judgement, PlanEvaluation
from ..domain.explain import explain
from ..domain.plan import Indicator, Observation, Plan, Target

SCHEMA = "machiplan/plan@1"


def json_number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: 2280 stays an integer, 32.4 a float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def plan_json(plan: Plan, evaluation: PlanEvaluation | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "plan": {
            "code": plan.code,
            "title": plan.title,
            "title_en": plan.title_en,
            "municipality": {"name": plan.municipality.name, "code": plan.municipality.code},
            "start_fy": plan.start_fy,
            "end_fy": plan.end_fy,
            "higher_plans": [
                {
                    "horizon": h.horizon,
                    "label": h.label,
                    "title": h.title,
                    "start_fy": h.start_fy,
                    "end_fy": h.end_fy,
                    "description": h.description,
                }
                for h in plan.higher_plans
            ],
            "departments": [{"code": d.code, "name": d.name} for d in plan.departments],
        },
        "evaluation_fy": evaluation.evaluation_fy if evaluation else plan.default_evaluation_fy(),
        "method": {
            "name": plan.method.name,
            "params": evaluation.params.as_dict() if evaluation else dict(plan.method.params),
        },
        "goals": [
            {
                "number": g.number,
                "name": g.name,
                "statement": g.statement,
                "policies": [
                    {
                        "code": p.code,
                        "title": p.title,
                        "priority": p.priority,
                        "initiatives": [i.text for i in p.initiatives],
                        "facts": [f for i in p.initiatives for f in i.facts],
                    }
                    for p in g.policies
                ],
                "narratives": [
                    {
                        "kind": n.kind,
                        "fy": n.fy,
                        "text": n.text,
                        "items": [
                            {"heading": i.heading, "text": i.text, "bullets": list(i.bullets)}
                            for i in n.items
                        ],
                    }
                    for n in g.narratives
                ],
                "footnotes": list(g.footnotes),
                **({"status_counts": evaluation.by_goal.get(g.number)} if evaluation else {}),
            }
            for g in plan.goals
        ],
        "indicators": [
            _indicator(i, evaluation.indicators[i.code] if evaluation else None) for i in plan.indicators
        ],
    }
    if evaluation:
        document["status_counts"] = evaluation.overall
    return document


def write_plan_json(
    plan: Plan, evaluation: PlanEvaluation | None, handle: IO[str], *, indent: int | None = 2
) -> None:
    """The same document as ``plan_json``, written one indicator at a time: a 100,000-indicator
    plan's million observations never stand in memory as one structure."""
    head = plan_json(replace(plan, indicators=()), evaluation)
    indicators = head.pop("indicators")
    assert indicators == []
    status_counts = head.pop("status_counts", None)
    text = json.dumps(head, ensure_ascii=False, indent=indent)
    handle.write(text[:-1].rstrip() + (",\n  " if indent else ",") + '"indicators": [')
    for n, ind in enumerate(plan.indicators):
        item = _indicator(ind, evaluation.indicators[ind.code] if evaluation else None)
        body = json.dumps(item, ensure_ascii=False, indent=indent)
        if indent:
            body = "\n    " + body.replace("\n", "\n    ")
        handle.write(("," if n else "") + body)
    handle.write("\n  ]" if indent else "]")
    if status_counts is not None:
        handle.write(
            (",\n  " if indent else ",") + '"status_counts": ' + json.dumps(status_counts, ensure_ascii=False)
        )
    handle.write("\n}\n" if indent else "}\n")


def _indicator(ind: Indicator, evaluation: Evaluation | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": ind.code,
        "goal": ind.goal,
        "category": ind.category,
        "name": ind.name,
        "name_en": ind.name_en,
        "unit": ind.unit,
        "direction": ind.direction,
        "cumulative": ind.cumulative,
        "measure": ind.measure,
        "survey": ind.survey,
        "reference": ind.reference,
        "note": ind.note,
        "department": ind.department,
        "observations": [_observation(o) for o in ind.observations],
        "targets": [_target(t) for t in ind.targets],
    }
    if evaluation is not None:
        data["evaluation"] = evaluation_json(evaluation, ind)
    return data


def _observation(o: Observation) -> dict[str, Any]:
    return {
        "fy": o.fy,
        "kind": o.kind,
        "value": json_number(o.value),
        "as_of": o.as_of.isoformat() if o.as_of else None,
        "approximate": o.approximate,
        "breakdown": {label: json_number(v) for label, v in o.breakdown},
        "source_text": o.source_text,
        "note": o.note or None,
        "source": o.source or None,
    }


def _target(t: Target) -> dict[str, Any]:
    return {
        "horizon": t.horizon,
        "fy": t.fy,
        "value": json_number(t.value),
        "period_start_fy": t.period_start_fy,
        "approximate": t.approximate,
        "source_text": t.source_text,
        "source": t.source or None,
    }


def _point(point: Any) -> dict[str, Any] | None:
    return None if point is None else {"fy": point.fy, "value": json_number(point.value)}


def _judgement(j: Judgement) -> dict[str, Any]:
    return {
        "horizon": j.horizon,
        "fy": j.target.fy if j.target else None,
        "status": j.status,
        "progress": _ratio(j.progress),
        "pace": _ratio(j.pace),
    }


def evaluation_json(e: Evaluation, ind: Indicator, lang: str = "ja") -> dict[str, Any]:
    h = e.headline
    interim = e.interim
    return {
        "status": h.status,
        "horizon": h.horizon,
        "progress": _ratio(h.progress),
        "pace": _ratio(h.pace),
        "baseline": _point(h.baseline),
        "latest": _point(h.latest),
        "amount": json_number(h.amount),
        "target": _target(h.target) if h.target else None,
        "interim": None
        if interim is None
        else {
            "fy": interim.fy,
            "value": json_number(interim.value),
            "as_of": interim.as_of.isoformat() if interim.as_of else None,
            "projection": json_number(interim.projection),
        },
        "flags": list(e.flags),
        "explanation": explain(e, ind, lang),
        "by_horizon": [_judgement(j) for j in e.by_horizon],
    }
