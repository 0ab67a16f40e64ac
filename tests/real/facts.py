"""Checks shared by the tests of the real documents' packages (tests/data/real/<name>/).

Each test lists a document's facts as plain tuples and dicts; these helpers assert that a
fact is in the loaded ``Plan`` *and* in the plan JSON (``plan_json`` with the evaluation),
comparing a figure the way each side writes it: a ``Decimal`` in the plan, a JSON number in
the JSON, a date as a date or as ISO text, an empty text as '' or ``None``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from machiplan.domain.evaluation import PlanEvaluation, evaluate_plan
from machiplan.domain.plan import Indicator, Node, Plan
from machiplan.domain.validation import check_plan
from machiplan.interchange.package import read_package, write_package
from machiplan.interchange.plan_json import plan_json

DATA = Path(__file__).resolve().parent.parent / "data" / "real"
NAMES = tuple(sorted(p.name for p in DATA.iterdir() if (p / "plan.yaml").is_file()))


@dataclass(frozen=True)
class Loaded:
    """A package read, checked and evaluated, with its plan JSON."""

    plan: Plan
    evaluation: PlanEvaluation
    doc: dict[str, Any]

    def indicator(self, code: str) -> tuple[Indicator, dict[str, Any]]:
        found = [i for i in self.plan.indicators if i.code == code]
        assert len(found) == 1, f"indicator {code!r} is not in the plan once"
        docs = [i for i in self.doc["indicators"] if i["code"] == code]
        assert len(docs) == 1, f"indicator {code!r} is not in the plan JSON once"
        return found[0], docs[0]

    def node(self, code: str) -> tuple[Node, dict[str, Any]]:
        node = self.plan.node(code)
        assert node is not None, f"node {code!r} is not in the plan"
        docs = [n for n in self.doc["nodes"] if n["code"] == code]
        assert len(docs) == 1, f"node {code!r} is not in the plan JSON once"
        return node, docs[0]

    def status(self, code: str) -> str:
        """The indicator's headline status, the same in the evaluation and in the JSON."""
        status = self.evaluation.indicators[code].status
        assert self.indicator(code)[1]["evaluation"]["status"] == status
        return status


@cache
def load(name: str) -> Loaded:
    plan = read_package(DATA / name)
    check_plan(plan)  # raises on a broken rule; warnings are returned
    evaluation = evaluate_plan(plan)
    doc = plan_json(plan, evaluation)
    json.dumps(doc, ensure_ascii=False)  # the JSON contract is plain JSON
    return Loaded(plan, evaluation, doc)


def round_trip(plan: Plan, folder: Path) -> Plan:
    write_package(plan, folder)
    return read_package(folder)


# --- comparing a fact with each side ---------------------------------------------------------


def _number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def same_in_plan(actual: Any, expected: Any) -> bool:
    if isinstance(expected, dict):  # a breakdown: label -> number
        return (
            isinstance(actual, tuple)
            and len(actual) == len(expected)
            and all(label in expected and same_in_plan(v, expected[label]) for label, v in actual)
        )
    if isinstance(actual, Decimal) and _number(expected):
        return actual == Decimal(str(expected))
    if isinstance(actual, tuple) and isinstance(expected, list | tuple):
        return len(actual) == len(expected) and all(
            same_in_plan(a, e) for a, e in zip(actual, expected, strict=True)
        )
    return actual == expected


def same_in_json(actual: Any, expected: Any) -> bool:
    if isinstance(expected, dt.date):
        return actual == expected.isoformat()
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(same_in_json(actual[k], v) for k, v in expected.items())
        )
    if _number(expected):
        return _number(actual) and Decimal(str(actual)) == Decimal(str(expected))
    if isinstance(expected, list | tuple):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(same_in_json(a, e) for a, e in zip(actual, expected, strict=True))
        )
    if expected == "":
        return actual in ("", None)
    return actual == expected


def _matching(items, docs, expected: dict[str, Any], what: str):
    found = [x for x in items if all(same_in_plan(getattr(x, k), v) for k, v in expected.items())]
    assert len(found) == 1, f"{what} {expected} is in the plan {len(found)} times, not once"
    found_docs = [d for d in docs if all(same_in_json(d[k], v) for k, v in expected.items())]
    assert len(found_docs) == 1, f"{what} {expected} is in the plan JSON {len(found_docs)} times, not once"
    return found[0], found_docs[0]


def check_fields(obj: Any, doc: dict[str, Any], **expected: Any) -> None:
    """Each named field has the value in the plan object and in its JSON."""
    for key, value in expected.items():
        assert same_in_plan(getattr(obj, key), value), f"{key}: {getattr(obj, key)!r} is not {value!r}"
        assert same_in_json(doc[key], value), f"JSON {key}: {doc[key]!r} is not {value!r}"


# --- the plan's parts --------------------------------------------------------------------------


def check_plan_header(loaded: Loaded, **expected: Any) -> None:
    """code, title, municipality (name, code), start_fy, end_fy, evaluation_fy, levels, description."""
    plan, doc = loaded.plan, loaded.doc
    for key, value in expected.items():
        if key == "municipality":
            assert (plan.municipality.name, plan.municipality.code) == value
            assert (doc["plan"]["municipality"]["name"], doc["plan"]["municipality"]["code"]) == value
        elif key == "levels":
            assert [lv.name for lv in plan.levels] == list(value)
            assert [lv["name"] for lv in doc["plan"]["levels"]] == list(value)
        elif key == "evaluation_fy":
            assert plan.evaluation_fy == value
            assert doc["evaluation_fy"] == value
        else:
            assert getattr(plan, key) == value, f"{key}: {getattr(plan, key)!r}"
            assert doc["plan"][key] == value, f"JSON {key}: {doc['plan'][key]!r}"


def check_node(loaded: Loaded, code: str, **expected: Any) -> None:
    """A node's fields; ``number`` is the label the plan numbers it by, ``level`` its level's name."""
    node, doc = loaded.node(code)
    for key, value in expected.items():
        if key == "number":
            assert node.label == value and doc["number"] == value, f"{code}: number {node.label!r}"
        elif key == "level":
            assert loaded.plan.level(loaded.plan.depth(code)).name == value and doc["level"] == value
        elif key == "indicators":
            assert [i.code for i in loaded.plan.indicators_at(code)] == list(value)
            assert doc["indicators"] == list(value)
        else:
            check_fields(node, doc, **{key: value})


def check_children(loaded: Loaded, parent: str | None, codes: list[str]) -> None:
    assert [n.code for n in loaded.plan.children(parent)] == codes
    assert [n["code"] for n in loaded.doc["nodes"] if n["parent"] == parent] == codes


def check_indicator(loaded: Loaded, code: str, **expected: Any) -> None:
    indicator, doc = loaded.indicator(code)
    check_fields(indicator, doc, **expected)


def check_observation(loaded: Loaded, code: str, **expected: Any) -> None:
    indicator, doc = loaded.indicator(code)
    _matching(indicator.observations, doc["observations"], expected, f"{code}: observation")


def check_target(loaded: Loaded, code: str, **expected: Any) -> None:
    indicator, doc = loaded.indicator(code)
    _matching(indicator.targets, doc["targets"], expected, f"{code}: target")


def check_baseline(loaded: Loaded, code: str, **expected: Any) -> None:
    indicator, doc = loaded.indicator(code)
    _matching(indicator.baselines, doc["baselines"], expected, f"{code}: baseline")


def _subject(loaded: Loaded, indicator: str | None, node: str | None):
    """An indicator, a node, or with neither the whole plan (as ratings.csv and comments.csv say it)."""
    assert indicator is None or node is None
    if indicator is not None:
        return loaded.indicator(indicator)
    if node is not None:
        return loaded.node(node)
    return loaded.plan, loaded.doc["plan"]


def _what(indicator: str | None, node: str | None) -> str:
    return indicator or node or "the plan"


def check_rating(
    loaded: Loaded, *, indicator: str | None = None, node: str | None = None, **expected
) -> None:
    """A rating of the indicator, of the node, or with neither of the whole plan."""
    subject, doc = _subject(loaded, indicator, node)
    _matching(subject.ratings, doc["ratings"], expected, f"{_what(indicator, node)}: rating")


def check_comment(
    loaded: Loaded, *, indicator: str | None = None, node: str | None = None, **expected
) -> None:
    """A comment on the indicator, on the node, or with neither on the whole plan."""
    subject, doc = _subject(loaded, indicator, node)
    _matching(subject.comments, doc["comments"], expected, f"{_what(indicator, node)}: comment")


def check_cost(loaded: Loaded, node: str | None, **expected: Any) -> None:
    """A cost of the node, or with ``node=None`` of the whole plan (costs.csv's empty node)."""
    subject, doc = _subject(loaded, None, node)
    _matching(subject.costs, doc["costs"], expected, f"{_what(None, node)}: cost")


def check_tally(loaded: Loaded, node: str | None, **expected: Any) -> None:
    """A count the city published of its indicators in one grade, for the node or (``None``) the plan."""
    subject, doc = _subject(loaded, None, node)
    _matching(subject.tallies, doc["tallies"], expected, f"{_what(None, node)}: tally")


def check_sources(loaded: Loaded, sources: list[dict[str, Any]]) -> None:
    """The plan's sources, in order: each a dict of title, url, date, note (absent: empty)."""
    keys = ("title", "url", "date", "note")
    expected = [{k: s.get(k, None if k == "date" else "") for k in keys} for s in sources]
    assert [{k: getattr(x, k) for k in keys} for x in loaded.plan.sources] == expected
    docs = loaded.doc["plan"]["sources"]
    assert len(docs) == len(expected)
    for doc, source in zip(docs, expected, strict=True):
        assert doc.keys() == set(keys)
        assert all(same_in_json(doc[k], v) for k, v in source.items()), doc


def check_method(loaded: Loaded, **expected: Any) -> None:
    """The method's fields (name, description) in the plan and in the JSON's method."""
    for key, value in expected.items():
        assert getattr(loaded.plan.method, key) == value, (
            f"method {key}: {getattr(loaded.plan.method, key)!r}"
        )
        assert same_in_json(loaded.doc["method"][key], value), f"JSON method {key}"


def check_scale(loaded: Loaded, key: str, name: str, grades: list[tuple[str, str, tuple[str, ...]]]) -> None:
    """A declared rating scale: its name and its grades (code, label, statuses), best first."""
    scale = loaded.plan.rating_scale(key)
    assert scale is not None and scale.name == name
    assert [(g.code, g.label, g.statuses) for g in scale.grades] == grades
    doc = next(s for s in loaded.doc["plan"]["rating_scales"] if s["key"] == key)
    assert doc["name"] == name
    assert [(g["code"], g["label"], tuple(g["statuses"])) for g in doc["grades"]] == grades
