"""bench/generate.py makes valid, deterministic packages with every kind of value the seed has."""

import filecmp

from bench.generate import generate

from machiplan.domain.evaluation import evaluate_plan
from machiplan.interchange.package import read_package


def test_same_arguments_same_files(tmp_path):
    a = generate(tmp_path / "a", indicators=60, seed=7)
    b = generate(tmp_path / "b", indicators=60, seed=7)
    for name in ("plan.yaml", "indicators.csv", "observations.csv", "targets.csv"):
        assert filecmp.cmp(a / name, b / name, shallow=False), name
    c = generate(tmp_path / "c", indicators=60, seed=8)
    assert not filecmp.cmp(a / "observations.csv", c / "observations.csv", shallow=False)


def test_generated_package_has_every_kind_of_value(tmp_path):
    plan = read_package(generate(tmp_path / "p", indicators=400, years=10, seed=1))
    assert len(plan.indicators) == 400
    observations = [o for i in plan.indicators for o in i.observations]
    assert len(observations) == 4000  # 10 years each
    assert {o.kind for o in observations} == {"actual", "interim", "pending", "none"}
    assert any(o.as_of for o in observations) and any(o.approximate for o in observations)
    assert any(o.breakdown for o in observations)
    assert all(sum(v for _, v in o.breakdown) == o.value for o in observations if o.breakdown)
    assert {i.measure for i in plan.indicators} == {"level", "flow", "cumulative"}
    targets = [t for i in plan.indicators for t in i.targets]
    assert {t.horizon for t in targets} == {"plan", "action_plan", "vision"}
    assert any(t.period_start_fy for t in targets)
    assert any(i.reference for i in plan.indicators) and any(
        i.direction == "decrease" for i in plan.indicators
    )
    result = evaluate_plan(plan)
    assert sum(result.overall.values()) == 400
    assert all(result.overall[s] > 0 for s in ("achieved", "on_track", "behind", "regressing"))


def test_goals_can_be_set(tmp_path):
    plan = read_package(generate(tmp_path / "g", indicators=50, goals=10))
    assert len(plan.top_nodes) == 10 and {len(plan.indicators_at(g.code)) for g in plan.top_nodes} == {5}
