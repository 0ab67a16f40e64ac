"""Next year's sheet into the plan it updates: the table's figures over the stored ones, the
rest of the plan as it was; indicators found again by name when rows were inserted."""

from __future__ import annotations

import ast
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from machiplan.domain import plan as domain
from machiplan.tables import PlanFacts, mapping_yaml, read_mapping, read_table
from machiplan.tables.merge import merge
from tests.tables import sheets
from tests.tables.facts import check, indicator


def _plans(tmp_path: Path) -> tuple[domain.Plan, domain.Plan]:
    name, data = sheets.urakawa_r4()
    first = read_table(data, name, facts=PlanFacts(code="urakawa-sousei"))
    path = tmp_path / "m.yaml"
    path.write_text(mapping_yaml(first.mapping), encoding="utf-8")
    name, data = sheets.urakawa_r5()
    return first.plan, read_table(data, name, mapping=read_mapping(path)).plan


def test_the_tables_figures_over_the_stored_ones_and_the_rest_as_it_was(tmp_path):
    stored, table = _plans(tmp_path)
    # since last year: a figure approved on the staff pages, a correction, a node's statement
    farmers = indicator(stored, "新規就農者数")
    approved = domain.Observation(
        fy=2018, kind="actual", value=Decimal(1), source="staff: approved by tanaka"
    )
    stored = replace(
        stored,
        indicators=tuple(
            replace(i, observations=(approved, *i.observations), measure="cumulative") if i is farmers else i
            for i in stored.indicators
        ),
        nodes=tuple(
            replace(n, statement="農林水産業の担い手を育てる") if n.code == "1-1" else n for n in stored.nodes
        ),
    )
    plan, changes, warnings = merge(stored, table)
    facts = [
        (
            "obs",
            "新規就農者数",
            2018,
            {"value": 1, "source": "staff: approved by tanaka"},
        ),  # kept: not in the table
        (
            "obs",
            "新規就農者数",
            2022,
            {"kind": "actual", "value": 4},
        ),  # the interim value is now the year's actual
        ("obs", "新規就農者数", 2023, {"kind": "interim", "value": 2}),
        ("indicator", "新規就農者数", {"measure": "cumulative"}),  # the correction stays
        ("node", "1-1", {"statement": "農林水産業の担い手を育てる"}),
        ("indicator", "移住相談件数", {"code": "2-1-3", "nodes": ("2-1",)}),
    ]
    assert check(plan, facts) == len(facts)
    assert changes.new_indicators == ("2-1-3",) and changes.untouched_indicators == ()
    assert (changes.added, changes.changed) == (7, 6) and warnings == ()
    assert plan.title == stored.title and plan.code == "urakawa-sousei"


def test_an_indicator_is_found_again_by_its_name_when_rows_moved(tmp_path):
    stored, table = _plans(tmp_path)
    shifted = replace(
        table, indicators=tuple(replace(i, code=f"x{n}") for n, i in enumerate(table.indicators))
    )
    plan, changes, _ = merge(stored, shifted)
    assert [i.code for i in plan.indicators][:6] == [i.code for i in stored.indicators]
    assert dict(changes.codes)["x0"] == "1-1-1"
    gone = replace(table, indicators=table.indicators[1:])
    _, changes, _ = merge(stored, gone)
    assert changes.untouched_indicators == ("1-1-1",)  # not in this table: kept as it was


def test_the_table_reader_is_pure_python():
    for path in (Path(__file__).parents[2] / "src" / "machiplan" / "tables").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            assert not any(n.startswith("django") for n in names), path
