"""Ten real municipalities' plans through the command line: load, evaluate --json, export, and
load again, with every fact of the general model kept (tests/data/real/, one per document)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from machiplan.interchange.package import read_package
from machiplan.plans.selectors import plan_data

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
PACKAGES = sorted(p.name for p in REAL.iterdir() if (p / "plan.yaml").exists())


@pytest.mark.parametrize("name", PACKAGES)
def test_load_evaluate_export_and_load_again_keep_every_fact(cli, tmp_path, name):
    package = read_package(REAL / name)
    result = cli("load", str(REAL / name))
    assert result.code == 0, result.err
    assert result.out.startswith(f"loaded {package.code}: ")
    assert plan_data(package.code) == package  # the database holds the package's plan exactly

    evaluated = cli("evaluate", package.code, "--json")
    assert evaluated.code == 0, evaluated.err
    document = json.loads(evaluated.out)
    assert document["schema"] == "machiplan/plan@2"
    assert [n["code"] for n in document["nodes"]] == [n.code for n in package.nodes]
    assert [i["code"] for i in document["indicators"]] == [i.code for i in package.indicators]

    out = tmp_path / "export"
    exported = cli("export", package.code, "--out", str(out))
    assert exported.code == 0, exported.err
    assert read_package(out) == package
    again = cli("load", str(out), "--replace")
    assert again.code == 0, again.err
    assert plan_data(package.code) == package


def test_the_deep_plan_is_summarised_by_its_own_levels(cli):
    result = cli("load", str(REAL / "tsukuba"))
    assert result.code == 0, result.err
    assert "基本目標 1, 基本施策 1, 個別施策 1" in result.out


def test_evaluate_json_carries_the_general_models_facts(cli):
    for name in ("tsukuba", "chiba", "ogaki", "ino", "mima", "urakawa"):
        assert cli("load", str(REAL / name)).code == 0
    doc = {
        name: json.loads(cli("evaluate", read_package(REAL / name).code, "--json").out)
        for name in ("tsukuba", "chiba", "ogaki", "ino", "mima", "urakawa")
    }

    kpi = doc["tsukuba"]["indicators"][0]
    assert kpi["baselines"][0]["label"] == "従前値" and kpi["baselines"][0]["value"] == 7
    assert kpi["evaluation"]["status"] == "on_track"  # (8 - 7) / (12 - 7) = 20 % at pace 20 %
    assert "rating_disagrees:2015:progress" in kpi["evaluation"]["flags"]  # the city said 概ね順調
    assert [n["level"] for n in doc["tsukuba"]["nodes"]] == ["基本目標", "基本施策", "個別施策"]

    chiba = {i["code"]: i for i in doc["chiba"]["indicators"]}
    overall = next(i for i in doc["chiba"]["indicators"] if not i["nodes"])  # the plan's own indicator
    assert overall["targets"][0]["operator"] == "at_least"
    dreams = next(i for i in chiba.values() if i["series"] == ["小学6年生", "中学3年生"])
    assert {s["series"] for s in dreams["evaluation"]["series"]} == {"小学6年生", "中学3年生"}

    assert doc["ogaki"]["plan"]["costs"] and doc["ogaki"]["plan"]["comments"][0]["date"] == "2017-05-25"
    assert {(t["grade"], t["count"]) for t in doc["ino"]["plan"]["tallies"]} >= {
        ("◎", 30),
        ("○", 13),
        ("△", 32),
    }
    assert any(t["text"] == "全員取得" for i in doc["mima"]["indicators"] for t in i["targets"])
    assert any(len(i["nodes"]) == 2 for i in doc["urakawa"]["indicators"])  # a KPI under two 施策
