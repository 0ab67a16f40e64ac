"""Every package of a real document loads, passes the plan checks, evaluates, gives plain
JSON and round-trips through write_package -> read_package unchanged."""

import json

import pytest

from machiplan.domain.evaluation import STATUSES, evaluate_plan
from machiplan.domain.validation import check_plan
from machiplan.interchange.package import read_package, write_package
from machiplan.interchange.plan_json import plan_json

from .facts import DATA, NAMES


def test_there_is_a_package_per_document():
    assert NAMES == (
        "abira",
        "chiba",
        "fuji",
        "fukuoka",
        "ino",
        "mima",
        "nanto",
        "ogaki",
        "tsukuba",
        "urakawa",
    )


@pytest.mark.parametrize("name", NAMES)
def test_the_package_loads_evaluates_and_round_trips(name, tmp_path):
    plan = read_package(DATA / name)
    assert check_plan(plan) == ()  # no broken rule, nothing to warn about
    evaluation = evaluate_plan(plan)
    assert set(evaluation.indicators) == {i.code for i in plan.indicators}
    assert all(e.status in STATUSES for e in evaluation.indicators.values())
    doc = plan_json(plan, evaluation)
    assert json.loads(json.dumps(doc, ensure_ascii=False)) == doc

    write_package(plan, tmp_path / "once")
    again = read_package(tmp_path / "once")
    assert again == plan
    # the same JSON but for provenance ('observations.csv:12'): rewritten files order rows their way
    assert _without_sources(plan_json(again, evaluate_plan(again))) == _without_sources(doc)
    # writing what was read writes the same files again
    write_package(again, tmp_path / "twice")
    for path in sorted((tmp_path / "once").iterdir()):
        assert path.read_bytes() == (tmp_path / "twice" / path.name).read_bytes(), path.name


def _without_sources(value):
    if isinstance(value, dict):
        return {k: _without_sources(v) for k, v in value.items() if k != "source"}
    if isinstance(value, list):
        return [_without_sources(v) for v in value]
    return value
